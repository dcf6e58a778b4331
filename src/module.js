// The ES module entry for bundlers (pkg/rebound.mjs, after `src/loader.js`): the same widget as the script tag's,
// eager core first and the full widget only when the page view can use it, without `window.Rebound`. Its files
// are found next to this module (`import.meta.url`); the modules of the parts (the full widget, the outbox part)
// are imported by literal paths, so a bundler that splits code makes each a chunk of its own.
var here = function (file) {
  return new URL(file, import.meta.url).href;
};

// Fetches and instantiates the eager core now, instead of at the page's `load` event; optional.
export default function init() {
  return compile(here('rebound_bg.wasm')).then(function () {});
}

// Starts the widget: `script` is a `<script>` element whose `data-*` attributes are read, or `null`; `config` holds
// the options. Resolves to the widget's API once the button is drawn (after the page's `load` event), or to
// `undefined` when the widget stays off (the reason is on the console). Never rejects.
export function start(script, config) {
  return new Promise(function (resolve) {
    var api = rebound(
      script,
      function () {
        return config;
      },
      here,
      function (name) {
        return name == 'full'
          ? import('./rebound_full.js')
          : name == 'dialog'
            ? import('./rebound_dialog.js')
            : import('./rebound_flush.js');
      },
      function (core) {
        resolve(core ? api : undefined);
      },
    );
  });
}
