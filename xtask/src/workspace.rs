//! Where things are in the repository, and the versions its manifests pin.

use std::{
    env, fs,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};

/// The built package a web team ships, relative to the root.
pub const PKG: &str = "pkg";
/// The demo site the collector serves, relative to the root.
pub const WWW: &str = "www";

/// The repository root: the folder above this crate.
pub fn root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask
        .parent()
        .expect("xtask/ sits in the repository root")
        .to_path_buf()
}

/// Cargo's target folder: `CARGO_TARGET_DIR` when set, as cargo itself does, else `target` under the root.
pub fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from)
}

/// The version of `package` that Cargo.lock resolved.
pub fn locked_version(package: &str) -> Result<String> {
    let entry = format!("name = \"{package}\"");
    field(&read("Cargo.lock")?, &entry, "version")
        .with_context(|| format!("Cargo.lock has no package {package}"))
}

/// A string field of the widget crate's `[package]` table in the root Cargo.toml, such as its version.
pub fn widget_field(key: &str) -> Result<String> {
    field(&read("Cargo.toml")?, "[package]", key)
        .with_context(|| format!("Cargo.toml has no [package] {key}"))
}

/// The value of the first `key = "value"` line after the line `start` and before the next table. The manifests
/// are written by cargo or by hand in its plain style, which this reads without a TOML parser.
fn field(manifest: &str, start: &str, key: &str) -> Option<String> {
    let mut lines = manifest.lines().map(str::trim);
    lines.by_ref().find(|line| *line == start)?;
    let prefix = format!("{key} = \"");
    let mut table = lines.take_while(|line| !line.starts_with('['));
    let value = table.find_map(|line| line.strip_prefix(&prefix)?.strip_suffix('"'))?;
    Some(value.to_owned())
}

fn read(path: &str) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("could not read {path}"))
}
