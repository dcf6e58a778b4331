// The survey studio in real Chromium against the real collector: a team member signs in, starts from the
// checkout-exit template, breaks a field and sees the widget's message beside it (while typing and on save), fixes
// it, previews it with the real widget in the phone frame in German (answers there are discarded), makes it live
// and publishes. A shop on another origin, whose tag points `data-config` at the published config.json, shows the
// survey on exit intent without any change to its page; pausing and publishing again stops it on the next page
// view. axe finds nothing on the studio's pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, browser, collector, folder, fullWidget, html, leaveUntil, server } from './harness.mjs';

const SITE = 'e2e-shop';

let b;
let c;
let shop;
let data;

before(async () => {
  // The shop is on an origin of its own, so config.json, the widget and the answers all cross origins, as on a
  // real site. Its page is written once and never changes.
  shop = await server((req, _body, res) => {
    const config = `${c.url}/v1/sites/${SITE}/config.json`;
    const tag = `<script async src="${c.url}/pkg/rebound.js" data-endpoint="${c.url}/v1/responses" data-site="${SITE}" data-config="${config}"></script>`;
    res.writeHead(req.url.startsWith('/checkout') ? 200 : 404, { 'content-type': 'text/html' });
    res.end(html(tag, '<main><h1>Checkout</h1><p>Your basket: one teapot.</p><button>Pay</button></main>'));
  });
  data = folder({ 'rebound.toml': `[sites.${SITE}]\norigins = ["${shop.url}"]\n` });
  c = await collector({ args: ['--config', `${data.dir}/rebound.toml`] });
  b = await browser();
});

after(async () => {
  await b?.close();
  c?.stop();
  data?.cleanup();
  await shop?.stop();
});

/** Leaves the page the way a mouse does: a fast move out through the top edge. */
async function leave(p) {
  await p.mouse.move(400, 300);
  await p.mouse.move(400, 2, { steps: 4 });
  await p.mouse.move(400, -20, { steps: 2 });
}

/** A first-time visitor (empty cache, no survey history) on the shop's checkout; resolves once its widget runs. */
async function visit() {
  const context = await b.newContext();
  const p = await context.newPage();
  const config = p.waitForResponse((r) => r.url().endsWith('/config.json'));
  await p.goto(`${shop.url}/checkout`);
  const response = await config;
  const published = response.status() === 200 ? await response.json() : null;
  // The full widget comes only for a page that has a survey.
  if (published?.surveys.length) await fullWidget(p);
  // Exit intent is armed after 3 s of visible time.
  await p.waitForTimeout(3000);
  return { context, p, config: published };
}

const card = (p) => p.locator('rebound-widget .card');

/**
 * Runs axe over the studio page at `url` in a second context with the same session: axe is injected as an inline
 * script, which the studio's policy rightly refuses, so that context bypasses CSP and the test's own does not.
 * `act(page)` brings the page into the state to scan.
 */
async function scan(context, url, state, act) {
  const bypass = await b.newContext({ bypassCSP: true, storageState: await context.storageState() });
  const s = await bypass.newPage();
  await s.goto(url);
  if (act) await act(s);
  await axe(s, state, { widget: false });
  await bypass.close();
}

