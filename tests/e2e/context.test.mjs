// Context the site needs to act, end to end: host data from `Rebound.identify` and `Rebound.setContext` (called
// before the widget is ready and after), the optional diagnostics (the page's JavaScript errors, its failed
// requests without their query strings), and private query parameters stripped from the page URL. Every assertion
// is on what the collector stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer, html, site, watchedPage } from './harness.mjs';

const loader = (attributes = '') =>
  `<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e-context" ${attributes}></script>`;

let b;
let c;
site(
  {
    // The host calls identify and setContext in its own load handler: the loader has defined `window.Rebound`
    // by then, but only fetches the wasm at load and starts it later, so both calls wait in its queue.
    'early.html': html(`${loader()}<script>
      window.addEventListener('load', () => {
        window.__widgetAtLoad = !!document.querySelector('rebound-widget');
        Rebound.identify({ id: 'u-42', email: 'ana@example.com', name: 'Ana' }).setContext({ order_id: 'A-0' });
      });
    </script>`),
    'signals.html': html(`<script src="/app.js?v=3"></script>${loader('data-signals="errors requests"')}`),
    'plain.html': html(loader()),
    'app.js': 'window.explode = () => setTimeout(() => { throw new Error("checkout exploded"); });\n',
  },
  (s) => ({ b, c } = s),
);

/** Opens the widget once it is ready, sends `message` and resolves to what the collector stored for it. */
async function send(page, message) {
  const launcher = page.locator('rebound-widget button.launcher');
  await launcher.click();
  await answer(page, { message });
  await page.locator('rebound-widget').getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you. Your feedback reached us').waitFor();
  const stored = (await c.responses()).filter((r) => r.answers.some((a) => a.value === message));
  assert.equal(stored.length, 1, `one response with "${message}"`);
  return stored[0];
}

/** Waits for the widget's button, which means the wasm is running. */
const ready = (page) => page.locator('rebound-widget button.launcher').waitFor({ state: 'visible' });

test('identify and setContext reach the payload, called before the widget is ready and after', async () => {
  const { page, seen } = await watchedPage(b);
  await page.goto(`${c.url}/early.html`, { waitUntil: 'load' });
  await ready(page);
  assert.equal(await page.evaluate(() => window.__widgetAtLoad), false, 'the calls were made before the widget');

  const first = await send(page, 'Queued host data');
  assert.deepEqual(first.visitor, { id: 'u-42', email: 'ana@example.com', name: 'Ana' });
  assert.deepEqual(first.context, { order_id: 'A-0' });

  // A later call replaces the earlier one; the next answer carries it.
  await page.evaluate(() => Rebound.setContext({ order_id: 'A-17', cart_value: 129.99, plan: 'pro', vip: true }));
  await page.locator('rebound-widget').getByRole('button', { name: 'Close' }).click();
  const second = await send(page, 'Later context');
  assert.deepEqual(second.context, { order_id: 'A-17', cart_value: 129.99, plan: 'pro', vip: true });
  assert.equal(second.visitor.id, 'u-42');
  assert.equal(second.diagnostics, undefined, 'no diagnostics without the signals option');
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
});

test('with the signals on, a page error and a failed request (without its query) go with the answer', async () => {
  const { page } = await watchedPage(b);
  await page.goto(`${c.url}/signals.html`, { waitUntil: 'load' });
  await ready(page);
  await page.evaluate(async () => {
    window.explode();
    const res = await fetch('/missing.json?token=secret-x&page=2');
    window.__status = res.status;
    await fetch('/app.js');
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  assert.equal(await page.evaluate(() => window.__status), 404);

  const r = await send(page, 'Checkout broke');
  assert.equal(r.diagnostics.errors.length, 1);
  const [error] = r.diagnostics.errors;
  assert.match(error.message, /checkout exploded/);
  assert.equal(error.source, `${c.url}/app.js`);
  assert.ok(Math.abs(Date.parse(error.at) - Date.now()) < 60_000);
  // Only the failed request, without its query string; the successful one and the widget's own are left out.
  assert.deepEqual(r.diagnostics.failed_requests, [{ url: `${c.url}/missing.json`, status: 404 }]);
  assert.ok(!JSON.stringify(r).includes('secret-x'));
});

test('private query parameters are stripped from the page URL, the rest arrives as it was', async () => {
  const { page } = await watchedPage(b);
  await page.goto(`${c.url}/plain.html?email=a@b.c&utm_source=x`, { waitUntil: 'load' });
  await ready(page);
  const r = await send(page, 'Stripped URL');
  assert.equal(r.page.url, `${c.url}/plain.html?utm_source=x`);
  assert.equal(r.diagnostics, undefined);
});

test('a wrong identify argument is one console line, and the feedback still arrives', async () => {
  const { page, seen } = await watchedPage(b);
  await page.goto(`${c.url}/plain.html`, { waitUntil: 'load' });
  await ready(page);
  await page.evaluate(() => Rebound.identify('ana@example.com'));
  // A wrong entry in an object is left out alone, also with its own line.
  await page.evaluate(() => Rebound.setContext({ plan: 'pro', items: ['a'] }));
  // The full widget checks the calls; on this page (no survey, no diagnostics) it comes when the form is opened.
  const r = await send(page, 'After a bad identify');
  assert.deepEqual(seen.errors(), [
    'rebound: identify takes an object, got a string',
    'rebound: setContext: items must be a string, a number below 1e15 in size, or a boolean; it is left out',
  ]);
  assert.deepEqual(seen.pageErrors, []);
  assert.equal(r.visitor, undefined);
  assert.deepEqual(r.context, { plan: 'pro' });
});
