//! What the tests share: a router over an in-memory store, a valid submission to vary, request
//! helpers and a temporary directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use rebound_collector::admin_token::AdminToken;
use rebound_collector::store::{PostgresStore, SqliteStore, Store};
use rebound_collector::{app, AppOptions, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

/// The admin token every test router uses.
pub const TOKEN: &str = "test-admin-token";

/// The `text/plain` type the widget sends by default.
pub const TEXT_PLAIN: &str = "text/plain;charset=UTF-8";

/// A router over a fresh database (see [`fresh_store`]).
pub fn router(options: AppOptions) -> Router {
    router_and_store(options).0
}

/// The variable that points the suite at a PostgreSQL server instead of SQLite.
pub const POSTGRES_VARIABLE: &str = "REBOUND_TEST_DATABASE";

/// A fresh, empty store: SQLite in memory, or, when [`POSTGRES_VARIABLE`] holds a
/// `postgres://` URL, a schema of its own in that database, so tests cannot see each other.
pub fn fresh_store() -> Arc<dyn Store> {
    match fresh_postgres() {
        Some(url) => Arc::new(PostgresStore::open(&url, 4).expect("open store")),
        None => Arc::new(SqliteStore::open(Path::new(":memory:")).expect("open store")),
    }
}

/// When the suite runs on PostgreSQL, the URL of a new empty schema there.
pub fn fresh_postgres() -> Option<String> {
    let url = std::env::var(POSTGRES_VARIABLE).ok()?;
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let schema = format!(
        "test_{}_{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    );
    let admin_url = url.clone();
    let create = format!("CREATE SCHEMA {schema}");
    // The test's own runtime cannot be blocked on, so the schema is made on a thread of its own.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let (client, connection) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
                .await
                .expect("connect to PostgreSQL");
            tokio::spawn(connection);
            client.batch_execute(&create).await.expect("create schema");
        });
    })
    .join()
    .expect("schema thread");
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!(
        "{url}{separator}options=-c%20search_path%3D{schema}"
    ))
}

/// A router over a fresh database, and that database, for tests that also run the webhook
/// worker on it.
pub fn router_and_store(options: AppOptions) -> (Router, Arc<dyn Store>) {
    let store = fresh_store();
    let state = AppState {
        store: Arc::clone(&store),
        admin_token: AdminToken::new(TOKEN).expect("token"),
    };
    (app(state, &options), store)
}

/// A router with default options: no CORS origins, no static files.
pub fn plain_router() -> Router {
    router(AppOptions::default())
}

/// The contract's example body with another `id` and `complete`.
pub fn submission(id: &str, complete: bool) -> Value {
    let mut body: Value =
        serde_json::from_str(include_str!("../fixtures/submission.json")).expect("valid JSON");
    body["id"] = json!(id);
    body["complete"] = json!(complete);
    body
}

/// The example survey response (an exit-intent survey with every answer type) with the given
/// `id`; an incomplete one has no `signals.seconds_to_complete`, as the contract asks.
pub fn survey_submission(id: &str, complete: bool) -> Value {
    let mut body: Value =
        serde_json::from_str(include_str!("../fixtures/survey.json")).expect("valid JSON");
    body["id"] = json!(id);
    body["complete"] = json!(complete);
    if !complete {
        body["signals"]
            .as_object_mut()
            .expect("signals")
            .remove("seconds_to_complete");
    }
    body
}

/// `submission` serialized and padded with trailing white space (still valid JSON) to exactly
/// `length` bytes.
pub fn padded(submission: &Value, length: usize) -> String {
    let mut body = submission.to_string();
    body.push_str(&" ".repeat(length - body.len()));
    body
}

/// Ids for the tests: valid lowercase UUID v4s that differ in their last digit.
pub const ID_A: &str = "0b6a2c1e-7d4f-4a8b-9c3d-2e1f0a9b8c7a";
pub const ID_B: &str = "0b6a2c1e-7d4f-4a8b-9c3d-2e1f0a9b8c7b";
pub const ID_C: &str = "0b6a2c1e-7d4f-4a8b-9c3d-2e1f0a9b8c7c";

/// What came back from the router.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "body is not JSON ({error}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header's value as text, if present.
    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers
            .get(name)
            .map(|value| value.to_str().expect("header is text"))
    }
}

/// Sends one request through the router.
pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("read body")
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// A POST of `body` to `/v1/responses`, with `content_type` unless it is `None`.
pub fn post_request(body: impl Into<Body>, content_type: Option<&str>) -> Request<Body> {
    let mut request = Request::builder().method(Method::POST).uri("/v1/responses");
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    request.body(body.into()).expect("request")
}

/// POSTs a submission the way the widget does.
pub async fn post(router: &Router, submission: &Value) -> Reply {
    send(
        router,
        post_request(submission.to_string(), Some(TEXT_PLAIN)),
    )
    .await
}

/// GETs `/v1/responses` with `query` (like `?limit=2`) and the given `Authorization` header.
pub async fn list(router: &Router, query: &str, authorization: Option<&str>) -> Reply {
    let mut request = Request::builder().uri(format!("/v1/responses{query}"));
    if let Some(authorization) = authorization {
        request = request.header(header::AUTHORIZATION, authorization);
    }
    send(router, request.body(Body::empty()).expect("request")).await
}

/// Sends `method path` with the admin token and, when given, a JSON body.
pub async fn admin(router: &Router, method: Method, path: &str, body: Option<Value>) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    };
    send(router, request.expect("request")).await
}

/// GETs `path` as the admin and returns the JSON, checking for `200 OK`.
pub async fn admin_json(router: &Router, path: &str) -> Value {
    let reply = admin(router, Method::GET, path, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.json());
    reply.json()
}

/// The stored responses, newest first, as the admin sees them.
pub async fn listed(router: &Router) -> Vec<Value> {
    let reply = list(router, "", Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    match reply.json()["responses"].take() {
        Value::Array(responses) => responses,
        other => panic!("responses is not an array: {other}"),
    }
}

/// A directory of its own under the system's temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "rebound-collector-test-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        // A directory left over from a crashed run with the same pid would hold stale files.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The ids of the cases a `GET /v1/cases` page lists, in its order.
pub fn case_ids(page: &Value) -> Vec<&str> {
    page["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| case["id"].as_str().expect("id"))
        .collect()
}

/// Sets case `id`'s status through the admin API.
pub async fn set_status(router: &Router, id: &str, status: &str) -> Reply {
    let path = format!("/v1/cases/{id}");
    admin(
        router,
        Method::PATCH,
        &path,
        Some(json!({"status": status})),
    )
    .await
}
