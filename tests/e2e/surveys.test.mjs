// Micro-surveys in real Chromium against the real collector: exit intent from a real mouse after arming, dwell
// counting only visible time, SPA routes, branching, the stored response, answered surveys that stay away,
// host modal dialogs, and survey definitions with mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, demoCheckout, fullWidget, hold, html, leaveUntil, site, watchedPage } from './harness.mjs';

/** A page whose configuration holds `surveys`, and any `more` options. */
const page = (surveys, more = {}) =>
  html(
    `<meta name="viewport" content="width=device-width, initial-scale=1">
     <script>window.ReboundConfig = ${JSON.stringify({ surveys, ...more })};</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
    '<main><h1>Host page</h1><p id="host">The host page works.</p><div style="height:3000px"></div></main>',
  );

const nps = (id, trigger, extra = {}) => ({
  id,
  trigger,
  questions: [
    {
      id: 'nps',
      type: 'nps',
      text: 'How likely are you to recommend us?',
      branches: [
        { min: 0, max: 6, goto: 'why' },
        { min: 9, goto: 'end' },
      ],
    },
    {
      id: 'why',
      type: 'single',
      text: 'What stopped you today?',
      options: [
        { id: 'price', label: 'The price' },
        { id: 'shipping', label: 'Shipping costs' },
      ],
      other: 'Something else',
    },
    { id: 'more', type: 'text', text: 'Anything else?', required: false },
  ],
  ...extra,
});

/** Two surveys that together hold every question type. */
const EVERY = [
  {
    id: 'scales',
    trigger: { type: 'api' },
    questions: [
      { id: 'stars', type: 'rating', text: 'How was your visit?' },
      { id: 'nps', type: 'nps', text: 'How likely are you to recommend us?' },
      { id: 'csat', type: 'csat', text: 'How satisfied are you with the delivery?' },
      { id: 'single', type: 'single', text: 'What stopped you?', options: [{ id: 'a', label: 'Price' }, { id: 'b', label: 'Time' }], other: 'Something else' },
      { id: 'multi', type: 'multi', text: 'What did you use?', options: [{ id: 'a', label: 'Search' }, { id: 'b', label: 'Filters' }], other: 'Other' },
    ],
  },
  {
    id: 'words',
    trigger: { type: 'api' },
    questions: [
      { id: 'faces', type: 'rating', style: 'faces', text: 'How do you feel?' },
      { id: 'text', type: 'text', text: 'What could we do better?', maxLength: 300 },
      { id: 'contact', type: 'contact', text: 'May we get back to you?', fields: ['email', 'phone'] },
    ],
  },
];

let b;
let c;
site(
  {
    'exit.html': page([nps('exit', { type: 'exit_intent' })]),
    'help.html': page([nps('help', { type: 'dwell', seconds: 2 }, { targeting: { include: ['/help*'] } })]),
    'app.html': page([nps('spa', { type: 'delay', seconds: 0 }, { targeting: { include: ['/app/checkout*'] } })]),
    'now.html': page([nps('now', { type: 'delay', seconds: 0 })]),
    'next.html': page([nps('next', { type: 'delay', seconds: 0 })]),
    'next-no-gap.html': page([nps('third', { type: 'delay', seconds: 0 })], { surveyCooldownDays: 0 }),
    'now-no-gap.html': page([nps('now', { type: 'delay', seconds: 0 })], { surveyCooldownDays: 0 }),
    'sampled-out.html': page([nps('sampled', { type: 'delay', seconds: 0 }, { display: { samplePercent: 0 } })]),
    'api.html': page([nps('asked', { type: 'api' })]),
    'modal.html': page([nps('modal', { type: 'delay', seconds: 0 })]).replace(
      '<main>',
      '<dialog id="d"><p>Host dialog</p><button id="x">Close it</button></dialog><main>',
    ),
    'track.html': page([
      nps('failed', { type: 'event', name: 'checkout_failed', properties: { step: 'payment' } }),
    ]),
    'click.html': page([nps('clicked', { type: 'click', selector: '.help-link' })]).replace(
      '<main>',
      '<main><p><a class="help-link" href="#help"><span>Need help?</span></a></p>',
    ),
    'scroll.html': page([nps('deep', { type: 'scroll', percent: 50 })]),
    'spa-scroll.html': page([nps('deeper', { type: 'scroll', percent: 50 }, { targeting: { include: ['/docs/*'] } })]),
    'every.html': page(EVERY),
    'every-dark.html': page(EVERY, { theme: 'dark' }),
    'csp.html': html(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'nonce-r3b0und' 'wasm-unsafe-eval'; style-src 'self' 'nonce-r3b0und'; connect-src 'self'; require-trusted-types-for 'script'">
       <script nonce="r3b0und">window.ReboundConfig = ${JSON.stringify({ surveys: [nps('strict', { type: 'delay', seconds: 0 })] })};</script>
       <script async nonce="r3b0und" src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
    ),
    'mixed.html': page([
      { id: 'broken', trigger: { type: 'exit_intent' }, questions: [{ id: 'q', type: 'stars', text: 'Hi' }] },
      nps('fine', { type: 'delay', seconds: 0 }),
    ]),
  },
  (s) => ({ b, c } = s),
);

const card = (p) => p.locator('rebound-widget .card');

/** Opens `path` in a fresh context and waits until the widget is ready. */
async function open(path, options) {
  const context = await b.newContext(options);
  const { page: p, seen } = await watchedPage(context);
  await p.addInitScript(() => document.addEventListener('rebound:ready', () => (window.__ready = true)));
  await p.goto(`${c.url}${path}`);
  await p.waitForFunction(() => window.__ready);
  return { p, seen, context };
}

/** The stored versions of survey `id`'s responses. */
const stored = async (id) => (await c.responses()).filter((r) => r.kind === 'survey' && r.survey.id === id);

/** Waits until the collector has a response to survey `id` matching `test`. */
async function storedWhen(id, test) {
  for (let i = 0; i < 100; i++) {
    const found = (await stored(id)).find(test);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no stored response of ${id} passed the test`);
}

