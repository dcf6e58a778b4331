//! Short import and export names. wasm-bindgen names every import `__wbg_<method>_<16 hex digits>` and the glue
//! refers to exports by their Rust names, so each long name is paid twice: in the eager wasm and in the glue,
//! where terser cannot shorten property keys. wasm-opt's `--minify-imports-and-exports-and-modules` renames them
//! in the wasm (all imports, wasm-bindgen's and the chunk loader's, then come from one module `a`) and prints the
//! mapping; this module applies that mapping to the glues, the chunk loader and the types. (The
//! chunks are left as they are: they import only the few exports the chunk loader hands them by their old names.)
//!
//! The rewrite is exact or it fails the build: every import key must be found once in the glue, every renamed
//! export is only ever reached as `wasm.<name>` in the glue, and the chunk loader reads the exports it needs in
//! one destructuring of `initSync()`'s result.

use anyhow::{bail, ensure, Context, Result};

/// The wasm-opt flag that shortens names and prints the mapping on stdout.
pub const WASM_OPT_FLAG: &str = "--minify-imports-and-exports-and-modules";

/// The one import module wasm-opt leaves, holding every import under its new, unique name.
const SHORT_MODULE: &str = "a";

/// The import module of wasm-bindgen's own imports, whose functions the glue defines.
const GLUE_MODULE: &str = "./rebound_bg.js";
/// The import module of the chunk loader's functions.
const SPLIT_MODULE: &str = "./__wasm_split.js";
/// How the chunk loader receives the eager module's exports: `const { a, b, } = initSync(undefined, undefined);`.
const SPLIT_EXPORTS: &str = "} = initSync(undefined, undefined);";

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

    /// The glue `js` with the new keys of wasm-bindgen's imports and the exports' new names.
    pub fn rename_glue(&self, js: &str) -> Result<String> {
        // `"./__wasm_split.js": importN,` lines go; their object joins wasm-bindgen's under the one module.
        let mut split = Vec::new();
        let mut lines = Vec::new();
        for line in js.lines() {
            let entry = line
                .trim()
                .strip_prefix(&format!("\"{SPLIT_MODULE}\": "))
                .and_then(|rest| rest.strip_suffix(','));
            match entry {
                Some(name) => split.push(name.to_owned()),
                None => lines.push(line),
            }
        }
        let first = split
            .first()
            .with_context(|| format!("the glue hands no {SPLIT_MODULE} imports over"))?;
        let mut js = replace_exactly_once(
            &lines.join("\n"),
            &format!("\"{GLUE_MODULE}\": import0,"),
            &format!("\"{SHORT_MODULE}\": Object.assign(import0, {first}),"),
        )?;
        for (module, old, new) in &self.imports {
            if module != GLUE_MODULE {
                continue;
            }
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

    /// The chunk loader's functions the eager module imports: (the loader's name, the wasm's new name).
    pub fn split_imports(&self) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for (module, old, new) in &self.imports {
            if module == SPLIT_MODULE {
                found.push((old.clone(), new.clone()));
            }
        }
        found
    }

    /// The chunk loader `js`, reading the eager module's exports by their new names into the old ones, which
    /// are the names the chunks import them by.
    pub fn rename_split(&self, js: &str) -> Result<String> {
        let end = js
            .find(SPLIT_EXPORTS)
            .context("the chunk loader no longer destructures initSync()'s exports")?;
        let start = js
            .get(..end)
            .and_then(|head| head.rfind('{'))
            .context("the chunk loader's destructuring has no `{`")?;
        let mut fields = Vec::new();
        for name in js.get(start + 1..end).unwrap_or_default().split(',') {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            match self.exports.iter().find(|(old, _)| old == name) {
                Some((_, new)) => fields.push(format!("{new}: {name}")),
                None => fields.push(name.to_owned()),
            }
        }
        Ok([
            js.get(..=start).unwrap_or_default(),
            " ",
            &fields.join(", "),
            " ",
            js.get(end..).unwrap_or_default(),
        ]
        .concat())
    }

    /// The ES module glue `js`, whose namespace imports of the chunk loader become objects with the wasm's new
    /// import names as keys.
    pub fn rename_module_glue(&self, js: &str) -> Result<String> {
        let mut out = Vec::new();
        let mut found = false;
        for line in js.lines() {
            let name = line
                .strip_prefix("import * as ")
                .and_then(|rest| rest.strip_suffix(&format!(" from \"{SPLIT_MODULE}\"")));
            match name {
                Some(name) => {
                    found = true;
                    let fields: Vec<String> = self
                        .split_imports()
                        .iter()
                        .map(|(old, new)| format!("{new}: {name}_loader.{old}"))
                        .collect();
                    out.push(format!(
                        "import * as {name}_loader from \"{SPLIT_MODULE}\";\nconst {name} = {{ {} }};",
                        fields.join(", ")
                    ));
                }
                None => out.push(line.to_owned()),
            }
        }
        ensure!(found, "the module glue does not import {SPLIT_MODULE}");
        Ok(out.join("\n"))
    }

    /// The ES module's types with the new export names in `InitOutput`.
    pub fn rename_types(&self, dts: &str) -> String {
        let mut dts = dts.to_owned();
        for (old, new) in &self.exports {
            dts = dts.replace(&format!("readonly {old}:"), &format!("readonly {new}:"));
        }
        dts
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
  ["./__wasm_split.js", "__wasm_split_load_card", "Sb"],
  ["./rebound_bg.js", "__wbg_get_556f1c9a5c587e8c", "A"],
  ["./rebound_bg.js", "__wbg_get_unchecked_e6325ad374eff861", "B"]
 ],
"exports": [
  ["memory", "tb"],
  ["__indirect_function_table", "pc"],
  ["start", "vb"]
 ]
}"#;

    #[test]
    fn renames_import_keys_and_exports_in_the_glue() {
        let names = Names::parse(MAP).unwrap();
        let glue = "  __wbg_get_556f1c9a5c587e8c: function(a) {},\n  __wbg_get_unchecked_e6325ad374eff861: function(a) {},\n\
                    \"./rebound_bg.js\": import0,\n \"./__wasm_split.js\": import1,\n wasm.start(); wasm.memory.buffer; wasm.started; start();";
        let out = names.rename_glue(glue).unwrap();
        assert_eq!(
            out,
            "  A: function(a) {},\n  B: function(a) {},\n\"a\": Object.assign(import0, import1),\n wasm.vb(); wasm.tb.buffer; wasm.started; start();"
        );
        assert_eq!(
            names.split_imports(),
            [("__wasm_split_load_card".to_owned(), "Sb".to_owned())]
        );
    }

    #[test]
    fn the_chunk_loader_reads_renamed_exports_into_their_old_names() {
        let names = Names::parse(MAP).unwrap();
        let split = "x = 1;\n        const { __indirect_function_table, __wasm_split_shared0, memory,  } = initSync(undefined, undefined);";
        assert_eq!(
            names.rename_split(split).unwrap(),
            "x = 1;\n        const { pc: __indirect_function_table, __wasm_split_shared0, tb: memory } = initSync(undefined, undefined);"
        );
    }

    #[test]
    fn fails_when_an_import_is_missing() {
        let names = Names::parse(MAP).unwrap();
        assert!(names.rename_glue("\"./rebound_bg.js\": import0").is_err());
    }
}
