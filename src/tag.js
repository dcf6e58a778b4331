// The script tag's entry (pkg/rebound.js, after `src/loader.js`): `window.Rebound` at once, the options from the
// tag's `data-*` attributes and `window.ReboundConfig`, every file of the widget next to the script's own URL, so
// it works from any origin and path.
if (!win.Rebound) {
  var script = doc.currentScript;
  if (!script || !script.src) fail('could not find its own script tag');
  else {
    var here = function (file) {
      return new URL(file, script.src).href;
    };
    win.Rebound = rebound(
      script,
      function () {
        return win.ReboundConfig;
      },
      here,
      function (name) {
        return import(here('rebound_' + name + '.js'));
      },
      function () {},
    );
  }
}