test('exit intent: a fast move out through the top does nothing before arming, and shows the survey after', async () => {
  const { p, context } = await open('/exit.html');
  const leave = async () => {
    await p.mouse.move(400, 300);
    await p.mouse.move(400, 2, { steps: 4 });
    await p.mouse.move(400, -20, { steps: 2 });
  };
  await leave();
  await p.waitForTimeout(300);
  assert.equal(await card(p).isVisible(), false, 'not armed yet: nothing shows');
  await p.waitForTimeout(3000);
  await leaveUntil(p, card(p), 400);
  await assert.doesNotReject(card(p).getByText('How likely are you to recommend us?').waitFor());
  await context.close();
});

test('branching and the stored response: a detractor is asked why, and the collector keeps every answer', async () => {
  const { p, context } = await open('/now.html');
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  // Required: Next without an answer is refused with a message in the live region.
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('Please answer this question.').waitFor();
  await w.getByRole('radio', { name: '3', exact: true }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('What stopped you today?').waitFor();
  const partial = await storedWhen('now', (r) => !r.complete);
  assert.deepEqual(partial.answers, [{ question: 'nps', type: 'nps', value: 3 }]);
  await w.getByRole('radio', { name: 'Something else' }).check();
  await w.getByRole('textbox', { name: 'Please tell us more' }).fill('Delivery took too long');
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByRole('button', { name: 'Skip' }).click();
  await w.getByText('Thank you.').waitFor();
  const done = await storedWhen('now', (r) => r.complete);
  assert.equal(done.id, partial.id, 'one response, upserted');
  assert.equal(done.trigger, 'delay');
  assert.equal(done.survey.version, 1);
  assert.deepEqual(done.answers, [
    { question: 'nps', type: 'nps', value: 3 },
    { question: 'why', type: 'single', value: { option: 'other', other: 'Delivery took too long' } },
  ]);
  assert.equal(typeof done.signals.seconds_to_complete, 'number');
  assert.equal(typeof done.signals.active_seconds, 'number');
  await context.close();
});

test('an answer saved offline and delivered later: a card the visitor closed stays closed', async () => {
  const { p, context } = await open('/now.html');
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await context.setOffline(true);
  await w.getByRole('radio', { name: '10', exact: true }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('Saved.').waitFor();
  await w.getByRole('button', { name: 'Close' }).last().click();
  await w.waitFor({ state: 'hidden' });
  await p.locator('#host').click();
  await context.setOffline(false);
  await storedWhen('now', (r) => r.complete && r.answers[0].value === 10);
  await p.waitForTimeout(300);
  assert.equal(await w.isVisible(), false, 'the card does not come back when the saved answer arrives');
  assert.equal(await p.evaluate(() => document.activeElement.tagName), 'BODY', 'focus stays on the page');
  await context.close();
});

test('answers the endpoint refuses for good: the card says so, never "thank you" nor "try again", and nothing retries', async () => {
  const context = await b.newContext();
  const { page: p, seen } = await watchedPage(context);
  let posts = 0;
  await p.route('**/v1/responses', (route) => {
    posts += 1;
    route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":"invalid_field","field":"site"}' });
  });
  await p.goto(`${c.url}/now.html`);
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await p.waitForTimeout(600);
  await w.getByRole('radio', { name: '10', exact: true }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('Sorry, we could not accept your answers.').waitFor();
  const text = await w.innerText();
  assert.doesNotMatch(text, /Thank you|try again/i);
  const sent = posts;
  await p.waitForTimeout(2500);
  assert.equal(posts, sent, 'not retried');
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a promoter ends after one question; the answered survey does not come back after reload', async () => {
  const { p, seen, context } = await open('/now.html');
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await w.getByRole('radio', { name: '10', exact: true }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('Thank you.').waitFor();
  const mine = await storedWhen('now', (r) => r.complete && r.answers[0].value === 10);
  assert.equal(mine.answers.length, 1);
  // The thank-you view's own Close (the corner × has the same name).
  await w.getByRole('button', { name: 'Close' }).last().click();
  await w.waitFor({ state: 'hidden' });
  await p.reload();
  await p.waitForFunction(() => window.__ready);
  await p.waitForTimeout(500);
  assert.equal(await card(p).isVisible(), false);
  // Even the API may not ask again what was answered.
  await p.evaluate(() => Rebound.show('now'));
  await p.waitForTimeout(200);
  assert.equal(await card(p).isVisible(), false);
  assert.ok(seen.errors().some((e) => /Rebound.show\("now"\): the visitor already answered it/.test(e)), seen.errors().join('\n'));
  await context.close();
});

test('dwell counts only visible time: a hidden tab waits, a visible one shows the survey', async () => {
  const { p, context } = await open('/help.html');
  const setHidden = (hidden) =>
    p.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);
  await p.waitForTimeout(3000);
  assert.equal(await card(p).isVisible(), false, 'hidden time does not count');
  await setHidden(false);
  const shown = Date.now();
  await card(p).waitFor({ state: 'visible', timeout: 5000 });
  assert.ok(Date.now() - shown >= 1500, 'it took about the dwell time once visible');
  await context.close();
});

test('a page no survey may show on never fetches the full widget; a route change to one it may show on does', async () => {
  const { p, context } = await open('/app.html');
  const fetched = () =>
    p.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('rebound_full')));
  await p.waitForTimeout(1500);
  assert.equal(await fetched(), false, 'the survey targets /app/checkout* only');
  await p.evaluate(() => history.pushState({}, '', '/app/checkout/pay'));
  await card(p).waitFor({ state: 'visible' });
  assert.equal(await fetched(), true);
  await context.close();
});

test('no survey code is fetched inside the rule across surveys, nor for a survey shown once already', async () => {
  const { p, context } = await open('/now.html');
  const fetched = () =>
    p.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('rebound_full')));
  await card(p).waitFor({ state: 'visible' });
  // Another survey could show on the next page, but one appeared minutes ago: nothing comes.
  await p.goto(`${c.url}/next.html`);
  await p.waitForFunction(() => window.__ready);
  await p.waitForTimeout(1500);
  assert.equal(await fetched(), false, 'no survey may appear within 14 days of the last');
  assert.equal(await card(p).isVisible(), false);
  // Rebound.show still works: it fetches the widget on demand, and the API is not held to the rule.
  await p.evaluate(() => Rebound.show('next'));
  await card(p).waitFor({ state: 'visible' });
  await p.goto(`${c.url}/next-no-gap.html`);
  await p.waitForFunction(() => window.__ready);
  await card(p).waitFor({ state: 'visible' });
  assert.equal(await fetched(), true, 'without the rule the survey may show, so it is fetched');
  // A survey shown once already (the default policy) never shows again: nothing is fetched for it either.
  await p.goto(`${c.url}/now-no-gap.html`);
  await p.waitForFunction(() => window.__ready);
  await p.waitForTimeout(1500);
  assert.equal(await fetched(), false, 'the only survey here was shown once already');
  await context.close();
});

