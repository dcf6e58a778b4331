// Delivery that loses nothing: answers survive offline periods and page loads, partial answers count, two tabs
// never send the same item at once, a final refusal is reported instead of retried forever, and storage is only
// used with consent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer, hold, html, server, site, watchedPage } from './harness.mjs';

let b;
let pages;
let c;
site(
  {
    'shop.html': html('<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>'),
    'other.html': html('<script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-site="e2e"></script>'),
  },
  (s) => ({ b, pages, c } = s),
);

/** The outbox items in a page's localStorage (one key per response). */
const outbox = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('rebound:outbox:')).map((k) => localStorage.getItem(k)));

/** Counts the complete POSTs per response id that reached the collector from a browser context (attempts made
 * while offline fail before reaching it and are not counted). */
function countPosts(context) {
  const posts = {};
  context.on('requestfinished', (r) => {
    if (r.method() !== 'POST' || !r.url().endsWith('/v1/responses')) return;
    const body = JSON.parse(r.postData());
    if (body.complete) posts[body.id] = (posts[body.id] || 0) + 1;
  });
  return posts;
}

/** Answers the feedback form on `url` in a new page of `context` while offline, so that the answer waits in the
 * outbox, and closes that page with the network back. Resolves to the outbox items the page left. */
async function leftOffline(context, url, form) {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('rebound-widget .launcher').click();
  // The form is fetched on the click; the network goes once it is open.
  await page.getByRole('dialog').waitFor();
  await context.setOffline(true);
  await answer(page, form);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Saved. We will send your feedback').waitFor();
  const stored = await outbox(page);
  await page.close();
  await context.setOffline(false);
  return stored;
}

/** The wasm files `page` fetched. */
const wasmFetched = (page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((n) => n.endsWith('.wasm')).sort());

test('sent offline, the answer waits in storage and the next page view delivers it once, with the outbox part only', async () => {
  const context = await b.newContext();
  const posts = countPosts(context);
  const stored = await leftOffline(context, `${c.url}/shop.html`, { rating: 3, message: 'sent while offline' });
  assert.equal(stored.length, 1);
  assert.match(stored[0], /sent while offline/);

  const next = await context.newPage();
  await next.goto(`${c.url}/other.html`);
  await next.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('rebound:outbox:')), null, { timeout: 10_000 });
  const mine = (await c.responses()).filter((r) => r.answers.some((a) => a.value === 'sent while offline'));
  assert.equal(mine.length, 1);
  assert.equal(mine[0].complete, true);
  assert.deepEqual(Object.values(posts).filter((n) => n > 1), [], 'no response was posted complete twice');
  // Sending what an earlier page left needs the outbox part, not the full widget.
  assert.deepEqual(await wasmFetched(next), ['rebound_bg.wasm', 'rebound_flush_bg.wasm']);
  // The visitor may still open the form on that page: the full widget comes and takes over.
  await next.locator('rebound-widget .launcher').click();
  await next.getByRole('dialog').waitFor();
  await context.close();
});

