//! The classic script a page loads with one tag. wasm-bindgen's ES module glue of the eager core cannot run in a
//! `<script>` without `type="module"`; this module joins it and `src/loader.js` in one function scope, its exports
//! dropped and `import.meta.url` replaced by the script's own URL (so the wasm is found next to it, from any
//! origin and path). Every rewrite must match exactly as expected, or the build fails: a new wasm-bindgen
//! version that writes different code is caught here, not on a page.

use anyhow::{ensure, Result};

/// The glue's exports, which the loader calls by name instead.
const GLUE_EXPORTS: &str = "export { initSync, __wbg_init as default };";

/// The classic script: `glue` (wasm-bindgen `--target web`) and `loader`.
pub fn script(glue: &str, loader: &str) -> Result<String> {
    let count = glue.matches(GLUE_EXPORTS).count();
    ensure!(
        count == 1,
        "`{GLUE_EXPORTS}` found {count} times in the glue, expected once"
    );
    let glue = glue
        .replacen(GLUE_EXPORTS, "", 1)
        .replace("export class ", "class ")
        .replace("export function ", "function ");
    ensure!(
        !glue.contains("export ") && !glue.contains("import "),
        "the glue imports or exports something the script does not expect"
    );
    ensure!(
        glue.contains("import.meta.url"),
        "the glue no longer locates its wasm with import.meta.url"
    );
    let glue = glue.replace("import.meta.url", "script.src");
    // The newline before the end keeps a last `//` comment in the loader from swallowing the closing `})();`.
    Ok(format!(
        "(function(){{\"use strict\";\n{glue}\n{loader}\n}})();\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "export class Eager {}\nexport function start() {}\n\
        function f() { return new URL('rebound_bg.wasm', import.meta.url); }\n\
        export { initSync, __wbg_init as default };";

    #[test]
    fn joins_glue_and_loader_in_one_scope() {
        let script = script(GLUE, "var script = document.currentScript;").unwrap();
        assert!(script.starts_with("(function(){\"use strict\";"));
        assert!(!script.contains("export "));
        assert!(!script.contains("import.meta.url") && script.contains("script.src"));
    }

    #[test]
    fn fails_when_the_glue_changed_shape() {
        let changed = GLUE.replace(
            "export { initSync, __wbg_init as default };",
            "export default init;",
        );
        assert!(script(&changed, "").is_err());
    }
}
