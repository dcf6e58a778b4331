//! `cargo xtask bench`: the widget's cost to a page beside a peer's, and `cargo xtask bench collector`: the
//! collector's ingest under load.
//!
//! The widget bench is `tests/bench/widget.mjs`: it serves one product page on 127.0.0.1 with no widget, with
//! Rebound from `pkg/` and with Sentry's feedback widget (bundled from npm by esbuild), drives headless Chromium
//! through CDP at 1x and 4x CPU throttle, and writes `bench.md` and `bench.json` under `target/bench/` with the
//! budgets of issue 10 judged. The collector bench is the `bench` example of `rebound-collector`, built in release
//! mode, printing requests/s and latency percentiles.

use std::{path::Path, process::Command};

use anyhow::Result;

use crate::{cmd, dist, tools, workspace};

/// The widget bench's script, run with `node`.
const WIDGET_BENCH: &str = "tests/bench/widget.mjs";

/// Runs the widget bench; `args` go to it unchanged (`--runs N`, `--quick`, `--check`, `--idle-seconds S`, and
/// `--pkg DIR` to load another build than `pkg/`). Builds `pkg/` first when it is missing.
pub fn widget(args: &[&str]) -> Result<()> {
    tools::for_bench()?;
    if !Path::new(workspace::PKG).join("rebound.js").exists() {
        println!("{}/ is not built yet: running dist first", workspace::PKG);
        dist::run()?;
    }
    cmd::run(
        Command::new("node")
            .arg(WIDGET_BENCH)
            .args(args)
            .env("REBOUND_PKG", workspace::PKG)
            .env("REBOUND_BENCH_OUT", workspace::target_dir().join("bench"))
            .env("CHROMIUM", tools::CHROMIUM),
    )
}

/// Runs the collector's load benchmark; `args` go to it unchanged (`--seconds`, `--connections`, `--database`).
pub fn collector(args: &[&str]) -> Result<()> {
    cmd::run(
        Command::new("cargo")
            .args([
                "run",
                "-p",
                "rebound-collector",
                "--release",
                "--example",
                "bench",
                "--",
            ])
            .args(args),
    )
}
