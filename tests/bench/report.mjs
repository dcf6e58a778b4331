// The widget bench's figures from its raw samples: medians and spreads per CPU throttle and page variant, the
// budgets of issue 10 with pass or fail and their margin, and the Markdown report (bench.md).

/** The columns of the report: each page variant the bench loads, in order. */
export const COLUMNS = [
  ['plain', 'no widget'],
  ['rebound', 'Rebound'],
  ['rebound-survey', 'Rebound, exit survey eligible'],
  ['rebound-dwell', 'Rebound, dwell survey counting'],
  ['sentry', 'Sentry feedback'],
];

/** Where each kind of figure applies. */
const LOADED = ['plain', 'rebound', 'rebound-survey', 'sentry'];
const WIDGETS = ['rebound', 'rebound-survey', 'sentry'];
const CLICKED = ['rebound', 'sentry'];
const SURVEY = ['rebound-survey'];
const EVERY = COLUMNS.map(([variant]) => variant);

/** Reading one run's sample for a variant: a number, or NaN or undefined when the run did not produce it. */
const loaded = (key) => (s, v) => s.load[v]?.[key];
/** The variant's figure minus the no-widget page's in the same run. */
const added = (key) => (s, v) => s.load[v]?.[key] - s.load.plain?.[key];
const idled = (key) => (s, v) => s.idle[v]?.[key];

/** Every figure: its id, its row label, its unit, the variants it applies to, and how to read it from a run. */
export const METRICS = [
  { id: 'bytes', label: 'bytes downloaded by the widget, to load', unit: 'KB', in: WIDGETS, of: loaded('bytes') },
  { id: 'bytesDialog', label: 'bytes downloaded, dialog opened', unit: 'KB', in: CLICKED, of: (s, v) => s.click[v]?.bytes },
  { id: 'bytesSurvey', label: 'bytes downloaded, survey shown', unit: 'KB', in: SURVEY, of: (s) => s.exit?.bytes },
  { id: 'script', label: 'main-thread script time, whole page', unit: 'ms', in: LOADED, of: loaded('script') },
  { id: 'addedScript', label: 'added main-thread script time', unit: 'ms', in: WIDGETS, of: added('script') },
  { id: 'task', label: 'main-thread task time, whole page', unit: 'ms', in: LOADED, of: loaded('task') },
  { id: 'addedTask', label: 'added main-thread task time', unit: 'ms', in: WIDGETS, of: added('task') },
  { id: 'longTasks', label: 'long tasks during load', unit: 'count', in: LOADED, of: loaded('longTasks') },
  {
    id: 'addedLongTasks',
    label: "long tasks added (the widget's)",
    unit: 'count',
    in: WIDGETS,
    of: (s, v) => Math.max(0, s.load[v]?.longTasks - s.load.plain?.longTasks),
  },
  { id: 'longestTask', label: 'longest long task during load', unit: 'ms', in: LOADED, of: loaded('longestTask') },
  { id: 'blocking', label: 'total blocking time during load', unit: 'ms', in: LOADED, of: loaded('blocking') },
  { id: 'addedBlocking', label: 'added total blocking time', unit: 'ms', in: WIDGETS, of: added('blocking') },
  { id: 'layoutShift', label: 'layout shift (CLS)', unit: 'cls', in: LOADED, of: loaded('layoutShift') },
  { id: 'load', label: '`load` event', unit: 'ms', in: LOADED, of: loaded('load') },
  { id: 'lcp', label: 'largest contentful paint', unit: 'ms', in: LOADED, of: loaded('lcp') },
  { id: 'button', label: 'button visible (from navigation start)', unit: 'ms', in: WIDGETS, of: loaded('button') },
  { id: 'blockingListeners', label: 'touch and wheel listeners not passive', unit: 'count', in: LOADED, of: loaded('blockingListeners') },
  { id: 'clickDialog', label: 'click to dialog painted, no hover', unit: 'ms', in: CLICKED, of: (s, v) => s.click[v]?.ms },
  { id: 'hoverClickDialog', label: 'click to dialog painted, after a hover', unit: 'ms', in: CLICKED, of: (s, v) => s.hoverClick[v]?.ms },
  { id: 'exitSurvey', label: 'exit intent to survey painted', unit: 'ms', in: SURVEY, of: (s) => s.exit?.ms },
  { id: 'idleWakeups', label: 'idle: timer wake-ups in the window', unit: 'count', in: EVERY, of: idled('wakeups') },
  { id: 'idleWakeupsPerSecond', label: 'idle: timer wake-ups per second', unit: 'per s', in: EVERY, of: idled('wakeupsPerSecond') },
  { id: 'idleTimeouts', label: 'idle: timeouts set at the end (a trigger waiting)', unit: 'count', in: EVERY, of: idled('timeouts') },
  { id: 'idleIntervals', label: 'idle: intervals set', unit: 'count', in: EVERY, of: idled('intervals') },
  { id: 'idleTask', label: 'idle: main-thread task time in the window', unit: 'ms', in: EVERY, of: idled('task') },
  {
    id: 'wasm',
    label: 'wasm memory, largest seen',
    unit: 'MiB',
    in: WIDGETS,
    of: (s, v) => Math.max(s.load[v]?.wasm, s.click[v]?.wasm ?? 0, v === 'rebound-survey' ? s.exit?.wasm : 0),
  },
  { id: 'addedHeap', label: 'JS heap added, after GC', unit: 'KB', in: WIDGETS, of: added('heap') },
];

