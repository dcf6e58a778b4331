//! `cargo xtask size`: what a page that uses the script tag downloads from `pkg/` (`rebound.js`, the wasm and any
//! stylesheet), raw and gzip -9, against the size budget. The bundler entry `rebound.mjs` is listed on its own.

use std::{fs, io::Write, path::Path};

use anyhow::{ensure, Context, Result};
use flate2::{write::GzEncoder, Compression};

use crate::{dist, workspace};

/// The most a page may download for the widget, gzip -9, summed over its files. This is a guard against
/// regressions, set just above today's size, not the goal: the product's target is 40 KB with everything
/// included, and `docs/size.md` says where the bytes go and what would bring them down.
const BUDGET_GZIP: u64 = 76 * 1024;
/// What the script tag loads, besides any `pkg/*.css`.
const PAGE_FILES: [&str; 2] = ["rebound.js", "rebound_bg.wasm"];
/// The ES module bundlers import instead of the script.
const BUNDLER_ENTRY: &str = "rebound.mjs";

/// A file's size as stored and as sent with gzip -9.
pub struct Size {
    pub raw: u64,
    pub gzip: u64,
}

impl Size {
    pub fn of(path: &Path) -> Result<Size> {
        let bytes = fs::read(path).with_context(|| format!("could not read {}", path.display()))?;
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        gzip.write_all(&bytes)?;
        Ok(Size {
            raw: bytes.len() as u64,
            gzip: gzip.finish()?.len() as u64,
        })
    }
}

/// Prints the report for the existing `pkg/`, building it first when missing, and fails over the budget.
pub fn run() -> Result<()> {
    let pkg = Path::new(workspace::PKG);
    let total = if PAGE_FILES.iter().all(|file| pkg.join(file).exists()) {
        report()?
    } else {
        println!("{}/ is not built yet: running dist first", pkg.display());
        dist::run()?
    };
    ensure!(total <= BUDGET_GZIP, "the widget is over its size budget");
    Ok(())
}

/// Prints what a page downloads from `pkg/`, the bundler entry and the budget line; returns the page's gzip total.
pub fn report() -> Result<u64> {
    let pkg = Path::new(workspace::PKG);
    let mut styles = Vec::new();
    for entry in fs::read_dir(pkg)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".css") {
            styles.push(name);
        }
    }
    styles.sort();
    let page = PAGE_FILES.map(String::from).into_iter().chain(styles);

    println!(
        "a page with the script tag downloads from {}/:",
        pkg.display()
    );
    let (mut raw, mut gzip) = (0, 0);
    for file in page {
        let size = Size::of(&pkg.join(&file))?;
        println!(
            "  {file:<16} {:>9} raw {:>9} gzip",
            kb(size.raw),
            kb(size.gzip)
        );
        raw += size.raw;
        gzip += size.gzip;
    }
    println!("  {:<16} {:>9} raw {:>9} gzip", "total", kb(raw), kb(gzip));
    let bundler = Size::of(&pkg.join(BUNDLER_ENTRY))?;
    println!("bundler entry, not in the total (bundlers load the same wasm):");
    println!(
        "  {BUNDLER_ENTRY:<16} {:>9} raw {:>9} gzip",
        kb(bundler.raw),
        kb(bundler.gzip)
    );
    let verdict = if gzip <= BUDGET_GZIP { "under" } else { "over" };
    let margin = kb(gzip.abs_diff(BUDGET_GZIP));
    println!(
        "total {} gzip, budget {}: {margin} {verdict}",
        kb(gzip),
        kb(BUDGET_GZIP)
    );
    Ok(gzip)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
