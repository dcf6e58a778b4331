//! Load benchmark of ingest: starts a collector in this process on a loopback port over a fresh
//! database (rate limits off), drives `POST /v1/responses` from many keep-alive connections with
//! a new response id each time, and reports accepted responses per second and latency
//! percentiles.
//!
//! ```text
//! cargo run -p rebound-collector --release --example bench -- [--seconds 10] [--connections 32]
//!     [--database path-or-url] [--database-connections 8]
//! ```
//!
//! It measures; it asserts nothing. The generator shares the machine with the server, as it
//! would on a small host anyway.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{header, Request};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rebound_collector::admin_token::AdminToken;
use rebound_collector::admission::Limits;
use rebound_collector::config::Server;
use rebound_collector::rate_limit::Rate;
use rebound_collector::{app, store, AppOptions, AppState};
use tokio::net::{TcpListener, TcpStream};

struct Settings {
    seconds: u64,
    connections: usize,
    database: Option<String>,
    pool: usize,
}

fn settings() -> Result<Settings, String> {
    let mut settings = Settings {
        seconds: 10,
        connections: 32,
        database: None,
        pool: Server::default().database_connections,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seconds" => settings.seconds = value.parse().map_err(|_| "--seconds: a number")?,
            "--connections" => {
                settings.connections = value.parse().map_err(|_| "--connections: a number")?;
            }
            "--database" => settings.database = Some(value),
            "--database-connections" => {
                settings.pool = value
                    .parse()
                    .map_err(|_| "--database-connections: a number")?;
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(settings)
}

/// A valid submission with a distinct lowercase UUID v4 made from `n`.
fn body(n: u64) -> String {
    let hex = format!("{n:032x}");
    let id = format!(
        "{}-{}-4{}-8{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    );
    format!(
        r#"{{"schema_version":1,"id":"{id}","site":"bench","kind":"feedback","trigger":"button","complete":true,"answers":[{{"question":"rating","type":"rating","value":2}},{{"question":"message","type":"text","value":"The discount code was refused at checkout."}},{{"question":"contact","type":"contact","value":{{"email":"visitor{n}@example.com","consent":true}}}}],"page":{{"url":"https://shop.example/checkout","title":"Checkout","referrer":""}},"client":{{"locale":"en","viewport":{{"width":1280,"height":720}},"user_agent":"Mozilla/5.0 (bench)"}},"created_at":"2026-11-23T09:40:00.123Z"}}"#
    )
}

/// One keep-alive connection sending until `deadline`; returns the latencies of accepted
/// posts in microseconds and the count of failures.
async fn drive(
    addr: std::net::SocketAddr,
    next: Arc<AtomicU64>,
    deadline: Instant,
) -> Result<(Vec<u32>, u64), String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let mut latencies = Vec::new();
    let mut failures = 0;
    while Instant::now() < deadline {
        let request = Request::post("/v1/responses")
            .header(header::HOST, addr.to_string())
            .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
            .body(Full::new(Bytes::from(body(
                next.fetch_add(1, Ordering::Relaxed),
            ))))
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?;
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        if status.is_success() {
            latencies.push(micros);
        } else {
            failures += 1;
        }
    }
    Ok((latencies, failures))
}

fn percentile(sorted: &[u32], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    // Nearest rank: the smallest value with at least `fraction` of the values at or below it.
    let rank = (fraction * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let settings = settings()?;
    let dir = std::env::temp_dir().join(format!("rebound-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let database = settings
        .database
        .clone()
        .unwrap_or_else(|| dir.join("bench.db").display().to_string());
    let store = store::open(&database, settings.pool).map_err(|e| e.to_string())?;
    let state = AppState {
        store,
        admin_token: AdminToken::generate().map_err(|e| e.to_string())?,
    };
    let options = AppOptions {
        limits: Limits {
            per_ip: Rate::OFF,
            per_site: Rate::OFF,
            status_per_ip: Rate::OFF,
        },
        ..AppOptions::default()
    };
    let router = app(state, &options);
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(async move { axum::serve(listener, router).await });

    println!(
        "bench: {} connections for {} s against {database}",
        settings.connections, settings.seconds
    );
    let next = Arc::new(AtomicU64::new(1));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(settings.seconds);
    let drivers: Vec<_> = (0..settings.connections)
        .map(|_| tokio::spawn(drive(addr, Arc::clone(&next), deadline)))
        .collect();
    let mut latencies = Vec::new();
    let mut failures = 0;
    for driver in drivers {
        let (mine, failed) = driver.await.map_err(|e| e.to_string())??;
        latencies.extend(mine);
        failures += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    println!(
        "bench: {} accepted ({:.0}/s), {failures} refused; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
