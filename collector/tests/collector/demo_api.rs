//! `serve --demo`: the demo shop's pretend API fails a client's first payment and refuses unknown
//! coupons; without the flag it is not there.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use rebound_collector::AppOptions;

use crate::support::{router, send, Reply};

async fn post(router: &axum::Router, path: &str, body: &str) -> Reply {
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(router, request).await
}

#[tokio::test]
async fn the_first_payment_of_each_client_fails_and_only_one_coupon_works() {
    let router = router(AppOptions {
        demo: true,
        ..AppOptions::default()
    });
    let ana = r#"{"client":"ana"}"#;
    let pay = "/demo/api/payment";
    assert_eq!(
        post(&router, pay, ana).await.status,
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(post(&router, pay, ana).await.status, StatusCode::OK);
    let ben = r#"{"client":"ben"}"#;
    assert_eq!(
        post(&router, pay, ben).await.status,
        StatusCode::BAD_GATEWAY
    );

    let coupon = "/demo/api/coupon";
    let refused = post(&router, coupon, r#"{"code":"FREE"}"#).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.body, br#"{"error":"unknown code"}"#);
    let welcome = r#"{"code":"WELCOME10"}"#;
    assert_eq!(post(&router, coupon, welcome).await.status, StatusCode::OK);
}

#[tokio::test]
async fn without_the_flag_there_is_no_demo_api() {
    let router = router(AppOptions::default());
    let reply = post(&router, "/demo/api/payment", r#"{"client":"ana"}"#).await;
    assert_ne!(reply.status, StatusCode::BAD_GATEWAY);
    assert_ne!(reply.status, StatusCode::OK);
}
