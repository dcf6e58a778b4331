//! The follow-up contract, `schema/case-status.v1.json`: the visitor's browser asks what became
//! of the case its recovery opened, by reference and secret. Every 200 body is checked against
//! the schema; everything else is one and the same 404.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use rebound_collector::admission::Limits;
use rebound_collector::follow_up;
use rebound_collector::rate_limit::Rate;
use rebound_collector::sites::{SitePolicy, Sites};
use rebound_collector::AppOptions;
use serde_json::{json, Value};

use crate::support::{
    admin, plain_router, post, router, router_and_store, send, set_status, survey_submission,
    Reply, ID_A, ID_B,
};

pub const REFERENCE: &str = "RB-7KQ2";
pub const SECRET: &str = "0123456789ABCDEFGHJKMNPQRSTV";
const OTHER_SECRET: &str = "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
const SHOP: &str = "https://shop.example";

/// The example survey response with a recovery block of this reference and secret.
pub fn recovered(id: &str, reference: &str, secret: &str) -> Value {
    let mut body = survey_submission(id, true);
    body["recovery"] = json!({
        "rule": "late-order", "severity": "high", "reference": reference, "secret": secret,
        "previous_failures": 0, "motive": "refund",
        "contact": {"email": "ana@example.com", "consent": true}
    });
    body
}

/// The contract of the answer.
fn schema() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../../../schema/case-status.v1.json")).expect("JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema")
}

/// GETs the status with this query string, from `origin` and `ip` when given.
async fn ask_as(router: &Router, query: &str, origin: Option<&str>, ip: Option<[u8; 4]>) -> Reply {
    let mut request = Request::builder().uri(format!("/v1/cases/status{query}"));
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    let mut request = request.body(Body::empty()).expect("request");
    if let Some(ip) = ip {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    }
    send(router, request).await
}

async fn ask(router: &Router, reference: &str, secret: &str) -> Reply {
    ask_as(
        router,
        &format!("?reference={reference}&secret={secret}"),
        None,
        None,
    )
    .await
}

/// Checks a 200 answer's headers and body against the contract, and returns the body.
pub fn found(reply: &Reply) -> Value {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    assert_eq!(
        reply.header(header::CACHE_CONTROL),
        Some("private, max-age=3600")
    );
    let body = reply.json();
    let schema = schema();
    let errors: Vec<String> = schema.iter_errors(&body).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{body}: {errors:?}");
    body
}

/// The status answer for this reference and secret, checked as [`found`].
pub async fn follow_up(router: &Router, reference: &str, secret: &str) -> Value {
    found(&ask(router, reference, secret).await)
}

fn assert_not_found(reply: &Reply, why: &str) {
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{why}");
    assert_eq!(reply.json(), json!({"error": "not_found"}), "{why}");
    assert_eq!(
        reply.header(header::CACHE_CONTROL),
        Some("no-store"),
        "{why}"
    );
}

#[tokio::test]
async fn an_open_case_is_open_until_it_is_resolved() {
    let router = plain_router();
    assert_eq!(
        post(&router, &recovered(ID_A, REFERENCE, SECRET))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        follow_up(&router, REFERENCE, SECRET).await,
        json!({"reference": REFERENCE, "status": "open"})
    );
    // Taking the case or waiting for the visitor is still open to them.
    for status in ["acknowledged", "waiting_on_customer"] {
        set_status(&router, ID_A, status).await;
        assert_eq!(
            follow_up(&router, REFERENCE, SECRET).await["status"],
            "open"
        );
    }
    admin(
        &router,
        Method::PATCH,
        &format!("/v1/cases/{ID_A}"),
        Some(json!({"status": "resolved"})),
    )
    .await;
    let resolved = follow_up(&router, REFERENCE, SECRET).await;
    assert_eq!(resolved["status"], "resolved");
    assert!(resolved["resolved_at"].is_string(), "{resolved}");
    assert_eq!(resolved.get("note"), None);

    // Reopened, it is open again and no longer says when it was resolved.
    admin(
        &router,
        Method::PATCH,
        &format!("/v1/cases/{ID_A}"),
        Some(json!({"status": "acknowledged"})),
    )
    .await;
    assert_eq!(
        follow_up(&router, REFERENCE, SECRET).await,
        json!({"reference": REFERENCE, "status": "open"})
    );
}

