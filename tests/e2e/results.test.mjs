// Survey results in real Chromium against the real collector: a visitor answers a survey, and the survey's
// results page in the inbox counts the answer (the NPS chart and score updated) with the published configuration
// version it came under; with `reportViews`, the shown and dismissed counts arrive by beacon when the page is
// left, and nothing is sent without the option or without storage consent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, site, watchedPage } from './harness.mjs';

/** A page with one survey `id` shown at once, and the options `more`. */
const page = (id, more = {}) =>
  html(
    `<script>window.ReboundConfig = ${JSON.stringify({
      configVersion: 5,
      surveys: [{ id, trigger: { type: 'delay', seconds: 0 }, questions: [{ id: 'nps', type: 'nps', text: 'How likely are you to recommend us?' }] }],
      ...more,
    })};</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
  );

let b;
let c;
site(
  {
    'answer.html': page('rated', { reportViews: true }),
    'dismiss.html': page('closed', { reportViews: true }),
    'off.html': page('unreported'),
    'pending.html': page('unconsented', { reportViews: true, consent: 'pending' }),
    'away.html': html(''),
  },
  (s) => ({ b, c } = s),
);

const card = (p) => p.locator('rebound-widget .card');

/** Opens `path` in a fresh context and waits for the survey card. (Playwright does not report beacons, so the
 * tests look at what the collector counted.) */
async function open(path) {
  const context = await b.newContext();
  const { page: p, seen } = await watchedPage(context);
  await p.goto(`${c.url}${path}`);
  await card(p).waitFor({ state: 'visible' });
  // The widget ignores presses in the card's first moments.
  await p.waitForTimeout(700);
  return { p, seen, context };
}

/** Leaves the page (its `pagehide` sends the beacon) and waits a moment for it to arrive. */
async function leave(p) {
  await p.goto(`${c.url}/away.html`);
  await p.waitForTimeout(500);
}

/** The results page of survey `id`, as the signed-in team sees it, as text. */
async function results(id) {
  const context = await b.newContext();
  const p = await context.newPage();
  await p.goto(`${c.url}/inbox/login`);
  await p.getByLabel('Admin token').fill(c.token);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/\/inbox$/);
  await p.goto(`${c.url}/inbox/surveys/${id}`);
  const text = await p.locator('main').innerText();
  const svg = await p.locator('main').innerHTML();
  await context.close();
  return { text, svg };
}

/** The figure labelled `label` on a results page. */
const figure = (text, label) => {
  const m = text.match(new RegExp(`(\\d+)\\s*\\n?\\s*${label}`));
  return m ? Number(m[1]) : null;
};

test('an answer shows in the results with the chart updated, and its shown count arrives by beacon', async () => {
  const before = await results('rated');
  assert.equal(figure(before.text, 'responses'), 0);
  const { p, seen, context } = await open('/answer.html');
  const w = card(p);
  await w.getByRole('radio', { name: '9', exact: true }).check();
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText('Thank you').first().waitFor();
  const stored = (await c.responses()).find((r) => r.survey?.id === 'rated' && r.complete);
  assert.equal(stored.config_version, 5, 'the published configuration version goes with the answer');
  await leave(p);
  assert.deepEqual(seen.errors(), []);
  await context.close();

  const after = await results('rated');
  assert.equal(figure(after.text, 'responses'), 1, after.text);
  assert.match(after.text, /NPS 100/);
  assert.ok(after.svg.includes('<title>9: 1</title>'), 'the 9 column of the NPS chart counts the answer');
  assert.equal(figure(after.text, 'shown'), 1, after.text);
  assert.equal(figure(after.text, 'answered'), 1, after.text);
  assert.match(after.text, /100\.0%/);
});

test('a survey closed without an answer counts as shown and dismissed', async () => {
  const { p, context } = await open('/dismiss.html');
  await card(p).getByRole('button', { name: 'Close' }).first().click();
  await card(p).waitFor({ state: 'hidden' });
  await leave(p);
  await context.close();
  const shown = await results('closed');
  assert.equal(figure(shown.text, 'shown'), 1, shown.text);
  assert.equal(figure(shown.text, 'dismissed'), 1, shown.text);
  assert.equal(figure(shown.text, 'answered'), 0, shown.text);
});

test('nothing is reported without reportViews, or without storage consent', async () => {
  for (const [path, id] of [['/off.html', 'unreported'], ['/pending.html', 'unconsented']]) {
    const { p, context } = await open(path);
    await card(p).getByRole('button', { name: 'Close' }).first().click();
    await leave(p);
    await context.close();
    const page = await results(id);
    assert.equal(figure(page.text, 'shown'), null, `nothing arrived for ${id}: ${page.text}`);
  }
});
