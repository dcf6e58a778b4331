//! The command line: `check-config` reads the file and the `REBOUND__…` variables the way
//! `serve` does, and names what is wrong.

use std::process::{Command, Output};

use crate::support::TempDir;

fn check_config(config: &str, env: &[(&str, &str)]) -> Output {
    let dir = TempDir::new();
    let path = dir.path().join("rebound.toml");
    std::fs::write(&path, config).expect("write config");
    Command::new(env!("CARGO_BIN_EXE_rebound-collector"))
        .arg("check-config")
        .arg("--config")
        .arg(&path)
        .envs(env.iter().copied())
        .output()
        .expect("run check-config")
}

#[test]
fn check_config_reports_the_effective_settings() {
    let output = check_config(
        "[server]\naddr = \"127.0.0.1:9999\"\n[sites.shop]\norigins = [\"https://shop.example\"]\n",
        &[("REBOUND__SERVER__DATABASE", "/var/lib/rebound/x.db")],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("listen: 127.0.0.1:9999"), "{stdout}");
    assert!(
        stdout.contains("database: /var/lib/rebound/x.db"),
        "{stdout}"
    );
    assert!(stdout.contains("\"shop\""), "{stdout}");
}

#[test]
fn check_config_fails_naming_the_bad_key() {
    let output = check_config("[server]\nport = 80\n", &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("port"), "{stderr}");
    assert!(stderr.contains("rebound.toml"), "{stderr}");
}

#[test]
fn the_example_config_is_valid() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/rebound.example.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_rebound-collector"))
        .args(["check-config", "--config", example])
        .output()
        .expect("run check-config");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("priority rules: 10"), "{stdout}");
    assert!(stdout.contains("webhooks: 1"), "{stdout}");
}

#[test]
fn the_help_says_what_allow_origin_allows() {
    let output = Command::new(env!("CARGO_BIN_EXE_rebound-collector"))
        .args(["serve", "--help"])
        .output()
        .expect("run serve --help");
    let help = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for phrase in [
        "may POST for sites without `origins` of their own",
        "requests without an Origin are refused for those sites",
    ] {
        assert!(help.contains(phrase), "{phrase} missing from {help}");
    }
}
