//! `cargo xtask demo`: builds `pkg/` and the collector, then serves the demo shop in `www/` with the widget on it,
//! in the foreground until Ctrl-C, and says where to open it and how to read what visitors sent.

use std::{
    fs,
    io::{BufRead, BufReader},
    net::TcpListener,
    process::{Command, Stdio},
};

use anyhow::{ensure, Context, Result};

use crate::{cmd, dist, workspace};

/// The port the demo prefers; when it is taken the system picks a free one.
const PORT: u16 = 8080;
/// How the collector announces its address, then its admin token, on stdout.
const LISTENING: &str = "rebound-collector listening on ";
const TOKEN: &str = "admin token: ";

pub fn run() -> Result<()> {
    dist::run()?;
    cmd::run(Command::new("cargo").args(["build", "-p", "rebound-collector", "--release"]))?;

    let target = workspace::target_dir();
    let data = target.join("demo");
    fs::create_dir_all(&data)?;
    let addr = if TcpListener::bind(("127.0.0.1", PORT)).is_ok() {
        format!("127.0.0.1:{PORT}")
    } else {
        println!("port {PORT} is taken: letting the system pick one");
        "127.0.0.1:0".to_owned()
    };
    let mut collector = Command::new(target.join("release/rebound-collector"));
    collector
        .args(["serve", "--addr", &addr, "--db"])
        .arg(data.join("rebound.db"))
        .args(["--www", workspace::WWW, "--pkg", workspace::PKG, "--demo"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let line = cmd::echo(&collector);
    let mut child = collector
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;

    // Ctrl-C reaches the collector as well as this process: both stop.
    let output = BufReader::new(
        child
            .stdout
            .take()
            .context("the collector's stdout is not piped")?,
    );
    let (mut url, mut token) = (None, None);
    for line in output.lines() {
        let line = line?;
        println!("{line}");
        if let Some(rest) = line.strip_prefix(LISTENING) {
            url = Some(rest.trim_end_matches('/').to_owned());
        } else if let Some(rest) = line.strip_prefix(TOKEN) {
            token = Some(rest.to_owned());
        }
        if let (Some(address), Some(secret)) = (&url, &token) {
            println!("\nDemo: {address}/");
            println!(
                "Inbox and survey studio: {address}/inbox/surveys (sign in with the admin token)"
            );
            println!(
                "Stored answers: curl -H \"Authorization: Bearer {secret}\" {address}/v1/responses"
            );
            println!("Stop with Ctrl-C.\n");
            (url, token) = (None, None);
        }
    }
    let status = child.wait()?;
    ensure!(status.success(), "the collector stopped ({status})");
    Ok(())
}