test('a visitor who rates and leaves at once still counts: the partial response is stored', async () => {
  const page = await b.newPage();
  await page.goto(`${c.url}/shop.html?leaving`);
  await page.locator('rebound-widget .launcher').click();
  await page.locator('rebound-widget input[name=rating][value="1"]').check();
  await page.goto('about:blank');
  const deadline = Date.now() + 10_000;
  let partial;
  while (!partial && Date.now() < deadline) {
    partial = (await c.responses()).find((r) => r.page.url.endsWith('?leaving'));
    if (!partial) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(partial, 'the partial response reached the collector');
  assert.equal(partial.complete, false);
  assert.deepEqual(partial.answers, [{ question: 'rating', type: 'rating', value: 1 }]);
  await page.close();
});

for (const locks of ['Web Locks', 'storage leases']) test(`two tabs with queued answers: each answer is posted and stored exactly once (${locks})`, async () => {
  const context = await b.newContext();
  // A browser from before Web Locks: the widget falls back to a lease in localStorage.
  if (locks !== 'Web Locks') await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined }));
  const posts = countPosts(context);
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await tab.goto(`${c.url}/shop.html`);
    // The wasm loads after the page's load event, and the feedback form when the visitor shows intent (the
    // pointer over the button): going offline before they arrived would keep the form away.
    await tab.locator('rebound-widget .launcher').hover();
    await tab.locator('rebound-widget .panel').waitFor({ state: 'attached' });
  }
  await context.setOffline(true);
  for (const [i, tab] of tabs.entries()) {
    await tab.locator('rebound-widget .launcher').click();
    await answer(tab, { message: `tab ${i} offline, ${locks}` });
    await tab.getByRole('button', { name: 'Send' }).click();
    await tab.getByText('Saved. We will send your feedback').waitFor();
  }
  // Both tabs see both items in the shared outbox; both wake up when the browser is back online.
  assert.equal((await outbox(tabs[0])).length, 2);
  await context.setOffline(false);
  await tabs[0].waitForFunction(() => !Object.keys(localStorage).some((k) => /^rebound:(outbox|lease):/.test(k)), null, { timeout: 10_000 });
  await tabs[0].waitForTimeout(500);
  const ours = (await c.responses()).filter((r) => r.answers.some((a) => a.value === `tab 0 offline, ${locks}` || a.value === `tab 1 offline, ${locks}`));
  assert.equal(ours.length, 2);
  assert.deepEqual(Object.values(posts), [1, 1], 'each item posted once, by one tab');
  await context.close();
});

