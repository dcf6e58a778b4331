//! `cargo xtask dist`: builds `pkg/`, everything a web team ships, from the widget crate and `src/loader.js`.
//!
//! The widget crate is built four times: as the eager core every page view loads (its `core` feature), as the
//! outbox part the core asks for when earlier pages left answers and nothing else needs more (its `flush`
//! feature), as the full widget the core asks for when the page view can use it (`src/web/eager.rs` says
//! when), and as the dialog part, the full widget without surveys, which it asks for instead when the options
//! configure none (its `dialog` feature).
//!
//! - `rebound.js`: the one file a page loads with a script tag. The core's wasm-bindgen glue, the loader and
//!   `src/tag.js` in one function scope (see [`crate::entries`]), minified, so that only `window.Rebound` reaches
//!   the page's globals.
//! - `rebound_bg.wasm`: the eager core. `rebound_full.js` and `rebound_full_bg.wasm`: the full widget, an ES
//!   module the loader imports next to the script when the core asks for it. `rebound_dialog.js` and
//!   `rebound_dialog_bg.wasm`: the dialog part, and `rebound_flush.js` and `rebound_flush_bg.wasm`: the outbox
//!   part, the same way. Every wasm shrunk by wasm-opt.
//! - `rebound.mjs` and `rebound.d.ts`: the ES module entry for bundlers (the same glue and loader with
//!   `src/module.js`: the eager core first, the full widget when the page view can use it) and its types
//!   (hand-written in `src/`).
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
    cmd, entries, glue,
    minify_names::{self, Names},
    size, tools, workspace,
};

/// The hand-written loader both entries run, and the entries: the script tag's and the ES module's.
const LOADER: &str = "src/loader.js";
const TAG: &str = "src/tag.js";
const MODULE: &str = "src/module.js";
/// The types of the ES module entry.
const MODULE_TYPES: &str = "src/rebound.d.ts";
/// The npm package's name.
const PACKAGE_NAME: &str = "rebound-widget";
/// The types of the script tag's `window.Rebound` API.
const GLOBAL_TYPES: &str = "src/rebound-global.d.ts";
/// The files of the package besides package.json.
pub const FILES: [&str; 11] = [
    "rebound.js",
    "rebound_bg.wasm",
    "rebound_dialog.js",
    "rebound_dialog_bg.wasm",
    "rebound_flush.js",
    "rebound_flush_bg.wasm",
    "rebound_full.js",
    "rebound_full_bg.wasm",
    "rebound.mjs",
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
    let target = workspace::target_dir();
    let core = compile(&target.join("core"), &["--features", "core"])?;
    let flush = compile(&target.join("flush"), &["--features", "flush"])?;
    let dialog = compile(&target.join("dialog"), &["--features", "dialog"])?;
    let full = compile(&target, &[])?;
    let pkg = Path::new(workspace::PKG);
    println!("emptying {}/", pkg.display());
    fresh(pkg)?;

    let core_glue = bindgen(&core, "rebound", pkg)?;
    let (loader, tag, entry) = (read(LOADER)?, read(TAG)?, read(MODULE)?);
    let script = target.join("rebound.script.js");
    println!(
        "writing {}: the core's glue, {LOADER} and {TAG} in one function scope",
        script.display()
    );
    fs::write(&script, entries::script(&core_glue, &loader, &tag)?)?;
    minify(&script, &pkg.join("rebound.js"), &[])?;
    let module = target.join("rebound.module.js");
    println!(
        "writing {}: the core's glue, {LOADER} and {MODULE}",
        module.display()
    );
    fs::write(&module, entries::module(&core_glue, &loader, &entry)?)?;
    minify(&module, &pkg.join("rebound.mjs"), &["--module"])?;

    for (wasm, name) in [
        (&flush, "rebound_flush"),
        (&dialog, "rebound_dialog"),
        (&full, "rebound_full"),
    ] {
        let module = target.join(format!("{name}.js"));
        fs::write(&module, bindgen(wasm, name, pkg)?)?;
        minify(&module, &pkg.join(format!("{name}.js")), &["--module"])?;
    }
    for (file, table) in languages() {
        println!("writing {}/{file}", pkg.display());
        fs::write(pkg.join(&file), table)?;
    }
    for (types, file) in [
        (MODULE_TYPES, "rebound.d.ts"),
        (GLOBAL_TYPES, "rebound-global.d.ts"),
    ] {
        copy(&workspace::root().join(types), &pkg.join(file))?;
    }
    let manifest = pkg.join("package.json");
    println!("writing {}", manifest.display());
    fs::write(&manifest, package_json()?)?;

    println!("\n{}/:", pkg.display());
    let languages = languages().into_iter().map(|(file, _)| file);
    let files = FILES.map(String::from).into_iter().chain(languages);
    for file in files.chain(["package.json".into()]) {
        let size = size::Size::of(&pkg.join(&file))?;
        println!("  {file:<20} {:>8} B  gzip -9 {:>7} B", size.raw, size.gzip);
    }
    println!();
    size::report()
}

