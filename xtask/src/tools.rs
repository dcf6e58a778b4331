//! The tools the tasks use, each checked and, when missing, installed here and nowhere else, so that a fresh
//! machine with only Rust, Node and npm can run every task: the wasm target, the wasm-bindgen CLI at the crate's
//! exact version, the npm dev packages (wasm-opt, terser, playwright-core, axe-core), Chromium,
//! and PostgreSQL for the collector's second storage backend.

use std::{fs, path::Path, process::Command, time::SystemTime};

use anyhow::{ensure, Result};

use crate::{cmd, workspace};

/// The Rust target the widget compiles to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Binaryen's wasm-opt from the npm package, a script run with `node`.
pub const WASM_OPT: &str = "node_modules/binaryen/bin/wasm-opt";
/// The terser minifier from the npm package, a script run with `node`.
pub const TERSER: &str = "node_modules/terser/bin/terser";
/// Debian's Chromium, which the browser tests drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs what building `pkg/` needs.
pub fn for_dist() -> Result<()> {
    wasm_target()?;
    wasm_bindgen()?;
    node_packages()
}

/// twiggy, which `cargo xtask size --why` asks what is large in each part.
pub fn twiggy() -> Result<()> {
    cargo_install("twiggy", "twiggy", "0.8.0", &[])
}

/// `cargo install --locked krate@version` unless cargo already installed that version; `tool` names it in the
/// output.
fn cargo_install(tool: &str, krate: &str, version: &str, extra: &[&str]) -> Result<()> {
    let installed =
        cmd::probe(Command::new("cargo").args(["install", "--list"])).unwrap_or_default();
    if installed.contains(&format!("{krate} v{version}:")) {
        println!("{tool} {version}: installed");
        return Ok(());
    }
    println!("{tool} {version}: missing, installing it (a few minutes)");
    cmd::run(
        Command::new("cargo")
            .args(["install", "--locked", krate, "--version", version])
            .args(extra),
    )
}

/// Installs what the tests need: the build tools, the format and lint tools, the browser and PostgreSQL.
pub fn for_test() -> Result<()> {
    for_dist()?;
    rust_components()?;
    chromium()?;
    postgresql();
    Ok(())
}

/// Installs what the widget bench needs: the npm dev packages (among them playwright-core, and esbuild and
/// `@sentry/browser` for the peer it is measured against) and the browser.
pub fn for_bench() -> Result<()> {
    node_packages()?;
    chromium()
}

fn wasm_target() -> Result<()> {
    let installed = cmd::probe(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if installed.lines().any(|target| target.trim() == WASM_TARGET) {
        println!("rust target {WASM_TARGET}: installed");
        return Ok(());
    }
    println!("rust target {WASM_TARGET}: missing, installing it");
    cmd::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// rustfmt and clippy, which a minimal rustup profile leaves out.
fn rust_components() -> Result<()> {
    let has = |tool: &str| cmd::probe(Command::new("cargo").args([tool, "--version"])).is_some();
    if has("fmt") && has("clippy") {
        println!("rustfmt and clippy: installed");
        return Ok(());
    }
    println!("rustfmt or clippy: missing, installing them");
    cmd::run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))
}

/// The CLI must be the very version of the `wasm-bindgen` crate, or the glue it writes does not fit the wasm.
fn wasm_bindgen() -> Result<()> {
    let version = workspace::locked_version("wasm-bindgen")?;
    // It prints `wasm-bindgen 0.2.130`.
    let found = || {
        let out = cmd::probe(Command::new("wasm-bindgen").arg("--version"))?;
        out.split_whitespace().nth(1).map(str::to_owned)
    };
    let before = found();
    if before.as_ref() == Some(&version) {
        println!("wasm-bindgen CLI {version}: installed");
        return Ok(());
    }
    let before = before.map_or("missing".to_owned(), |other| format!("version {other}"));
    println!("wasm-bindgen CLI: {before}, Cargo.lock has {version}: installing it (a few minutes)");
    // Not `--locked`: the CLI's own lock file names a crate version that the registry no longer serves.
    cmd::run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    let after = found();
    ensure!(
        after.as_ref() == Some(&version),
        "`wasm-bindgen --version` still does not print {version}: is cargo's bin folder first in PATH?"
    );
    Ok(())
}

/// `npm ci` when node_modules is older than package-lock.json. npm writes `node_modules/.package-lock.json` at the
/// end of every install, so its age is the age of the install, and it is missing when no install finished.
fn node_packages() -> Result<()> {
    let age = |path: &str| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let installed = age("node_modules/.package-lock.json");
    let locked = age("package-lock.json").unwrap_or(SystemTime::UNIX_EPOCH);
    if installed.is_some_and(|installed| installed >= locked) {
        println!("node packages: installed");
        return Ok(());
    }
    println!("node packages: missing or older than package-lock.json, installing them");
    cmd::run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))
}

fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        println!("chromium: installed");
        return Ok(());
    }
    println!("{CHROMIUM}: missing, installing chromium");
    apt_install(&["chromium"])?;
    ensure!(
        Path::new(CHROMIUM).exists(),
        "apt-get installed chromium, yet {CHROMIUM} is still missing"
    );
    Ok(())
}

/// Debian's PostgreSQL server binaries, which `collector/tests/postgres.sh` runs a throwaway cluster with. Not
/// fatal when it cannot be had: that script then says clearly that it skipped the PostgreSQL backend.
fn postgresql() {
    let installed = || {
        fs::read_dir("/usr/lib/postgresql").is_ok_and(|versions| {
            versions
                .flatten()
                .any(|v| v.path().join("bin/initdb").exists())
        })
    };
    if installed() {
        println!("postgresql: installed");
        return;
    }
    println!("postgresql: missing, installing it for the collector's PostgreSQL tests");
    if let Err(error) = apt_install(&["postgresql"]) {
        println!("postgresql: could not be installed ({error:#}); its tests will be skipped");
    }
}

/// `apt-get install -y` of Debian packages, after refreshing the package lists.
fn apt_install(packages: &[&str]) -> Result<()> {
    cmd::run(Command::new("apt-get").arg("update"))?;
    cmd::run(
        Command::new("apt-get")
            .arg("install")
            .arg("-y")
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
