//! `cargo xtask size`: what a page that uses the script tag downloads from `pkg/`, part by part (the eager core's
//! script and wasm, the outbox part's, the dialog part's and the full widget's module and wasm) raw, gzip -9 and
//! brotli, and what a visitor downloads in each case: a page view that shows nothing, one that sends what earlier
//! pages left, one where the feedback dialog is shown on a site without surveys, one where a survey is shown,
//! the most one page view loads, and everything. Each case is
//! printed against the product's budget and against a guard just above today's figure; the guard fails the run,
//! so no change makes a case heavier unnoticed. The bundler entry `rebound.mjs` is listed on its own.
//! `cargo xtask size --why` lists the largest functions and data of each part, from twiggy, and what the failure
//! triggers' own functions weigh in each.

use std::{fs, io::Write, path::Path};

use anyhow::{ensure, Context, Result};
use flate2::{write::GzEncoder, Compression};

use crate::{cmd, dist, tools, workspace};

/// What the script tag loads on every page view.
const EAGER: [&str; 2] = ["rebound.js", "rebound_bg.wasm"];
/// What the core fetches when the page view can use it: the full widget's module and wasm, by the start of their
/// names.
const FULL: &str = "rebound_full";
/// What the core fetches when the page view only has answers of earlier pages to send: the outbox part.
const FLUSH: &str = "rebound_flush";
/// What the core fetches instead of the full widget when the options configure no survey: the dialog part.
const DIALOG: &str = "rebound_dialog";
/// Every language's texts, by the end of their names.
const LANGUAGES: &str = ".txt";
/// The texts of German, the largest language file but Arabic's and Hebrew's (which compress better): what a visitor
/// in another language downloads besides.
const GERMAN: &str = "rebound_de.txt";
/// The ES module bundlers import instead of the script (the same loader, with `src/module.js`).
const BUNDLER_ENTRY: &str = "rebound.mjs";

/// A case of what a visitor downloads, with the product's budget and the regression guard, gzip bytes.
struct Case {
    name: &'static str,
    /// Files besides the eager ones, by the start of their names ([`LANGUAGES`] by the end); `None`: every file.
    adds: Option<&'static [&'static str]>,
    budget: u64,
    guard: u64,
}

/// The cases. The budgets are the product's (issue "pay for what you use"); the guards sit just above what the
/// widget weighs today and come down with it (`docs/size.md` says where the bytes go).
const CASES: [Case; 7] = [
    Case {
        name: "a page view that shows nothing",
        adds: Some(&[]),
        budget: 14 * 1024,
        guard: 23 * 1024 + 512,
    },
    Case {
        name: "answers from earlier pages sent",
        adds: Some(&[FLUSH]),
        // The issue counts the outbox flush in the eager part's budget.
        budget: 14 * 1024,
        guard: 39 * 1024 + 512,
    },
    Case {
        name: "the dialog, no survey configured",
        adds: Some(&[DIALOG]),
        budget: 40 * 1024,
        guard: 85 * 1024,
    },
    Case {
        name: "a survey shown (or the dialog)",
        adds: Some(&[FULL]),
        budget: 40 * 1024,
        guard: 113 * 1024 + 768,
    },
    Case {
        name: "the same, in German (its texts)",
        adds: Some(&[FULL, GERMAN]),
        budget: 40 * 1024,
        guard: 114 * 1024 + 768,
    },
    Case {
        name: "the most one page view loads",
        // The dialog part only ever comes instead of the full widget.
        adds: Some(&[FLUSH, FULL, LANGUAGES]),
        budget: 55 * 1024,
        guard: 136 * 1024,
    },
    Case {
        name: "everything",
        adds: None,
        budget: 55 * 1024,
        guard: 197 * 1024 + 256,
    },
];

/// A file's size as stored, as sent with gzip -9 and with brotli (quality 11).
pub struct Size {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl Size {
    pub fn of(path: &Path) -> Result<Size> {
        let bytes = fs::read(path).with_context(|| format!("could not read {}", path.display()))?;
        let mut gzip = GzEncoder::new(Vec::new(), Compression::best());
        gzip.write_all(&bytes)?;
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli, &params)?;
        Ok(Size {
            raw: bytes.len() as u64,
            gzip: gzip.finish()?.len() as u64,
            brotli: brotli.len() as u64,
        })
    }
}

/// Prints the report for the existing `pkg/`, building it first when missing, and fails over a guard.
pub fn run() -> Result<()> {
    let pkg = Path::new(workspace::PKG);
    if !EAGER
        .iter()
        .chain([&"rebound_full_bg.wasm"])
        .all(|file| pkg.join(file).exists())
    {
        println!("{}/ is not built yet: running dist first", pkg.display());
        dist::run()?;
    } else {
        report()?;
    }
    Ok(())
}

