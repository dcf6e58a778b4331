// Shared set-up for the end-to-end tests: the real collector binary on an ephemeral 127.0.0.1 port serving test
// pages and the built pkg/, a plain Node server where a test needs an endpoint or a CDN that behaves differently,
// and headless Chromium through playwright-core. `cargo xtask test` sets the paths in the environment.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const need = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through \`cargo xtask test\``);
  return value;
};
export const PKG = need('REBOUND_PKG');

/** A temporary folder holding `files` ({name: contents}); removed by `cleanup()`. */
export function folder(files = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rebound-e2e-'));
  const write = (more) => {
    for (const [name, text] of Object.entries(more)) writeFileSync(join(dir, name), text);
  };
  write(files);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Every collector a test file started, stopped when its process exits: a test that fails before its own `stop()`
// must not leave a server holding the runner's output open.
const children = new Set();
process.on('exit', () => children.forEach((child) => child.kill('SIGTERM')));

/**
 * Starts the collector serving `www` at / and pkg/ at /pkg/, with its database in a temporary folder.
 * Resolves to {url, token, responses(), stop()} once it printed its address.
 */
export async function collector({ www, args = [] } = {}) {
  const data = folder();
  const token = 'e2e-admin-token';
  const child = spawn(
    need('REBOUND_COLLECTOR'),
    ['serve', '--addr', '127.0.0.1:0', '--db', join(data.dir, 'rebound.db'), '--admin-token', token,
      '--pkg', PKG, ...(www ? ['--www', www] : []), ...args],
    // Warnings and errors only: the request log would drown the test report.
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: process.env.E2E_LOG || 'warn' } },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code} before listening`)));
  });
  return {
    url,
    token,
    /** Everything the collector stored, newest first, as the admin API lists it. */
    async responses() {
      const res = await fetch(`${url}/v1/responses`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`listing responses answered ${res.status}`);
      return (await res.json()).responses.map((r) => r.response);
    },
    stop() {
      child.kill('SIGTERM');
      data.cleanup();
    },
  };
}

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

/**
 * A plain HTTP server on 127.0.0.1 whose every request goes to `handle(req, body, res)`.
 * Resolves to {url, requests, stop()}; `requests` records method, path, headers and body of each request.
 */
export async function server(handle) {
  const requests = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body });
      handle(req, body, res);
    });
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    requests,
    stop: () => new Promise((resolve) => srv.close(resolve)),
  };
}

/** Serves pkg/ files like a CDN would, with `headers(file)` deciding the response headers. */
export function cdn(headers) {
  return server((req, _body, res) => {
    const name = new URL(req.url, 'http://x').pathname.split('/').pop();
    let data;
    try {
      data = readFileSync(join(PKG, name));
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(name)] || 'application/octet-stream', ...headers(name) });
    res.end(data);
  });
}

/** Headless Chromium with the flags this closed network needs. */
export function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new page that records console messages, uncaught page errors and CSP violations, so a test can assert that
 * the host page saw nothing it should not.
 */
export async function watchedPage(b, options) {
  const page = await b.newPage(options);
  const seen = { console: [], pageErrors: [], csp: [] };
  page.on('console', (m) => seen.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  seen.cspViolations = () => page.evaluate(() => window.__csp || []);
  seen.errors = () => seen.console.filter((m) => m.type === 'error').map((m) => m.text);
  return { page, seen };
}

/** An HTML page with `head` markup (usually the script tag) and a small body of host content. */
export function html(head, body = '<main><h1>Host page</h1><p id="host">The host page works.</p></main>') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Rebound test page</title>${head}</head><body>${body}</body></html>`;
}

/** Answers the feedback dialog inside the widget's shadow root (Playwright locators pierce open shadow roots). */
export async function answer(page, { rating, message, email }) {
  const w = page.locator('rebound-widget');
  if (rating) await w.locator(`input[name=rating][value="${rating}"]`).check();
  if (message) await w.locator('textarea[name=message]').fill(message);
  if (email) {
    await w.locator('input[name=consent]').check();
    await w.locator('input[name=email]').fill(email);
  }
}

