//! `GET /v1/export.csv` and `GET /v1/export.jsonl`: every matching case, filtered like the
//! cases API, with spreadsheet formulas defused.

use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{admin, plain_router, post, submission, survey_submission, Reply, ID_A, ID_B};

fn text(reply: &Reply) -> String {
    String::from_utf8(reply.body.clone()).expect("UTF-8")
}

#[tokio::test]
async fn csv_has_a_header_and_a_defused_row_per_case() {
    let router = plain_router();
    let mut body = submission(ID_A, true);
    body["answers"][1]["value"] = "=HYPERLINK(\"http://evil.example\")".into();
    post(&router, &body).await;
    let reply = admin(&router, Method::GET, "/v1/export.csv", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("text/csv; charset=utf-8")
    );
    assert!(reply
        .header(header::CONTENT_DISPOSITION)
        .is_some_and(|value| value.contains("rebound-cases.csv")));
    let csv = text(&reply);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines[0].starts_with("id,site,survey,opened_at,status,priority,"));
    assert!(lines[1].starts_with(&format!("{ID_A},demo-shop,feedback,")));
    assert!(
        lines[1].contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",a@b.example,"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 3, "a header, a row and the final line end");
}

#[tokio::test]
async fn json_lines_are_cases_and_follow_the_filters() {
    let router = plain_router();
    post(&router, &submission(ID_A, true)).await;
    let mut happy = submission(ID_B, true);
    happy["answers"] = json!([{"question": "rating", "type": "rating", "value": 5}]);
    post(&router, &happy).await;

    let reply = admin(&router, Method::GET, "/v1/export.jsonl?priority=low", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("application/x-ndjson")
    );
    let lines: Vec<Value> = text(&reply)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], ID_B);
    assert_eq!(lines[0]["response"], happy);
}

#[tokio::test]
async fn an_export_spans_every_page() {
    let router = plain_router();
    let count = 501;
    for index in 0..count {
        let id = format!("0b6a2c1e-7d4f-4a8b-9c3d-{index:012x}");
        assert_eq!(
            post(&router, &submission(&id, true)).await.status,
            StatusCode::CREATED
        );
    }
    let reply = admin(&router, Method::GET, "/v1/export.jsonl?per_page=1", None).await;
    assert_eq!(text(&reply).lines().count(), count);
}

#[tokio::test]
async fn exports_need_the_token_and_valid_filters() {
    let router = plain_router();
    for path in ["/v1/export.csv", "/v1/export.jsonl"] {
        let request = axum::http::Request::builder()
            .uri(path)
            .body(axum::body::Body::empty())
            .expect("request");
        let reply = crate::support::send(&router, request).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        let reply = admin(&router, Method::GET, &format!("{path}?from=soon"), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(reply.json()["field"], "from");
    }
}

#[tokio::test]
async fn csv_names_the_survey_of_each_case() {
    let router = plain_router();
    post(&router, &survey_submission(ID_A, true)).await;
    let csv = text(&admin(&router, Method::GET, "/v1/export.csv", None).await);
    let row = csv.split("\r\n").nth(1).expect("a row");
    assert!(
        row.starts_with(&format!("{ID_A},demo-shop,checkout-exit,")),
        "{row}"
    );
}