/// Prints every part and every case of `pkg/`, and fails when a case is over its guard; returns the gzip bytes
/// of a page view that shows nothing.
pub fn report() -> Result<u64> {
    let pkg = Path::new(workspace::PKG);
    let mut parts = Vec::new();
    for entry in fs::read_dir(pkg)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm")
            || name.ends_with(".txt")
            || (name.ends_with(".js") && name != BUNDLER_ENTRY)
        {
            parts.push(name);
        }
    }
    parts.sort_by_key(|name| (!EAGER.contains(&name.as_str()), name.clone()));
    println!(
        "the parts a page with the script tag can download from {}/:",
        pkg.display()
    );
    let mut sizes = Vec::new();
    for file in &parts {
        let size = Size::of(&pkg.join(file))?;
        let when = if EAGER.contains(&file.as_str()) {
            "every page view"
        } else if file.ends_with(".txt") {
            "for a visitor in that language"
        } else {
            "on demand"
        };
        println!(
            "  {file:<20} {:>9} raw {:>9} gzip {:>9} brotli   {when}",
            kb(size.raw),
            kb(size.gzip),
            kb(size.brotli)
        );
        sizes.push((file.clone(), size));
    }
    let bundler = Size::of(&pkg.join(BUNDLER_ENTRY))?;
    println!("bundler entry, not in the cases (the same loader and core glue as rebound.js, an ES module):");
    println!(
        "  {BUNDLER_ENTRY:<18} {:>9} raw {:>9} gzip {:>9} brotli",
        kb(bundler.raw),
        kb(bundler.gzip),
        kb(bundler.brotli)
    );

    println!(
        "what a visitor downloads (gzip; budget is the product's target, guard fails the run):"
    );
    let mut over = Vec::new();
    let mut eager = 0;
    for case in &CASES {
        let (mut gzip, mut brotli) = (0, 0);
        for (file, size) in &sizes {
            let counted = EAGER.contains(&file.as_str())
                || case.adds.is_none_or(|adds| {
                    adds.iter().any(|add| match add.strip_prefix('.') {
                        Some(_) => file.ends_with(add),
                        None => file.starts_with(add),
                    })
                });
            if counted {
                gzip += size.gzip;
                brotli += size.brotli;
            }
        }
        if case.adds == Some(&[]) {
            eager = gzip;
        }
        let against = |limit: u64| {
            let verdict = if gzip <= limit { "under" } else { "over" };
            format!("{} {verdict}", kb(gzip.abs_diff(limit)))
        };
        println!(
            "  {:<35} {:>9} gzip {:>9} brotli   budget {} ({}), guard {} ({})",
            case.name,
            kb(gzip),
            kb(brotli),
            kb(case.budget),
            against(case.budget),
            kb(case.guard),
            against(case.guard)
        );
        if gzip > case.guard {
            over.push(case.name);
        }
    }
    ensure!(over.is_empty(), "over the size guard: {}", over.join(", "));
    Ok(eager)
}

/// How many of each part's largest items `--why` prints.
const WHY_ITEMS: &str = "20";

/// What the failure triggers' functions are named for (issue "catch the failure"): `--why` sums each part's
/// functions whose names hold one of these, so that it shows what the triggers cost in the eager core (nothing
/// but keeping early errors) and in the full widget.
const FAILURE_CODE: [&str; 8] = [
    "rebound::failure::",
    "web::failures::",
    "trigger::settle::",
    "trigger::request_failed::",
    "trigger::rage_click::",
    "trigger::js_error::",
    "trigger::form_error::",
    "eager::hears_errors",
];

/// Prints, for the eager core and the full widget of the last `dist`, their largest functions and data segments:
/// each part is optimised again as `dist` does but keeping its function names, and twiggy sizes it.
pub fn why() -> Result<()> {
    tools::twiggy()?;
    let target = workspace::target_dir();
    let bindgen = target.join("bindgen");
    let parts = [
        bindgen.join("rebound/rebound_bg.wasm"),
        bindgen.join("rebound_flush/rebound_flush_bg.wasm"),
        bindgen.join("rebound_dialog/rebound_dialog_bg.wasm"),
        bindgen.join("rebound_full/rebound_full_bg.wasm"),
    ];
    ensure!(
        parts.iter().all(|p| p.exists()),
        "run `cargo xtask dist` first: --why reads its intermediate files"
    );
    let why = target.join("why");
    fs::create_dir_all(&why)?;
    for part in parts {
        let named = why.join(part.file_name().context("a part without a name")?);
        cmd::run(
            std::process::Command::new("node")
                .arg(tools::WASM_OPT)
                .arg(&part)
                .args(
                    dist::WASM_OPT_FLAGS
                        .iter()
                        .filter(|f| !f.starts_with("--strip")),
                )
                .arg("-g")
                .arg("-o")
                .arg(&named),
        )?;
        println!(
            "\n{}: its largest items (names kept, so the names section is listed too)",
            named.display()
        );
        cmd::run(
            std::process::Command::new("twiggy")
                .args(["top", "-n", WHY_ITEMS])
                .arg(&named),
        )?;
        let (bytes, functions) = named_for(&named, &FAILURE_CODE)?;
        println!(
            "the failure triggers' own functions: {} raw in {functions} functions (code inlined into others is not counted)",
            kb(bytes)
        );
    }
    Ok(())
}

/// The shallow bytes and number of the items of `wasm` (names kept) whose names hold one of `patterns`.
fn named_for(wasm: &Path, patterns: &[&str]) -> Result<(u64, usize)> {
    let out = std::process::Command::new("twiggy")
        .args(["top", "-f", "csv", "-n", "1000000"])
        .arg(wasm)
        .output()
        .context("could not run twiggy")?;
    ensure!(
        out.status.success(),
        "twiggy top failed on {}",
        wasm.display()
    );
    let mut total = (0, 0);
    for line in String::from_utf8_lossy(&out.stdout).lines().skip(1) {
        // `Name,ShallowSize,…`: the name may hold commas, the sizes do not.
        let mut fields = line.rsplitn(5, ',');
        let shallow = fields.nth(3).and_then(|f| f.parse::<u64>().ok());
        let name = fields.next().unwrap_or_default();
        if let Some(bytes) = shallow.filter(|_| patterns.iter().any(|p| name.contains(p))) {
            total.0 += bytes;
            total.1 += 1;
        }
    }
    Ok(total)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
