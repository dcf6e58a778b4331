//! `cargo xtask test`: every check CI runs, in order, stopping at the first that fails: tools, format, lints,
//! native unit tests, the collector's tests on PostgreSQL, the package build, its size budget,
//! the end-to-end tests, which drive the built package and the real collector in headless Chromium, and the widget
//! bench once in its quick mode, which passes when it produced every figure (its budgets are for `cargo xtask
//! bench`: timings do not belong in tests).

use std::process::Command;

use anyhow::Result;

use crate::{bench, cmd, dist, size, tools, workspace};

/// A step's name and what it runs.
type Step = (&'static str, fn() -> Result<()>);

const STEPS: [Step; 9] = [
    ("install missing tools", tools::for_test),
    ("format", format),
    ("lints", lints),
    ("native unit tests", native_tests),
    ("collector tests on PostgreSQL", postgres_tests),
    ("dist", || dist::build().map(drop)),
    ("size", size::run),
    ("end-to-end tests", end_to_end),
    ("widget bench, quick", || bench::widget(&["--quick"])),
];

pub fn run() -> Result<()> {
    for (number, (name, step)) in STEPS.iter().enumerate() {
        println!("\n==> [{}/{}] {name}", number + 1, STEPS.len());
        step()?;
    }
    println!("\nall {} steps passed", STEPS.len());
    Ok(())
}

fn format() -> Result<()> {
    cmd::run(Command::new("cargo").args(["fmt", "--all", "--", "--check"]))
}

/// Clippy natively over the workspace, then over the widget as it compiles for the browser, where its web layer is:
/// the full widget (with `std`, its unit tests too), and the eager core, the outbox part and the dialog part as
/// `cargo xtask dist` builds them.
fn lints() -> Result<()> {
    let wasm = ["-p", "rebound", "--target", tools::WASM_TARGET];
    let runs: [&[&str]; 5] = [
        &["--workspace", "--all-targets"],
        &[&wasm[..], &["--all-targets"]].concat(),
        &[&wasm[..], &["--no-default-features", "--features", "core"]].concat(),
        &[&wasm[..], &["--no-default-features", "--features", "flush"]].concat(),
        &[
            &wasm[..],
            &["--no-default-features", "--features", "dialog"],
        ]
        .concat(),
    ];
    for args in runs {
        cmd::run(
            Command::new("cargo")
                .arg("clippy")
                .args(args)
                .args(["--", "-D", "warnings"]),
        )?;
    }
    Ok(())
}

fn native_tests() -> Result<()> {
    cmd::run(Command::new("cargo").args(["test", "--workspace"]))
}

/// The collector's router tests again, on a throwaway PostgreSQL when its binaries are installed; the script says
/// clearly when it skipped.
fn postgres_tests() -> Result<()> {
    cmd::run(Command::new("sh").arg("collector/tests/postgres.sh"))
}

/// The tests find the collector, the package, the demo site and the browser through the environment.
fn end_to_end() -> Result<()> {
    cmd::run(Command::new("cargo").args(["build", "-p", "rebound-collector"]))?;
    let root = workspace::root();
    let collector = root
        .join(workspace::target_dir())
        .join("debug/rebound-collector");
    cmd::run(
        Command::new("node")
            // A test that hangs fails after two minutes, and the run ends when its tests have, whatever a
            // failed test left open.
            .args([
                "--test",
                "--test-concurrency=1",
                "--test-timeout=120000",
                "--test-force-exit",
                "tests/e2e/",
            ])
            .env("REBOUND_COLLECTOR", collector)
            .env("REBOUND_PKG", root.join(workspace::PKG))
            .env("REBOUND_WWW", root.join(workspace::WWW))
            .env("CHROMIUM", tools::CHROMIUM),
    )
}
