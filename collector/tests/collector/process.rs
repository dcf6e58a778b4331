//! The built `rebound-collector` binary as a child process, for the tests that need a real
//! process: durability under `kill -9`, shutdown on SIGTERM and what a real socket shows.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::support::TOKEN;

/// A collector process, killed (SIGKILL on Unix) when dropped.
pub struct Collector {
    pub child: Child,
    addr: String,
    /// Held open: the collector fails when its stdout is closed while it still writes to it.
    _stdout: BufReader<ChildStdout>,
}

impl Collector {
    pub fn start(database: &str) -> Self {
        Self::start_with(database, &[], &[])
    }

    /// Starts one with more `args` for `serve` and more `env` variables.
    pub fn start_with(database: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rebound-collector"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--admin-token",
                TOKEN,
                "--database",
            ])
            .arg(database)
            .args(args)
            .envs(env.iter().copied())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the collector");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let (mut first, mut second) = (String::new(), String::new());
        stdout
            .read_line(&mut first)
            .expect("read the listening line");
        stdout.read_line(&mut second).expect("read the token line");
        assert!(second.starts_with("admin token: "), "{second}");
        let addr = first
            .trim()
            .strip_prefix("rebound-collector listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .to_owned();
        Self {
            child,
            addr,
            _stdout: stdout,
        }
    }

    /// The address it listens on, `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// Sends one HTTP/1.1 request and returns the status and the body.
    pub fn request(&self, method: &str, path: &str, headers: &str, body: &str) -> (u16, String) {
        request(&self.addr, method, path, headers, body)
            .unwrap_or_else(|error| panic!("{method} {path}: {error}"))
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        let terminated = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(terminated.success());
    }
}

/// Sends one HTTP/1.1 request to `addr` and returns the status and the body, or why there is
/// no answer (refused, reset, closed before a status line).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .map_err(|e| format!("receive: {e}"))?;
    let status = reply
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("no status line: {reply:?}"))?;
    let body = reply
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

impl Drop for Collector {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sigterm_stops_the_collector_cleanly() {
    let dir = crate::support::TempDir::new();
    let database = dir.path().join("rebound.db").display().to_string();
    let mut collector = Collector::start(&database);
    let (status, _) = collector.request("GET", "/healthz", "", "");
    assert_eq!(status, 200);
    collector.terminate();
    let exit = collector.child.wait().expect("wait");
    assert!(exit.success(), "{exit}");
}

#[test]
fn after_sigterm_it_is_not_ready_but_serves_for_the_shutdown_delay() {
    let dir = crate::support::TempDir::new();
    let database = dir.path().join("rebound.db").display().to_string();
    let mut collector =
        Collector::start_with(&database, &[], &[("REBOUND__SERVER__SHUTDOWN_DELAY", "2s")]);
    assert_eq!(collector.request("GET", "/readyz", "", "").0, 200);
    collector.terminate();
    let mut ready = 200;
    for _ in 0..100 {
        ready = collector.request("GET", "/readyz", "", "").0;
        if ready != 200 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let (status, body) = collector.request("GET", "/readyz", "", "");
    assert_eq!((ready, status), (503, 503), "{body}");
    assert!(body.contains("\"draining\""), "{body}");
    // Still alive and still taking responses while the balancer takes it out.
    assert_eq!(collector.request("GET", "/healthz", "", "").0, 200);
    let body = crate::support::submission(crate::support::ID_A, true).to_string();
    let (status, _) = collector.request("POST", "/v1/responses", "", &body);
    assert_eq!(status, 201);
    let exit = collector.child.wait().expect("wait");
    assert!(exit.success(), "{exit}");
}
