// The widget bench (`cargo xtask bench`): the same product page with no widget, with Rebound from pkg/ and with
// Sentry's feedback widget, in headless Chromium at each CPU throttle, several runs in alternating order; writes
// bench.md and bench.json and judges issue 10's budgets. Exits non-zero when a figure is missing, and when a
// budget fails only with --check.
//
// usage: node tests/bench/widget.mjs [--runs N] [--quick] [--check] [--idle-seconds S] [--out DIR] [--pkg DIR]
//   --quick: 1 run, no throttle, a 3 s idle window (what `cargo xtask test` runs so that the bench cannot rot)
//   --out, --pkg: where to write the reports and which built widget to load; `cargo xtask bench` sets their
//   defaults through REBOUND_BENCH_OUT and REBOUND_PKG
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { clickToDialog, exitToSurvey, idle, launch, load, open } from './measure.mjs';
import { budgets, markdown, summarise } from './report.mjs';
import { start, variants } from './serve.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'idle-seconds': { type: 'string' },
    out: { type: 'string', default: process.env.REBOUND_BENCH_OUT || 'target/bench' },
    pkg: { type: 'string', default: process.env.REBOUND_PKG || 'pkg' },
  },
});
const runs = Number(args.runs ?? (args.quick ? 1 : 7));
const idleSeconds = Number(args['idle-seconds'] ?? (args.quick ? 3 : 30));
const rates = args.quick ? [1] : [1, 4];
if (!(Number.isInteger(runs) && runs > 0 && idleSeconds > 0)) {
  console.error('bench: --runs must be a whole number above 0 and --idle-seconds a number above 0');
  process.exit(2);
}
const pkg = resolve(args.pkg);

const chromium = process.env.CHROMIUM || '/usr/bin/chromium';

/** The variants whose load is measured, in the order of even runs; odd runs take them the other way round. */
const LOADED = ['plain', 'rebound', 'rebound-survey', 'sentry'];
/** The widgets whose dialog is opened. */
const CLICKED = ['rebound', 'sentry'];

const all = variants();
const server = await start(pkg);
const browser = await launch(chromium);
const pageOf = (name, rate) => open(browser, { origin: server.origin, name, widget: all[name].widget, rate });

/**
 * One run at CPU throttle `rate`: every figure of every variant, the variants taken in `order`. The loads are
 * measured one page at a time, and those pages then sit through the idle window together; each interaction gets
 * a page of its own, so that none follows another or a long idle window. A step that fails (a button that never
 * shows, a dialog that never opens) is recorded in `errors` and leaves its figures missing; the run goes on.
 */
async function run(rate, order) {
  const sample = { order, load: {}, idle: {}, click: {}, hoverClick: {}, errors: [] };
  const attempt = async (what, step) => {
    try {
      return await step();
    } catch (error) {
      const message = `${what}: ${String(error.message).split('\n')[0]}`;
      console.error(`bench: ${message}`);
      sample.errors.push(message);
      return undefined;
    }
  };
  const pages = {};
  try {
    for (const name of order) {
      pages[name] = await pageOf(name, rate);
      sample.load[name] = await attempt(`${name} load`, () => load(pages[name]));
    }
    // The dwell page only runs in the idle window: its load is the same as the plain Rebound page's.
    pages['rebound-dwell'] = await pageOf('rebound-dwell', rate);
    await attempt('rebound-dwell load', () => load(pages['rebound-dwell']));
    sample.idle = (await attempt('idle', () => idle(Object.values(pages), idleSeconds, ['rebound-dwell']))) ?? {};
  } finally {
    await Promise.all(Object.values(pages).map((p) => p.close()));
  }
  /** Loads a fresh page of `name`, lets `act` interact with it, and closes it. */
  const fresh = async (name, what, act) => {
    const p = await pageOf(name, rate);
    try {
      return await attempt(`${name} ${what}`, async () => {
        await load(p);
        return act(p);
      });
    } finally {
      await p.close();
    }
  };
  for (const name of order) {
    if (CLICKED.includes(name)) {
      sample.click[name] = await fresh(name, 'click', (p) => clickToDialog(p, { hover: false }));
      sample.hoverClick[name] = await fresh(name, 'hover and click', (p) => clickToDialog(p, { hover: true }));
    } else if (name === 'rebound-survey') {
      sample.exit = await fresh(name, 'exit intent', exitToSurvey);
    }
  }
  return sample;
}

const loadAtStart = loadavg();
const samples = Object.fromEntries(rates.map((rate) => [rate, []]));
try {
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...LOADED].reverse() : LOADED;
    for (const rate of i % 2 ? [...rates].reverse() : rates) {
      console.log(`bench: run ${i + 1}/${runs} at ${rate}x: ${order.join(', ')}`);
      samples[rate].push(await run(rate, order));
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

const { summary, missing } = summarise(samples);
const verdicts = budgets(summary);
const meta = {
  command: ['cargo xtask bench', ...process.argv.slice(2)].join(' '),
  date: new Date().toISOString(),
  runs,
  rates,
  idleSeconds,
  browser: `Chromium ${browser.version()}`,
  rebound: JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version,
  pkg: args.pkg,
  pkgFiles: readdirSync(pkg).sort(),
  sentry: JSON.parse(readFileSync(new URL('../../node_modules/@sentry/browser/package.json', import.meta.url), 'utf8')).version,
  sentryBundleBytes: server.sentryBytes,
  posts: server.posts,
  loadAverage: { start: loadAtStart, end: loadavg() },
};
const errors = Object.entries(samples).flatMap(([rate, list]) =>
  list.flatMap((sample, i) => sample.errors.map((e) => `run ${i + 1} at ${rate}x: ${e}`)),
);
const report = markdown({ meta, summary, verdicts, missing, errors });
mkdirSync(args.out, { recursive: true });
writeFileSync(join(args.out, 'bench.md'), report);
writeFileSync(join(args.out, 'bench.json'), JSON.stringify({ meta, verdicts, missing, errors, summary, samples }, null, 2));
console.log(`\n${report}\nbench: wrote ${join(args.out, 'bench.md')} and bench.json`);

const failed = verdicts.filter((v) => !v.pass);
if (missing.length) {
  console.error(`bench: ${missing.length} figure(s) missing: ${missing.join(', ')}`);
  process.exit(1);
}
if (args.check && failed.length) {
  console.error(`bench --check: ${failed.length} of ${verdicts.length} budgets fail`);
  process.exit(1);
}