#[tokio::test]
async fn the_reference_and_only_the_secrets_digest_are_kept() {
    let (router, store) = router_and_store(AppOptions::default());
    post(&router, &recovered(ID_A, REFERENCE, SECRET)).await;
    // A later version (the visitor left a contact) keeps the case's key.
    let mut later = recovered(ID_A, REFERENCE, SECRET);
    later["recovery"]["motive_text"] = json!("Please refund the shipping");
    post(&router, &later).await;
    let candidates = store
        .with_reference(REFERENCE.to_owned())
        .await
        .expect("lookup");
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].secret_sha256, follow_up::digest(SECRET));
    assert_eq!(candidates[0].site, "demo-shop");
    assert_eq!(candidates[0].resolved_at, None);
    // Nothing the team can read holds the secret itself: the stored response, its case, the
    // exports.
    for path in [
        "/v1/responses",
        &format!("/v1/cases/{ID_A}"),
        "/v1/export.jsonl",
        "/v1/export.csv",
    ] {
        let reply = admin(&router, Method::GET, path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let text = String::from_utf8_lossy(&reply.body);
        assert!(!text.contains(SECRET), "{path}: {text}");
        if !path.ends_with(".csv") {
            assert!(text.contains(REFERENCE), "{path}: the reference is kept");
        }
    }
    // The visitor's browser, which has it, still follows the case up.
    assert_eq!(
        follow_up(&router, REFERENCE, SECRET).await,
        json!({"reference": REFERENCE, "status": "open"})
    );
}

#[tokio::test]
async fn two_cases_may_share_a_reference_and_each_secret_finds_its_own() {
    let router = plain_router();
    post(&router, &recovered(ID_A, REFERENCE, SECRET)).await;
    post(&router, &recovered(ID_B, REFERENCE, OTHER_SECRET)).await;
    admin(
        &router,
        Method::PATCH,
        &format!("/v1/cases/{ID_B}"),
        Some(json!({"status": "resolved"})),
    )
    .await;
    assert_eq!(
        follow_up(&router, REFERENCE, SECRET).await["status"],
        "open"
    );
    assert_eq!(
        follow_up(&router, REFERENCE, OTHER_SECRET).await["status"],
        "resolved"
    );
}

#[tokio::test]
async fn anything_but_the_right_pair_is_the_same_404() {
    let router = plain_router();
    post(&router, &recovered(ID_A, REFERENCE, SECRET)).await;
    // A case without recovery has no key at all.
    post(&router, &survey_submission(ID_B, true)).await;
    let unknown = ask(&router, "RB-ZZZZ", SECRET).await;
    let wrong = ask(&router, REFERENCE, OTHER_SECRET).await;
    for (query, why) in [
        (String::new(), "no parameters"),
        (format!("?reference={REFERENCE}"), "no secret"),
        (format!("?secret={SECRET}"), "no reference"),
        (format!("?reference={REFERENCE}&secret="), "an empty secret"),
        (
            format!("?reference={REFERENCE}&secret={}", SECRET.to_lowercase()),
            "a secret in lower case",
        ),
        (
            format!("?reference={REFERENCE}&secret={SECRET}0"),
            "a longer secret",
        ),
        (
            format!("?reference=rb-7kq2&secret={SECRET}"),
            "a reference in lower case",
        ),
        (
            format!("?reference={REFERENCE}&secret=%FF%FE"),
            "bytes that are not UTF-8",
        ),
        ("?reference=%&secret=%".to_owned(), "a broken query"),
    ] {
        assert_not_found(&ask_as(&router, &query, None, None).await, why);
    }
    assert_not_found(&unknown, "an unknown reference");
    assert_not_found(&wrong, "a wrong secret");
    // Nothing tells the two apart.
    assert_eq!(unknown.body, wrong.body);
    assert_eq!(unknown.headers, wrong.headers);
}

fn shop_sites() -> Sites {
    Sites {
        sites: HashMap::from([(
            "demo-shop".to_owned(),
            SitePolicy {
                origins: vec![header::HeaderValue::from_static(SHOP)],
            },
        )]),
        known_only: false,
    }
}

#[tokio::test]
async fn only_the_sites_origins_may_read_a_case() {
    let router = router(AppOptions {
        sites: shop_sites(),
        ..AppOptions::default()
    });
    let body = recovered(ID_A, REFERENCE, SECRET);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/responses")
        .header(header::ORIGIN, SHOP)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(body.to_string()))
        .expect("request");
    assert_eq!(send(&router, request).await.status, StatusCode::CREATED);
    let query = format!("?reference={REFERENCE}&secret={SECRET}");
    let from_shop = ask_as(&router, &query, Some(SHOP), None).await;
    found(&from_shop);
    assert_eq!(
        from_shop.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(SHOP)
    );
    assert_eq!(from_shop.header(header::VARY), Some("Origin"));
    let elsewhere = ask_as(&router, &query, Some("https://evil.example"), None).await;
    assert_eq!(elsewhere.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), None);

    // A 404 is readable by every site's origins, whichever site the reference may be of.
    let wrong = ask_as(
        &router,
        &format!("?reference={REFERENCE}&secret={OTHER_SECRET}"),
        Some(SHOP),
        None,
    )
    .await;
    assert_not_found(&wrong, "a wrong secret");
    assert_eq!(
        wrong.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(SHOP)
    );

    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/cases/status")
        .header(header::ORIGIN, SHOP)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .body(Body::empty())
        .expect("request");
    let preflight = send(&router, preflight).await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert_eq!(
        preflight.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some(SHOP)
    );
    assert_eq!(
        preflight.header(header::ACCESS_CONTROL_ALLOW_METHODS),
        Some("GET")
    );
}

