// The script-tag loader. `cargo xtask dist` wraps this file, together with wasm-bindgen's glue (which defines
// `__wbg_init` and `start`) and the splitter's chunk loader, in one function scope and minifies it into
// pkg/rebound.js, so nothing but `window.Rebound` reaches the page's globals (see xtask/src/classic.rs).
//
// It defines `window.Rebound` at once (calls made before the wasm is ready are queued), waits for the page's
// `load` event and an idle moment, then fetches the eager wasm next to this script's own URL, so it works from
// any origin and path; the on-demand chunks come from there too, when the widget asks for them. Every failure
// ends as one console line; nothing is thrown into the page.
var win = window;
var doc = document;
if (!win.Rebound) {
  var script = doc.currentScript;
  var queue = [];
  var handlers = [];
  var widget;
  var gone;
  var later = function (name) {
    return function () {
      var args = arguments;
      widget ? widget[name].apply(widget, args) : queue.push([name, args]);
      return api;
    };
  };
  var api = (win.Rebound = {
    open: later('open'),
    close: later('close'),
    setConsent: later('setConsent'),
    track: later('track'),
    show: later('show'),
    // Host data attached to every later answer; a call before the wasm is ready waits in the queue like the others.
    identify: later('identify'),
    setContext: later('setContext'),
    // Removes the widget, its elements and every listener it or `on` added, and frees the global so the script
    // can start a new widget later.
    destroy: function () {
      gone = 1;
      handlers.forEach(function (h) {
        doc.removeEventListener(h[0], h[1]);
      });
      handlers = [];
      widget && widget.destroy();
      delete win.Rebound;
    },
    // Calls `callback(detail)` for each `rebound:<event>` the widget dispatches on `document`.
    on: function (event, callback) {
      var h = [
        'rebound:' + event,
        function (e) {
          callback(e.detail);
        },
      ];
      handlers.push(h);
      doc.addEventListener(h[0], h[1]);
      return api;
    },
  });
  // SPA route changes: the page's own history calls keep their `this`, arguments and return value; the widget
  // only hears about them afterwards (popstate and hashchange it hears itself).
  ['pushState', 'replaceState'].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      if (widget && !gone) widget.route();
      return result;
    };
  });
  // Compiles a chunk the chunk loader fetched: streaming needs the right MIME type; any other server still works
  // through a buffer. A failure rejects, and the widget says on the console what could not be loaded.
  var instantiate = function (fetched, imports) {
    return fetched.then(function (res) {
      if (!res.ok) throw Error(res.url + ' answered HTTP ' + res.status);
      return /^application\/wasm/.test(res.headers.get('content-type'))
        ? WebAssembly.instantiateStreaming(res, imports)
        : res.arrayBuffer().then(function (bytes) {
            return WebAssembly.instantiate(bytes, imports);
          });
    });
  };
  var fail = function (why) {
    console.error('rebound: ' + why + '; the widget is off');
  };
  var boot = function () {
    if (gone) return;
    if (typeof WebAssembly != 'object') return fail('this browser cannot run WebAssembly');
    var url = new URL('rebound_bg.wasm', script.src).href;
    fetch(url)
      .then(
        function (res) {
          if (!res.ok) throw Error(url + ' answered HTTP ' + res.status);
          // Streaming compilation needs the right MIME type; any other server still works through a buffer.
          return /^application\/wasm/.test(res.headers.get('content-type')) ? res : res.arrayBuffer();
        },
        function () {
          throw Error('could not fetch ' + url + ' (network, CORS, or the CSP connect-src)');
        },
      )
      .then(function (module) {
        return __wbg_init({ module_or_path: module });
      })
      .then(function () {
        return gone ? null : start(script, win.ReboundConfig);
      })
      .then(function (w) {
        if (!w) return;
        if (gone) return w.destroy();
        widget = w;
        queue.forEach(function (call) {
          w[call[0]].apply(w, call[1]);
        });
        queue = [];
      })
      .catch(function (e) {
        fail(String((e && e.message) || e));
      });
  };
  var idle = function () {
    win.requestIdleCallback ? requestIdleCallback(boot, { timeout: 500 }) : setTimeout(boot, 1);
  };
  if (!script || !script.src) fail('could not find its own script tag');
  else if (doc.readyState == 'complete') idle();
  else win.addEventListener('load', idle, { once: true });
}
