// The follow-up of a recovery case, in real Chromium against the real collector: the widget keeps the case it
// opened (with storage consent only), the support team resolves it with a note for the visitor, and the note
// appears on the visitor's next page view, once; the status URL tells nothing without the case's secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, html, site, watchedPage } from './harness.mjs';

const survey = {
  id: 'late',
  trigger: { type: 'delay', seconds: 0 },
  questions: [
    {
      id: 'stopped',
      type: 'single',
      text: 'What went wrong today?',
      options: [{ id: 'late', label: 'My order is late' }, { id: 'fine', label: 'Nothing, all good' }],
    },
  ],
  recovery: { when: { answer: 'stopped', is: ['late'] } },
};

const page = (config) =>
  html(
    `<script>window.ReboundConfig = ${JSON.stringify(config)};</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
  );

let b;
let c;
site(
  {
    'late.html': page({ surveys: [survey], consent: 'granted' }),
    'late-pending.html': page({ surveys: [survey], consent: 'pending' }),
    'shop.html': page({ consent: 'granted' }),
    'shop-off.html': page({ consent: 'granted', followUp: false }),
  },
  (s) => ({ b, c } = s),
);

const auth = () => ({ authorization: `Bearer ${c.token}`, 'content-type': 'application/json' });
/** The cases kept in the page's storage: `rebound:case:<next>:<reference>` = `<secret> <since>`. */
const kept = (p) =>
  p.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('rebound:case:'))
      .map((k) => [k, localStorage.getItem(k)]),
  );
/**
 * Makes every kept case due now, as a day later would: their due times in storage, and the status answers the
 * browser cached (`max-age=3600`) expired.
 */
const due = async (p) => {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await p.evaluate(() => {
    for (const k of Object.keys(localStorage).filter((k) => k.startsWith('rebound:case:'))) {
      const value = localStorage.getItem(k);
      localStorage.removeItem(k);
      localStorage.setItem(k.replace(/^rebound:case:\d+:/, 'rebound:case:0:'), value);
    }
  });
};

async function eventually(check) {
  for (let i = 0; i < 100; i++) {
    const found = await check();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

/** Answers the survey unhappily on `path` and skips the steps; resolves to the case's reference. */
async function unhappy(p, path) {
  await p.goto(`${c.url}${path}`);
  const card = p.locator('rebound-widget .card');
  await card.waitFor({ state: 'visible' });
  await p.waitForTimeout(600);
  await card.getByRole('radio', { name: 'My order is late' }).check();
  await card.getByRole('button', { name: 'Send' }).click();
  await card.getByRole('radio', { name: 'A refund' }).check();
  await card.getByRole('button', { name: 'Next' }).click();
  await card.getByRole('button', { name: 'Skip' }).click();
  const text = await card.getByText(/Your case number is RB-/).innerText();
  return text.match(/RB-[0-9A-Z]{4}/)[0];
}

/** The collector's case for `reference` (its response without the secret, which only the browser keeps). */
async function caseOf(reference) {
  return eventually(async () => {
    const { cases } = await (await fetch(`${c.url}/v1/cases`, { headers: auth() })).json();
    return cases.find((k) => k.response.recovery?.reference === reference);
  });
}

/** Counts the page's status requests. */
function statusRequests(p) {
  const seen = [];
  p.on('request', (r) => {
    if (r.url().includes('/v1/cases/status')) seen.push(r.url());
  });
  return seen;
}

test('a case resolved with a note: the note shows on the next page view, once, and is closed with its button', async () => {
  const context = await b.newContext();
  const { page: p, seen } = await watchedPage(context);
  const reference = await unhappy(p, '/late.html');
  const [[key, value]] = await kept(p);
  assert.match(key, new RegExp(`^rebound:case:\\d+:${reference}$`));
  assert.match(value, /^[0-9A-Z]{28} \d+$/);
  const found = await caseOf(reference);

  // The next page view asks once (the case is still open), and the ones after it not again that day.
  const asked = statusRequests(p);
  await p.goto(`${c.url}/shop.html`);
  await eventually(() => asked.length === 1);
  await p.waitForTimeout(500);
  assert.equal(await p.locator('rebound-widget .note').count(), 0);
  await p.goto(`${c.url}/shop.html`);
  await p.waitForTimeout(800);
  assert.equal(asked.length, 1, 'at most once a day');
  assert.match(asked[0], new RegExp(`reference=${reference}&secret=[0-9A-Z]{28}$`));

  // The team resolves it with a note; a day later the visitor's page view asks again and shows it.
  const patched = await fetch(`${c.url}/v1/cases/${found.id}`, {
    method: 'PATCH',
    headers: auth(),
    body: JSON.stringify({
      status: 'resolved',
      visitor_note: 'We refunded your order today. Thank you for telling us.',
      visitor_note_from: 'Ana, Fernwood support',
    }),
  });
  assert.equal(patched.status, 200, await patched.text());

  await due(p);
  await p.goto(`${c.url}/shop.html`);
  const note = p.locator('rebound-widget .note');
  await note.getByText('We refunded your order today. Thank you for telling us.').waitFor();
  assert.equal(await note.getAttribute('role'), 'status');
  assert.match(await note.innerText(), new RegExp(`An update on your case ${reference}`));
  assert.match(await note.innerText(), /— Ana, Fernwood support/);
  const focused = await p.evaluate(() => document.activeElement?.tagName);
  assert.notEqual(focused, 'REBOUND-WIDGET', 'the note does not take focus');
  await axe(p, 'the follow-up note');
  assert.deepEqual(await kept(p), [], 'the case is forgotten once its note is delivered');
  await note.getByRole('button', { name: 'Close' }).click();
  assert.equal(await note.count(), 0);

  // Shown once: the next page view neither asks nor shows anything.
  await p.goto(`${c.url}/shop.html`);
  await p.waitForTimeout(800);
  assert.equal(await p.locator('rebound-widget .note').count(), 0);
  assert.equal(asked.length, 2);
  // The status request of a case the collector does not know yet (the answer still queued) is a 404, which the
  // console shows as a failed request; nothing of the widget's own.
  assert.deepEqual(seen.errors().filter((e) => !e.includes('404')), []);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('without storage consent recovery still works, but nothing is kept to follow up', async () => {
  const context = await b.newContext();
  const { page: p } = await watchedPage(context);
  const reference = await unhappy(p, '/late-pending.html');
  await caseOf(reference);
  assert.deepEqual(await kept(p), []);
  await context.close();
});

test('followUp: false asks nothing; the status URL answers 404 to a wrong secret and nothing unknown', async () => {
  const context = await b.newContext();
  const { page: p } = await watchedPage(context);
  const reference = await unhappy(p, '/late.html');
  const [[, value]] = await kept(p);
  const [secret] = value.split(' ');
  await caseOf(reference);
  const asked = statusRequests(p);
  await p.goto(`${c.url}/shop-off.html`);
  await p.waitForTimeout(800);
  assert.equal(asked.length, 0);

  const status = (ref, s) => fetch(`${c.url}/v1/cases/status?reference=${ref}&secret=${s}`);
  const right = await status(reference, secret);
  assert.equal(right.status, 200);
  assert.deepEqual(await right.json(), { reference, status: 'open' });
  for (const [ref, s] of [[reference, 'A'.repeat(28)], [reference, ''], ['RB-0000', secret], [reference, secret.slice(1)]]) {
    const wrong = await status(ref, s);
    assert.equal(wrong.status, 404, `${ref} ${s}`);
    assert.deepEqual(await wrong.json(), { error: 'not_found' });
  }
  await context.close();
});
