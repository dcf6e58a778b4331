//! Short import and export names. wasm-bindgen names every import `__wbg_<method>_<16 hex digits>` and the glue
//! refers to exports by their Rust names, so each long name is paid twice: in the wasm and in the glue, where
//! terser cannot shorten property keys. wasm-opt's `--minify-imports-and-exports-and-modules` renames them in the
//! wasm and prints the mapping; this module applies that mapping to the glues and their types.
//!
//! The rewrite is exact or it fails the build: every import key must be found once in the glue, and every renamed
//! export is only ever reached as `wasm.<name>`, which is how wasm-bindgen's glue calls exports.

use anyhow::{bail, ensure, Context, Result};

/// The wasm-opt flag that shortens names and prints the mapping on stdout.
pub const WASM_OPT_FLAG: &str = "--minify-imports-and-exports-and-modules";

/// The name wasm-opt gives the import module when there is one module only.
const SHORT_MODULE: &str = "a";

/// What wasm-opt renamed.
#[derive(Debug, Default)]
pub struct Names {
    /// (module, old name, new name) of each import.
    pub imports: Vec<(String, String, String)>,
    /// (old name, new name) of each export.
    pub exports: Vec<(String, String)>,
}

impl Names {
    /// Parses wasm-opt's mapping (JSON with one `["module", "old", "new"]` or `["old", "new"]` array per line).
    pub fn parse(map: &str) -> Result<Names> {
        let mut names = Names::default();
        let mut section = "";
        for line in map.lines().map(str::trim) {
            if line.contains("\"imports\"") {
                section = "imports";
            } else if line.contains("\"exports\"") {
                section = "exports";
            } else if line.starts_with('[') {
                let strings: Vec<String> = line
                    .split('"')
                    .skip(1)
                    .step_by(2)
                    .map(String::from)
                    .collect();
                match (section, strings.as_slice()) {
                    ("imports", [module, old, new]) => {
                        names
                            .imports
                            .push((module.clone(), old.clone(), new.clone()))
                    }
                    ("exports", [old, new]) => names.exports.push((old.clone(), new.clone())),
                    _ => bail!("unexpected line in wasm-opt's name mapping: {line}"),
                }
            }
        }
        ensure!(
            !names.imports.is_empty() && !names.exports.is_empty(),
            "wasm-opt printed no name mapping"
        );
        Ok(names)
    }

    /// The glue `js` (either target) with the new import keys, import module and export names.
    pub fn rename_glue(&self, js: &str) -> Result<String> {
        let mut js = js.to_owned();
        let mut modules: Vec<&str> = self.imports.iter().map(|(m, _, _)| m.as_str()).collect();
        modules.dedup();
        ensure!(
            modules.len() == 1,
            "expected one import module, wasm-opt names {modules:?}"
        );
        let module_key = format!("\"{}\": import0", modules[0]);
        ensure!(
            js.matches(&module_key).count() == 1,
            "the glue does not hand its imports over as {module_key}"
        );
        js = js.replace(&module_key, &format!("\"{SHORT_MODULE}\": import0"));
        for (_, old, new) in &self.imports {
            // Import keys stand alone on their line in wasm-bindgen's object literal: `<indent>name: function(`.
            js = replace_exactly_once(
                &js,
                &format!(" {old}: function("),
                &format!(" {new}: function("),
            )
            .with_context(|| format!("import {old}"))?;
        }
        for (old, new) in &self.exports {
            js = replace_property(&js, "wasm.", old, new);
        }
        Ok(js)
    }
}

fn replace_exactly_once(text: &str, from: &str, to: &str) -> Result<String> {
    let count = text.matches(from).count();
    ensure!(
        count == 1,
        "`{}` found {count} times in the glue",
        from.trim()
    );
    Ok(text.replacen(from, to, 1))
}

/// Replaces `<prefix><old>` by `<prefix><new>` wherever `old` is the whole identifier.
fn replace_property(text: &str, prefix: &str, old: &str, new: &str) -> String {
    let from = format!("{prefix}{old}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&from) {
        let after = &rest[at + from.len()..];
        let whole = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        out.push_str(&rest[..at]);
        out.push_str(prefix);
        out.push_str(if whole { new } else { old });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &str = r#"{
 "imports": [
  ["./rebound_bg.js", "__wbg_get_556f1c9a5c587e8c", "A"],
  ["./rebound_bg.js", "__wbg_get_unchecked_e6325ad374eff861", "B"]
 ],
"exports": [
  ["memory", "tb"],
  ["start", "vb"]
 ]
}"#;

    #[test]
    fn renames_keys_module_and_exports() {
        let names = Names::parse(MAP).unwrap();
        let glue = "  __wbg_get_556f1c9a5c587e8c: function(a) {},\n  __wbg_get_unchecked_e6325ad374eff861: function(a) {},\n\
                    \"./rebound_bg.js\": import0,\n wasm.start(); wasm.memory.buffer; wasm.started; start();";
        let out = names.rename_glue(glue).unwrap();
        assert_eq!(
            out,
            "  A: function(a) {},\n  B: function(a) {},\n\"a\": import0,\n wasm.vb(); wasm.tb.buffer; wasm.started; start();"
        );
    }

    #[test]
    fn fails_when_an_import_is_missing() {
        let names = Names::parse(MAP).unwrap();
        assert!(names.rename_glue("\"./rebound_bg.js\": import0").is_err());
    }
}
