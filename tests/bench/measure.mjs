// What the widget bench measures on one page in headless Chromium: each page gets a fresh browser context (empty
// cache and storage), a CDP session for the network, CPU throttling and Chromium's performance counters, and the
// probe (probe.js) as an init script. Times are milliseconds in the page's clock unless named otherwise.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const PROBE = readFileSync(fileURLToPath(new URL('probe.js', import.meta.url)), 'utf8');
/** How long a page is left alone after `load` and its button, for the widget's deferred work to run. */
const SETTLE_MS = 2000;
/** How long the pointer rests on the button before the click, in the hover case. */
const HOVER_MS = 400;
/** The longest the bench waits for something the widget should show. */
const PATIENCE_MS = 20000;

/** Where each widget's button is, for the pointer (Playwright's selectors pierce open shadow roots). */
const BUTTON = { rebound: 'rebound-widget button.launcher', sentry: '#sentry-feedback .widget__actor' };

/** Headless Chromium at `executablePath` with the flags this closed network needs. */
export function launch(executablePath) {
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection naming `what` after PATIENCE_MS. */
function patiently(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${PATIENCE_MS} ms`)), PATIENCE_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Chromium's counters for the page: main-thread script and task time (thread time) in ms, used JS heap in bytes. */
async function counters(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { script: value('ScriptDuration') * 1000, task: value('TaskDuration') * 1000, heap: value('JSHeapUsedSize') };
}

/**
 * A page of the variant `name` (from serve.mjs's variants()) at CPU throttle `rate`, not yet loaded, served
 * from `origin`. `widget` is 'rebound', 'sentry' or null.
 */
export async function open(browser, { origin, name, widget, rate }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.startsWith('data:')) requests.set(e.requestId, { url: e.request.url, type: e.type, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const request = requests.get(e.requestId);
    if (request) request.bytes = e.encodedDataLength;
  });
  await cdp.send('Network.enable');
  // Thread time, not wall time: a busy machine that takes the CPU away from the page inflates it much less.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  // The button is watched from the first moment, so that its time counts from navigation start.
  const watch = widget ? `\n__bench.painted(${JSON.stringify(`${widget}:button`)});` : '';
  await page.addInitScript({ content: PROBE + watch });
  return {
    name,
    widget,
    page,
    cdp,
    url: `${origin}/${name}.html`,
    close: () => context.close(),
    /** Bytes received (headers and encoded body) for every request but the page's own document. */
    widgetBytes: () => [...requests.values()].filter((r) => r.type !== 'Document').reduce((sum, r) => sum + r.bytes, 0),
    requests: () => [...requests.values()].map(({ url, type, bytes }) => ({ path: new URL(url).pathname, type, bytes })),
  };
}

/**
 * Loads the page and waits for its button (when it has a widget) and SETTLE_MS more. Returns the load phase's
 * figures: widget bytes, main-thread script and task time, long tasks and total blocking time, layout shift and
 * what moved, `load`, LCP, when the button was painted, scroll-blocking listeners, wasm memory and JS heap after a
 * garbage collection.
 */
export async function load(p) {
  await p.page.goto(p.url, { waitUntil: 'load' });
  const button = p.widget
    ? await patiently(p.page.evaluate((n) => __bench.painted(n), `${p.widget}:button`), `${p.name}: button`)
    : null;
  await sleep(SETTLE_MS);
  const { script, task } = await counters(p.cdp);
  const seen = await p.page.evaluate(() => ({
    load: performance.getEntriesByType('navigation')[0].loadEventStart,
    lcp: __bench.lcp,
    layoutShift: __bench.layoutShift,
    longTasks: __bench.longTasks,
    shifts: __bench.shifts,
    blockingListeners: __bench.blockingListeners,
    wasm: __bench.wasmBytes(),
  }));
  await p.cdp.send('HeapProfiler.collectGarbage');
  const { heap } = await counters(p.cdp);
  return {
    bytes: p.widgetBytes(),
    script,
    task,
    longTasks: seen.longTasks.length,
    longestTask: Math.max(0, ...seen.longTasks.map((t) => t.duration)),
    blocking: seen.longTasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
    layoutShift: seen.layoutShift,
    shifts: seen.shifts,
    blockingListeners: seen.blockingListeners.length,
    blockingListenersAdded: seen.blockingListeners,
    load: seen.load,
    lcp: seen.lcp,
    button,
    wasm: seen.wasm,
    heap,
    requests: p.requests(),
  };
}

/**
 * Leaves `pages` alone together for `seconds` and returns, by page name, the timer wake-ups in that window (total
 * and by kind), the timeouts and intervals still set at its end, and the main-thread task and script time it took. A page in
 * `active` gets a pointer move first, so that a dwell trigger counts the visitor as present.
 */
export async function idle(pages, seconds, active = []) {
  for (const p of pages.filter((p) => active.includes(p.name))) {
    await p.page.mouse.move(300, 300);
    await p.page.mouse.move(320, 310, { steps: 2 });
  }
  const reset = () => {
    __bench.resetWakeups();
  };
  const read = () => ({ wakeups: { ...__bench.wakeups }, timeouts: __bench.timeouts.size, intervals: __bench.intervals.size });
  const before = await Promise.all(pages.map(async (p) => [await p.page.evaluate(reset), await counters(p.cdp)][1]));
  await sleep(seconds * 1000);
  const after = await Promise.all(pages.map(async (p) => ({ seen: await p.page.evaluate(read), time: await counters(p.cdp) })));
  return Object.fromEntries(
    pages.map((p, i) => {
      const { seen, time } = after[i];
      const total = Object.values(seen.wakeups).reduce((a, b) => a + b, 0);
      return [
        p.name,
        {
          wakeups: total,
          wakeupsPerSecond: total / seconds,
          byKind: seen.wakeups,
          timeouts: seen.timeouts,
          intervals: seen.intervals,
          task: time.task - before[i].task,
          script: time.script - before[i].script,
        },
      ];
    }),
  );
}

/** Centre of the widget's button, in viewport pixels. */
async function buttonCentre(p) {
  const box = await p.page.locator(BUTTON[p.widget]).boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Clicks the widget's button and returns the ms from the pointer press to the dialog painted, and the widget's
 * bytes and wasm memory once it is open. With `hover`, the pointer rests on the button for HOVER_MS first;
 * without, it arrives and presses at once (the intent and the click come in the same moment).
 */
export async function clickToDialog(p, { hover }) {
  const dialog = `${p.widget}:dialog`;
  const { x, y } = await buttonCentre(p);
  if (hover) {
    await p.page.mouse.move(x, y, { steps: 3 });
    await sleep(HOVER_MS);
  }
  await p.page.evaluate((n) => {
    __bench.painted(n);
  }, dialog);
  await p.page.mouse.move(x, y);
  await p.page.mouse.down();
  await p.page.mouse.up();
  const painted = await patiently(p.page.evaluate((n) => __bench.painted(n), dialog), `${p.name}: dialog`);
  const pressAt = await p.page.evaluate(() => __bench.pressAt);
  if (pressAt === null) throw new Error('the page saw no pointerdown');
  await sleep(500);
  return { ms: painted - pressAt, bytes: p.widgetBytes(), wasm: await p.page.evaluate(() => __bench.wasmBytes()) };
}

/**
 * Moves the pointer fast out through the top of the viewport, as a visitor leaving does, and returns the ms from
 * the pointer leaving the page to the survey card painted, and the widget's bytes and wasm memory with it shown.
 */
export async function exitToSurvey(p) {
  await p.page.evaluate(() => {
    __bench.painted('rebound:survey');
  });
  await p.page.mouse.move(400, 300);
  await p.page.mouse.move(400, 2, { steps: 4 });
  await p.page.mouse.move(400, -20, { steps: 2 });
  const painted = await patiently(p.page.evaluate(() => __bench.painted('rebound:survey')), `${p.name}: survey`);
  const exitAt = await p.page.evaluate(() => __bench.exitAt);
  if (exitAt === null) throw new Error('the page saw the pointer leave through no mouseout');
  await sleep(500);
  return { ms: painted - exitAt, bytes: p.widgetBytes(), wasm: await p.page.evaluate(() => __bench.wasmBytes()) };
}