test('a visitor outside a survey\'s sample fetches no survey code once the widget knows them', async () => {
  const { p, context } = await open('/sampled-out.html');
  const fetched = () =>
    p.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.includes('rebound_full')));
  // The first page view: no visitor id stored yet, so the full widget comes, decides, and shows nothing.
  await p.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('rebound_full_bg')));
  await p.waitForFunction(() => localStorage.getItem('rebound:surveys'));
  await p.waitForTimeout(800);
  assert.equal(await card(p).isVisible(), false);
  await p.reload();
  await p.waitForFunction(() => window.__ready);
  await p.waitForTimeout(1500);
  assert.equal(await fetched(), false, 'sampled out, by the stored visitor id');
  await context.close();
});

test('SPA routes: the survey follows its rule, is withdrawn off it, and a partial answer is kept', async () => {
  const { p, context } = await open('/app.html');
  assert.equal(await card(p).isVisible(), false, 'not on a checkout route');
  await p.evaluate(() => history.pushState({}, '', '/app/checkout/pay'));
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await w.getByRole('radio', { name: '5', exact: true }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('What stopped you today?').waitFor();
  // The page's own history call keeps its return value and `this`.
  const result = await p.evaluate(() => history.replaceState.call(history, { a: 1 }, '', '/app/home'));
  assert.equal(result, undefined);
  await w.waitFor({ state: 'hidden' });
  const partial = await storedWhen('spa', (r) => r.answers.length === 1);
  assert.equal(partial.complete, false);
  assert.equal(partial.answers[0].value, 5);
  await context.close();
});

test('a host modal dialog holds the survey back until it closes', async () => {
  const context = await b.newContext();
  const p = await context.newPage();
  await p.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => document.getElementById('d').showModal()),
  );
  await p.goto(`${c.url}/modal.html`);
  await p.waitForTimeout(1500);
  assert.equal(await card(p).isVisible(), false, 'nothing on top of the host dialog');
  await p.locator('#x').click();
  await p.evaluate(() => document.getElementById('d').close());
  await card(p).waitFor({ state: 'visible', timeout: 3000 });
  // The feedback button still works once the host dialog is gone; asking for it puts the survey away.
  await p.locator('rebound-widget .launcher').click();
  await p.locator('rebound-widget').getByRole('dialog', { name: 'How was your experience?' }).waitFor();
  assert.equal(await card(p).isVisible(), false);
  await context.close();
});