/**
 * The usual test file set-up: before its tests, a folder of `files` served by a fresh collector, and a browser;
 * after them, all of it gone. `ready({ b, pages, c })` receives the browser, the folder and the collector.
 */
export function site(files, ready) {
  const ctx = {};
  before(async () => {
    ctx.pages = folder(files);
    ctx.c = await collector({ www: ctx.pages.dir });
    ctx.b = await browser();
    ready(ctx);
  });
  after(async () => {
    await ctx.b?.close();
    ctx.c?.stop();
    ctx.pages?.cleanup();
  });
}

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/**
 * Runs axe-core over the whole page (it looks into the widget's open shadow root) and fails with the violations
 * found, naming `state`. Also fails if axe saw nothing inside the shadow root, which would make the scan empty;
 * `{ widget: false }` scans a page without the widget, such as the collector's own pages.
 */
export async function axe(page, state, { widget = true } = {}) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE });
  const { violations, inShadow } = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return {
      violations: result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, message: n.failureSummary })),
      })),
      // A target inside a shadow root is a list of selectors, the first one naming the host.
      inShadow: result.passes.flatMap((r) => r.nodes).filter((n) => Array.isArray(n.target[0])).length,
    };
  });
  if (widget) assert.ok(inShadow > 0, `axe looked inside the widget's shadow root with ${state}`);
  assert.deepEqual(violations, [], `axe violations with ${state}:\n${JSON.stringify(violations, null, 2)}`);
}

/**
 * Waits until page `p` has fetched the full widget (`rebound_full_bg.wasm`) and it started its surveys: their
 * card is built, still hidden, in the task that starts their triggers, however slow the machine.
 */
export async function fullWidget(p) {
  await p.waitForFunction(() =>
    performance.getEntriesByType('resource').some((e) => e.name.includes('rebound_full_bg.wasm') && e.responseEnd > 0),
  );
  await p.locator('rebound-widget .panel.card').waitFor({ state: 'attached' });
}

/**
 * Moves the mouse out of page `p` through the top, fast, as a visitor heading for the tabs does, again every
 * 1.5 s until `shown` (a locator) is visible: the exit-intent trigger arms a few seconds after the full widget
 * starts, which a busy machine delays.
 */
export async function leaveUntil(p, shown, x = 600) {
  for (let i = 0; i < 10; i++) {
    await p.mouse.move(x, 300);
    await p.mouse.move(x, 2, { steps: 4 });
    await p.mouse.move(x, -20, { steps: 2 });
    try {
      await shown.waitFor({ state: 'visible', timeout: 1500 });
      return;
    } catch {
      // Not armed yet: leave again.
    }
  }
  throw new Error('no exit-intent survey after ten exits');
}

/**
 * The demo shop as `cargo xtask demo` serves it (`serve --demo`: its pretend API, its surveys seeded into the
 * studio and published), stopped after test `t`; resolves to {demo, context, p} with page `p` on the shop's
 * checkout once the widget's core is ready.
 */
export async function demoCheckout(t, b) {
  const demo = await collector({ www: process.env.REBOUND_WWW, args: ['--demo'] });
  t.after(() => demo.stop());
  const context = await b.newContext();
  const p = await context.newPage();
  await p.addInitScript(() => document.addEventListener('rebound:ready', () => (window.__ready = true)));
  await p.goto(`${demo.url}/checkout.html`);
  await p.waitForFunction(() => window.__ready);
  return { demo, context, p };
}

/**
 * Holds the requests of `page` for URLs matching `pattern` until `release()`; `requested` resolves at the first.
 * With `status`, the held request is answered with that status and no body instead of going through.
 */
export async function hold(page, pattern, status) {
  let release;
  let requested;
  const gate = new Promise((r) => (release = r));
  const first = new Promise((r) => (requested = r));
  await page.route(pattern, async (route) => {
    requested();
    await gate;
    await (status ? route.fulfill({ status, body: '' }) : route.continue());
  });
  return { requested: first, release };
}
