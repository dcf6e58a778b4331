//! Cross-origin POSTs: which origins get `Access-Control-Allow-Origin`, on successes, on
//! rejections and on preflights.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use rebound_collector::cors::AllowedOrigins;
use rebound_collector::AppOptions;

use crate::support::{router, send, submission, Reply, ID_A, TEXT_PLAIN};

const SHOP: &str = "https://shop.example";

fn options(origins: &[&str]) -> AppOptions {
    AppOptions {
        allowed_origins: AllowedOrigins::parse(origins.iter().copied()).expect("origins"),
        ..AppOptions::default()
    }
}

async fn post_from(router: &axum::Router, origin: &str, body: String) -> Reply {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/responses")
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, TEXT_PLAIN)
        .body(Body::from(body))
        .expect("request");
    send(router, request).await
}

#[tokio::test]
async fn an_allowed_origin_may_read_the_answer() {
    let router = router(options(&[SHOP]));
    let reply = post_from(&router, SHOP, submission(ID_A, true).to_string()).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(
        reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(SHOP)
    );
}

#[tokio::test]
async fn an_allowed_origin_may_read_a_rejection_too() {
    let router = router(options(&[SHOP]));
    let reply = post_from(&router, SHOP, "not json".to_owned()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(SHOP)
    );
}

#[tokio::test]
async fn another_origin_gets_no_cors_header() {
    let router = router(options(&[SHOP]));
    let reply = post_from(
        &router,
        "https://evil.example",
        submission(ID_A, true).to_string(),
    )
    .await;
    assert_eq!(reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);
}

#[tokio::test]
async fn the_preflight_allows_post_with_a_content_type() {
    let router = router(options(&[SHOP]));
    let request = Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/responses")
        .header(header::ORIGIN, SHOP)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .expect("request");
    let reply = send(&router, request).await;
    assert!(reply.status.is_success(), "{}", reply.status);
    assert_eq!(
        reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(SHOP)
    );
    assert!(reply
        .header(header::ACCESS_CONTROL_ALLOW_METHODS)
        .is_some_and(|methods| methods.contains("POST")));
    assert!(reply
        .header(header::ACCESS_CONTROL_ALLOW_HEADERS)
        .is_some_and(|headers| headers.contains("content-type")));
}

#[tokio::test]
async fn star_allows_every_origin() {
    let router = router(options(&["*"]));
    let reply = post_from(
        &router,
        "https://any.example",
        submission(ID_A, true).to_string(),
    )
    .await;
    assert_eq!(reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
}
