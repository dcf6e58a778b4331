//! `cargo xtask dist`: builds `pkg/`, everything a web team ships, from the widget crate and `src/loader.js`.
//!
//! The widget is built with its `split` feature and cut by `wasm-split-cli` into the eager module and the
//! on-demand chunks (`src/web/parts.rs` names the split points), which share the eager module's memory.
//!
//! - `rebound.js`: the one file a page loads with a script tag. wasm-bindgen's glue, the splitter's chunk loader
//!   and the loader in one function scope (see [`crate::classic`]), minified, so that only `window.Rebound`
//!   reaches the page's globals.
//! - `rebound_bg.wasm`: the eager module; `split_*.wasm` (and `chunk_*.wasm`, code two chunks share): the
//!   on-demand chunks, fetched next to the script when a page view needs them. All shrunk by wasm-opt.
//! - `rebound.mjs`, `__wasm_split.js` and `rebound.d.ts`: the ES module glue, its chunk loader and its types,
//!   for bundlers.
//! - `rebound-global.d.ts`: the types of `window.Rebound` and its events, for script-tag users (hand-written in
//!   `src/`).
//! - `package.json`: the npm package `rebound-widget` made of those files.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result};

use crate::{
    classic, cmd,
    minify_names::{self, Names},
    size, tools, workspace,
};

/// The hand-written script-tag loader, which uses the `wasm_bindgen` binding of the no-modules glue.
const LOADER: &str = "src/loader.js";
/// The npm package's name.
const PACKAGE_NAME: &str = "rebound-widget";
/// The types of the script tag's `window.Rebound` API.
const GLOBAL_TYPES: &str = "src/rebound-global.d.ts";
/// The files of the package besides package.json and the chunks.
const FILES: [&str; 6] = [
    "rebound.js",
    "rebound_bg.wasm",
    "rebound.mjs",
    "__wasm_split.js",
    "rebound.d.ts",
    "rebound-global.d.ts",
];
/// wasm-opt settings. The features are the ones rustc enables for wasm32 and the binary uses; wasm-opt refuses a
/// binary that uses a feature not enabled here. The strips drop sections no browser reads.
pub const WASM_OPT_FLAGS: [&str; 10] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-multivalue",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];
/// Minified output stays ES2017, which every browser that can run the widget parses.
const TERSER_FLAGS: [&str; 4] = ["--compress", "--mangle", "--ecma", "2017"];

/// Installs the build tools, builds `pkg/` and prints its size report; returns the page's gzip total.
pub fn run() -> Result<u64> {
    tools::for_dist()?;
    build()
}

/// Builds `pkg/` with the tools already installed, prints each file's size and the size report, and returns the
/// page's gzip total.
pub fn build() -> Result<u64> {
    let wasm = compile()?;
    let target = workspace::target_dir();
    let split = target.join("split");
    fresh(&split)?;
    cmd::run(
        Command::new("wasm-split-cli")
            .args(["--target", "web", "--out-name", "rebound"])
            .arg(&wasm)
            .arg(&split),
    )?;
    let esm = target.join("bindgen");
    fresh(&esm)?;
    // The chunks reach the eager module's table through this export, which wasm-bindgen drops without the flag.
    cmd::run(
        Command::new("wasm-bindgen")
            .arg(split.join("rebound.wasm"))
            .args(["--target", "web", "--keep-lld-exports"])
            .args(["--out-name", "rebound", "--out-dir"])
            .arg(&esm),
    )?;

    let pkg = Path::new(workspace::PKG);
    println!("emptying {}/", pkg.display());
    fresh(pkg)?;
    // The eager module with short import and export names; the glue, the chunk loader and the types follow.
    let map = cmd::output(
        Command::new("node")
            .arg(tools::WASM_OPT)
            .arg(esm.join("rebound_bg.wasm"))
            .args(WASM_OPT_FLAGS)
            .arg(minify_names::WASM_OPT_FLAG)
            .arg("-o")
            .arg(pkg.join("rebound_bg.wasm")),
    )?;
    let names = Names::parse(&map)?;
    println!(
        "renaming {} imports and {} exports in the glue and the chunk loader",
        names.imports.len(),
        names.exports.len()
    );
    let mut chunks = Vec::new();
    for entry in fs::read_dir(&split)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") && name != "rebound.wasm" {
            wasm_opt(&split.join(&name), &pkg.join(&name))?;
            chunks.push(name);
        }
    }
    chunks.sort();

    let glue = names.rename_glue(&fs::read_to_string(esm.join("rebound.js"))?)?;
    let split_js = names.rename_split(&fs::read_to_string(split.join("__wasm_split.js"))?)?;
    let loader = fs::read_to_string(LOADER).with_context(|| format!("could not read {LOADER}"))?;
    let script = target.join("rebound.script.js");
    println!(
        "writing {}: the glue, the chunk loader and {LOADER} in one function scope",
        script.display()
    );
    let keys = names.split_imports();
    fs::write(&script, classic::script(&glue, &split_js, &loader, &keys)?)?;
    minify(&script, &pkg.join("rebound.js"), &[])?;
    let module_glue = target.join("rebound.mjs");
    fs::write(&module_glue, names.rename_module_glue(&glue)?)?;
    minify(&module_glue, &pkg.join("rebound.mjs"), &["--module"])?;
    let bundler_split = target.join("__wasm_split.js");
    fs::write(&bundler_split, classic::bundler_split(&split_js)?)?;
    minify(&bundler_split, &pkg.join("__wasm_split.js"), &["--module"])?;
    let types = esm.join("rebound.d.ts");
    fs::write(&types, names.rename_types(&fs::read_to_string(&types)?))?;
    copy(&esm.join("rebound.d.ts"), &pkg.join("rebound.d.ts"))?;
    copy(
        &workspace::root().join(GLOBAL_TYPES),
        &pkg.join("rebound-global.d.ts"),
    )?;
    let manifest = pkg.join("package.json");
    println!("writing {}", manifest.display());
    fs::write(&manifest, package_json(&chunks)?)?;

    println!("\n{}/:", pkg.display());
    let package = FILES.iter().map(|f| f.to_string());
    for file in package.chain(chunks).chain(["package.json".to_owned()]) {
        let size = size::Size::of(&pkg.join(&file))?;
        println!("  {file:<20} {:>8} B  gzip -9 {:>7} B", size.raw, size.gzip);
    }
    println!();
    size::report()
}