/// The wasm stack of each module. The linker's default is 1 MiB, which every module's memory then holds whether
/// it is used or not (two modules: over 2 MiB); the widget's deepest stack, reading a nested options object, needs
/// a few KiB.
const STACK: &str = "-Clink-arg=-zstack-size=131072";

/// Builds the widget crate for the browser without `std` and with `features` into `target_dir`, and returns the
/// path of its wasm.
fn compile(target_dir: &Path, features: &[&str]) -> Result<PathBuf> {
    let target = tools::WASM_TARGET;
    cmd::run(
        Command::new("cargo")
            .args([
                "rustc",
                "-p",
                "rebound",
                "--release",
                "--crate-type",
                "cdylib",
            ])
            .arg("--no-default-features")
            .args(features)
            .args(["--target", target, "--target-dir"])
            .arg(target_dir)
            .args(["--", STACK]),
    )?;
    Ok(target_dir.join(target).join("release/rebound.wasm"))
}

/// Runs wasm-bindgen on `wasm` as `name` and wasm-opt on its output into `pkg/<name>_bg.wasm` with short import
/// and export names; returns the glue with those names and lean loading code ([`glue::lean`]).
fn bindgen(wasm: &Path, name: &str, pkg: &Path) -> Result<String> {
    let out = workspace::target_dir().join("bindgen").join(name);
    fresh(&out)?;
    cmd::run(
        Command::new("wasm-bindgen")
            .arg(wasm)
            .args(["--target", "web", "--out-name", name, "--out-dir"])
            .arg(&out),
    )?;
    let map = cmd::output(
        Command::new("node")
            .arg(tools::WASM_OPT)
            .arg(out.join(format!("{name}_bg.wasm")))
            .args(WASM_OPT_FLAGS)
            .arg(minify_names::WASM_OPT_FLAG)
            .arg("-o")
            .arg(pkg.join(format!("{name}_bg.wasm"))),
    )?;
    let names = Names::parse(&map)?;
    println!(
        "{name}: renaming {} imports and {} exports in the glue",
        names.imports.len(),
        names.exports.len()
    );
    glue::lean(&names.rename_glue(&fs::read_to_string(out.join(format!("{name}.js")))?)?)
}

/// The text of the project's file `path`.
fn read(path: &str) -> Result<String> {
    fs::read_to_string(workspace::root().join(path))
        .with_context(|| format!("could not read {path}"))
}

/// Empties `dir`, creating it when missing, so that no file of an earlier run is left there.
fn fresh(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
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

/// The texts of every language but English, which the full widget fetches for a visitor who gets that language
/// (the widget holds only English: `cargo xtask dist` builds it without the `languages` feature): each file's
/// name and text.
pub fn languages() -> Vec<(String, &'static str)> {
    let tables = rebound::locale::TAGS[1..].iter().filter_map(|tag| {
        let table = rebound::locale::table(tag)?;
        Some((format!("rebound_{tag}.txt"), table))
    });
    tables.collect()
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
    let languages = languages().into_iter().map(|(file, _)| file);
    let files = FILES
        .map(String::from)
        .into_iter()
        .chain(languages)
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