test('write, check, preview and publish a survey that a shop shows on exit intent, then pause it', async () => {
  // Before anything is published, the shop's page shows no survey.
  const before = await visit();
  assert.equal(before.config, null, 'nothing published yet: config.json is 404');
  await leave(before.p);
  await before.p.waitForTimeout(700);
  assert.equal(await card(before.p).count(), 0);
  await before.context.close();

  const context = await b.newContext();
  const p = await context.newPage();
  const cspViolations = [];
  p.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) cspViolations.push(m.text());
  });
  await p.goto(`${c.url}/inbox/surveys`);
  await p.getByLabel('Admin token').fill(c.token);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(`${c.url}/inbox`);
  await p.getByRole('link', { name: /^Surveys/ }).click();
  await p.getByRole('heading', { name: `Surveys of ${SITE}` }).waitFor();
  await scan(context, p.url(), 'the survey list, empty');

  // Start from the checkout-exit template.
  await p.getByLabel('Template').selectOption('checkout-exit');
  await p.getByLabel(/Survey id/).fill('checkout-exit');
  await p.getByRole('button', { name: 'Create draft' }).click();
  await p.getByRole('heading', { name: 'Survey checkout-exit' }).waitFor();
  const editor = p.locator('#definition');
  const original = await editor.inputValue();
  assert.match(original, /What stopped you today\?/);
  await p.getByText('Ready: “Fire trigger” shows the survey.').waitFor();
  await scan(context, p.url(), 'the editor');

  // Break a field: the message appears beside the text while typing, the widget's own words.
  const broken = original.replace('"type": "single"', '"type": "stars"');
  assert.notEqual(broken, original);
  await editor.fill(broken);
  const problems = p.locator('#problems');
  await problems.getByText('surveys[0].questions[0].type').waitFor();
  await problems.getByText(/^rebound: survey "checkout-exit": questions\[0\]\.type must be one of rating, nps/).waitFor();
  assert.equal(await editor.getAttribute('aria-invalid'), 'true');
  // Its line, as a link that puts the caret there.
  await problems.getByRole('link', { name: 'line 9' }).click();
  const caret = await editor.evaluate((t) => t.selectionStart);
  assert.equal(caret, broken.split('\n').slice(0, 8).join('\n').length + 1);
  assert.match(broken.split('\n')[8], /"type": "stars"/);
  await scan(context, p.url(), 'the editor with a mistake', async (s) => {
    await s.locator('#definition').fill(broken);
    await s.locator('#problems li').waitFor();
  });

  // Saving it anyway is refused, with the same message from the server.
  await p.getByRole('button', { name: 'Save' }).click();
  await p.getByText('Not saved: the widget would leave this survey out.').waitFor();
  await problems.getByText('surveys[0].questions[0].type').waitFor();
  assert.equal(await editor.inputValue(), broken, 'what was typed is kept');

  // Fixed, the mistake goes away as the team types, and the save goes through.
  await editor.fill(original);
  await p.waitForFunction(() => document.querySelector('#definition').getAttribute('aria-invalid') === 'false');
  assert.equal(await problems.locator('li').count(), 0);
  await p.getByRole('button', { name: 'Save' }).click();
  await p.getByText('Saved.').waitFor();

  // The preview: the real widget, in the phone frame, in German, fired by the button.
  await p.getByLabel('Phone').check();
  await p.getByLabel('Language').selectOption('de');
  await p.getByRole('button', { name: 'Fire trigger' }).click();
  const frame = p.frameLocator('#preview');
  const previewCard = frame.locator('rebound-widget .card');
  await previewCard.getByText('Was hat Sie heute aufgehalten?').waitFor({ timeout: 15_000 });
  const width = await p.locator('#preview').evaluate((f) => f.clientWidth);
  assert.equal(width, 390, 'the phone frame is 390 px wide');
  assert.equal(await p.locator('#preview').getAttribute('sandbox'), 'allow-scripts allow-forms');
  // An answer in the preview is discarded: nothing reaches the inbox.
  await p.waitForTimeout(700);
  await previewCard.getByRole('radio', { name: 'Der Preis' }).check();
  await previewCard.getByRole('button', { name: 'Weiter' }).click();
  await previewCard.getByText('Wie war Ihr Einkauf bei uns heute?').waitFor();
  // A low rating matches the template's recovery rule: the preview walks through its steps too.
  await previewCard.getByRole('radio', { name: '1 von 5 Sternen: sehr schlecht' }).check();
  await previewCard.getByRole('button', { name: 'Senden' }).click();
  await previewCard.getByText('Was wäre für Sie eine faire Lösung?').waitFor();
  await p.waitForTimeout(500);
  assert.deepEqual(await c.responses(), [], 'the preview posted nothing to /v1/responses');
  await p.getByLabel('Desktop').check();
  const wide = await p.locator('#preview').evaluate((f) => f.clientWidth);
  assert.ok(wide > 390, `the desktop frame is wider (${wide} px)`);

  // Live, then published.
  await p.getByRole('link', { name: `← Surveys of ${SITE}` }).click();
  await p.getByRole('button', { name: 'Make live checkout-exit' }).click();
  await p.locator('td .status.live').waitFor();
  await p.getByRole('button', { name: 'Publish the live surveys' }).click();
  await p.getByText('Published version 1.').waitFor();
  await scan(context, p.url(), 'the survey list with a live survey');

  // The shop's unchanged page shows the new survey on exit intent, and its answer reaches the collector.
  const live = await visit();
  assert.equal(live.config.surveys[0].id, 'checkout-exit');
  await leaveUntil(live.p, card(live.p).getByText('What stopped you today?'), 400);
  await live.p.waitForTimeout(700);
  await card(live.p).getByRole('radio', { name: 'The price' }).check();
  await card(live.p).getByRole('button', { name: 'Next' }).click();
  await card(live.p).getByText('How was checking out with us today?').waitFor();
  const deadline = Date.now() + 10_000;
  let stored = [];
  while (!stored.length && Date.now() < deadline) {
    stored = await c.responses();
    if (!stored.length) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(stored.length, 1, 'the shop answer was stored');
  assert.equal(stored[0].site, SITE);
  assert.equal(stored[0].survey.id, 'checkout-exit');
  assert.equal(stored[0].trigger, 'exit_intent');
  assert.equal(stored[0].config_version, 1, 'the answer names the published version');
  await live.context.close();

  // The answer is in the survey's results: the count, the chosen option, the published version.
  await p.goto(`${c.url}/inbox/surveys/checkout-exit?site=${SITE}`);
  const figures = await p.locator('.figures').innerText();
  assert.match(figures, /^1\s*responses/, figures);
  const results = await p.locator('main').innerText();
  assert.match(results, /price/, 'the chosen option is counted');
  assert.match(results, /Published configuration versions[\s\S]*\b1\b/, 'by its published version');
  await p.goto(`${c.url}/inbox/surveys?site=${SITE}`);

  // Paused and published again: the next page view has no survey. (A visitor whose browser fetched config.json
  // in the last 60 s keeps its copy until then; this visitor's cache is empty, as any browser's is after that.)
  await p.getByRole('button', { name: 'Pause checkout-exit' }).click();
  await p.locator('td .status.paused').waitFor();
  await p.getByRole('button', { name: 'Publish the live surveys' }).click();
  await p.getByText('Published version 2.').waitFor();
  const paused = await visit();
  assert.deepEqual(paused.config.surveys, [], 'version 2 has no survey');
  await leave(paused.p);
  await paused.p.waitForTimeout(1000);
  assert.equal(await card(paused.p).count(), 0, 'the paused survey does not show');
  await paused.context.close();

  assert.deepEqual(cspViolations, [], 'the studio pages break none of their own policy');
  await context.close();
});
