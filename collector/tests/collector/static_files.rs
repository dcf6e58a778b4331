//! `--www` and `--pkg`: the demo page and the built widget, with the media types browsers
//! insist on.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use rebound_collector::AppOptions;

use crate::support::{router, send, Reply, TempDir};

async fn get(router: &axum::Router, path: &str) -> Reply {
    let request = Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("request");
    send(router, request).await
}

#[tokio::test]
async fn serves_the_page_and_the_widget_with_their_media_types() {
    let www = TempDir::new();
    let pkg = TempDir::new();
    std::fs::write(www.path().join("index.html"), "<!doctype html><p>demo").expect("write");
    std::fs::write(pkg.path().join("rebound.js"), "export {};").expect("write");
    std::fs::write(pkg.path().join("rebound_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
    let router = router(AppOptions {
        www: Some(www.path().to_owned()),
        pkg: Some(pkg.path().to_owned()),
        ..AppOptions::default()
    });

    let index = get(&router, "/").await;
    assert_eq!(index.status, StatusCode::OK);
    assert_eq!(index.body, b"<!doctype html><p>demo");
    assert!(index
        .header(header::CONTENT_TYPE)
        .is_some_and(|t| t.starts_with("text/html")));

    let script = get(&router, "/pkg/rebound.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script
        .header(header::CONTENT_TYPE)
        .is_some_and(|t| t.starts_with("text/javascript")));

    let wasm = get(&router, "/pkg/rebound_bg.wasm").await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header(header::CONTENT_TYPE), Some("application/wasm"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");

    assert_eq!(
        get(&router, "/missing.html").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn without_directories_only_the_api_answers() {
    let router = router(AppOptions::default());
    assert_eq!(get(&router, "/").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&router, "/pkg/rebound.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_widget_is_readable_from_any_origin_like_on_a_cdn() {
    let pkg = TempDir::new();
    std::fs::write(pkg.path().join("rebound.js"), "export {};").expect("write");
    let router = router(AppOptions {
        pkg: Some(pkg.path().to_owned()),
        ..AppOptions::default()
    });
    // A shop on another origin, and the studio's sandboxed preview, whose origin is opaque.
    for origin in ["https://shop.example", "null"] {
        let request = Request::builder()
            .uri("/pkg/rebound.js")
            .header(header::ORIGIN, origin)
            .body(Body::empty())
            .expect("request");
        let reply = send(&router, request).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    }
}
