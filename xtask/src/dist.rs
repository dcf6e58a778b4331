//! `cargo xtask dist`: builds `pkg/`, everything a web team ships, from the widget crate and `src/loader.js`.
//!
//! - `rebound.js`: the one file a page loads with a script tag. wasm-bindgen's no-modules glue and the loader in
//!   one function scope, minified, so that only `window.Rebound` reaches the page's globals.
//! - `rebound_bg.wasm`: the widget, shrunk by wasm-opt. Both glues load this same file.
//! - `rebound.mjs` and `rebound.d.ts`: the ES module glue and its types, for bundlers.
//! - `rebound-global.d.ts`: the types of `window.Rebound` and its events, for script-tag users (hand-written in
//!   `src/`).
//! - `package.json`: the npm package `rebound-widget` made of those files.

use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{ensure, Context, Result};

use crate::{
    cmd,
    minify_names::{self, Names},
    size, tools, workspace,
};

/// The hand-written script-tag loader, which uses the `wasm_bindgen` binding of the no-modules glue.
const LOADER: &str = "src/loader.js";
/// The npm package's name.
const PACKAGE_NAME: &str = "rebound-widget";
/// The types of the script tag's `window.Rebound` API.
const GLOBAL_TYPES: &str = "src/rebound-global.d.ts";
/// The files of the package besides package.json.
const FILES: [&str; 5] = [
    "rebound.js",
    "rebound_bg.wasm",
    "rebound.mjs",
    "rebound.d.ts",
    "rebound-global.d.ts",
];
/// wasm-opt settings. The features are the ones rustc enables for wasm32 and the binary uses; wasm-opt refuses a
/// binary that uses a feature not enabled here. The strips drop sections no browser reads.
const WASM_OPT_FLAGS: [&str; 9] = [
    "-Oz",
    "--enable-bulk-memory",
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
    let bindgen = workspace::target_dir().join("bindgen");
    let classic = bindgen.join("classic");
    let esm = bindgen.join("esm");
    wasm_bindgen(
        &wasm,
        &classic,
        &["--target", "no-modules", "--no-typescript"],
    )?;
    wasm_bindgen(&wasm, &esm, &["--target", "web"])?;
    let wasm_in = |dir: &Path| fs::read(dir.join("rebound_bg.wasm"));
    ensure!(
        wasm_in(&classic)? == wasm_in(&esm)?,
        "wasm-bindgen wrote two different wasm files: one pkg/rebound_bg.wasm cannot serve both glues"
    );

    let pkg = Path::new(workspace::PKG);
    println!("emptying {}/", pkg.display());
    if pkg.exists() {
        fs::remove_dir_all(pkg)?;
    }
    fs::create_dir_all(pkg)?;

    let map = cmd::output(
        Command::new("node")
            .arg(tools::WASM_OPT)
            .arg(classic.join("rebound_bg.wasm"))
            .args(WASM_OPT_FLAGS)
            .arg(minify_names::WASM_OPT_FLAG)
            .arg("-o")
            .arg(pkg.join("rebound_bg.wasm")),
    )?;
    let names = Names::parse(&map)?;
    println!(
        "renaming {} imports and {} exports in both glues",
        names.imports.len(),
        names.exports.len()
    );
    for dir in [&classic, &esm] {
        let glue = dir.join("rebound.js");
        fs::write(&glue, names.rename_glue(&fs::read_to_string(&glue)?)?)?;
    }
    let types = esm.join("rebound.d.ts");
    fs::write(&types, names.rename_types(&fs::read_to_string(&types)?))?;

    let script = bindgen.join("rebound.script.js");
    write_script(&classic.join("rebound.js"), &script)?;
    minify(&script, &pkg.join("rebound.js"), &[])?;
    minify(
        &esm.join("rebound.js"),
        &pkg.join("rebound.mjs"),
        &["--module"],
    )?;
    copy(&types, &pkg.join("rebound.d.ts"))?;
    copy(
        &workspace::root().join(GLOBAL_TYPES),
        &pkg.join("rebound-global.d.ts"),
    )?;
    let manifest = pkg.join("package.json");
    println!("writing {}", manifest.display());
    fs::write(&manifest, package_json()?)?;

    println!("\n{}/:", pkg.display());
    for file in FILES.iter().chain(&["package.json"]) {
        let size = size::Size::of(&pkg.join(file))?;
        println!("  {file:<16} {:>8} B  gzip -9 {:>7} B", size.raw, size.gzip);
    }
    println!();
    size::report()
}

/// Builds the widget crate for the browser and returns the path of its wasm.
fn compile() -> Result<PathBuf> {
    let target = tools::WASM_TARGET;
    cmd::run(Command::new("cargo").args([
        "build",
        "-p",
        "rebound",
        "--release",
        // Without the `std` feature the widget is `#![no_std]`: smaller, and a panic is a plain trap.
        "--no-default-features",
        "--target",
        target,
    ]))?;
    Ok(workspace::target_dir()
        .join(target)
        .join("release/rebound.wasm"))
}

/// Runs wasm-bindgen into a fresh `out` folder, so that no file of an earlier run is left there.
fn wasm_bindgen(wasm: &Path, out: &Path, target_args: &[&str]) -> Result<()> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    cmd::run(
        Command::new("wasm-bindgen")
            .arg(wasm)
            .args(target_args)
            .args(["--out-name", "rebound", "--out-dir"])
            .arg(out),
    )
}

/// Writes the classic script: the glue, which declares `let wasm_bindgen`, and the loader, which uses it, inside
/// one function, so neither leaks a global into the page.
fn write_script(glue: &Path, out: &Path) -> Result<()> {
    println!(
        "writing {}: {} and {LOADER} in one function scope",
        out.display(),
        glue.display()
    );
    let glue = fs::read_to_string(glue)?;
    let loader = fs::read_to_string(LOADER).with_context(|| format!("could not read {LOADER}"))?;
    // The newline before the end keeps a last `//` comment in the loader from swallowing the closing `})();`.
    fs::write(
        out,
        format!("(function(){{\"use strict\";\n{glue}\n{loader}\n}})();\n"),
    )?;
    Ok(())
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
fn package_json() -> Result<String> {
    let version = workspace::widget_field("version")?;
    let description = workspace::widget_field("description")?;
    let files = FILES.map(|file| format!("\"{file}\"")).join(", ");
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
