//! The classic script a page loads with one tag. wasm-bindgen's ES module glue imports the chunk loader that
//! `wasm-split-cli` writes (`__wasm_split.js`), which in turn imports the glue's `initSync`; a `<script>` without
//! `type="module"` can do neither. This module joins the two and `src/loader.js` in one function scope: imports
//! and exports dropped, `import.meta.url` replaced by the script's own URL (so chunks are fetched next to it,
//! from any origin and path), and the chunk fetch made to work whatever content type the server sends. Every
//! rewrite must match exactly as expected, or the build fails: a new wasm-bindgen or splitter version that
//! writes different code is caught here, not on a page.

use anyhow::{ensure, Context, Result};

/// The glue's import of the chunk loader (`import * as <name> GLUE_IMPORT`), which the script replaces by an
/// object of the same name holding the loader's functions.
const GLUE_IMPORT: &str = " from \"./__wasm_split.js\"";
/// The glue's exports, which the loader calls by name instead.
const GLUE_EXPORTS: &str = "export { initSync, __wbg_init as default };";
/// The chunk loader's import of the glue.
const SPLIT_IMPORT: &str = "import { initSync } from \"./rebound.js\";";
/// How the chunk loader compiles a chunk: streaming, which needs `application/wasm`.
const STREAMING: &str = "(WebAssembly.instantiateStreaming(src, imports))";
/// The same through the loader's `instantiate`, which falls back to a buffer for any other content type.
const ANY_TYPE: &str = "(instantiate(src, imports))";
/// The chunk loader logs a failed fetch as an error object; the widget says it in its own words instead.
const SPLIT_LOG: &str = "console.error(e);";

/// The classic script: `glue` (wasm-bindgen `--target web`), `split` (`__wasm_split.js`) and `loader`. `keys`
/// pairs each function of the chunk loader with the name the wasm imports it by (the same, or shorter when the
/// names were minified).
pub fn script(glue: &str, split: &str, loader: &str, keys: &[(String, String)]) -> Result<String> {
    // wasm-bindgen imports the chunk loader once per import group of the wasm: each name gets the same object.
    let mut names = Vec::new();
    let mut kept = Vec::new();
    for line in glue.lines() {
        match line
            .strip_prefix("import * as ")
            .and_then(|rest| rest.strip_suffix(GLUE_IMPORT))
        {
            Some(name) => names.push(name.to_owned()),
            None => kept.push(line),
        }
    }
    ensure!(
        !names.is_empty(),
        "the glue does not import __wasm_split.js as `import * as <name>`"
    );
    let glue = once(&kept.join("\n"), GLUE_EXPORTS, "")?;
    let glue = glue
        .replace("export class ", "class ")
        .replace("export function ", "function ");
    ensure!(
        !glue.contains("export "),
        "the glue exports something the script does not expect"
    );
    let split = once(split, SPLIT_IMPORT, "")?;
    let split = once(&split, SPLIT_LOG, "")?;
    let split = split.replace(STREAMING, ANY_TYPE);
    let mut loads = Vec::new();
    for line in split.lines() {
        if let Some(rest) = line.strip_prefix("export const ") {
            let name = rest.split(' ').next().unwrap_or_default();
            let key = keys.iter().find(|(old, _)| old == name);
            let key = key.with_context(|| format!("the wasm does not import {name}"))?;
            loads.push(format!("{}: {name}", key.1));
        }
    }
    ensure!(
        loads.len() == keys.len(),
        "__wasm_split.js exports {} chunk loaders, the wasm imports {}",
        loads.len(),
        keys.len()
    );
    let split = split.replace("export const ", "const ");
    let mut imports = format!("var {} = {{ {} }}", names[0], loads.join(", "));
    for name in &names[1..] {
        imports.push_str(&format!(", {name} = {}", names[0]));
    }
    imports.push(';');
    let joined = format!("{glue}\n{split}\n{imports}\n{loader}\n");
    ensure!(
        joined.matches("import.meta.url").count() >= 2,
        "the glue and the chunk loader no longer locate files with import.meta.url"
    );
    let joined = joined.replace("import.meta.url", "script.src");
    // The newline before the end keeps a last `//` comment in the loader from swallowing the closing `})();`.
    Ok(format!("(function(){{\"use strict\";\n{joined}\n}})();\n"))
}

/// The chunk loader for bundlers: next to `rebound.mjs`, which is the glue there.
pub fn bundler_split(split: &str) -> Result<String> {
    once(
        split,
        SPLIT_IMPORT,
        "import { initSync } from \"./rebound.mjs\";",
    )
}

/// `text` with `from` replaced by `to`, failing unless `from` is there exactly once.
fn once(text: &str, from: &str, to: &str) -> Result<String> {
    let count = text.matches(from).count();
    ensure!(count == 1, "`{from}` found {count} times, expected once");
    Ok(text.replacen(from, to, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "import * as import1 from \"./__wasm_split.js\"\nexport class Widget {}\n\
        export function start() {}\nfunction f() { return new URL('rebound_bg.wasm', import.meta.url); }\n\
        export { initSync, __wbg_init as default };";
    const SPLIT: &str = "import { initSync } from \"./rebound.js\";\ntry {} catch (e) { console.error(e); }\n\
        export const __wasm_split_load_card = wrap(() => fetch(new URL(\"./split_card.wasm\", import.meta.url)), \
        (WebAssembly.instantiateStreaming(src, imports)));";

    #[test]
    fn joins_glue_chunk_loader_and_loader_in_one_scope() {
        let keys = [("__wasm_split_load_card".to_owned(), "Sb".to_owned())];
        let script = script(GLUE, SPLIT, "var script = document.currentScript;", &keys).unwrap();
        assert!(script.starts_with("(function(){\"use strict\";"));
        assert!(!script.contains("import ") && !script.contains("export "));
        assert!(!script.contains("import.meta.url") && script.contains("script.src"));
        assert!(script.contains("var import1 = { Sb: __wasm_split_load_card };"));
        assert!(script.contains("(instantiate(src, imports))"));
        assert!(!script.contains("console.error(e)"));
    }

    #[test]
    fn fails_when_the_glue_changed_shape() {
        let changed = GLUE.replace("import * as import1 from", "import { load } from");
        assert!(script(&changed, SPLIT, "", &[]).is_err());
    }

    #[test]
    fn the_bundler_chunk_loader_imports_the_module_glue() {
        let split = bundler_split(SPLIT).unwrap();
        assert!(split.contains("from \"./rebound.mjs\""));
    }
}