test('Rebound.show opens an api survey; Escape dismisses it and the dismiss event fires', async () => {
  const { p, context } = await open('/api.html');
  await p.evaluate(() => Rebound.on('dismiss', (d) => (window.__dismissed = d.survey)));
  await p.evaluate(() => Rebound.show('asked'));
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await p.keyboard.press('Escape');
  await w.waitFor({ state: 'hidden' });
  assert.equal(await p.evaluate(() => window.__dismissed), 'asked');
  await context.close();
});

test('a wrong survey is reported on one console line naming it and its field; the others still work', async () => {
  const { p, seen, context } = await open('/mixed.html');
  await card(p).waitFor({ state: 'visible' });
  const lines = seen.errors().filter((e) => e.includes('survey "broken"'));
  assert.equal(lines.length, 1, seen.errors().join('\n'));
  assert.match(lines[0], /questions\[0\]\.type/);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('event, click and scroll triggers fire on what they name, and not on anything else', async () => {
  const tracked = await open('/track.html');
  await tracked.p.evaluate(() => Rebound.track('checkout_failed', { step: 'address' }));
  await tracked.p.evaluate(() => Rebound.track('other_event', { step: 'payment' }));
  await tracked.p.waitForTimeout(300);
  assert.equal(await card(tracked.p).isVisible(), false, 'property filter and name must match');
  await tracked.p.evaluate(() => Rebound.track('checkout_failed', { step: 'payment', code: 402 }));
  await card(tracked.p).waitFor({ state: 'visible' });
  await tracked.context.close();

  const clicked = await open('/click.html');
  await clicked.p.locator('#host').click();
  await clicked.p.waitForTimeout(300);
  assert.equal(await card(clicked.p).isVisible(), false);
  // A click on a child of the matching element counts, and the element may have been re-rendered.
  await clicked.p.evaluate(() => {
    const link = document.querySelector('.help-link');
    link.replaceWith(link.cloneNode(true));
  });
  await clicked.p.locator('.help-link span').click();
  await card(clicked.p).waitFor({ state: 'visible' });
  await clicked.context.close();

  const scrolled = await open('/scroll.html');
  await scrolled.p.mouse.wheel(0, 400);
  await scrolled.p.waitForTimeout(300);
  assert.equal(await card(scrolled.p).isVisible(), false, 'not half way yet');
  await scrolled.p.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await card(scrolled.p).waitFor({ state: 'visible' });
  await scrolled.context.close();
});

test('a visitor who scrolled deep and back up before the survey code came still gets the scroll survey', async () => {
  const context = await b.newContext();
  const { page: p, seen } = await watchedPage(context);
  const wasm = await hold(p, '**/rebound_full_bg.wasm');
  await p.goto(`${c.url}/scroll.html`);
  await wasm.requested;
  await p.mouse.move(400, 300);
  await p.mouse.wheel(0, 2400);
  await p.waitForFunction(() => scrollY > 1000);
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.waitForTimeout(200);
  wasm.release();
  await card(p).waitFor({ state: 'visible' });
  assert.equal(await p.evaluate(() => scrollY), 0, 'the page stays where the visitor is');
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a scroll on one SPA page does not count on the next: the scroll survey there waits for its own scroll', async () => {
  const { p, seen, context } = await open('/spa-scroll.html');
  await p.mouse.move(400, 300);
  await p.mouse.wheel(0, 2400);
  await p.waitForFunction(() => scrollY > 1000);
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.waitForTimeout(200);
  await p.evaluate(() => history.pushState({}, '', '/docs/setup'));
  await p.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('rebound_full_bg')));
  await p.waitForTimeout(1500);
  assert.equal(await card(p).isVisible(), false, 'the scroll of the page before does not count');
  await p.mouse.wheel(0, 2400);
  await card(p).waitFor({ state: 'visible' });
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('two tabs: a survey open in one is not opened in the other, and an answer in one counts in both', async () => {
  const context = await b.newContext();
  const tab = async () => {
    const { page: p, seen } = await watchedPage(context);
    await p.addInitScript(() => document.addEventListener('rebound:ready', () => (window.__ready = true)));
    await p.goto(`${c.url}/api.html`);
    await p.waitForFunction(() => window.__ready);
    return { p, seen };
  };
  const a = await tab();
  const other = await tab();
  await a.p.evaluate(() => Rebound.show('asked'));
  await card(a.p).waitFor({ state: 'visible' });
  await other.p.evaluate(() => Rebound.show('asked'));
  await other.p.waitForTimeout(300);
  assert.equal(await card(other.p).isVisible(), false);
  assert.ok(other.seen.errors().some((e) => /"asked"\): it is open in another tab/.test(e)), other.seen.errors().join('\n'));
  await card(a.p).getByRole('radio', { name: '9', exact: true }).check();
  await card(a.p).getByRole('button', { name: 'Next' }).click();
  await card(a.p).getByText('Thank you.').waitFor();
  await other.p.evaluate(() => Rebound.show('asked'));
  await other.p.waitForTimeout(300);
  assert.equal(await card(other.p).isVisible(), false);
  assert.ok(other.seen.errors().some((e) => /"asked"\): the visitor already answered it/.test(e)), other.seen.errors().join('\n'));
  await context.close();
});