#[tokio::test]
async fn without_origin_lists_any_page_may_read() {
    let router = plain_router();
    post(&router, &recovered(ID_A, REFERENCE, SECRET)).await;
    let query = format!("?reference={REFERENCE}&secret={SECRET}");
    let reply = ask_as(&router, &query, Some("https://any.example"), None).await;
    found(&reply);
    assert_eq!(
        reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        Some("https://any.example")
    );
}

#[tokio::test]
async fn each_address_is_limited() {
    let router = router(AppOptions {
        limits: Limits {
            status_per_ip: Rate {
                per_minute: 1,
                burst: 2,
            },
            ..Limits::default()
        },
        ..AppOptions::default()
    });
    post(&router, &recovered(ID_A, REFERENCE, SECRET)).await;
    let query = format!("?reference={REFERENCE}&secret={SECRET}");
    for _ in 0..2 {
        found(&ask_as(&router, &query, None, Some([203, 0, 113, 1])).await);
    }
    let refused = ask_as(&router, &query, None, Some([203, 0, 113, 1])).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["error"], "ip_rate_limited");
    assert_eq!(refused.header(header::RETRY_AFTER), Some("60"));
    assert_eq!(refused.header(header::CACHE_CONTROL), Some("no-store"));
    // Guesses count too, and other addresses are not held back.
    found(&ask_as(&router, &query, None, Some([203, 0, 113, 2])).await);
}

#[tokio::test]
async fn resolving_with_a_note_tells_the_visitor_and_is_recorded() {
    let router = plain_router();
    post(&router, &recovered(ID_A, REFERENCE, SECRET)).await;
    let path = format!("/v1/cases/{ID_A}");
    let note = "We fixed the discount code you reported. Thank you for telling us.";
    // Written before the case is resolved, the note waits for it.
    let reply = admin(
        &router,
        Method::PATCH,
        &path,
        Some(json!({"visitor_note": note, "visitor_note_from": " Ana, Fernwood support "})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    assert_eq!(
        follow_up(&router, REFERENCE, SECRET).await,
        json!({"reference": REFERENCE, "status": "open"})
    );
    let reply = admin(
        &router,
        Method::PATCH,
        &path,
        Some(json!({"status": "resolved"})),
    )
    .await;
    let detail = reply.json();
    assert_eq!(detail["case"]["visitor_note"], note);
    assert_eq!(detail["case"]["visitor_note_from"], "Ana, Fernwood support");
    let resolved_at = detail["case"]["resolved_at"].clone();
    assert!(resolved_at.is_string(), "{detail}");
    let fields: Vec<&str> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|event| event["actor"] == "api")
        .map(|event| event["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["visitor_note", "visitor_note_from", "status"]);
    assert_eq!(
        follow_up(&router, REFERENCE, SECRET).await,
        json!({"reference": REFERENCE, "status": "resolved", "note": note,
               "from": "Ana, Fernwood support", "resolved_at": resolved_at})
    );

    // Without a note, a signature alone is not told.
    admin(
        &router,
        Method::PATCH,
        &path,
        Some(json!({"visitor_note": ""})),
    )
    .await;
    let told = follow_up(&router, REFERENCE, SECRET).await;
    assert_eq!(told.get("note"), None);
    assert_eq!(told.get("from"), None);
}

#[tokio::test]
async fn a_bad_note_is_refused_naming_the_field() {
    let router = plain_router();
    post(&router, &recovered(ID_A, REFERENCE, SECRET)).await;
    let path = format!("/v1/cases/{ID_A}");
    for (change, field) in [
        (json!({"visitor_note": "n".repeat(2001)}), "visitor_note"),
        (
            json!({"visitor_note_from": "s".repeat(101)}),
            "visitor_note_from",
        ),
        (json!({"visitor_note": 7}), "body"),
    ] {
        let reply = admin(&router, Method::PATCH, &path, Some(change)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}");
        assert_eq!(reply.json()["field"], field);
    }
    let case = crate::support::admin_json(&router, &path).await;
    assert_eq!(case["case"]["visitor_note"], Value::Null);
}
