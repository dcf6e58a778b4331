// The full widget comes on demand: the eager core draws the button, and the rest is fetched at the visitor's
// first sign of intent (on these pages, which configure no survey, the dialog part: the full widget without its
// surveys). A press never gets lost on the way: not while the full widget is fetched, not while it
// starts and takes the button over, and not when it cannot be loaded (the button then says so and tries again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hold, html, site, watchedPage } from './harness.mjs';

let b;
let pages;
let c;
site({}, (s) => ({ b, pages, c } = s));

const TAG = '<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="on-demand"></script>';

/** Serves a page with the widget (`lang` on its `<html>`) and resolves to a watched page to open it in. */
function serve(name, lang = 'en') {
  pages.write({ [name]: html(TAG).replace('<html lang="en">', `<html lang="${lang}">`) });
  return watchedPage(b);
}

/** The widget's files `page` asked for, by name. */
const fetched = (page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((n) => n.startsWith('rebound')));

/** Whether `page` asked for any part of the full widget (with or without its surveys). */
const fetchedFull = async (page) => (await fetched(page)).some((n) => /^rebound_(full|dialog)/.test(n));

test('a press before the full widget arrived opens the dialog when it comes; the button is busy meanwhile', async () => {
  const { page, seen } = await serve('early-press.html');
  const wasm = await hold(page, '**/rebound_dialog_bg.wasm');
  await page.goto(`${c.url}/early-press.html`);
  const launcher = page.locator('rebound-widget .launcher');
  await launcher.waitFor();
  await page.waitForTimeout(500);
  assert.equal(await fetchedFull(page), false, 'a page view with nothing to show fetches only the core');
  await launcher.click();
  await wasm.requested;
  assert.equal(await launcher.getAttribute('aria-busy'), 'true');
  assert.equal(await page.locator('rebound-widget').getByRole('dialog').count(), 0);
  wasm.release();
  await page.locator('rebound-widget').getByRole('dialog', { name: 'How was your experience?' }).waitFor();
  assert.equal(await launcher.getAttribute('aria-busy'), null);
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('a press while the full widget starts and takes the button over opens the dialog', async () => {
  // The German texts are fetched after the full widget started and before it mounts: a press in between used
  // to fall between the core letting the button go and the full widget listening to it.
  const { page, seen } = await serve('press-in-handover.html', 'de');
  const texts = await hold(page, '**/rebound_de.txt');
  await page.goto(`${c.url}/press-in-handover.html`);
  const launcher = page.locator('rebound-widget .launcher');
  await launcher.waitFor();
  await launcher.hover();
  await texts.requested;
  await launcher.click();
  texts.release();
  await page.locator('rebound-widget').getByRole('dialog', { name: 'Wie war Ihre Erfahrung?' }).waitFor();
  assert.equal(await launcher.textContent(), 'Feedback');
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('when the full widget cannot be loaded, one console line, the button says so, and a later press works', async () => {
  const { page, seen } = await serve('no-full.html');
  const wasm = await hold(page, '**/rebound_dialog_bg.wasm', 404);
  await page.goto(`${c.url}/no-full.html`);
  const launcher = page.locator('rebound-widget .launcher');
  await launcher.waitFor();
  await launcher.click();
  await wasm.requested;
  wasm.release();
  await page.waitForFunction(
    () => document.querySelector('rebound-widget').shadowRoot.querySelector('.launcher').textContent !== 'Feedback',
  );
  assert.equal(await launcher.textContent(), 'Feedback unavailable, try again');
  assert.equal(await launcher.getAttribute('aria-busy'), null);
  const ours = seen.errors().filter((e) => e.startsWith('rebound:'));
  assert.equal(ours.length, 1, JSON.stringify(seen.errors()));
  assert.match(
    ours[0],
    /^rebound: the feedback form could not be loaded \(http:\/\/127\.0\.0\.1:\d+\/pkg\/rebound_dialog_bg\.wasm answered HTTP 404\); pressing the button tries again$/,
  );
  assert.deepEqual(seen.pageErrors, []);
  assert.equal(await page.locator('#host').textContent(), 'The host page works.');
  // The network is back: the next press loads the full widget and opens the dialog.
  await page.unroute('**/rebound_dialog_bg.wasm');
  await launcher.click();
  await page.locator('rebound-widget').getByRole('dialog', { name: 'How was your experience?' }).waitFor();
  assert.equal(await launcher.textContent(), 'Feedback');
  await page.close();
});

test('a press fetches the dialog part where the options configure no survey, the full widget where they do', async () => {
  const survey = {
    id: 'elsewhere',
    trigger: { type: 'delay', seconds: 0 },
    targeting: { include: ['/checkout*'] },
    questions: [{ id: 'nps', type: 'nps', text: 'How likely are you to recommend us?' }],
  };
  pages.write({
    'no-surveys.html': html(TAG),
    'surveys-elsewhere.html': html(`<script>window.ReboundConfig = ${JSON.stringify({ surveys: [survey] })};</script>${TAG}`),
  });
  for (const [name, part, other] of [
    ['no-surveys.html', 'rebound_dialog', 'rebound_full'],
    ['surveys-elsewhere.html', 'rebound_full', 'rebound_dialog'],
  ]) {
    const { page, seen } = await watchedPage(b);
    await page.goto(`${c.url}/${name}`);
    const launcher = page.locator('rebound-widget .launcher');
    await launcher.waitFor();
    await page.waitForTimeout(300);
    assert.equal(await fetchedFull(page), false, `${name}: only the core before the press`);
    await launcher.click();
    await page.locator('rebound-widget').getByRole('dialog', { name: 'How was your experience?' }).waitFor();
    const files = await fetched(page);
    assert.ok(files.includes(`${part}.js`) && files.includes(`${part}_bg.wasm`), `${name}: ${part} came: ${files}`);
    assert.ok(!files.some((n) => n.startsWith(other)), `${name}: nothing of ${other}: ${files}`);
    if (part == 'rebound_dialog') {
      // Without surveys, the dialog part says so for Rebound.show, as the full widget does.
      await page.evaluate(() => window.Rebound.show('elsewhere'));
      await page.waitForTimeout(100);
      assert.deepEqual(seen.errors(), ['rebound: Rebound.show: no surveys are configured']);
    } else {
      assert.deepEqual(seen.errors(), []);
    }
    assert.deepEqual(seen.pageErrors, []);
    await page.close();
  }
});
