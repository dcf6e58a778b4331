//! `cargo xtask bench collector`: drives the collector's ingest over loopback with its load benchmark (the
//! `bench` example of `rebound-collector`, built in release mode) and prints requests/s and latency percentiles.

use std::process::Command;

use anyhow::Result;

use crate::cmd;

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
