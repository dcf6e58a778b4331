// The loader: what both entries run. `cargo xtask dist` joins this file with wasm-bindgen's glue of the eager core
// (which defines `__wbg_init`, and `startCore`: its `start`, renamed) and one entry: `src/tag.js` for the script
// tag (pkg/rebound.js, one function scope, so that nothing but `window.Rebound` reaches the page's globals) or
// `src/module.js` for bundlers (pkg/rebound.mjs, an ES module); see xtask/src/entries.rs.
//
// `rebound` makes the widget's API at once (calls made before the widget is ready are queued), fetches the eager
// core (`rebound_bg.wasm`) at the page's `load` event and starts it in a task after that. The core draws
// the button and calls `need` when this page view can use the full widget; the loader then imports
// `rebound_full.js` (or `rebound_dialog.js`, the full widget without surveys, when the options configure none)
// and its wasm, starts it with the core, whose button it takes over (and with what the visitor
// did meanwhile), and replays the queued calls. When the page view only has answers of earlier pages to send, the
// core calls `need('flush')` instead, and the loader starts the outbox part (`rebound_flush.js`) with what the
// core read. Every failure ends as one console line; nothing is thrown into the page.
var win = window;
var doc = document;
// Fetches a wasm file: the response itself when the server sends `application/wasm` (streaming compilation
// needs it), its bytes for any other content type.
var fetchWasm = function (url) {
  return fetch(url).then(
    function (res) {
      if (!res.ok) throw Error(url + ' answered HTTP ' + res.status);
      return /^application\/wasm/.test(res.headers.get('content-type')) ? res : res.arrayBuffer();
    },
    function () {
      throw Error('could not fetch ' + url + ' (network, CORS, or the CSP connect-src)');
    },
  );
};
// The eager core's wasm, fetched from `url` and instantiated once, however often it is asked for (a start that
// failed forgets it, so the next one fetches it again).
var compiled;
var compile = function (url) {
  return (compiled =
    compiled ||
    fetchWasm(url).then(function (module) {
      return __wbg_init({ module_or_path: module });
    }));
};
var fail = function (why) {
  console.error('rebound: ' + why + '; the widget is off');
};
// Starts the widget and returns its API. `script` is the `<script>` element whose `data-*` attributes and `nonce`
// are read, or `null`; `options()` returns the options object (read when each module starts, so a page may set
// `window.ReboundConfig` after the tag); `here(file)` is the URL of one of the widget's files; `part(name)` imports
// the module of a part (`full`, `dialog`, `flush`); `ready(core)` hears the core once it started, or `null` when
// the widget stays off.
var rebound = function (script, options, here, part, ready) {
  var queue = [];
  var handlers = [];
  // The eager core, the full widget once it is here, and whether it is on its way; the outbox part, once asked
  // for (`1` until it started).
  var core;
  var widget;
  var coming;
  var flusher;
  var gone;
  // A call the full widget answers: made at once when it is here, queued until then. Of `identify`, `setContext`
  // and `setConsent` only the latest call counts; `open` and `show` ask the core for the full widget, and `track`
  // is dropped when the options configure no survey that could hear it.
  var later = function (name) {
    return function () {
      var args = arguments;
      if (widget) widget[name].apply(widget, args);
      else if (!(name == 'track' && core && !core.surveys)) {
        if (/^(identify|setContext|setConsent)$/.test(name)) {
          queue = queue.filter(function (call) {
            return call[0] != name;
          });
        }
        queue.push([name, args]);
        wake();
      }
      return api;
    };
  };
  var wake = function () {
    queue.some(function (call) {
      return call[0] == 'open' || call[0] == 'show';
    }) &&
      core &&
      core.need();
  };
  var api = {
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
      win.removeEventListener('popstate', routed);
      win.removeEventListener('hashchange', routed);
      unheard();
      stopFlush();
      widget && widget.destroy();
      core && core.destroy();
      if (win.Rebound == api) delete win.Rebound;
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
  };
  // SPA route changes: the page's own history calls keep their `this`, arguments and return value; the widget
  // only hears about them afterwards (the full widget hears popstate and hashchange itself; until it is here,
  // the core is told, so that it fetches the full widget when a survey may show on the new route).
  var route = function () {
    if (gone) return;
    // Another path is another page view: how deep the last one was scrolled does not count for it.
    if (location.pathname != path) deepest = 0;
    path = location.pathname;
    widget ? widget.route() : core && core.route();
  };
  ['pushState', 'replaceState'].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      route();
      return result;
    };
  });
  var routed = function () {
    widget || route();
  };
  win.addEventListener('popstate', routed);
  win.addEventListener('hashchange', routed);
  // What the visitor did before the full widget came, which its surveys hear when they start: how deep the page
  // was scrolled (the visitor, or the page, may have scrolled back up since) and when a key was last pressed (a
  // survey does not appear in the middle of typing).
  var deepest = 0;
  var typed = 0;
  var path = location.pathname;
  var scrolled = function () {
    deepest = Math.max(deepest, win.scrollY);
  };
  var keyed = function () {
    typed = Date.now();
  };
  var unheard = function () {
    win.removeEventListener('scroll', scrolled);
    doc.removeEventListener('keydown', keyed);
  };
  win.addEventListener('scroll', scrolled, { passive: true });
  doc.addEventListener('keydown', keyed, { passive: true });
  // Resolves in a task of its own: compiling and instantiating a wasm, starting it and drawing its part each get
  // a task, so that none of them is a long one for the page.
  var tick = function () {
    return new Promise(function (resolve) {
      setTimeout(resolve);
    });
  };
  var message = function (e) {
    return String((e && e.message) || e);
  };
  // A part's module, with its wasm fetched and instantiated, in a task after that.
  var load = function (name) {
    var m;
    return part(name)
      .then(function (module) {
        m = module;
        return fetchWasm(here('rebound_' + name + '_bg.wasm'));
      })
      .then(function (wasm) {
        return m.default({ module_or_path: wasm });
      })
      .then(tick)
      .then(function () {
        return m;
      });
  };
  // The outbox part sends the answers earlier pages left, unless the full widget is here or on its way to do it.
  var flush = function (outbox, days) {
    if (flusher || coming || widget || gone) return;
    flusher = 1;
    load('flush')
      .then(function (m) {
        if (flusher == 1 && !gone) flusher = m.flush(outbox, days);
      })
      .catch(function (e) {
        console.error(
          'rebound: the answers earlier pages left could not be sent (' + message(e) + '); the next page view tries again',
        );
      });
  };
  // The full widget sends the outbox itself from now on.
  var stopFlush = function () {
    flusher && flusher.stop && flusher.stop();
    flusher = 2;
  };
  // The core asks for the full widget (`name` is `full`, or `dialog` for the dialog part, the full widget without
  // surveys, when the options configure none): its module and wasm are fetched, it starts with the core, whose
  // button it takes over when it mounts, and the queued calls are made. A failure tells the core, which says so;
  // its next ask tries again. With `flush`, it asks for the outbox part instead, to send to `outbox` (the
  // endpoint, then the headers' names and values, one a line) what is not older than `days`.
  var need = function (name, outbox, days) {
    if (name == 'flush') return flush(outbox, days);
    if (coming || gone) return;
    coming = 1;
    load(name)
      .then(function (full) {
        if (gone) return null;
        stopFlush();
        return full.start(script, options(), core, here('rebound_' + name + '.js'), tick, function () {
          // The full widget mounts; its surveys hear the page themselves from their start.
          unheard();
          return [deepest, typed];
        });
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
        coming = 0;
        gone || core.failed(message(e));
      });
  };
  // At `load`, the core's wasm is fetched and compiled (off the main thread, as it streams in) while the page
  // finishes its own work; it starts in the task after that (not at an idle moment of the page: waiting for one
  // put the button 50 ms later at 1x, and the core's tasks are short ones).
  var boot = function () {
    if (gone) return;
    if (typeof WebAssembly != 'object') return off('this browser cannot run WebAssembly');
    compile(here('rebound_bg.wasm'))
      .then(tick)
      .then(function () {
        return gone ? null : startCore(script, options(), need, tick);
      })
      .then(function (c) {
        if (c && gone) c.destroy();
        if (!c || gone) return ready(null);
        core = c;
        // Without surveys, nothing will hear what the visitor did.
        c.surveys || unheard();
        wake();
        ready(c);
      })
      .catch(function (e) {
        compiled = 0;
        off(message(e));
      });
  };
  var off = function (why) {
    fail(why);
    ready(null);
  };
  if (doc.readyState == 'complete') boot();
  else win.addEventListener('load', boot, { once: true });
  return api;
};
