//! A 2xx means stored: the built binary is killed with SIGKILL right after acknowledging, and
//! a new process on the same database (the SQLite file, or the PostgreSQL schema when the suite
//! runs there) still has the response. And two collectors on one PostgreSQL, as behind a load
//! balancer, lose nothing and announce every case once when one of them is stopped mid-load.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::process::{self, Collector};
use crate::support::{fresh_postgres, submission, TempDir, ID_A, TOKEN};
use crate::webhooks::{header, Receiver};

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
    assert_eq!(listed(&second)[0]["response"], body);
}

/// Every stored response (up to 1,000), newest first, as `GET /v1/responses` lists them.
fn listed(collector: &Collector) -> Vec<Value> {
    let (status, listed) = collector.request(
        "GET",
        "/v1/responses?limit=1000",
        &format!("Authorization: Bearer {TOKEN}\r\n"),
        "",
    );
    assert_eq!(status, 200);
    let listed: Value = serde_json::from_str(&listed).expect("JSON list");
    listed["responses"].as_array().expect("responses").clone()
}

/// Posts `body` to the first of `addrs` that acknowledges it, going round them as a load balancer
/// would when an instance refuses connections; returns the index of the one that did.
fn post_until_acknowledged(addrs: &[String], first: usize, body: &str) -> usize {
    for attempt in 0..200 {
        let index = (first + attempt) % addrs.len();
        let answer = process::request(&addrs[index], "POST", "/v1/responses", "", body);
        match answer {
            Ok((status, _)) if (200..300).contains(&status) => return index,
            Ok((status, reply)) => assert!(status >= 500, "refused with {status}: {reply}"),
            // Refused or reset: the instance is stopping, nothing was acknowledged.
            Err(_) => {}
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("no instance acknowledged {body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgresql_lose_nothing_when_one_stops_mid_load() {
    // Several instances share a PostgreSQL database; a SQLite file belongs to one process.
    let Some(database) = fresh_postgres() else {
        return;
    };
    let (receiver, url) = Receiver::start(0).await;
    let dir = TempDir::new();
    let config = dir.path().join("rebound.toml");
    std::fs::write(
        &config,
        format!(
            "[limits]\nper_ip = {{ per_minute = 0, burst = 1 }}\nper_site = {{ per_minute = 0, burst = 1 }}\n\
             [[sites.demo-shop.webhooks]]\nname = \"team\"\nurl = \"{url}\"\nformat = \"json\"\n"
        ),
    )
    .expect("config");
    let config = config.display().to_string();
    let args = ["--config", config.as_str()];
    let env = [("REBOUND__SERVER__SHUTDOWN_DELAY", "200ms")];
    let mut stopping = Collector::start_with(&database, &args, &env);
    let staying = Collector::start_with(&database, &args, &env);
    let addrs = Arc::new([stopping.addr().to_owned(), staying.addr().to_owned()]);

    const SENDERS: usize = 4;
    const EACH: usize = 60;
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let by_stopping = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let (addrs, acknowledged, by_stopping) = (
                Arc::clone(&addrs),
                Arc::clone(&acknowledged),
                Arc::clone(&by_stopping),
            );
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|n| {
                        let id = format!("0b6a2c1e-7d4f-4a8b-9c3d-{:06x}{:06x}", sender, n);
                        let body = submission(&id, true).to_string();
                        if post_until_acknowledged(&addrs[..], n, &body) == 0 {
                            by_stopping.fetch_add(1, Ordering::Relaxed);
                        }
                        acknowledged.fetch_add(1, Ordering::Relaxed);
                        id
                    })
                    .collect::<Vec<String>>()
            })
        })
        .collect();
    // A third of the way through, the first instance is told to stop, as in a rolling deploy.
    while acknowledged.load(Ordering::Relaxed) < SENDERS * EACH / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stopping.terminate();
    let sent: HashSet<String> = tokio::task::spawn_blocking(move || {
        senders
            .into_iter()
            .flat_map(|sender| sender.join().expect("sender"))
            .collect()
    })
    .await
    .expect("senders");
    let exit = stopping.child.wait().expect("wait");
    assert!(exit.success(), "{exit}");
    assert!(by_stopping.load(Ordering::Relaxed) > 0);

    // Every acknowledged response is in the database.
    let stored: HashSet<String> = listed(&staying)
        .iter()
        .map(|response| response["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(stored, sent);

    // Every case was announced, each once: one call, one webhook-id.
    let calls = receiver.wait_for(sent.len()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let calls = if receiver.calls().len() > calls.len() {
        receiver.calls()
    } else {
        calls
    };
    assert_eq!(calls.len(), sent.len());
    let announced: HashSet<String> = calls
        .iter()
        .map(|call| {
            let body: Value = serde_json::from_str(&call.body).expect("JSON");
            body["data"]["id"].as_str().expect("case id").to_owned()
        })
        .collect();
    assert_eq!(announced, sent);
    let ids: HashSet<&str> = calls
        .iter()
        .map(|call| header(call, "webhook-id"))
        .collect();
    assert_eq!(ids.len(), sent.len());
}
