// The foundation's promise, end to end: one script tag gives a feedback button; an answer reaches the collector,
// exactly as the visitor gave it, before the visitor is thanked; a failing endpoint is never reported as success.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer, html, server, site, watchedPage } from './harness.mjs';

let b;
let pages;
let c;
site(
  {
    'shop.html': html(
      '<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e-shop"></script>',
      '<main><h1>Checkout</h1><p style="height:2000px">Lots of content.</p></main>',
    ),
  },
  (s) => ({ b, pages, c } = s),
);

test('a visitor rates, writes, consents and sends: the collector stores exactly that, once', async () => {
  const { page, seen } = await watchedPage(b, { viewport: { width: 1024, height: 700 } });
  const requests = [];
  page.on('request', (r) => r.url().includes('/v1/responses') && requests.push(r));
  await page.addInitScript(() => {
    window.__shifts = 0;
    new PerformanceObserver((list) => {
      // As Cumulative Layout Shift counts them: a shift right after the visitor's own input is expected.
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${c.url}/shop.html?ref=e2e`, { waitUntil: 'load' });
  const loadedAt = Date.now();
  const launcher = page.locator('rebound-widget button.launcher');
  await launcher.waitFor({ state: 'visible', timeout: 1000 });
  assert.ok(Date.now() - loadedAt < 1000, 'the button appears within a second of load');
  assert.equal(await launcher.textContent(), 'Feedback');

  await launcher.click();
  const dialog = page.getByRole('dialog', { name: 'How was your experience?' });
  await dialog.waitFor();
  await answer(page, { rating: 3, message: 'The discount code\n"WELCOME" was refused.', email: 'ana@example.com' });
  await dialog.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you. Your feedback reached us').waitFor();

  const stored = await c.responses();
  assert.equal(stored.length, 1);
  const r = stored[0];
  assert.match(r.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(r.schema_version, 1);
  assert.equal(r.site, 'e2e-shop');
  assert.equal(r.kind, 'feedback');
  assert.equal(r.trigger, 'button');
  assert.equal(r.complete, true);
  assert.deepEqual(r.answers, [
    { question: 'rating', type: 'rating', value: 3 },
    { question: 'message', type: 'text', value: 'The discount code\n"WELCOME" was refused.' },
    { question: 'contact', type: 'contact', value: { email: 'ana@example.com', consent: true } },
  ]);
  assert.equal(r.page.url, `${c.url}/shop.html?ref=e2e`);
  assert.equal(r.page.title, 'Rebound test page');
  assert.equal(r.client.locale, 'en');
  assert.deepEqual(r.client.viewport, { width: 1024, height: 700 });
  assert.match(r.client.user_agent, /Chrom/);
  assert.ok(Math.abs(Date.parse(r.created_at) - Date.now()) < 60_000);

  // The rating went out as soon as it was given (partial), then the complete response, with the same id; each
  // a simple CORS request (text/plain, no preflight).
  const bodies = requests.map((q) => JSON.parse(q.postData()));
  assert.deepEqual(bodies.map((x) => [x.id, x.complete]), [[r.id, false], [r.id, true]]);
  assert.deepEqual(bodies[0].answers, [{ question: 'rating', type: 'rating', value: 3 }]);
  for (const q of requests) {
    assert.equal(q.method(), 'POST');
    assert.equal(q.headers()['content-type'], 'text/plain;charset=UTF-8');
  }

  // Closing after the thank-you gives a fresh form, and focus goes back to the button.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'REBOUND-WIDGET');
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.className), 'launcher');
  await launcher.click();
  assert.equal(await page.locator('rebound-widget textarea').inputValue(), '');

  assert.equal(await page.evaluate(() => window.__shifts), 0, 'no layout shift');
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('an endpoint failing three times: the visitor sees "saved", then thanks once it arrived; stored once', async () => {
  let failures = 3;
  const received = [];
  const endpoint = await server((req, body, res) => {
    if (req.method !== 'POST') return res.writeHead(204).end();
    const status = failures-- > 0 ? 500 : 200;
    if (status === 200) received.push(JSON.parse(body));
    res.writeHead(status, { 'access-control-allow-origin': '*', 'content-type': 'application/json' }).end('{}');
  });
  pages.write({
    'failing.html': html(
      `<script async src="/pkg/rebound.js" data-endpoint="${endpoint.url}/collect" data-site="e2e-shop"></script>`,
    ),
  });
  const { page, seen } = await watchedPage(b);
  const events = [];
  await page.exposeFunction('record', (e) => events.push(e));
  await page.addInitScript(() => {
    for (const name of ['queued', 'delivered', 'error']) {
      document.addEventListener(`rebound:${name}`, (e) => window.record(`${name}:${e.detail.id}`));
    }
  });
  await page.goto(`${c.url}/failing.html`);
  await page.locator('rebound-widget button.launcher').click();
  await answer(page, { rating: 3, message: 'Nothing works' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Saved. We will send your feedback').waitFor();
  assert.equal(await page.getByText('Thank you').isVisible(), false, 'never thanked before the endpoint has it');
  // Backoff 1 s, 2 s, 4 s at most (with jitter): the complete response arrives well within 15 s.
  await page.getByText('Thank you. Your feedback reached us').waitFor({ timeout: 15_000 });
  const complete = received.filter((r) => r.complete);
  assert.equal(complete.length, 1);
  assert.equal(complete[0].answers[1].value, 'Nothing works');
  const id = complete[0].id;
  assert.ok(events.includes(`queued:${id}`) && events.includes(`delivered:${id}`), JSON.stringify(events));
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
  await endpoint.stop();
});

test('an endpoint that cannot be reached (blocked, offline) is never reported as success', async () => {
  pages.write({
    'blocked.html': html(
      '<script async src="/pkg/rebound.js" data-endpoint="http://127.0.0.1:9/collect"></script>',
    ),
  });
  const { page } = await watchedPage(b);
  await page.goto(`${c.url}/blocked.html`);
  await page.locator('rebound-widget button.launcher').click();
  await answer(page, { message: 'Is anyone there?' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Saved. We will send your feedback').waitFor();
  assert.equal(await page.getByText('Thank you').isVisible(), false);
  await page.close();
});

test('the form checks itself before anything leaves: nothing to send, then an email that is no address', async () => {
  const { page, seen } = await watchedPage(b);
  const complete = [];
  page.on('request', (r) => r.url().includes('/v1/responses') && JSON.parse(r.postData()).complete && complete.push(r));
  await page.addInitScript(() => {
    window.submitted = 0;
    document.addEventListener('rebound:submit', () => window.submitted++);
  });
  await page.goto(`${c.url}/shop.html`);
  await page.locator('rebound-widget button.launcher').click();
  const dialog = page.getByRole('dialog');
  const status = page.locator('rebound-widget .status');
  assert.equal(await status.getAttribute('aria-live'), 'polite');

  await dialog.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Please choose a rating or write a few words.').waitFor();
  // Focus goes where the answer is missing.
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.tagName), 'TEXTAREA');

  // Consent reveals the email field; an address that is none keeps the answer here.
  const email = page.locator('rebound-widget input[name=email]');
  assert.equal(await email.isVisible(), false);
  await page.locator('rebound-widget input[name=rating][value="2"]').check();
  await page.locator('rebound-widget input[name=consent]').check();
  await email.waitFor();
  await email.fill('not an address');
  await dialog.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Please enter the email address we may contact you at, or untick the box.').waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.submitted), 0, 'nothing is submitted before the form is valid');
  assert.deepEqual(complete, [], 'no complete response left the page');
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('one shadow root holds every style; destroy() leaves the page as it was, and the API is inert after it', async () => {
  const { page, seen } = await watchedPage(b);
  await page.addInitScript(() => {
    window.log = [];
    for (const name of ['ready', 'open', 'close']) {
      document.addEventListener(`rebound:${name}`, (e) => log.push(e.detail?.trigger ? `${name}:${e.detail.trigger}` : name));
    }
    document.addEventListener('DOMContentLoaded', () => {
      window.before = { body: document.body.innerHTML, sheets: document.styleSheets.length };
    });
  });
  await page.goto(`${c.url}/shop.html`);
  const launcher = page.locator('rebound-widget button.launcher');
  await launcher.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
  // Focus moved into the dialog, onto the first rating choice.
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.name), 'rating');

  // The button's stylesheet and the card's, both adopted by the shadow root; none reached the page.
  const styles = await page.evaluate(() => {
    const root = document.querySelector('rebound-widget').shadowRoot;
    return {
      adopted: root.adoptedStyleSheets.length,
      sheets: document.styleSheets.length,
      position: getComputedStyle(root.querySelector('.launcher')).position,
    };
  });
  assert.deepEqual(styles, { adopted: 2, sheets: await page.evaluate(() => before.sheets), position: 'fixed' });

  await page.evaluate(() => Rebound.close());
  await dialog.waitFor({ state: 'hidden' });
  await page.evaluate(() => Rebound.open());
  await dialog.waitFor();
  await page.evaluate(() => {
    window.kept = Rebound;
    Rebound.destroy();
  });
  assert.equal(await page.evaluate(() => document.body.innerHTML === before.body), true, 'the body is as it was');
  // Destroyed means inert: a kept reference does nothing and throws nothing.
  await page.evaluate(() => kept.open());
  await page.waitForTimeout(300);
  assert.equal(await page.locator('rebound-widget').count(), 0);
  assert.deepEqual(await page.evaluate(() => log), ['ready', 'open:button', 'close', 'open:api']);
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});
