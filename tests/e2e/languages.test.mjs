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

/** Presses the feedback button and resolves to the dialog once it shows, named `title`. */
async function openDialog(page, title) {
  await page.locator('rebound-widget .launcher').click();
  const dialog = page.locator('rebound-widget').getByRole('dialog', { name: title });
  await dialog.waitFor();
  return dialog;
}

/**
 * In the open `dialog`, chooses the star whose accessible name is `star` (the `rating`th), writes `message`, presses
 * the button named `send` and waits for `thanks`, which shows only once the collector answered 2xx. Then checks
 * that the collector stored the rating and the message, with `locale` as the payload's `client.locale`.
 */
async function rateAndSend(page, dialog, { star, rating, message, send, thanks, locale }) {
  await dialog.getByRole('radio', { name: star }).check();
  await answer(page, { message });
  await dialog.getByRole('button', { name: send }).click();
  await dialog.getByText(thanks).waitFor();
  const found = (await c.responses()).find((r) => r.complete && r.answers.some((a) => a.value === message));
  assert.ok(found, `the collector stored the message ${JSON.stringify(message)}`);
  assert.equal(found.client.locale, locale);
  assert.deepEqual(found.answers[0], { question: 'rating', type: 'rating', value: rating });
}

/** The `rebound:` lines on the console. */
const ours = (seen) => seen.errors().filter((e) => e.startsWith('rebound:'));

test('<html lang="de-AT"> gives the German widget, and the response says "de"', async () => {
  const { page, seen } = await open('de.html', { htmlAttrs: ' lang="de-AT"' });
  const w = page.locator('rebound-widget');
  assert.equal(await w.locator('.launcher').textContent(), 'Feedback');
  const dialog = await openDialog(page, 'Wie war Ihre Erfahrung?');
  await rateAndSend(page, dialog, {
    star: '4 von 5 Sternen: gut',
    rating: 4,
    locale: 'de',
    message: 'Die Suche ist langsam.',
    send: 'Senden',
    thanks: 'Vielen Dank. Ihr Feedback ist bei uns angekommen',
  });
  assert.deepEqual(await frame(page), { lang: 'de', dir: 'ltr', direction: 'ltr' });
  assert.deepEqual(seen.errors(), []);
  await page.close();
});

test('when the German texts cannot be loaded, one console line and the widget speaks English', async () => {
  pages.write({
    'de-missing.html': `<!doctype html><html lang="de"><head><meta charset="utf-8"><link rel="icon" href="data:,">
      <title>Languages</title><script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="languages">
      </script></head><body><main><h1>Host page</h1></main></body></html>`,
  });
  const { page, seen } = await watchedPage(b, { viewport: VIEWPORT });
  await page.route('**/rebound_de.txt', (route) => route.abort());
  await page.goto(`${c.url}/de-missing.html`);
  const dialog = await openDialog(page, 'How was your experience?');
  await rateAndSend(page, dialog, {
    star: '4 of 5 stars: good',
    rating: 4,
    locale: 'en',
    message: 'Die Suche ist langsam.',
    send: 'Send',
    thanks: 'Thank you. Your feedback reached us',
  });
  assert.equal((await frame(page)).lang, 'en');
  const lines = seen.errors().filter((e) => e.startsWith('rebound:'));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /^rebound: could not load http:\/\/127\.0\.0\.1:\d+\/pkg\/rebound_de\.txt \(the request failed\); speaking English$/);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('without <html lang>, the browser\'s languages pick French', async () => {
  const { page, seen } = await open('fr.html', { options: { locale: 'fr-CA' } });
  assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, navigator.languages[0]]), ['', 'fr-CA']);
  const w = page.locator('rebound-widget');
  assert.equal(await w.locator('.launcher').textContent(), 'Votre avis');
  const dialog = await openDialog(page, 'Comment s’est passée votre expérience\u202f?');
  // Send with nothing given: the French validation message, announced in the live region.
  await dialog.getByRole('button', { name: 'Envoyer' }).click();
  await w.getByText('Veuillez choisir une note ou écrire quelques mots.').waitFor();
  assert.equal(await w.locator('[aria-live]').textContent(), 'Veuillez choisir une note ou écrire quelques mots.');
  await rateAndSend(page, dialog, {
    star: '3 étoiles sur 5\u00a0: correct',
    rating: 3,
    locale: 'fr',
    message: 'Le paiement a échoué.',
    send: 'Envoyer',
    thanks: 'Merci. Votre avis nous est bien parvenu',
  });
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

  const dialog = await openDialog(page, 'איך הייתה החוויה שלך?');
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

  // An email address still reads left to right, lined up on the right with the Hebrew around it.
  await w.locator('input[name=consent]').check();
  const email = w.locator('input[name=email]');
  assert.deepEqual(await email.evaluate((e) => [getComputedStyle(e).direction, getComputedStyle(e).textAlign]), [
    'ltr',
    'right',
  ]);
  await w.locator('input[name=consent]').uncheck();

  await rateAndSend(page, dialog, {
    star: '5 מתוך 5 כוכבים: טובה מאוד',
    rating: 5,
    locale: 'he',
    message: 'הכול עבד מצוין.',
    send: 'שליחה',
    thanks: 'תודה. המשוב שלך הגיע אלינו',
  });
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
  const dialog = await openDialog(page, 'How was your experience?');
  // The close text was a number: it is ignored and the built-in one stands.
  await dialog.getByRole('button', { name: 'Close' }).first().waitFor();
  await rateAndSend(page, dialog, {
    star: '3 of 5 stars: okay',
    rating: 3,
    locale: 'en',
    message: 'Overrides work',
    send: 'Submit it',
    thanks: 'Got it, thank you!',
  });
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
  await openDialog(page, 'كيف كانت تجربتك؟');
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