/// Builds the widget crate for the browser with its split points and returns the path of its wasm. The linker
/// keeps its relocations (`--emit-relocs`), which the splitter needs to tell what code uses what; passed to the
/// widget crate alone, so its dependencies stay built.
fn compile() -> Result<PathBuf> {
    let target = tools::WASM_TARGET;
    cmd::run(Command::new("cargo").args([
        "rustc",
        "-p",
        "rebound",
        "--release",
        "--features",
        "split",
        "--crate-type",
        "cdylib",
        "--target",
        target,
        "--",
        "-Clink-args=--emit-relocs",
    ]))?;
    Ok(workspace::target_dir()
        .join(target)
        .join("release/rebound.wasm"))
}

/// Empties `dir`, creating it when missing, so that no file of an earlier run is left there.
fn fresh(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    Ok(())
}

fn wasm_opt(input: &Path, output: &Path) -> Result<()> {
    cmd::run(
        Command::new("node")
            .arg(tools::WASM_OPT)
            .arg(input)
            .args(WASM_OPT_FLAGS)
            .arg("-o")
            .arg(output),
    )
}

fn minify(input: &Path, output: &Path, extra_flags: &[&str]) -> Result<()> {
    cmd::run(
        Command::new("node")
            .arg(tools::TERSER)
            .arg(input)
            .args(TERSER_FLAGS)
            .args(extra_flags)
            .arg("--output")
            .arg(output),
    )
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    println!("copying {} to {}", from.display(), to.display());
    fs::copy(from, to).with_context(|| format!("could not copy {}", from.display()))?;
    Ok(())
}

/// The npm manifest. Bundlers take the ES module; the script and the wasm are exported too, so a build can
/// resolve them to copy them next to a page.
fn package_json(chunks: &[String]) -> Result<String> {
    let version = workspace::widget_field("version")?;
    let description = workspace::widget_field("description")?;
    let files = FILES
        .iter()
        .map(|f| f.to_string())
        .chain(chunks.iter().cloned())
        .map(|file| format!("\"{file}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(format!(
        r#"{{
  "name": "{PACKAGE_NAME}",
  "version": "{version}",
  "description": "{description}",
  "license": "MIT",
  "type": "module",
  "module": "./rebound.mjs",
  "types": "./rebound.d.ts",
  "exports": {{
    ".": {{
      "types": "./rebound.d.ts",
      "default": "./rebound.mjs"
    }},
    "./rebound-global": {{
      "types": "./rebound-global.d.ts"
    }},
    "./rebound.js": "./rebound.js",
    "./rebound_bg.wasm": "./rebound_bg.wasm"
  }},
  "files": [{files}],
  "sideEffects": false
}}
"#
    ))
}