test('a 400 is final: the error event carries the server message, nothing is retried, the visitor can copy', async () => {
  const endpoint = await server((req, _body, res) => {
    res.writeHead(req.method === 'POST' ? 400 : 204, { 'access-control-allow-origin': '*', 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_field', field: 'site', message: 'site "e2e" is not allowed here' }));
  });
  pages.write({
    'refused.html': html(
      `<script async src="/pkg/rebound.js" data-endpoint="${endpoint.url}/collect" data-site="e2e"></script>
       <script>window.errors = []; document.addEventListener('rebound:error', (e) => errors.push(e.detail));</script>`,
    ),
  });
  const { page, seen } = await watchedPage(b);
  await page.goto(`${c.url}/refused.html`);
  await page.locator('rebound-widget .launcher').click();
  await answer(page, { message: 'please keep this text' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Sorry, we could not accept your feedback').waitFor();
  assert.equal(await page.getByText('Thank you').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Copy my message' }).isVisible(), true);
  const errors = await page.evaluate(() => window.errors);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].status, 400);
  assert.equal(errors[0].message, 'site "e2e" is not allowed here');
  await page.waitForTimeout(3000);
  assert.equal(endpoint.requests.filter((r) => r.method === 'POST').length, 1, 'not retried');
  assert.deepEqual(await outbox(page), []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
  await endpoint.stop();
});

test('consent pending: answers still go out, but nothing is written to storage', async () => {
  pages.write({
    'pending.html': html(
      '<script async src="/pkg/rebound.js" data-endpoint="http://127.0.0.1:9/collect" data-consent="pending"></script>',
    ),
  });
  const page = await b.newPage();
  await page.goto(`${c.url}/pending.html`);
  await page.locator('rebound-widget .launcher').click();
  await answer(page, { rating: 4, message: 'kept in memory only' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Saved. We will send your feedback').waitFor();
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  // Consent granted later: what waited in memory moves to storage.
  await page.evaluate(() => Rebound.setConsent('granted'));
  const kept = await outbox(page);
  assert.equal(kept.length, 1);
  assert.match(kept[0], /kept in memory only/);
  await page.close();
});

test('with respectGpc, a browser sending Global Privacy Control gets nothing stored', async () => {
  pages.write({
    'gpc.html': html(
      '<script async src="/pkg/rebound.js" data-endpoint="http://127.0.0.1:9/collect" data-respect-gpc="true"></script>',
    ),
  });
  const page = await b.newPage();
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await page.goto(`${c.url}/gpc.html`);
  await page.locator('rebound-widget .launcher').click();
  await answer(page, { message: 'private visitor' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Saved. We will send your feedback').waitFor();
  assert.deepEqual(await outbox(page), []);
  // Even a later "granted" does not override the visitor's signal.
  await page.evaluate(() => Rebound.setConsent('granted'));
  assert.deepEqual(await outbox(page), []);
  await page.close();
});

test('a request aborted as an ad blocker would: the visitor is never thanked, the answer waits', async () => {
  const page = await b.newPage();
  await page.route('**/v1/responses', (route) => route.abort('blockedbyclient'));
  await page.goto(`${c.url}/shop.html?blocked`);
  await page.locator('rebound-widget .launcher').click();
  await answer(page, { message: 'behind an ad blocker' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Saved. We will send your feedback').waitFor();
  assert.equal(await page.getByText('Thank you').isVisible(), false);
  assert.equal((await outbox(page)).length, 1);
  const stored = await c.responses();
  assert.equal(stored.filter((r) => r.page.url.endsWith('?blocked')).length, 0);
  await page.close();
});

test('the outbox part sends what an earlier page left with the headers option, as the full widget does', async () => {
  const endpoint = await server((req, body, res) => {
    res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'x-site-key, x-other',
      'content-type': 'application/json',
    }).end(req.method === 'OPTIONS' ? '' : '{}');
  });
  const tag = `<script>window.ReboundConfig = { headers: { 'X-Site-Key': 'k1', 'X-Other': 'two words' } };</script>
    <script async src="/pkg/rebound.js" data-endpoint="${endpoint.url}/collect"></script>`;
  pages.write({ 'keyed.html': html(tag), 'keyed-next.html': html(tag) });
  const context = await b.newContext();
  await leftOffline(context, `${c.url}/keyed.html`, { message: 'keyed while offline' });
  const next = await context.newPage();
  await next.goto(`${c.url}/keyed-next.html`);
  await next.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('rebound:outbox:')), null, { timeout: 10_000 });
  const sent = endpoint.requests.filter((r) => r.method === 'POST' && /keyed while offline/.test(r.body));
  // One answer (a request the closing page sent on its way out may have reached the endpoint too, with the same
  // id, which an endpoint keeps once), every request with the headers.
  assert.equal(new Set(sent.map((r) => JSON.parse(r.body).id)).size, 1);
  for (const r of sent) assert.deepEqual([r.headers['x-site-key'], r.headers['x-other']], ['k1', 'two words']);
  assert.deepEqual(await wasmFetched(next), ['rebound_bg.wasm', 'rebound_flush_bg.wasm']);
  await context.close();
  await endpoint.stop();
});

test('when the outbox part cannot be loaded, one console line, the answer stays queued, and the button still works', async () => {
  const context = await b.newContext();
  await leftOffline(context, `${c.url}/shop.html`, { message: 'queued, part missing' });
  const { page: next, seen } = await watchedPage(context);
  const missing = await hold(next, '**/rebound_flush_bg.wasm', 404);
  missing.release();
  await next.goto(`${c.url}/other.html`);
  await missing.requested;
  for (let i = 0; i < 50 && !seen.errors().some((e) => /could not be sent/.test(e)); i++) await next.waitForTimeout(100);
  assert.deepEqual(seen.errors().filter((e) => e.startsWith('rebound:')), [
    `rebound: the answers earlier pages left could not be sent (${c.url}/pkg/rebound_flush_bg.wasm answered HTTP 404); the next page view tries again`,
  ]);
  assert.deepEqual(seen.pageErrors, []);
  assert.equal((await outbox(next)).length, 1, 'the answer waits for the next page view');
  // The full widget still comes on a press, and sends the answer itself.
  await next.locator('rebound-widget .launcher').click();
  await next.getByRole('dialog').waitFor();
  await next.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith('rebound:outbox:')), null, { timeout: 10_000 });
  assert.equal((await c.responses()).filter((r) => r.answers.some((a) => a.value === 'queued, part missing')).length, 1);
  await context.close();
});
