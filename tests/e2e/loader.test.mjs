// What a web team integrating the script tag relies on: options and their errors, the JS API before and after
// the wasm loaded, loading twice, destroy(), a CDN on another origin with a wrong MIME type, strict CSP, and one
// readable console line for every way loading can fail, with the host page unharmed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PKG, answer, cdn, html, site, watchedPage } from './harness.mjs';

let b;
let pages;
let c;
site({}, (s) => ({ b, pages, c } = s));

/** Serves `head` as a page, opens it, and waits for the load event. */
async function open(name, head, body) {
  pages.write({ [name]: html(head, body) });
  const watched = await watchedPage(b);
  await watched.page.goto(`${c.url}/${name}`);
  return watched;
}

/** Waits until the loader has either started the widget or given up (the wasm was fetched and run). */
const settled = (page) => page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')))
  .then(() => page.waitForTimeout(300));

test('wrong options each name themselves on one console line; the rest still applies', async () => {
  const { page, seen } = await open(
    'options.html',
    `<script>window.ReboundConfig = { site: 42, position: "bottom-left", buttonLabel: "Tell us" };</script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses" data-colour="red" data-position="middle"></script>`,
  );
  await page.locator('rebound-widget .launcher').waitFor();
  // The eager core has no messages: the full widget, fetched at once when the options have problems, says them.
  for (let i = 0; i < 50 && seen.errors().length < 3; i++) await page.waitForTimeout(100);
  assert.deepEqual(seen.errors().sort(), [
    'rebound: ReboundConfig.site must be a non-empty string, got a number; it is ignored',
    'rebound: data-colour is not a known option; it is ignored',
    'rebound: data-position must be one of bottom-right, bottom-left, top-right, top-left, side-right, side-left; using bottom-right',
  ]);
  // The attribute was wrong, so the next layer's position applies; the label comes from ReboundConfig.
  assert.equal(await page.locator('rebound-widget .bottom-left .launcher').textContent(), 'Tell us');
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('a config file fills in options; no endpoint anywhere means one error and no button', async () => {
  pages.write({ 'rebound.json': JSON.stringify({ endpoint: '/v1/responses', site: 'from-file', position: 'top-right' }) });
  const { page, seen } = await open('file.html', '<script async src="/pkg/rebound.js" data-config="/rebound.json"></script>');
  await page.locator('rebound-widget .top-right .launcher').waitFor();
  await page.locator('rebound-widget .launcher').click();
  await answer(page, { rating: 5 });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you').waitFor();
  assert.equal((await c.responses())[0].site, 'from-file');
  assert.deepEqual(seen.errors(), []);
  await page.close();

  const none = await open('none.html', '<script async src="/pkg/rebound.js"></script>');
  await settled(none.page);
  assert.equal(await none.page.locator('rebound-widget').count(), 0);
  assert.deepEqual(none.seen.errors(), [
    'rebound: endpoint is missing (set data-endpoint on the script tag or ReboundConfig.endpoint); the widget is off',
  ]);
  assert.equal(await none.page.locator('#host').textContent(), 'The host page works.');
  await none.page.close();
});

test('calls before the wasm loaded are queued; events reach on() and the DOM; loading twice gives one widget', async () => {
  const { page, seen } = await open(
    'api.html',
    // A blocking tag, so the inline script below can call the API at once; the wasm still loads after `load`.
    `<script src="/pkg/rebound.js" data-endpoint="/v1/responses"></script>
     <script async src="/pkg/rebound.js" data-endpoint="/v1/responses"></script>
     <script>
       window.log = [];
       Rebound.on('ready', () => log.push('ready')).on('open', (d) => log.push('open:' + d.trigger));
       Rebound.on('submit', (d) => log.push('submit:' + d.answers[0].value));
       document.addEventListener('rebound:close', () => log.push('dom:close'));
       Rebound.open();
     </script>`,
  );
  await page.getByRole('dialog').waitFor();
  assert.equal(await page.locator('rebound-widget').count(), 1);
  await answer(page, { rating: 4 });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you').waitFor();
  await page.evaluate(() => Rebound.close());
  assert.deepEqual(await page.evaluate(() => log), ['ready', 'open:api', 'submit:4', 'dom:close']);
  const stored = (await c.responses())[0];
  assert.equal(stored.trigger, 'api');
  assert.deepEqual(stored.answers, [{ question: 'rating', type: 'rating', value: 4 }]);

  // destroy() leaves the page as it was: no element, no global, no listener of ours.
  await page.evaluate(() => Rebound.destroy());
  assert.equal(await page.locator('rebound-widget').count(), 0);
  assert.equal(await page.evaluate(() => typeof window.Rebound), 'undefined');
  assert.deepEqual(seen.errors(), []);
  assert.deepEqual(seen.pageErrors, []);
  await page.close();
});

test('destroy() before the wasm loaded means no widget ever appears', async () => {
  const { page } = await open(
    'early-destroy.html',
    `<script src="/pkg/rebound.js" data-endpoint="/v1/responses"></script>
     <script>Rebound.destroy();</script>`,
  );
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('rebound-widget').count(), 0);
  // destroy() really ran (it frees the global), and the wasm was never even fetched.
  assert.equal(await page.evaluate(() => typeof window.Rebound), 'undefined');
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')));
  assert.equal(fetched, false);
  await page.close();
});

test('from a CDN on another origin serving wasm with the wrong MIME type, the widget still works', async () => {
  const origin = await cdn((file) => ({
    'access-control-allow-origin': '*',
    ...(file.endsWith('.wasm') ? { 'content-type': 'application/octet-stream' } : {}),
  }));
  const { page, seen } = await open(
    'cdn.html',
    `<script async src="${origin.url}/rebound/v1/rebound.js" data-endpoint="/v1/responses"></script>`,
  );
  await page.locator('rebound-widget .launcher').click();
  await answer(page, { message: 'from the CDN' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you').waitFor();
  assert.ok(origin.requests.some((r) => r.path === '/rebound/v1/rebound_bg.wasm'), 'wasm fetched next to the script');
  assert.deepEqual(seen.console.filter((m) => m.type === 'error' || m.type === 'warning'), []);
  await page.close();
  await origin.stop();
});

test('every loading failure is one readable console line and the host page keeps working', async () => {
  const missing = await cdn(() => ({ 'access-control-allow-origin': '*' }));
  const cases = [
    {
      name: 'no-wasm.html',
      head: `<script async src="${missing.url}/rebound.js" data-endpoint="/v1/responses"></script>`,
      // The CDN serves the loader but not the wasm next to it.
      setup: (page) => page.route('**/rebound_bg.wasm', (route) => route.fulfill({ status: 404, body: '' })),
      error: /^rebound: http:\/\/127\.0\.0\.1:\d+\/rebound_bg\.wasm answered HTTP 404; the widget is off$/,
    },
    {
      name: 'no-webassembly.html',
      head: '<script>delete window.WebAssembly;</script><script async src="/pkg/rebound.js" data-endpoint="/v1/responses"></script>',
      error: /^rebound: this browser cannot run WebAssembly; the widget is off$/,
    },
    {
      name: 'csp-no-wasm.html',
      head: `<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'unsafe-inline'">
             <script async src="/pkg/rebound.js" data-endpoint="/v1/responses"></script>`,
      error: /^rebound: .*(WebAssembly|wasm).*; the widget is off$/,
    },
  ];
  for (const { name, head, setup, error } of cases) {
    pages.write({ [name]: html(head) });
    const { page, seen } = await watchedPage(b);
    if (setup) await setup(page);
    await page.goto(`${c.url}/${name}`);
    await page.waitForFunction(() => document.readyState === 'complete');
    await page.waitForTimeout(1500);
    const ours = seen.errors().filter((e) => e.startsWith('rebound:'));
    assert.equal(ours.length, 1, `${name}: ${JSON.stringify(seen.errors())}`);
    assert.match(ours[0], error, name);
    assert.deepEqual(seen.pageErrors, [], name);
    assert.equal(await page.locator('rebound-widget').count(), 0, name);
    assert.equal(await page.locator('#host').textContent(), 'The host page works.', name);
    await page.close();
  }
  await missing.stop();
});

test("a strict CSP with only 'wasm-unsafe-eval' added works without a single violation", async () => {
  const { page, seen } = await open(
    'csp.html',
    `<meta http-equiv="Content-Security-Policy"
       content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'">`
      + '<script async src="/pkg/rebound.js" data-endpoint="/v1/responses"></script>',
  );
  await page.locator('rebound-widget .launcher').click();
  await answer(page, { rating: 3 });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you').waitFor();
  assert.deepEqual(await seen.cspViolations(), []);
  assert.deepEqual(seen.errors(), []);
  await page.close();
});

/** The widget's files a page fetched so far, by name (`rebound_bg.wasm`, ...). */
const fetched = (page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((n) => /^rebound/.test(n)));

/**
 * Opens `name` (a page that puts the widget's API on `window.widget` once `start` resolved), checks that only the
 * eager core came with it, opens the dialog through the API and sends an answer from it; returns the stored
 * response.
 */
async function startedFromModule(name, head) {
  const { page, seen } = await open(name, head);
  await page.locator('rebound-widget .launcher').waitFor();
  await page.waitForFunction(() => window.widget);
  await page.waitForTimeout(300);
  const before = await fetched(page);
  assert.ok(before.includes('rebound_bg.wasm'), `the eager core was fetched: ${before}`);
  assert.deepEqual(before.filter((n) => n.endsWith('.wasm')), ['rebound_bg.wasm'], `nothing more before the dialog is asked for: ${before}`);
  assert.ok(!before.includes('rebound_full_bg.wasm'), `nothing more before the dialog is asked for: ${before}`);
  await page.evaluate(() => window.widget.open());
  await page.getByRole('dialog').waitFor();
  await answer(page, { rating: 5, message: 'bundled' });
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByText('Thank you').waitFor();
  assert.equal(await page.evaluate(() => typeof window.Rebound), 'undefined', 'no global without the script tag');
  assert.deepEqual(seen.errors(), []);
  await page.close();
  return (await c.responses()).find((r) => r.answers.some((a) => a.value === 'bundled' && r.site === name));
}

test('the ES module entry starts the eager core, and the full widget only when the page view asks for it', async () => {
  const stored = await startedFromModule(
    'module.html',
    `<script type="module">
       import init, { start } from '/pkg/rebound.mjs';
       await init();
       window.widget = await start(null, { endpoint: '/v1/responses', site: 'module.html' });
     </script>`,
  );
  assert.ok(stored, 'the answer arrived');
  assert.equal(stored.trigger, 'api');
});

test('bundled by esbuild as a team would, the module entry still loads its parts on demand', async () => {
  const { build } = await import('esbuild');
  const app = join(pages.dir, 'app.src.js');
  writeFileSync(
    app,
    `import { start } from ${JSON.stringify(join(PKG, 'rebound.mjs'))};
     start(null, { endpoint: '/v1/responses', site: 'bundled.html' }).then((w) => { window.widget = w; });`,
  );
  await build({ entryPoints: [app], bundle: true, format: 'esm', outfile: join(pages.dir, 'app.js'), logLevel: 'error' });
  // A team serves the widget's wasm next to its bundle.
  for (const file of ['rebound_bg.wasm', 'rebound_dialog_bg.wasm', 'rebound_full_bg.wasm']) copyFileSync(join(PKG, file), join(pages.dir, file));
  const stored = await startedFromModule('bundled.html', '<script type="module" src="/app.js"></script>');
  assert.ok(stored, 'the answer arrived');
});
