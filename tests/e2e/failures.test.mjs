// The failure triggers in real Chromium against the real collector (`serve --demo` for its failing payment API):
// a failed fetch to the site's payment API shows the survey and the stored response carries the failure; a
// failed request elsewhere does not; rage clicks on a dead button show it, fast clicks on a number stepper do
// not; a JavaScript error rule fires once; a field refused twice shows it; the survey waits while the visitor
// types; axe finds nothing on the card.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, browser, collector, demoCheckout, folder, fullWidget, html, watchedPage } from './harness.mjs';

const ask = (id, trigger) => ({
  id,
  trigger,
  questions: [{ id: 'help', type: 'single', text: 'Can we help?', options: [{ id: 'yes', label: 'Yes' }, { id: 'no', label: 'No' }] }],
});

const page = (surveys, body = '', script = '') =>
  html(
    `<script>window.ReboundConfig = ${JSON.stringify({ surveys })};
       window.shown = []; document.addEventListener('rebound:shown', (e) => shown.push(e.detail.survey));
       const pay = () => fetch('/demo/api/payment', { method: 'POST', headers: { 'content-type': 'application/json' },
         body: JSON.stringify({ client: String(Math.random()) }) });
       ${script}</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>`,
    `<main><h1>Checkout</h1>${body}</main>`,
  );

const payment = ask('payment', { type: 'request_failed', url: '/demo/api/payment*', showAfter: 0.5 });
const files = {
  'pay.html': page([payment]),
  'rage.html': page(
    [ask('rage', { type: 'rage_click', showAfter: 0.5 })],
    '<button type="button" id="dead" class="pay now">Pay</button><label>Quantity <input type="number" id="qty" value="1"></label>',
  ),
  'error.html': page([ask('error', { type: 'js_error', showAfter: 0.5 })]),
  'form.html': page(
    [ask('coupon', { type: 'form_error', showAfter: 0.5 })],
    '<label for="code">Coupon</label><input id="code" name="coupon"><label for="note">Note</label><input id="note">',
  ),
  // Thrown from the eager core's ready event: the full widget is not there yet, and the core keeps the error.
  'early.html': page(
    [ask('early', { type: 'js_error', message: 'before the widget', showAfter: 0.5 })],
    '',
    "window.ReboundConfig.signals = ['errors']; document.addEventListener('rebound:ready', () => { throw new Error('thrown before the widget came'); });",
  ),
  // The same for an unhandled rejection, on a page without the `errors` diagnostics: the js_error survey alone
  // makes the core keep them.
  'rejected.html': page(
    [ask('rejected', { type: 'js_error', message: 'rejected before', showAfter: 0.5 })],
    '',
    "document.addEventListener('rebound:ready', () => { Promise.reject(new Error('rejected before the widget came')); });",
  ),
  // Every request of the page counts, 404s too; the widget's own (a missing config file, its modules, its German
  // texts) must not.
  'own.html': html(
    `<script>window.ReboundConfig = ${JSON.stringify({ locale: 'de', surveys: [ask('any', { type: 'request_failed', url: '/*', status: [0, 404, '5xx'], showAfter: 0.5 })] })};
       window.shown = []; document.addEventListener('rebound:shown', (e) => shown.push(e.detail.survey));</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e" data-config="/missing.json"></script>`,
  ),
  'required.html': page(
    [ask('required', { type: 'form_error', showAfter: 0.5, selector: '#order' })],
    '<form id="order"><label for="email">Email</label><input id="email" name="email" type="email" required><button>Order</button></form>',
  ),
};

let b;
let c;
let pages;
before(async () => {
  pages = folder(files);
  c = await collector({ www: pages.dir, args: ['--demo'] });
  b = await browser();
});
after(async () => {
  await b?.close();
  c?.stop();
  pages?.cleanup();
});

const card = (p) => p.locator('rebound-widget .card');

async function open(path) {
  const context = await b.newContext();
  const { page: p, seen } = await watchedPage(context);
  await p.goto(`${c.url}/${path}`);
  await p.waitForFunction(() => window.Rebound && document.querySelector('rebound-widget'));
  await fullWidget(p);
  return { p, seen, context };
}

