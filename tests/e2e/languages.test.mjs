// The widget speaks the visitor's language: the configured locale, else the page's `<html lang>`, else the
// browser's languages, each tried whole and without its region. Arabic and Hebrew lay the widget out right to
// left. A site replaces any text with the `strings` option. Each test asserts on what the page shows and on what
// the collector stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { answer, site, watchedPage } from './harness.mjs';

let b;
let pages;
let c;
site({}, (s) => ({ b, pages, c } = s));

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const VIEWPORT = { width: 1280, height: 800 };

/**
 * Serves a page whose `<html>` carries `htmlAttrs`, with `head` before the widget's script tag (whose own
 * attributes are `tagAttrs`), opens it in a watched page made with `options`, and waits for the button.
 */
async function open(name, { htmlAttrs = '', head = '', tagAttrs = '', options = {} } = {}) {
  pages.write({
    [name]: `<!doctype html><html${htmlAttrs}><head><meta charset="utf-8"><link rel="icon" href="data:,">` +
      `<title>Languages</title>${head}<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" ` +
      `data-site="languages"${tagAttrs}></script></head><body><main><h1>Host page</h1></main></body></html>`,
  });
  const watched = await watchedPage(b, { viewport: VIEWPORT, ...options });
  await watched.page.goto(`${c.url}/${name}`);
  await watched.page.locator('rebound-widget .launcher').waitFor();
  return watched;
}

/** The widget's frame (the element carrying `lang` and `dir`) as the page sees it. */
function frame(page) {
  return page.evaluate(() => {
    const f = document.querySelector('rebound-widget').shadowRoot.querySelector('.launcher').parentElement;
    return { lang: f.getAttribute('lang'), dir: f.getAttribute('dir'), direction: getComputedStyle(f).direction };
  });
}

