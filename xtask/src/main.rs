//! `cargo xtask <task>`: Rebound's build and check tasks, written in Rust so that they run wherever cargo does.
//!
//! Every task installs the tools it needs when they are missing and prints each command before running it.

mod bench;
mod check;
mod cmd;
mod demo;
mod dist;
mod entries;
mod glue;
mod minify_names;
mod size;
mod test;
mod tools;
mod workspace;

use std::{env, process::ExitCode};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  check FILE...  check configuration files (options and survey definitions) with the widget's own readers
  dist   build pkg/: the eager core (rebound.js, rebound_bg.wasm), the outbox part (rebound_flush.js,
         rebound_flush_bg.wasm), the dialog part (rebound_dialog.js, rebound_dialog_bg.wasm), the full widget
         (rebound_full.js, rebound_full_bg.wasm), rebound.mjs (bundlers), types, package.json
  size   report what a page using the script tag downloads, part by part and case by case; fail over a guard
  size --why  the largest functions and data of each part (twiggy)
  test   run every check CI runs: format, clippy, native unit tests, dist, size, end-to-end
  demo   build everything and serve the demo shop with the widget and the collector on 127.0.0.1
  bench [--runs N] [--quick] [--check] [--idle-seconds S] [--pkg DIR]
         the widget's cost to a page beside Sentry's feedback widget, in headless Chromium at 1x and 4x CPU throttle;
         writes target/bench/bench.md and bench.json; --check fails over a budget, --quick is 1 run at 1x
  bench collector [ARGS]  load-test the collector's ingest over loopback (ARGS go to the bench, e.g. --seconds 8)";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["check", files @ ..] => check::run(files),
        ["dist"] => in_root(|| dist::run().map(drop)),
        ["size"] => in_root(size::run),
        ["size", "--why"] => in_root(size::why),
        ["test"] => in_root(test::run),
        ["demo"] => in_root(demo::run),
        ["bench", "collector", rest @ ..] => in_root(|| bench::collector(rest)),
        ["bench", rest @ ..] => in_root(|| bench::widget(rest)),
        ["help" | "-h" | "--help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => return usage_error(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask {}: {error:#}", words.join(" "));
            ExitCode::FAILURE
        }
    }
}

/// Runs `task` from the repository root, so that tasks and the commands they print use paths relative to it.
fn in_root(task: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<()> {
    env::set_current_dir(workspace::root())?;
    task()
}

fn usage_error() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}
