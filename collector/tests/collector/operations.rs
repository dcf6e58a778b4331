//! `GET /healthz` and `GET /metrics`.

use rebound_collector::views::{ViewCounts, ViewQuery, ViewRow};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use rebound_collector::admin_token::AdminToken;
use rebound_collector::cases::{CaseChange, CaseDetail, CasePage, CaseQuery};
use rebound_collector::follow_up::Candidate;
use rebound_collector::outbox::{
    Delivery, DeliveryInfo, DeliveryStatus, OutboxCounts, Outcome, Outgoing,
};
use rebound_collector::reminders::Announce;
use rebound_collector::store::{
    ReceivedQuery, ResponseVersion, Saved, Store, StoreError, StoreFuture, StoredResponse,
};
use rebound_collector::studio::{Published, Survey, SurveyStatus, SurveySummary, VersionInfo};
use rebound_collector::triage::Triage;
use rebound_collector::{app, AppOptions, AppState};

use crate::support::{plain_router, post, send, submission, Reply, ID_A, TOKEN};

async fn get(router: &Router, path: &str) -> Reply {
    let request = Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("request");
    send(router, request).await
}

#[tokio::test]
async fn healthz_is_ok_while_the_database_answers() {
    let reply = get(&plain_router(), "/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
}

/// A store whose database is gone.
struct Unreachable;

impl Unreachable {
    fn fail<T>() -> StoreFuture<'static, T> {
        Box::pin(async { Err(StoreError::Unsupported("the database is gone")) })
    }
}

impl Store for Unreachable {
    fn save(&self, _: ResponseVersion, _: Triage, _: Vec<Outgoing>) -> StoreFuture<'_, Saved> {
        Self::fail()
    }
    fn list(&self, _: u32) -> StoreFuture<'_, Vec<StoredResponse>> {
        Self::fail()
    }
    fn received(&self, _: ReceivedQuery) -> StoreFuture<'_, Vec<StoredResponse>> {
        Self::fail()
    }
    fn ping(&self) -> StoreFuture<'_, ()> {
        Self::fail()
    }
    fn earlier_cases(&self, _: String, _: String, _: String) -> StoreFuture<'_, u64> {
        Self::fail()
    }
    fn cases(&self, _: CaseQuery) -> StoreFuture<'_, CasePage> {
        Self::fail()
    }
    fn case(&self, _: String) -> StoreFuture<'_, Option<CaseDetail>> {
        Self::fail()
    }
    fn update_case(
        &self,
        _: String,
        _: CaseChange,
        _: &'static str,
        _: Duration,
    ) -> StoreFuture<'_, Option<CaseDetail>> {
        Self::fail()
    }
    fn claim_reminders(&self, _: u32, _: Announce) -> StoreFuture<'_, u32> {
        Self::fail()
    }
    fn with_reference(&self, _: String) -> StoreFuture<'_, Vec<Candidate>> {
        Self::fail()
    }
    fn claim_deliveries(&self, _: u32, _: Duration) -> StoreFuture<'_, Vec<Delivery>> {
        Self::fail()
    }
    fn finish_delivery(&self, _: String, _: Outcome) -> StoreFuture<'_, ()> {
        Self::fail()
    }
    fn release_deliveries(&self, _: Vec<String>) -> StoreFuture<'_, ()> {
        Self::fail()
    }

    fn deliveries(
        &self,
        _: Option<DeliveryStatus>,
        _: Option<String>,
        _: u32,
    ) -> StoreFuture<'_, Vec<DeliveryInfo>> {
        Self::fail()
    }
    fn outbox_counts(&self) -> StoreFuture<'_, OutboxCounts> {
        Self::fail()
    }
    fn surveys(&self, _: String) -> StoreFuture<'_, Vec<SurveySummary>> {
        Self::fail()
    }
    fn survey(&self, _: String, _: String) -> StoreFuture<'_, Option<Survey>> {
        Self::fail()
    }
    fn put_survey(
        &self,
        _: String,
        _: String,
        _: SurveyStatus,
        _: String,
    ) -> StoreFuture<'_, bool> {
        Self::fail()
    }
    fn publish(&self, _: String) -> StoreFuture<'_, Published> {
        Self::fail()
    }
    fn restore(&self, _: String, _: i64) -> StoreFuture<'_, Option<Published>> {
        Self::fail()
    }
    fn published(&self, _: String) -> StoreFuture<'_, Option<Published>> {
        Self::fail()
    }
    fn versions(&self, _: String) -> StoreFuture<'_, Vec<VersionInfo>> {
        Self::fail()
    }
    fn save_views(&self, _: Vec<ViewRow>) -> StoreFuture<'_, ()> {
        Self::fail()
    }
    fn view_counts(&self, _: ViewQuery) -> StoreFuture<'_, ViewCounts> {
        Self::fail()
    }
}

#[tokio::test]
async fn healthz_is_unavailable_without_the_database_and_a_post_is_not_acknowledged() {
    let state = AppState {
        store: Arc::new(Unreachable),
        admin_token: AdminToken::new(TOKEN).expect("token"),
    };
    let router = app(state, &AppOptions::default());
    let reply = get(&router, "/healthz").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.json()["error"], "storage_unavailable");

    let reply = post(&router, &submission(ID_A, true)).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.json()["error"], "storage_failed");
    // The cause is for the log, not for the client.
    assert!(!reply.json()["message"]
        .as_str()
        .is_some_and(|m| m.contains("gone")));

    // A follow-up that cannot be looked up is an outage, not a "not found" to be believed.
    let reply = get(
        &router,
        "/v1/cases/status?reference=RB-7KQ2&secret=0123456789ABCDEFGHJKMNPQRSTV",
    )
    .await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.json()["error"], "storage_failed");
    assert_eq!(reply.header(header::CACHE_CONTROL), Some("no-store"));
}

#[tokio::test]
async fn metrics_count_requests_rejections_and_submissions() {
    let router = plain_router();
    post(&router, &submission(ID_A, true)).await;
    post(&router, &submission(ID_A, true)).await;
    post(&router, &submission("bad", true)).await;
    get(&router, "/v1/cases/status").await;
    // Without a token, as Prometheus scrapes by default (the README says so).
    let reply = get(&router, "/metrics").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .header(header::CONTENT_TYPE)
        .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")));
    let text = String::from_utf8(reply.body).expect("text");
    for line in [
        "rebound_http_requests_total{route=\"/v1/responses\",method=\"POST\",status=\"201\"} 1",
        "rebound_http_requests_total{route=\"/v1/responses\",method=\"POST\",status=\"200\"} 1",
        "rebound_http_requests_total{route=\"/v1/responses\",method=\"POST\",status=\"400\"} 1",
        "rebound_rejections_total{reason=\"invalid_field\"} 1",
        "rebound_http_requests_total{route=\"/v1/cases/status\",method=\"GET\",status=\"404\"} 1",
        "rebound_submissions_total{outcome=\"created\"} 1",
        "rebound_submissions_total{outcome=\"kept\"} 1",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line} missing from\n{text}"
        );
    }
}
