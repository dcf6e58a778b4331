// Instrumentation the widget bench adds to every page before the page's own scripts run (an init script), the same
// on every variant so that its own small cost cancels out. It keeps, in `window.__bench`:
// - wake-ups: each time a setTimeout, setInterval, requestAnimationFrame or requestIdleCallback callback of the page
//   runs, and the timeouts and intervals still set (the bench's own timing uses the unwrapped originals);
// - long tasks, layout shifts (with the elements that moved) and the largest contentful paint, from
//   PerformanceObserver;
// - every WebAssembly.Memory the page instantiates or creates, to sum their sizes;
// - the touch and wheel listeners that are not passive, which make the browser wait for them before it scrolls;
// - `painted(name)`: when a widget element (button, dialog, survey card) is first visible and painted.
(() => {
  const original = {
    setTimeout: window.setTimeout,
    clearTimeout: window.clearTimeout,
    setInterval: window.setInterval,
    clearInterval: window.clearInterval,
    requestAnimationFrame: window.requestAnimationFrame,
    requestIdleCallback: window.requestIdleCallback,
    instantiate: WebAssembly.instantiate,
    instantiateStreaming: WebAssembly.instantiateStreaming,
    Instance: WebAssembly.Instance,
    Memory: WebAssembly.Memory,
    attachShadow: Element.prototype.attachShadow,
    addEventListener: EventTarget.prototype.addEventListener,
  };
  const bench = {
    wakeups: { timeout: 0, interval: 0, frame: 0, idle: 0 },
    timeouts: new Set(),
    intervals: new Set(),
    longTasks: [],
    layoutShift: 0,
    shifts: [],
    lcp: null,
    memories: new Set(),
    blockingListeners: [],
    exitAt: null,
    pressAt: null,
  };
  window.__bench = bench;

  // Timers: count the callback when it runs, which is when the main thread wakes up for it.
  const counted = (kind, fn) =>
    function (...args) {
      bench.wakeups[kind]++;
      return fn.apply(this, args);
    };
  window.setTimeout = function (fn, ...rest) {
    if (typeof fn !== 'function') return original.setTimeout.call(window, fn, ...rest);
    const run = counted('timeout', fn);
    const id = original.setTimeout.call(
      window,
      function (...args) {
        bench.timeouts.delete(id);
        return run.apply(this, args);
      },
      ...rest,
    );
    bench.timeouts.add(id);
    return id;
  };
  window.clearTimeout = function (id) {
    bench.timeouts.delete(id);
    return original.clearTimeout.call(window, id);
  };
  window.setInterval = function (fn, ...rest) {
    const id = original.setInterval.call(window, typeof fn === 'function' ? counted('interval', fn) : fn, ...rest);
    bench.intervals.add(id);
    return id;
  };
  window.clearInterval = function (id) {
    bench.intervals.delete(id);
    return original.clearInterval.call(window, id);
  };
  window.requestAnimationFrame = function (fn) {
    return original.requestAnimationFrame.call(window, counted('frame', fn));
  };
  if (original.requestIdleCallback) {
    window.requestIdleCallback = function (fn, options) {
      return original.requestIdleCallback.call(window, counted('idle', fn), options);
    };
  }
  bench.resetWakeups = () => {
    for (const kind of Object.keys(bench.wakeups)) bench.wakeups[kind] = 0;
  };

  // WebAssembly: remember every memory, exported or created, however the module was instantiated.
  const keepMemories = (instance) => {
    for (const value of Object.values(instance.exports)) if (value instanceof original.Memory) bench.memories.add(value);
  };
  const keepFromResult = (result) => {
    keepMemories(result instanceof original.Instance ? result : result.instance);
    return result;
  };
  WebAssembly.instantiate = function (...args) {
    return original.instantiate.apply(this, args).then(keepFromResult);
  };
  if (original.instantiateStreaming) {
    WebAssembly.instantiateStreaming = function (...args) {
      return original.instantiateStreaming.apply(this, args).then(keepFromResult);
    };
  }
  WebAssembly.Instance = new Proxy(original.Instance, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget);
      keepMemories(instance);
      return instance;
    },
  });
  WebAssembly.Memory = new Proxy(original.Memory, {
    construct(target, args, newTarget) {
      const memory = Reflect.construct(target, args, newTarget);
      bench.memories.add(memory);
      return memory;
    },
  });
  bench.wasmBytes = () => [...bench.memories].reduce((sum, memory) => sum + memory.buffer.byteLength, 0);

  // Scroll-blocking listeners: a touch or wheel listener that is not passive, where Chromium does not make it
  // passive by default (on the window, the document and its root and body elements it does, unless told not to).
  const SCROLL_BLOCKING = new Set(['touchstart', 'touchmove', 'wheel', 'mousewheel']);
  const passiveByDefault = (target) =>
    target === window || target === document || target === document.documentElement || target === document.body;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (SCROLL_BLOCKING.has(type)) {
      const passive = typeof options === 'object' && options !== null ? options.passive : undefined;
      if (passive === false || (passive === undefined && !passiveByDefault(this))) {
        bench.blockingListeners.push(`${type} on ${this.nodeName?.toLowerCase() ?? String(this)}`);
      }
    }
    return original.addEventListener.call(this, type, listener, options);
  };

  const observe = (type, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true });
    } catch {
      // An entry type this browser does not know leaves its figure empty, which the report shows as missing.
    }
  };
  observe('longtask', (e) => bench.longTasks.push({ start: e.startTime, duration: e.duration }));
  // As Cumulative Layout Shift counts them: shifts right after the visitor's own input are expected.
  observe('layout-shift', (e) => {
    if (e.hadRecentInput) return;
    bench.layoutShift += e.value;
    const name = (node) => {
      if (!node) return '?';
      const where = node.getRootNode() instanceof ShadowRoot ? `${node.getRootNode().host.nodeName.toLowerCase()} shadow: ` : '';
      return where + node.nodeName.toLowerCase() + (node.className ? `.${node.className}` : '');
    };
    const moved = e.sources.map((source) => name(source.node));
    bench.shifts.push({ at: e.startTime, value: e.value, moved });
  });
  observe('largest-contentful-paint', (e) => (bench.lcp = e.startTime));

  // When the pointer is pressed, and when it leaves the page through its top (exit intent), in page time.
  addEventListener('pointerdown', (e) => (bench.pressAt = e.timeStamp), { capture: true, passive: true });
  document.addEventListener(
    'mouseout',
    (e) => {
      if (!e.relatedTarget && e.clientY <= 0) bench.exitAt = e.timeStamp;
    },
    { capture: true, passive: true },
  );

  // The widgets' elements live in shadow roots, which a document MutationObserver does not see: every shadow root
  // the page attaches is observed too, so a widget element is noticed in the task that adds or reveals it.
  const watchers = new Set();
  const notify = () => watchers.forEach((check) => check());
  const mutations = new MutationObserver(notify);
  const watch = (root) => mutations.observe(root, { subtree: true, childList: true, attributes: true });
  watch(document);
  Element.prototype.attachShadow = function (...args) {
    const root = original.attachShadow.apply(this, args);
    watch(root);
    return root;
  };

  const shadow = (host) => document.querySelector(host)?.shadowRoot;
  const find = {
    'rebound:button': () => shadow('rebound-widget')?.querySelector('button.launcher'),
    'rebound:dialog': () => shadow('rebound-widget')?.querySelector('.panel'),
    'rebound:survey': () => shadow('rebound-widget')?.querySelector('.card'),
    'sentry:button': () => shadow('#sentry-feedback')?.querySelector('.widget__actor'),
    'sentry:dialog': () => shadow('#sentry-feedback')?.querySelector('dialog.dialog'),
  };
  const visible = (el) => !!el && el.isConnected && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  const painted = new Map();
  // Resolves to the page time just after the frame that first shows `name` was painted: the element is seen
  // visible, the next animation frame runs before that frame's paint, and a message posted from it arrives after.
  bench.painted = (name) => {
    if (painted.has(name)) return painted.get(name);
    const promise = new Promise((resolve) => {
      let seen = false;
      const afterPaint = () => {
        original.requestAnimationFrame.call(window, () => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now());
          channel.port2.postMessage(null);
        });
      };
      let polling = false;
      const check = () => {
        if (seen) return;
        const el = find[name]();
        if (visible(el)) {
          seen = true;
          watchers.delete(check);
          afterPaint();
        } else if (el && !polling) {
          // A style change can reveal an element without a mutation: once it exists, look every frame too.
          polling = true;
          const poll = () => {
            check();
            if (!seen) original.requestAnimationFrame.call(window, poll);
          };
          original.requestAnimationFrame.call(window, poll);
        }
      };
      watchers.add(check);
      check();
    });
    painted.set(name, promise);
    return promise;
  };
})();
