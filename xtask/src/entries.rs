//! The two entries of the widget, each the eager core's wasm-bindgen glue (made lean by [`crate::glue`]),
//! `src/loader.js` and an entry file in one scope: the classic script a page loads with one tag (`src/tag.js`),
//! and the ES module for bundlers (`src/module.js`). The glue's exports are dropped, its `start` renamed
//! `startCore` (the module exports a `start` of its own); in the classic script, which cannot run an ES module,
//! the whole is one function scope, and the glue may not use `import.meta` (the loader finds every file from the
//! script's own URL, from any origin and path). Every
//! rewrite must match exactly as expected, or the build fails: a new wasm-bindgen version that writes different
//! code is caught here, not on a page.

use anyhow::{ensure, Result};

use crate::glue::LEAN_EXPORTS as GLUE_EXPORTS;
/// The glue's `start`, which the loader calls `startCore`.
const GLUE_START: &str = "export function start(";

/// The classic script: `glue` (wasm-bindgen `--target web`), `loader` and `tag`.
pub fn script(glue: &str, loader: &str, tag: &str) -> Result<String> {
    let glue = inner(glue)?;
    ensure!(
        !glue.contains("import.meta"),
        "the glue uses import.meta, which a classic script cannot"
    );
    // The newline before the end keeps a last `//` comment from swallowing the closing `})();`.
    Ok(format!(
        "(function(){{\"use strict\";\n{glue}\n{loader}\n{tag}\n}})();\n"
    ))
}

/// The ES module: `glue`, `loader` and `entry`, whose exports are the module's.
pub fn module(glue: &str, loader: &str, entry: &str) -> Result<String> {
    Ok(format!("{}\n{loader}\n{entry}", inner(glue)?))
}

/// The glue without its exports, its `start` renamed.
fn inner(glue: &str) -> Result<String> {
    for expected in [GLUE_EXPORTS, GLUE_START] {
        let count = glue.matches(expected).count();
        ensure!(
            count == 1,
            "`{expected}` found {count} times in the glue, expected once"
        );
    }
    let glue = glue
        .replacen(GLUE_EXPORTS, "", 1)
        .replacen(GLUE_START, "function startCore(", 1)
        .replace("export class ", "class ");
    ensure!(
        !glue.contains("export ") && !glue.contains("import "),
        "the glue imports or exports something the entries do not expect"
    );
    Ok(glue)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "export class Eager {}\nexport function start() {}\n\
        function f() { return 1; }\n\
        export { __wbg_init as default };";

    #[test]
    fn joins_glue_loader_and_tag_in_one_scope() {
        let script = script(GLUE, "startCore();", "var script = document.currentScript;").unwrap();
        assert!(script.starts_with("(function(){\"use strict\";"));
        assert!(!script.contains("export "));
        assert!(script.contains("function startCore("));
    }

    #[test]
    fn a_classic_script_cannot_hold_import_meta() {
        let meta = GLUE.replace("return 1;", "return import.meta.url;");
        assert!(script(&meta, "", "").is_err());
        assert!(module(&meta, "", "").is_ok());
    }

    #[test]
    fn the_module_keeps_its_entry_exports() {
        let module = module(GLUE, "startCore();", "export function start() {}").unwrap();
        assert_eq!(module.matches("export ").count(), 1);
        assert!(module.contains("function startCore("));
    }

    #[test]
    fn fails_when_the_glue_changed_shape() {
        let changed = GLUE.replace("export { __wbg_init as default };", "export default init;");
        assert!(script(&changed, "", "").is_err());
        assert!(module(
            &GLUE.replace("export function start", "export function begin"),
            "",
            ""
        )
        .is_err());
    }
}
