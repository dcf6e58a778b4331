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
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{headers}\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .expect("send");
        let mut reply = String::new();
        stream.read_to_string(&mut reply).expect("receive");
        let status = reply
            .get(9..12)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("no status line: {reply}"));
        let body = reply
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_owned())
            .unwrap_or_default();
        (status, body)
    }
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
    let terminated = Command::new("kill")
        .args(["-TERM", &collector.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(terminated.success());
    let exit = collector.child.wait().expect("wait");
    assert!(exit.success(), "{exit}");
}