/** The complete response stored with `message` as its text answer, waiting briefly for it. */
async function stored(message) {
  for (let i = 0; i < 50; i++) {
    const found = (await c.responses()).find((r) => r.complete && r.answers.some((a) => a.value === message));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the collector never stored a complete response with the message ${JSON.stringify(message)}`);
}

/** The `rebound:` lines on the console. */
const ours = (seen) => seen.errors().filter((e) => e.startsWith('rebound:'));

test('<html lang="de-AT"> gives the German widget, and the response says "de"', async () => {
  const { page, seen } = await open('de.html', { htmlAttrs: ' lang="de-AT"' });
  const w = page.locator('rebound-widget');
  assert.equal(await w.locator('.launcher').textContent(), 'Feedback');
  await w.locator('.launcher').click();
  const dialog = w.getByRole('dialog', { name: 'Wie war Ihre Erfahrung?' });
  await dialog.waitFor();
  await dialog.getByRole('radio', { name: '4 von 5 Sternen: gut' }).check();
  await answer(page, { message: 'Die Suche ist langsam.' });
  await dialog.getByRole('button', { name: 'Senden' }).click();
  await w.getByText('Vielen Dank. Ihr Feedback ist bei uns angekommen').waitFor();
  const r = await stored('Die Suche ist langsam.');
  assert.equal(r.client.locale, 'de');
  assert.deepEqual(r.answers[0], { question: 'rating', type: 'rating', value: 4 });
  assert.deepEqual(await frame(page), { lang: 'de', dir: 'ltr', direction: 'ltr' });
  assert.deepEqual(seen.errors(), []);
  await page.close();
});

test('without <html lang>, the browser\'s languages pick French', async () => {
  const { page, seen } = await open('fr.html', { options: { locale: 'fr-CA' } });
  assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, navigator.languages[0]]), ['', 'fr-CA']);
  const w = page.locator('rebound-widget');
  assert.equal(await w.locator('.launcher').textContent(), 'Votre avis');
  await w.locator('.launcher').click();
  const dialog = w.getByRole('dialog', { name: 'Comment s’est passée votre expérience\u202f?' });
  await dialog.waitFor();
  // Send with nothing given: the French validation message, announced in the live region.
  await dialog.getByRole('button', { name: 'Envoyer' }).click();
  await w.getByText('Veuillez choisir une note ou écrire quelques mots.').waitFor();
  await dialog.getByRole('radio', { name: '2 étoiles sur 5\u00a0: mauvais' }).check();
  await answer(page, { message: 'Le paiement a échoué.' });
  await dialog.getByRole('button', { name: 'Envoyer' }).click();
  await w.getByText('Merci. Votre avis nous est bien parvenu').waitFor();
  assert.equal((await stored('Le paiement a échoué.')).client.locale, 'fr');
  assert.equal((await frame(page)).lang, 'fr');
  assert.deepEqual(seen.errors(), []);
  await page.close();
});

test('locale "he" lays the widget out right to left; a corner the site chose stays put', async () => {
  const config = '<script>window.ReboundConfig = { locale: "he" };</script>';
  const { page, seen } = await open('he.html', { htmlAttrs: ' lang="en"', head: config });
  assert.deepEqual(await frame(page), { lang: 'he', dir: 'rtl', direction: 'rtl' });
  const w = page.locator('rebound-widget');
  const launcher = await w.locator('.launcher').boundingBox();
  assert.equal(await w.locator('.launcher').textContent(), 'משוב');
  // The default corner, bottom-right, mirrors to bottom-left: 16 px from the left edge, near the bottom.
  assert.equal(launcher.x, 16);
  assert.ok(launcher.y + launcher.height > VIEWPORT.height - 40, JSON.stringify(launcher));

  await w.locator('.launcher').click();
  const dialog = w.getByRole('dialog', { name: 'איך הייתה החוויה שלך?' });
  await dialog.waitFor();
  const panel = await dialog.boundingBox();
  assert.equal(panel.x, 16, 'the dialog opens on the button\'s side');
  // The rating scale keeps its meaning: star 1 (worst) at the start, which is now the right.
  const star = (n) => w.locator(`input[name=rating][value="${n}"]`).boundingBox();
  const [one, five] = [await star(1), await star(5)];
  assert.ok(one.x > five.x, `star 1 at ${one.x} is right of star 5 at ${five.x}`);
  // Close and Send swap sides: the primary action ends the row, on the left.
  const close = await dialog.getByRole('button', { name: 'סגירה' }).boundingBox();
  const send = await dialog.getByRole('button', { name: 'שליחה' }).boundingBox();
  assert.ok(close.x > send.x, `Close at ${close.x} is right of Send at ${send.x}`);
  // The text lines up on the right, where Hebrew starts.
  const legend = await w.locator('legend').boundingBox();
  assert.ok(Math.abs(legend.x + legend.width - (panel.x + panel.width - 17)) < 2, JSON.stringify({ legend, panel }));

  await dialog.getByRole('radio', { name: '5 מתוך 5 כוכבים: טובה מאוד' }).check();
  await answer(page, { message: 'הכול עבד מצוין.' });
  await dialog.getByRole('button', { name: 'שליחה' }).click();
  await w.getByText('תודה. המשוב שלך הגיע אלינו').waitFor();
  const r = await stored('הכול עבד מצוין.');
  assert.equal(r.client.locale, 'he');
  assert.deepEqual(r.answers[0], { question: 'rating', type: 'rating', value: 5 });
  assert.deepEqual(seen.errors(), []);
  await page.close();

  // A position the site set is kept in Hebrew too.
  const chosen = await open('he-right.html', { head: config, tagAttrs: ' data-position="bottom-right"' });
  const box = await chosen.page.locator('rebound-widget .launcher').boundingBox();
  assert.equal(box.x + box.width, VIEWPORT.width - 16);
  await chosen.page.close();
});

test('an English widget on a right-to-left page stays left to right', async () => {
  const { page, seen } = await open('rtl-page.html', { htmlAttrs: ' lang="en" dir="rtl"' });
  assert.deepEqual(await frame(page), { lang: 'en', dir: 'ltr', direction: 'ltr' });
  const box = await page.locator('rebound-widget .launcher').boundingBox();
  assert.equal(box.x + box.width, VIEWPORT.width - 16);
  assert.deepEqual(seen.errors(), []);
  await page.close();
});

test('strings override texts inline and from the config file; each wrong one is one console line', async () => {
  pages.write({ 'texts.json': JSON.stringify({ strings: { send: 'Submit it', button: 'From the file' } }) });
  const config = `<script>window.ReboundConfig = {
    config: '/texts.json',
    strings: { button: 'Help us improve', thanks: 'Got it, thank you!', buton: 'typo', close: 5 },
  };</script>`;
  const { page, seen } = await open('strings.html', { htmlAttrs: ' lang="en"', head: config });
  const w = page.locator('rebound-widget');
  assert.equal(await w.locator('.launcher').textContent(), 'Help us improve');
  await w.locator('.launcher').click();
  const dialog = w.getByRole('dialog', { name: 'How was your experience?' });
  await dialog.waitFor();
  // The close text was a number: it is ignored and the built-in one stands.
  await dialog.getByRole('button', { name: 'Close' }).first().waitFor();
  await answer(page, { rating: 3, message: 'Overrides work' });
  await dialog.getByRole('button', { name: 'Submit it' }).click();
  await w.getByText('Got it, thank you!').waitFor();
  assert.equal((await stored('Overrides work')).client.locale, 'en');
  assert.deepEqual(ours(seen).sort(), [
    'rebound: ReboundConfig.strings.buton is not a known option; it is ignored',
    'rebound: ReboundConfig.strings.close must be a non-empty string, got a number; it is ignored',
  ]);
  assert.equal(seen.errors().filter((e) => e.includes('strings.buton')).length, 1);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('the open dialog in Arabic has no axe-core violations', async () => {
  const { page, seen } = await open('ar.html', { htmlAttrs: ' lang="ar" dir="rtl"' });
  const w = page.locator('rebound-widget');
  assert.deepEqual(await frame(page), { lang: 'ar', dir: 'rtl', direction: 'rtl' });
  await w.locator('.launcher').click();
  await w.getByRole('dialog', { name: 'كيف كانت تجربتك؟' }).waitFor();
  await w.locator('input[name=consent]').check();
  await page.addScriptTag({ path: AXE });
  const { violations, inShadow } = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return {
      violations: result.violations.map((v) => ({ rule: v.id, nodes: v.nodes.map((n) => n.failureSummary) })),
      inShadow: result.passes.flatMap((r) => r.nodes).filter((n) => Array.isArray(n.target[0])).length,
    };
  });
  assert.ok(inShadow > 0, 'axe looked inside the shadow root');
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  assert.deepEqual(seen.errors(), []);
  await page.close();
});
