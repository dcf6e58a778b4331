//! Who may submit: the per-address and per-site rate limits (429 with `Retry-After`), the
//! per-site origin allow-list and the known-sites-only switch, each refused with a JSON reason.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::Router;
use rebound_collector::admission::Limits;
use rebound_collector::cors::AllowedOrigins;
use rebound_collector::rate_limit::Rate;
use rebound_collector::sites::{SitePolicy, Sites};
use rebound_collector::AppOptions;
use serde_json::Value;

use crate::support::{listed, router, send, submission, Reply, ID_A, ID_B, ID_C, TEXT_PLAIN};

const SHOP: &str = "https://shop.example";

/// POSTs `body` as if from `ip`, with an `Origin` header when given.
async fn post_as(router: &Router, body: &Value, ip: [u8; 4], origin: Option<&str>) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/v1/responses")
        .header(header::CONTENT_TYPE, TEXT_PLAIN);
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    let mut request = request.body(Body::from(body.to_string())).expect("request");
    // What `into_make_service_with_connect_info` adds for a real connection.
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    send(router, request).await
}

fn limited(per_ip: Rate, per_site: Rate) -> Router {
    router(AppOptions {
        limits: Limits {
            per_ip,
            per_site,
            ..Limits::default()
        },
        ..AppOptions::default()
    })
}

const TWO_AT_ONCE: Rate = Rate {
    per_minute: 1,
    burst: 2,
};

fn assert_rate_limited(reply: &Reply, error: &str) {
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.json()["error"], error, "{}", reply.json());
    // One a minute: the next slot is most of a minute away.
    let wait: u64 = reply
        .header(header::RETRY_AFTER)
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((50..=60).contains(&wait), "{wait}");
}

#[tokio::test]
async fn one_address_is_limited_others_are_not() {
    let router = limited(TWO_AT_ONCE, Rate::OFF);
    for id in [ID_A, ID_B] {
        let reply = post_as(&router, &submission(id, true), [10, 0, 0, 1], None).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let refused = post_as(&router, &submission(ID_C, true), [10, 0, 0, 1], None).await;
    assert_rate_limited(&refused, "ip_rate_limited");
    let other = post_as(&router, &submission(ID_C, true), [10, 0, 0, 2], None).await;
    assert_eq!(other.status, StatusCode::CREATED);
}

#[tokio::test]
async fn one_site_is_limited_whatever_the_address() {
    let router = limited(Rate::OFF, TWO_AT_ONCE);
    for (id, ip) in [(ID_A, [10, 0, 0, 1]), (ID_B, [10, 0, 0, 2])] {
        let reply = post_as(&router, &submission(id, true), ip, None).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let refused = post_as(&router, &submission(ID_C, true), [10, 0, 0, 3], None).await;
    assert_rate_limited(&refused, "site_rate_limited");
    assert_eq!(refused.json()["field"], "site");

    let mut elsewhere = submission(ID_C, true);
    elsewhere["site"] = "blog".into();
    let reply = post_as(&router, &elsewhere, [10, 0, 0, 3], None).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

fn with_sites(known_only: bool) -> Router {
    let policy = SitePolicy {
        origins: vec![HeaderValue::from_static(SHOP)],
    };
    router(AppOptions {
        sites: Sites {
            sites: HashMap::from([("demo-shop".to_owned(), policy)]),
            known_only,
        },
        ..AppOptions::default()
    })
}

#[tokio::test]
async fn a_site_accepts_its_own_origin_and_lets_the_browser_read_the_answer() {
    let router = with_sites(false);
    let reply = post_as(&router, &submission(ID_A, true), [10, 0, 0, 1], Some(SHOP)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    // The site's origins join the CORS list without being given as --allow-origin.
    assert_eq!(
        reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(SHOP)
    );
}

#[tokio::test]
async fn a_site_refuses_other_origins_and_none() {
    let router = with_sites(false);
    for origin in [Some("https://evil.example"), None] {
        let reply = post_as(&router, &submission(ID_A, true), [10, 0, 0, 1], origin).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{origin:?}");
        let error = reply.json();
        assert_eq!(error["error"], "origin_not_allowed");
        assert_eq!(error["field"], "site");
        assert!(error["message"]
            .as_str()
            .is_some_and(|m| m.contains("demo-shop")));
    }
    assert!(listed(&router).await.is_empty());
}

#[tokio::test]
async fn an_unknown_site_is_refused_only_when_known_sites_only() {
    let mut blog = submission(ID_A, true);
    blog["site"] = "blog".into();
    let open = with_sites(false);
    let reply = post_as(&open, &blog, [10, 0, 0, 1], None).await;
    assert_eq!(reply.status, StatusCode::CREATED);

    let closed = with_sites(true);
    let reply = post_as(&closed, &blog, [10, 0, 0, 1], None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.json()["error"], "unknown_site");
}

const BLOG: &str = "https://blog.example";

fn allowing(origins: &[&str], sites: Sites) -> Router {
    router(AppOptions {
        allowed_origins: AllowedOrigins::parse(origins.iter().copied()).expect("origins"),
        sites,
        ..AppOptions::default()
    })
}

#[tokio::test]
async fn allow_origins_decides_for_a_site_without_origins_of_its_own() {
    // `demo-shop` is not configured, so `allow_origins` is its list.
    let router = allowing(&[SHOP], Sites::default());
    let reply = post_as(&router, &submission(ID_A, true), [10, 0, 0, 1], Some(SHOP)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    for origin in [Some(BLOG), None] {
        let reply = post_as(&router, &submission(ID_B, true), [10, 0, 0, 1], origin).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{origin:?}");
        assert_eq!(reply.json()["error"], "origin_not_allowed");
    }
    assert_eq!(listed(&router).await.len(), 1);

    // `*` lets every page post, and requests without an Origin too.
    let router = allowing(&["*"], Sites::default());
    for (id, origin) in [(ID_A, Some(BLOG)), (ID_B, None)] {
        let reply = post_as(&router, &submission(id, true), [10, 0, 0, 1], origin).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{origin:?}");
    }
}

#[tokio::test]
async fn a_site_with_origins_of_its_own_ignores_allow_origins() {
    let policy = SitePolicy {
        origins: vec![HeaderValue::from_static(BLOG)],
    };
    let sites = Sites {
        sites: HashMap::from([("demo-shop".to_owned(), policy)]),
        known_only: false,
    };
    let router = allowing(&[SHOP], sites);
    let reply = post_as(&router, &submission(ID_A, true), [10, 0, 0, 1], Some(SHOP)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = post_as(&router, &submission(ID_A, true), [10, 0, 0, 1], Some(BLOG)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}
