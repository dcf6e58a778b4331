// Service recovery in the survey card, in real Chromium against the real collector: an unhappy answer gets an
// apology naming what the visitor said, the question of what would be fair, a contact step and a case number;
// the collector stores the case; an identified visitor skips the contact step; a repeat failure is more urgent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer, axe, html, site, watchedPage } from './harness.mjs';

const late = (id, trigger, extra = {}) => ({
  id,
  trigger,
  questions: [
    {
      id: 'stopped',
      type: 'single',
      text: 'What went wrong today?',
      options: [
        { id: 'late', label: 'My order is late' },
        { id: 'fine', label: 'Nothing, all good' },
      ],
    },
  ],
  recovery: {
    name: 'late-order',
    when: { answer: 'stopped', is: ['late'] },
    reply: 'We reply within 4 hours.',
    remedy: { voucher: 'SORRY10' },
  },
  ...extra,
});

const page = (surveys, script = '') =>
  html(
    `<script>window.ReboundConfig = ${JSON.stringify({ surveys })};
       window.recoveries = []; document.addEventListener('rebound:recovery', (e) => recoveries.push(e.detail));
       ${script}</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
  );

let b;
let c;
site(
  {
    'late.html': page([late('late', { type: 'delay', seconds: 0 })]),
    'fine.html': page([late('fine-late', { type: 'delay', seconds: 0 })]),
    'late-ar.html': page([late('late-ar', { type: 'delay', seconds: 0 })], "window.ReboundConfig.locale = 'ar'; window.ReboundConfig.theme = 'dark';"),
    'shop.html': html('<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>'),
    'no-recovery.html': html(
      `<script>window.ReboundConfig = { recovery: false };</script>
       <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
    ),
    'known.html': page(
      [late('known', { type: 'api' }, { recovery: { when: { answer: 'stopped', is: ['late'] }, severity: 'normal' } })],
      "document.addEventListener('rebound:ready', () => Rebound.identify({ email: 'ana@example.com' }));",
    ),
  },
  (s) => ({ b, c } = s),
);

const card = (p) => p.locator('rebound-widget .card');