for (const theme of ['light', 'dark']) test(`axe-core finds nothing on the survey card in the ${theme} theme: every question type, an error, the thank-you`, async () => {
  const { p, seen, context } = await open(theme === 'dark' ? '/every-dark.html' : '/every.html');
  const w = card(p);
  const next = () => w.getByRole('button', { name: /^(Next|Send)$/ }).click();
  await p.evaluate(() => Rebound.show('scales'));
  await w.waitFor({ state: 'visible' });
  await axe(p, 'a star rating');
  await next();
  await w.getByText('Please answer this question.').waitFor();
  await axe(p, 'a required question left unanswered');
  await w.getByRole('radio', { name: '4 of 5 stars: good' }).check();
  await next();
  await axe(p, 'an NPS scale');
  await w.getByRole('radio', { name: '8', exact: true }).check();
  await next();
  await axe(p, 'a CSAT scale');
  await w.getByRole('radio', { name: 'Satisfied', exact: true }).check();
  await next();
  await w.getByRole('radio', { name: 'Something else' }).check();
  await axe(p, 'a single choice with its other text box');
  await w.getByRole('textbox', { name: 'Please tell us more' }).fill('Colour');
  await next();
  await axe(p, 'a multiple choice');
  await w.getByRole('checkbox', { name: 'Search' }).check();
  await w.getByRole('checkbox', { name: 'Filters' }).check();
  await next();
  await w.getByText('Thank you.').waitFor();
  await axe(p, 'the thank-you');
  const scales = await storedWhen('scales', (r) => r.complete);
  assert.deepEqual(scales.answers.map((a) => [a.type, a.value]), [
    ['rating', 4], ['nps', 8], ['csat', 4],
    ['single', { option: 'other', other: 'Colour' }],
    ['multi', { options: ['a', 'b'] }],
  ]);

  // One survey on screen at a time: the next one waits until this one is closed.
  await p.evaluate(() => Rebound.show('words'));
  await p.waitForTimeout(200);
  assert.equal(await w.getByText('How do you feel?').count(), 0);
  await w.getByRole('button', { name: 'Close' }).last().click();
  await w.getByText('How do you feel?').waitFor();
  await axe(p, 'a face rating');
  await w.getByRole('radio', { name: '5 of 5: very happy' }).check();
  await next();
  await axe(p, 'a text question');
  await w.getByRole('textbox').fill('Faster pages');
  await next();
  await axe(p, 'a contact question');
  await w.getByRole('checkbox', { name: 'You may contact me about this' }).check();
  await w.getByRole('textbox', { name: 'Phone' }).fill('not a number');
  await next();
  await w.getByText('Please enter the phone number').waitFor();
  await w.getByRole('textbox', { name: 'Phone' }).fill('+31 20 123 4567');
  await next();
  await w.getByText('Thank you.').waitFor();
  const words = await storedWhen('words', (r) => r.complete);
  assert.deepEqual(words.answers.map((a) => [a.type, a.value]), [
    ['rating', 5], ['text', 'Faster pages'], ['contact', { phone: '+31 20 123 4567', consent: true }],
  ]);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a visitor who answers the first question and leaves at once still counts: the partial is stored', async () => {
  const { p, context } = await open('/now.html');
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await w.getByRole('radio', { name: '2', exact: true }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await p.goto('about:blank');
  const partial = await storedWhen('now', (r) => !r.complete && r.answers[0]?.value === 2);
  assert.deepEqual(partial.answers, [{ question: 'nps', type: 'nps', value: 2 }]);
  await context.close();
});

test('the demo shop: leaving the checkout asks what stopped the visitor, recovers an unhappy one, and the case is stored', async (t) => {
  const { demo, context, p } = await demoCheckout(t, b);
  await fullWidget(p);
  const w = card(p);
  await leaveUntil(p, w.getByText('What stopped you today?'));
  await p.waitForTimeout(600);
  await w.getByRole('radio', { name: 'My payment did not go through' }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByRole('radio', { name: '1 of 5 stars: very bad' }).check();
  await w.getByRole('button', { name: 'Send' }).click();
  // The demo's recovery: the apology names what stopped the visitor, a refund, an email, the voucher.
  await w.getByText(/I'm sorry about “My payment did not go through”/).waitFor();
  await w.getByRole('radio', { name: 'A refund' }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByRole('checkbox', { name: 'You may contact me about this' }).check();
  await w.getByRole('textbox', { name: 'Email' }).fill('ana@example.com');
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText(/Your case number is RB-.{4}\. We reply within 4 hours\./).waitFor();
  await w.getByText('Your voucher code: SORRY10').waitFor();
  let stored;
  for (let i = 0; i < 50 && !stored?.recovery?.contact; i++) {
    [stored] = (await demo.responses()).filter((r) => r.complete);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(stored.survey.id, 'checkout-exit');
  assert.equal(stored.trigger, 'exit_intent');
  assert.equal(stored.config_version, 1, 'the survey came from the published configuration');
  assert.deepEqual(stored.answers.map((a) => a.value), [{ option: 'payment' }, 1]);
  assert.deepEqual(
    [stored.recovery.rule, stored.recovery.motive, stored.recovery.contact.email, stored.recovery.remedy.voucher],
    ['checkout-trouble', 'refund', 'ana@example.com', 'SORRY10'],
  );

  // The support team resolves the case in the inbox with a note for the visitor; the visitor's next page view
  // shows it, once.
  const inbox = await context.newPage();
  await inbox.goto(`${demo.url}/inbox`);
  await inbox.getByLabel('Admin token').fill(demo.token);
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  await inbox.locator('ol.queue > li a').first().click();
  await inbox.getByText(stored.recovery.reference).first().waitFor();
  await inbox.getByLabel('Status').selectOption('resolved');
  await inbox.getByLabel(/Note to the visitor/).fill('We refunded your payment. Thank you for telling us.');
  await inbox.getByLabel('Signed').fill('Ana, Fernwood support');
  await inbox.getByRole('button', { name: 'Save' }).click();
  await inbox.getByText('We refunded your payment.', { exact: false }).first().waitFor();
  await inbox.close();
  await p.goto(`${demo.url}/index.html`);
  const note = p.locator('rebound-widget .note');
  await note.getByText('We refunded your payment. Thank you for telling us.').waitFor();
  assert.match(await note.innerText(), new RegExp(`${stored.recovery.reference}[\\s\\S]*— Ana, Fernwood support`));
  await note.getByRole('button', { name: 'Close' }).click();
  await p.goto(`${demo.url}/index.html`);
  await p.waitForTimeout(800);
  assert.equal(await p.locator('rebound-widget .note').count(), 0);
  await context.close();
});

test('exit intent on a phone: a fast fling back up after reading down the page shows the survey', async () => {
  const { p, context } = await open('/exit.html', {
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  assert.equal(await p.evaluate(() => matchMedia('(pointer:coarse)').matches), true, 'a touch screen');
  // Exit intent arms after 3 s of the surveys running, which a slow machine starts later.
  await fullWidget(p);
  // Scrolling as a finger does it: many small steps, slow on the way down, a quick fling back up.
  const scroll = (to, steps, ms) =>
    p.evaluate(
      ([to, steps, ms]) =>
        new Promise((done) => {
          const from = scrollY;
          let i = 0;
          const step = () => {
            i += 1;
            scrollTo(0, from + ((to - from) * i) / steps);
            i < steps ? setTimeout(step, ms / steps) : done();
          };
          step();
        }),
      [to, steps, ms],
    );
  await p.waitForTimeout(3000);
  await scroll(1200, 30, 1500);
  await p.waitForTimeout(500);
  assert.equal(await card(p).isVisible(), false, 'reading down is not leaving');
  await scroll(100, 6, 120);
  await card(p).waitFor({ state: 'visible', timeout: 3000 });
  // The card fits the phone's screen.
  const box = await card(p).boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390 && box.y >= 0 && box.y + box.height <= 844, JSON.stringify(box));
  await context.close();
});

test('under a strict CSP with nonces and Trusted Types, a survey shows and is answered without one violation', async () => {
  const { p, seen, context } = await open('/csp.html');
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await w.getByRole('radio', { name: '10', exact: true }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('Thank you.').waitFor();
  assert.equal((await storedWhen('strict', (r) => r.complete)).answers[0].value, 10);
  assert.deepEqual(await seen.cspViolations(), []);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});
