//! The wasm-bindgen glue's own loading code, replaced by a smaller one. wasm-bindgen's `__wbg_init` takes a URL,
//! a `Request`, a `Response`, bytes or a module, warns about deprecated arguments and retries without streaming
//! when a server sends the wrong MIME type; `initSync` compiles on the main thread. The loader (`src/loader.js`)
//! always passes `{ module_or_path }` holding a `Response` it checked (sent only when the type is
//! `application/wasm`) or the bytes, and never calls `initSync`, so each part's glue keeps just that: one
//! function that streams a `Response` and instantiates bytes. The span replaced must be found exactly as
//! expected, or the build fails: a wasm-bindgen that writes different code is caught here, not on a page.

use anyhow::{ensure, Result};

/// Where wasm-bindgen's loading code starts: after `__wbg_finalize_init`, which stays.
const FROM: &str = "async function __wbg_load(module, imports) {";
/// The functions that span holds, each once.
const HELD: [&str; 3] = [
    "function initSync(module) {",
    "async function __wbg_init(module_or_path) {",
    "async function __wbg_init_once(module_or_path) {",
];
/// Where it ends: the glue's exports.
pub const EXPORTS: &str = "export { initSync, __wbg_init as default };";
/// The exports after the rewrite.
pub const LEAN_EXPORTS: &str = "export { __wbg_init as default };";

/// The loading code the glue keeps.
const INIT: &str = "function __wbg_init({ module_or_path: source }) {
    const imports = __wbg_get_imports();
    return (source instanceof Response
        ? WebAssembly.instantiateStreaming(source, imports)
        : WebAssembly.instantiate(source, imports)
    ).then((result) => __wbg_finalize_init(result.instance, result.module));
}
";

/// `glue` with its loading code replaced by [`INIT`] and `initSync` no longer exported.
pub fn lean(glue: &str) -> Result<String> {
    for expected in [FROM, EXPORTS].iter().chain(&HELD) {
        let count = glue.matches(expected).count();
        ensure!(
            count == 1,
            "`{expected}` found {count} times in the glue, expected once"
        );
    }
    let (from, to) = (
        glue.find(FROM).unwrap_or_default(),
        glue.find(EXPORTS).unwrap_or_default(),
    );
    ensure!(
        from < to && HELD.iter().all(|f| glue[from..to].contains(f)),
        "the glue's loading code is no longer where it was expected"
    );
    Ok([
        &glue[..from],
        INIT,
        "\n",
        LEAN_EXPORTS,
        &glue[to + EXPORTS.len()..],
    ]
    .concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glue() -> String {
        [
            "function __wbg_finalize_init(instance, module) {}\n",
            FROM,
            "}\n",
            HELD[0],
            "}\n",
            HELD[1],
            "}\n",
            HELD[2],
            " new URL('x.wasm', import.meta.url); }\n",
            EXPORTS,
            "\n",
        ]
        .concat()
    }

    #[test]
    fn keeps_the_finalize_and_replaces_the_rest() {
        let lean = lean(&glue()).unwrap();
        assert!(lean.starts_with("function __wbg_finalize_init("));
        assert!(lean.contains(INIT) && lean.ends_with("export { __wbg_init as default };\n"));
        assert!(!lean.contains("initSync") && !lean.contains("import.meta"));
    }

    #[test]
    fn fails_when_the_glue_changed_shape() {
        assert!(lean(&glue().replace(HELD[0], "function initSync(m) {")).is_err());
        assert!(lean(&glue().replace(EXPORTS, "export default __wbg_init;")).is_err());
        let moved = [EXPORTS, "\n", &glue().replace(EXPORTS, "")].concat();
        assert!(lean(&moved).is_err());
    }
}