/** The latest stored version of survey `id`'s response that passes `test`, waiting for it. */
async function stored(id, test) {
  for (let i = 0; i < 100; i++) {
    const found = (await c.responses()).filter((r) => r.kind === 'survey' && r.survey.id === id).find(test);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no stored response of ${id} passed the test: ${JSON.stringify(await c.responses()).slice(0, 1500)}`);
}

/** Opens `path` and answers the survey's question with `label` once the card is there. */
async function unhappy(context, path, label) {
  const { page: p, seen } = await watchedPage(context);
  await p.goto(`${c.url}${path}`);
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await p.waitForTimeout(600);
  await w.getByRole('radio', { name: label }).check();
  await w.getByRole('button', { name: 'Send' }).click();
  return { p, w, seen };
}

test('an unhappy answer: apology naming it, a fair solution, contact, case number and voucher; the collector has the case', async () => {
  const context = await b.newContext();
  const { p, w, seen } = await unhappy(context, '/late.html', 'My order is late');
  await w.getByText(/^I'm sorry about “My order is late”\. That should not have happened, and I can help with this\.$/).waitFor();
  assert.match(await w.innerText(), /What would be a fair solution for you\?/);
  // The case exists as soon as the unhappy answer is sent, before any step.
  const first = await stored('late', (r) => r.recovery);
  assert.equal(first.complete, true);
  assert.equal(first.recovery.rule, 'late-order');
  assert.equal(first.recovery.severity, 'high');
  assert.equal(first.recovery.previous_failures, 0);
  assert.match(first.recovery.reference, /^RB-[0-9A-HJKMNP-TV-Z]{4}$/);
  await axe(p, 'the fair-solution step');

  await w.getByRole('radio', { name: 'A refund' }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByText('How may we reach you about this?').waitFor();
  await w.getByRole('checkbox', { name: 'You may contact me about this' }).check();
  await w.getByRole('textbox', { name: 'Email' }).fill('ana@example.com');
  await w.getByRole('button', { name: 'Send' }).click();
  await w.getByText(/Thank you for telling us\. Your case number is RB-[0-9A-Z]{4}\. We reply within 4 hours\./).waitFor();
  await w.getByText('Your voucher code: SORRY10').waitFor();
  await axe(p, 'the closing words with the voucher');

  const last = await stored('late', (r) => r.recovery?.contact);
  assert.deepEqual(
    { motive: last.recovery.motive, contact: last.recovery.contact, remedy: last.recovery.remedy },
    { motive: 'refund', contact: { email: 'ana@example.com', consent: true }, remedy: { voucher: 'SORRY10' } },
  );
  assert.equal(last.recovery.reference, first.recovery.reference, 'one case, one reference');
  assert.match(await w.innerText(), new RegExp(last.recovery.reference));
  const events = await p.evaluate(() => window.recoveries);
  assert.equal(events.length, 1);
  assert.equal(events[0].reference, last.recovery.reference);
  assert.equal(events[0].motive, 'refund');
  assert.deepEqual(events[0].contact, { email: 'ana@example.com' });
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a happy answer gets the plain thanks and no case', async () => {
  const context = await b.newContext();
  const { w } = await unhappy(context, '/fine.html', 'Nothing, all good');
  await w.getByText('Thank you.', { exact: false }).waitFor();
  assert.doesNotMatch(await w.innerText(), /sorry|case number/i);
  const r = await stored('fine-late', (r) => r.complete);
  assert.equal(r.recovery, undefined);
  await context.close();
});

test('an identified visitor skips the contact step, and a repeat failure is more urgent', async () => {
  const context = await b.newContext();
  const { w } = await unhappy(context, '/late.html', 'My order is late');
  await w.getByRole('radio', { name: 'A replacement' }).check();
  await w.getByRole('button', { name: 'Next' }).click();
  await w.getByRole('button', { name: 'Skip' }).click();
  await w.getByText(/Your case number is/).waitFor();

  const { page: p, seen } = await watchedPage(context);
  await p.goto(`${c.url}/known.html`);
  await p.waitForFunction(() => window.Rebound);
  await p.evaluate(() => Rebound.show('known'));
  const k = card(p);
  await k.waitFor({ state: 'visible' });
  await p.waitForTimeout(600);
  await k.getByRole('radio', { name: 'My order is late' }).check();
  await k.getByRole('button', { name: 'Send' }).click();
  await k.getByRole('radio', { name: 'To talk to a person' }).check();
  // The last step the visitor answers: its button sends.
  await k.getByRole('button', { name: 'Send' }).click();
  await k.getByText(/Thank you for telling us\. Your case number is RB-/).waitFor();
  const r = await stored('known', (r) => r.recovery?.motive);
  assert.equal(r.recovery.motive, 'person');
  assert.equal(r.recovery.contact, undefined, 'no contact step: the host knows who this is');
  assert.equal(r.visitor.email, 'ana@example.com');
  assert.equal(r.recovery.previous_failures, 1);
  assert.equal(r.recovery.severity, 'high', 'normal, raised one step for the repeat');
  assert.deepEqual(seen.errors(), []);
  await context.close();
});

test('axe-core finds nothing in any recovery step, in Arabic and the dark theme', async () => {
  const context = await b.newContext();
  const { page: p, seen } = await watchedPage(context);
  await p.goto(`${c.url}/late-ar.html`);
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await p.waitForTimeout(600);
  const next = () => w.locator('button.primary').click();
  await w.getByRole('radio').first().check();
  await next();
  await w.getByText('ما الحل الذي تراه عادلًا؟').waitFor();
  assert.equal(await w.evaluate((el) => getComputedStyle(el).direction), 'rtl');
  await axe(p, 'the fair-solution step in Arabic, dark');
  await w.getByRole('radio').first().check();
  await next();
  await w.getByText('كيف يمكننا التواصل معك بشأن هذا؟').waitFor();
  await axe(p, 'the contact step in Arabic, dark');
  await w.locator('button.skip').click();
  await w.getByText(/رقم حالتك هو RB-/).waitFor();
  await axe(p, 'the closing words in Arabic, dark');
  assert.deepEqual(seen.errors(), []);
  await context.close();
});

test('the feedback form recovers a one- or two-star answer by default, in the dialog; the collector has the case', async () => {
  const context = await b.newContext();
  const { page: p, seen } = await watchedPage(context);
  await p.goto(`${c.url}/shop.html`);
  await p.locator('rebound-widget .launcher').click();
  const dialog = p.getByRole('dialog');
  await dialog.waitFor();
  await answer(p, { rating: 1, message: 'The checkout broke twice' });
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.getByText("I'm sorry we let you down. I can help with this.").waitFor();
  await axe(p, "the feedback form's fair-solution step");
  await dialog.getByRole('radio', { name: 'To talk to a person' }).check();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('checkbox', { name: 'You may contact me about this' }).check();
  await dialog.getByRole('textbox', { name: 'Phone' }).fill('+31 20 123 4567');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await dialog.getByText(/Thank you for telling us\. Your case number is RB-[0-9A-Z]{4}\.$/).waitFor();
  let found;
  for (let i = 0; i < 100 && !found; i++) {
    found = (await c.responses()).find((x) => x.kind === 'feedback' && x.recovery?.contact);
    if (!found) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(found, 'the case reached the collector');
  assert.deepEqual(
    [found.recovery.rule, found.recovery.severity, found.recovery.motive, found.recovery.contact],
    ['feedback', 'high', 'person', { phone: '+31 20 123 4567', consent: true }],
  );
  assert.deepEqual(found.answers.map((a) => a.value), [1, 'The checkout broke twice']);
  // Closing it starts a fresh form next time.
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await p.locator('rebound-widget .launcher').click();
  await dialog.getByRole('button', { name: 'Send' }).waitFor();
  assert.equal(await dialog.locator('textarea[name=message]').inputValue(), '');
  assert.deepEqual(seen.errors(), []);
  await context.close();
});

test('recovery: false keeps the plain thanks for the feedback form', async () => {
  const context = await b.newContext();
  const { page: p } = await watchedPage(context);
  await p.goto(`${c.url}/no-recovery.html`);
  await p.locator('rebound-widget .launcher').click();
  await answer(p, { rating: 1, message: 'No recovery here' });
  await p.getByRole('button', { name: 'Send' }).click();
  await p.getByText('Thank you. Your feedback reached us').waitFor();
  await context.close();
});