/** Median, minimum, maximum and count of the finite numbers in `values`. */
function stats(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/**
 * The summary of `samples` ({rate: [sample of each run]}): {rate: {metric: {variant: stats}}}, and the list of
 * figures that are missing from some run (a cell that applies, yet a run did not produce it).
 */
export function summarise(samples) {
  const summary = {};
  const missing = [];
  for (const [rate, runs] of Object.entries(samples)) {
    summary[rate] = {};
    for (const metric of METRICS) {
      summary[rate][metric.id] = {};
      for (const variant of metric.in) {
        const found = stats(runs.map((s) => metric.of(s, variant)));
        summary[rate][metric.id][variant] = found;
        if (!found || found.n < runs.length) missing.push(`${metric.id} of ${variant} at ${rate}x`);
      }
    }
  }
  return { summary, missing };
}

/** `value` in `unit` for the report. */
export function format(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'missing';
  switch (unit) {
    case 'KB':
      return `${(value / 1024).toFixed(1)} KB`;
    case 'MiB':
      return `${(value / 1048576).toFixed(2)} MiB`;
    case 'ms':
      return `${value.toFixed(Math.abs(value) < 10 ? 1 : 0)} ms`;
    case 'cls':
      return value.toFixed(4);
    case 'per s':
      return `${value.toFixed(2)}/s`;
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
}

/** One budget's verdict: what was measured and the limit, as text, whether it holds, and the margin. */
function verdict(name, { measured, limit, unit, strict = false }) {
  const ok = Number.isFinite(measured) && Number.isFinite(limit) && (strict ? measured < limit : measured <= limit);
  const margin = Number.isFinite(measured) && Number.isFinite(limit) ? limit - measured : NaN;
  const marginText = Number.isFinite(margin)
    ? `${format(Math.abs(margin), unit)} ${margin > 0 || (margin === 0 && !strict) ? 'under' : 'over'}`
    : 'missing';
  return { name, measured: format(measured, unit), limit: `${strict ? '<' : '≤'} ${format(limit, unit)}`, margin: marginText, pass: ok };
}

/**
 * The budgets of issue 10, judged on `summary` at the highest throttle measured (4x in a full run) where the issue
 * says 4x, and at every throttle otherwise.
 */
export function budgets(summary) {
  const rates = Object.keys(summary).map(Number).sort((a, b) => a - b);
  const top = rates[rates.length - 1];
  const at = (rate, metric, variant) => summary[rate]?.[metric]?.[variant];
  const median = (rate, metric, variant) => at(rate, metric, variant)?.median ?? NaN;
  const worst = (rate, metric, variant) => at(rate, metric, variant)?.max ?? NaN;
  const list = [
    verdict(`bytes to load, no survey, at most 0.5x Sentry's (${top}x)`, {
      measured: median(top, 'bytes', 'rebound'),
      limit: 0.5 * median(top, 'bytes', 'sentry'),
      unit: 'KB',
    }),
    verdict(`added main-thread task time, no survey, at most 0.5x Sentry's (${top}x)`, {
      measured: median(top, 'addedTask', 'rebound'),
      limit: 0.5 * median(top, 'addedTask', 'sentry'),
      unit: 'ms',
    }),
    verdict(`bytes with a survey shown, fewer than Sentry's (${top}x)`, {
      measured: median(top, 'bytesSurvey', 'rebound-survey'),
      limit: median(top, 'bytes', 'sentry'),
      unit: 'KB',
      strict: true,
    }),
  ];
  for (const rate of rates) {
    list.push(
      verdict(`button visible no later than Sentry's, median (${rate}x)`, {
        measured: median(rate, 'button', 'rebound'),
        limit: median(rate, 'button', 'sentry'),
        unit: 'ms',
      }),
    );
  }
  for (const variant of ['rebound', 'rebound-survey']) {
    list.push(
      verdict(`no long task added by the widget during load, ${variant}, any run (${top}x)`, {
        measured: worst(top, 'addedLongTasks', variant),
        limit: 0,
        unit: 'count',
      }),
    );
  }
  for (const variant of ['rebound', 'rebound-survey']) {
    list.push(
      verdict(`zero layout shift, ${variant}, any run and throttle`, {
        measured: Math.max(...rates.map((r) => worst(r, 'layoutShift', variant))),
        limit: 0,
        unit: 'cls',
      }),
    );
  }
  for (const rate of rates) {
    for (const metric of ['load', 'lcp']) {
      const plain = at(rate, metric, 'plain');
      list.push(
        verdict(`${metric} not later than with no widget beyond its spread (${rate}x)`, {
          measured: median(rate, metric, 'rebound'),
          limit: plain ? plain.median + (plain.max - plain.min) : NaN,
          unit: 'ms',
        }),
      );
    }
  }
  for (const variant of ['rebound', 'rebound-survey']) {
    list.push(
      verdict(`idle with nothing pending: no timer wake-up, ${variant}, any run and throttle`, {
        measured: Math.max(...rates.map((r) => worst(r, 'idleWakeups', variant))),
        limit: 0,
        unit: 'count',
      }),
    );
  }
  list.push(
    verdict('idle while a dwell trigger counts: at most one wake-up a second, any run and throttle', {
      measured: Math.max(...rates.map((r) => worst(r, 'idleWakeupsPerSecond', 'rebound-dwell'))),
      limit: 1,
      unit: 'per s',
    }),
    verdict('listeners passive: no touch or wheel listener that blocks scrolling, Rebound pages, any run and throttle', {
      measured: Math.max(...rates.flatMap((r) => ['rebound', 'rebound-survey'].map((v) => worst(r, 'blockingListeners', v)))),
      limit: 0,
      unit: 'count',
    }),
    verdict('wasm memory at most 2 MiB, any Rebound page, run and throttle', {
      measured: Math.max(...rates.flatMap((r) => ['rebound', 'rebound-survey', 'rebound-dwell'].map((v) => worst(r, 'wasm', v)).filter(Number.isFinite))),
      limit: 2 * 1048576,
      unit: 'MiB',
    }),
  );
  return list;
}

const row = (cells) => `| ${cells.join(' | ')} |`;

/** The Markdown report: how it was run, the budgets, then every figure per throttle. */
export function markdown({ meta, summary, verdicts, missing, errors }) {
  const lines = [
    '# Widget bench',
    '',
    `\`${meta.command}\` on ${meta.date}: ${meta.runs} run(s) per throttle (${meta.rates.map((r) => `${r}x`).join(', ')}), ` +
      `page variants loaded in alternating order, each in a fresh browser context; idle window ${meta.idleSeconds} s. ` +
      `${meta.browser}; Rebound ${meta.rebound} from ${meta.pkg} (${meta.pkgFiles.join(', ')}); ` +
      `Sentry @sentry/browser ${meta.sentry} with feedbackIntegration, bundled by esbuild into one minified script ` +
      `(${format(meta.sentryBundleBytes, 'KB')} raw). Files and pages are served gzip -9 from 127.0.0.1; both widgets load with an async script tag. ` +
      `Machine load average (1 min) ${meta.loadAverage.start[0].toFixed(1)} at the start, ${meta.loadAverage.end[0].toFixed(1)} at the end.`,
    '',
    '## Budgets (issue 10)',
    '',
    row(['budget', 'measured', 'limit', 'margin', 'result']),
    row(['---', '---', '---', '---', '---']),
    ...verdicts.map((v) => row([v.name, v.measured, v.limit, v.margin, v.pass ? 'pass' : '**FAIL**'])),
    '',
    `${verdicts.filter((v) => v.pass).length} of ${verdicts.length} budgets pass.`,
  ];
  if (missing.length) lines.push('', `Missing figures: ${missing.join(', ')}.`);
  if (errors.length) lines.push('', 'Steps that failed:', '', ...errors.map((e) => `- ${e}`));
  for (const [rate, metrics] of Object.entries(summary)) {
    lines.push('', `## Figures at ${rate}x CPU throttle: median (min–max)`, '');
    lines.push(row(['', ...COLUMNS.map(([, label]) => label)]), row(['---', ...COLUMNS.map(() => '---')]));
    for (const metric of METRICS) {
      const cells = COLUMNS.map(([variant]) => {
        const s = metrics[metric.id][variant];
        if (s === undefined) return '–';
        if (s === null) return 'missing';
        const spread = s.n > 1 ? ` (${format(s.min, metric.unit)}–${format(s.max, metric.unit)})` : '';
        return format(s.median, metric.unit) + spread;
      });
      lines.push(row([metric.label, ...cells]));
    }
  }
  lines.push('', '## How', '', ...HOW.map((line) => `- ${line}`), '');
  return lines.join('\n');
}

/** How each figure is measured, for the report's readers. */
const HOW = [
  'Bytes: CDP `Network.loadingFinished` `encodedDataLength` (headers and gzip body) of every request but the page document, from navigation until the figure is taken (to load: 2 s after `load` and the button; dialog: 0.5 s after it painted; survey: 0.5 s after it painted). Sentry\'s include its envelope posts.',
  'Added main-thread time: Chromium\'s `Performance.getMetrics` `ScriptDuration` and `TaskDuration` in thread time (`timeDomain: threadTicks`, which the CPU throttle still slows but other processes on the machine inflate much less than wall time) of the page 2 s after `load` and the button, minus the no-widget page\'s in the same run and throttle (a difference per run, so the spread shows the machine\'s noise too; the whole-page rows show both terms). JS heap: `JSHeapUsedSize` after `HeapProfiler.collectGarbage`, minus the no-widget page\'s.',
  'Long tasks: PerformanceObserver `longtask` until the figures are taken; total blocking time sums their time over 50 ms. The widget\'s long tasks are those its page has beyond the no-widget page in the same run (long animation frames name no script for wasm work, so they cannot attribute it).',
  'Layout shift: `layout-shift` entries without recent input, summed over the load phase (bench.json lists what moved). `load`: the navigation entry\'s `loadEventStart`. LCP: the last `largest-contentful-paint` entry before any input.',
  'Button visible and dialog or survey painted: a MutationObserver on the document and on every shadow root the page attaches notices the element visible (`checkVisibility`); the time is taken after the next animation frame (a message posted from it), so after that frame\'s paint. Click: from the `pointerdown`; without hover the pointer arrives and presses at once, with hover it rests on the button 0.4 s first. Exit intent: from the `mouseout` leaving the page through the top, after a fast move up (the survey is armed 1 s after load).',
  'Idle: every open page is left alone together for the window, after load and before any click; an init script counts the callbacks of setTimeout, setInterval, requestAnimationFrame and requestIdleCallback that run in it (wake-ups), and the timeouts and intervals still set at its end; main-thread time is the `TaskDuration` difference over the window. The dwell page gets a pointer move before the window so that the visitor counts as active.',
  'Listeners: the init script wraps `addEventListener` and counts touchstart, touchmove, wheel and mousewheel listeners added until the load figures are taken that are not passive (explicitly, or by default on other targets than the window, document, root and body), which make the browser wait for them before scrolling. Whether pointer tracking is throttled to animation frames is not measured.',
  'Wasm memory: the byte length of every `WebAssembly.Memory` the page instantiated or created (the init script wraps `WebAssembly.instantiate*`, `Instance` and `Memory`), largest seen at load, dialog or survey.',
];