/** The stored version of survey `id`'s response, waiting for it. */
async function stored(id) {
  for (let i = 0; i < 100; i++) {
    const found = (await c.responses()).find((r) => r.kind === 'survey' && r.survey.id === id);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no stored response of ${id}`);
}

async function answerYes(p) {
  const w = card(p);
  await w.waitFor({ state: 'visible' });
  await p.waitForTimeout(600);
  await w.getByRole('radio', { name: 'Yes' }).check();
  await w.getByRole('button', { name: 'Send' }).click();
}

test('a failed fetch to the payment API shows the survey, led by the failure, and the response carries it', async () => {
  const { p, context } = await open('pay.html');
  assert.equal(await p.evaluate(async () => (await pay()).status), 502);
  const w = card(p);
  await w.waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await w.locator('.lead').textContent(), /Something went wrong on our side/);
  await axe(p, 'the failure survey card');
  await answerYes(p);
  const r = await stored('payment');
  assert.equal(r.trigger, 'request_failed');
  assert.equal(r.failure.kind, 'request_failed');
  assert.equal(r.failure.status, 502);
  assert.match(r.failure.url, /\/demo\/api\/payment$/);
  assert.equal(typeof r.failure.duration_ms, 'number');
  await context.close();
});

test("the widget's own requests never count: a missing config file, its modules and language file", async () => {
  const { p, seen, context } = await open('own.html');
  await p.waitForTimeout(1500);
  assert.deepEqual(await p.evaluate(() => window.shown), []);
  const lines = seen.console.map((m) => m.text);
  assert.ok(lines.some((line) => line.includes('could not load the config file')), lines.join('\n'));
  // The rule itself is live: the page's own 404 shows the survey.
  await p.evaluate(() => fetch('/nothing-here.json'));
  await card(p).waitFor({ state: 'visible', timeout: 5000 });
  await context.close();
});

test('a failed request to another URL shows nothing', async () => {
  const { p, context } = await open('pay.html');
  const status = await p.evaluate(async () => (await fetch('/demo/api/coupon', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":"X"}' })).status);
  assert.equal(status, 400);
  await p.evaluate(() => fetch('/nowhere/api/payment').catch(() => {}));
  await p.waitForTimeout(2000);
  assert.deepEqual(await p.evaluate(() => window.shown), []);
  await context.close();
});

test('rage clicks on a dead button show the survey; fast clicks on a number stepper do not', async () => {
  const { p, context } = await open('rage.html');
  const qty = p.locator('#qty');
  const box = await qty.boundingBox();
  for (let i = 0; i < 6; i++) await p.mouse.click(box.x + box.width - 8, box.y + 6);
  await p.waitForTimeout(1500);
  assert.deepEqual(await p.evaluate(() => window.shown), [], 'the stepper is not a rage click');
  for (let i = 0; i < 4; i++) await p.locator('#dead').click({ delay: 10 });
  await answerYes(p);
  const r = await stored('rage');
  assert.equal(r.failure.kind, 'rage_click');
  assert.equal(r.failure.selector, 'button#dead', 'an id names the element without its ancestors');
  await context.close();
});

test('a js_error rule fires once for two errors', async () => {
  const { p, context } = await open('error.html');
  await p.evaluate(() => {
    setTimeout(() => { throw new Error('checkout broke'); });
    Promise.reject(new Error('second failure'));
  });
  await card(p).waitFor({ state: 'visible', timeout: 5000 });
  await p.waitForTimeout(1500);
  assert.deepEqual(await p.evaluate(() => window.shown), ['error']);
  await answerYes(p);
  const r = await stored('error');
  assert.equal(r.failure.kind, 'js_error');
  assert.match(r.failure.message, /checkout broke|second failure/);
  await context.close();
});

test('an error before the full widget arrived, kept by the eager core, fires a js_error rule', async () => {
  const { p, context } = await open('early.html');
  await answerYes(p);
  const r = await stored('early');
  assert.equal(r.failure.kind, 'js_error');
  assert.match(r.failure.message, /thrown before the widget came/);
  await context.close();
});

test('an unhandled rejection before the full widget arrived fires a js_error rule without the diagnostics', async () => {
  const { p, context } = await open('rejected.html');
  await answerYes(p);
  const r = await stored('rejected');
  assert.equal(r.failure.kind, 'js_error');
  assert.match(r.failure.message, /rejected before the widget came/);
  assert.equal(r.diagnostics, undefined, 'no diagnostics were configured');
  await context.close();
});

test('a field refused twice shows the survey, and it waits while the visitor types', async () => {
  const { p, context } = await open('form.html');
  const refuse = () => p.evaluate(() => {
    const f = document.getElementById('code');
    f.setAttribute('aria-invalid', 'false');
    f.setAttribute('aria-invalid', 'true');
  });
  await refuse();
  await p.waitForTimeout(1200);
  assert.deepEqual(await p.evaluate(() => window.shown), [], 'once is not enough');
  await refuse();
  await p.locator('#note').focus();
  // Typing for longer than the settle wait holds the survey back.
  await p.keyboard.type('leave it at the door please', { delay: 100 });
  assert.deepEqual(await p.evaluate(() => window.shown), [], 'not while the visitor types');
  await card(p).waitFor({ state: 'visible', timeout: 5000 });
  await answerYes(p);
  const r = await stored('coupon');
  assert.equal(r.failure.kind, 'form_error');
  assert.equal(r.failure.field, 'coupon');
  await context.close();
});

test('a submit attempt with an :invalid field counts as the field refused (the invalid event)', async () => {
  const { p, context } = await open('required.html');
  await p.getByRole('button', { name: 'Order' }).click();
  await p.waitForTimeout(1200);
  assert.deepEqual(await p.evaluate(() => window.shown), [], 'once is not enough');
  await p.getByRole('button', { name: 'Order' }).click();
  await answerYes(p);
  const r = await stored('required');
  assert.equal(r.failure.kind, 'form_error');
  assert.equal(r.failure.field, 'email');
  assert.equal(r.failure.times, 2);
  await context.close();
});

test('the demo checkout: Pay now fails once, the survey offers help, and the case is high priority with the failure', async (t) => {
  const { demo, context, p } = await demoCheckout(t, b);
  await p.getByRole('button', { name: 'Pay now' }).click();
  await p.getByText('Your payment did not go through. Please try again.').waitFor();
  const w = card(p);
  await w.getByText('What would help you most right now?').waitFor();
  assert.equal(await w.locator('.lead').textContent(), "Your payment did not go through. I'm sorry: can I help?");
  await p.waitForTimeout(600);
  await w.getByRole('radio', { name: 'Talk to a person' }).check();
  await w.getByRole('button', { name: 'Send' }).click();
  let found;
  for (let i = 0; i < 100 && !found; i++) {
    const res = await fetch(`${demo.url}/v1/cases`, { headers: { authorization: `Bearer ${demo.token}` } });
    found = (await res.json()).cases.find((k) => k.response.survey?.id === 'payment-failed');
    if (!found) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(found, 'a case for the failed payment');
  assert.equal(found.priority, 'high');
  assert.equal(found.response.failure.kind, 'request_failed');
  assert.equal(found.response.failure.status, 502);
  // The second payment goes through.
  await p.getByRole('button', { name: 'Pay now' }).click();
  await p.getByText('Paid. Thank you!').waitFor();
  // In a fresh visit, the coupon field refused twice asks whether the visitor needs a code.
  await context.close();
  const second = await b.newContext();
  const q = await second.newPage();
  await q.goto(`${demo.url}/checkout.html`);
  await fullWidget(q);
  const code = q.getByRole('textbox', { name: 'Coupon code' });
  for (const typed of ['FREE', 'GRATIS']) {
    await code.fill(typed);
    await q.getByRole('button', { name: 'Apply coupon' }).click();
    await q.getByText('We do not know this code.').waitFor();
  }
  await card(q).getByText('Do you need a coupon code?').waitFor();
  await second.close();
});
