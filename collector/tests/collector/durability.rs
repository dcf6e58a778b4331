//! A 2xx means stored: the built binary is killed with SIGKILL right after acknowledging, and
//! a new process on the same database (the SQLite file, or the PostgreSQL schema when the suite
//! runs there) still has the response.

use serde_json::Value;

use crate::process::Collector;
use crate::support::{fresh_postgres, submission, TempDir, ID_A, TOKEN};

#[test]
fn an_acknowledged_response_survives_kill_9() {
    let dir = TempDir::new();
    let database =
        fresh_postgres().unwrap_or_else(|| dir.path().join("rebound.db").display().to_string());
    let body = submission(ID_A, true);

    let mut first = Collector::start(&database);
    let (status, _) = first.request(
        "POST",
        "/v1/responses",
        "Content-Type: text/plain;charset=UTF-8\r\n",
        &body.to_string(),
    );
    assert_eq!(status, 201);
    // `Child::kill` is SIGKILL: no destructor, no flush, no checkpoint runs.
    first.child.kill().expect("kill -9");
    first.child.wait().expect("reap");

    let second = Collector::start(&database);
    let (status, listed) = second.request(
        "GET",
        "/v1/responses",
        &format!("Authorization: Bearer {TOKEN}\r\n"),
        "",
    );
    assert_eq!(status, 200);
    let listed: Value = serde_json::from_str(&listed).expect("JSON list");
    assert_eq!(listed["responses"][0]["response"], body);
}
