//! [`Metrics`]: counters kept in memory and served at `GET /metrics` in the Prometheus text
//! format: requests by route and status, rejections by reason, and what ingest did with the
//! submissions it accepted.
//!
//! A few counters behind one mutex each are enough at this scale and avoid a metrics library.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app_state::AppState;
use crate::error::Rejection;
use crate::outbox::{OutboxCounts, Outcome};
use crate::store::Saved;

/// The collector's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Answered requests by (route, method, status).
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// Refused requests by error code.
    rejections: Mutex<BTreeMap<&'static str, u64>>,
    /// Accepted submissions by outcome.
    saved: Mutex<BTreeMap<&'static str, u64>>,
    /// Webhook attempts by result.
    webhook_attempts: Mutex<BTreeMap<&'static str, u64>>,
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K) {
    // Counters stay usable after a panic elsewhere: a count cannot be left half written.
    *map.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key)
        .or_default() += 1;
}

impl Metrics {
    /// Counts one accepted submission.
    pub fn saved(&self, saved: Saved) {
        let outcome = match saved {
            Saved::Created => "created",
            Saved::Replaced => "replaced",
            Saved::Kept => "kept",
        };
        bump(&self.saved, outcome);
    }

    /// Counts one webhook attempt by how it ended.
    pub fn webhook_attempt(&self, outcome: &Outcome) {
        let result = match outcome {
            Outcome::Delivered => "delivered",
            Outcome::Retry { .. } => "retry",
            Outcome::Failed { .. } => "failed",
        };
        bump(&self.webhook_attempts, result);
    }

    /// The Prometheus text exposition of every counter, and of the outbox's gauges when the
    /// database could tell them.
    pub fn render(&self, outbox: Option<OutboxCounts>) -> String {
        let mut text = String::new();
        family(
            &mut text,
            "rebound_http_requests_total",
            "HTTP requests answered, by route, method and status.",
            &self.requests,
            |(route, method, status)| {
                format!("route=\"{route}\",method=\"{method}\",status=\"{status}\"")
            },
        );
        family(
            &mut text,
            "rebound_rejections_total",
            "Requests refused, by the error code in the answer.",
            &self.rejections,
            |reason| format!("reason=\"{reason}\""),
        );
        family(
            &mut text,
            "rebound_submissions_total",
            "Valid submissions, by whether they created, replaced or kept a response.",
            &self.saved,
            |outcome| format!("outcome=\"{outcome}\""),
        );
        family(
            &mut text,
            "rebound_webhook_attempts_total",
            "Webhook delivery attempts, by result: delivered, retry (failed, will retry) or \
             failed (failed for good).",
            &self.webhook_attempts,
            |result| format!("result=\"{result}\""),
        );
        if let Some(outbox) = outbox {
            let _ = writeln!(
                text,
                "# HELP rebound_webhook_queue_depth Webhook deliveries waiting to be sent.\n\
                 # TYPE rebound_webhook_queue_depth gauge\n\
                 rebound_webhook_queue_depth {}\n\
                 # HELP rebound_webhook_failed Webhook deliveries given up on.\n\
                 # TYPE rebound_webhook_failed gauge\n\
                 rebound_webhook_failed {}",
                outbox.pending, outbox.failed
            );
        }
        text
    }
}

/// Writes one counter family. Label values are route templates, methods and fixed codes, none
/// of which holds a quote or backslash that would need escaping.
fn family<K>(
    text: &mut String,
    name: &str,
    help: &str,
    map: &Mutex<BTreeMap<K, u64>>,
    labels: impl Fn(&K) -> String,
) {
    let _ = writeln!(text, "# HELP {name} {help}\n# TYPE {name} counter");
    for (key, count) in map.lock().unwrap_or_else(PoisonError::into_inner).iter() {
        let _ = writeln!(text, "{name}{{{}}} {count}", labels(key));
    }
}

/// Middleware that counts every request to a route, and every rejection by its reason.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    if let Some(Rejection(reason)) = response.extensions().get::<Rejection>() {
        bump(&metrics.rejections, *reason);
    }
    bump(
        &metrics.requests,
        (route, method, response.status().as_u16()),
    );
    response
}

/// `GET /metrics`. The outbox gauges are left out when the database does not answer, so that
/// the counters can still be scraped.
pub async fn serve(
    State(metrics): State<Arc<Metrics>>,
    State(state): State<AppState>,
) -> impl IntoResponse {
    let outbox = state.store.outbox_counts().await.ok();
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        metrics.render(outbox),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_each_family_with_help_type_and_samples() {
        let metrics = Metrics::default();
        metrics.saved(Saved::Created);
        metrics.saved(Saved::Created);
        bump(&metrics.rejections, "invalid_json");
        bump(
            &metrics.requests,
            ("/v1/responses".to_owned(), "POST".to_owned(), 201),
        );
        metrics.webhook_attempt(&Outcome::Delivered);
        let text = metrics.render(Some(OutboxCounts {
            pending: 3,
            failed: 1,
        }));
        assert!(text.contains("# TYPE rebound_submissions_total counter\n"));
        assert!(text.contains("rebound_submissions_total{outcome=\"created\"} 2\n"));
        assert!(text.contains("rebound_rejections_total{reason=\"invalid_json\"} 1\n"));
        assert!(text.contains(
            "rebound_http_requests_total{route=\"/v1/responses\",method=\"POST\",status=\"201\"} 1\n"
        ));
        assert!(text.contains("rebound_webhook_attempts_total{result=\"delivered\"} 1\n"));
        assert!(text
            .contains("# TYPE rebound_webhook_queue_depth gauge\nrebound_webhook_queue_depth 3\n"));
        assert!(text.contains("rebound_webhook_failed 1\n"));
    }
}
