//! The trends of unhappy responses: `GET /v1/trends` and `/v1/trends.csv` count only unhappy
//! responses (a recovery block, a rating or CSAT of at most 2, an NPS of at most 6) of the period
//! by page path, survey, option, motive, trigger, UTC hour and weekday, words and phrases.

use axum::http::{header, Method, StatusCode};
use axum::Router;
use serde_json::{json, Value};

use crate::follow_up::{recovered, REFERENCE, SECRET};
use crate::support::{
    admin, admin_json, plain_router, post, send, submission, survey_submission, ID_A, ID_B, ID_C,
};

/// Three responses: a recovery case on the checkout, an unhappy feedback, a happy one.
async fn three_responses() -> Router {
    let router = plain_router();
    let mut late = recovered(ID_A, REFERENCE, SECRET);
    late["page"]["url"] = json!("https://shop.example/checkout?step=2");
    late["answers"][4]["value"] = json!("Late delivery again");
    late["recovery"]["motive_text"] = json!("Refund the late delivery");
    assert_eq!(post(&router, &late).await.status, StatusCode::CREATED);
    // Rating 2: unhappy.
    let mut unhappy = submission(ID_B, true);
    unhappy["page"]["url"] = json!("https://shop.example/checkout");
    post(&router, &unhappy).await;
    let mut happy = submission(ID_C, true);
    happy["answers"] = json!([{"question": "rating", "type": "rating", "value": 5},
                              {"question": "message", "type": "text", "value": "Late delivery but fine"}]);
    post(&router, &happy).await;
    router
}

fn count(trends: &Value, dimension: &str, key: &str) -> u64 {
    trends["by"][dimension]
        .as_array()
        .unwrap_or_else(|| panic!("no {dimension} in {trends}"))
        .iter()
        .find(|count| count["key"] == key)
        .map_or(0, |count| count["count"].as_u64().expect("a count"))
}

fn total(trends: &Value, dimension: &str) -> u64 {
    trends["by"][dimension]
        .as_array()
        .expect("counts")
        .iter()
        .map(|count| count["count"].as_u64().expect("a count"))
        .sum()
}

#[tokio::test]
async fn unhappy_responses_of_the_last_week_are_counted_by_every_dimension() {
    let router = three_responses().await;
    let trends = admin_json(&router, "/v1/trends").await;
    assert_eq!(trends["time_zone"], "UTC");
    assert_eq!(trends["responses"], 3);
    assert_eq!(trends["unhappy"], 2);
    assert_eq!(trends["truncated"], false);
    let today = &humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()[..10];
    assert_eq!(trends["to"], today);
    assert_eq!(trends["site"], Value::Null);
    assert_eq!(count(&trends, "page", "/checkout"), 2);
    assert_eq!(count(&trends, "survey", "checkout-exit"), 1);
    assert_eq!(count(&trends, "survey", "feedback"), 1);
    assert_eq!(count(&trends, "option", "stopped=other"), 1);
    assert_eq!(count(&trends, "option", "missing=reviews"), 1);
    assert_eq!(count(&trends, "motive", "refund"), 1);
    assert_eq!(count(&trends, "trigger", "exit_intent"), 1);
    assert_eq!(count(&trends, "trigger", "button"), 1);
    // The happy visitor's "late delivery" is not a complaint.
    assert_eq!(count(&trends, "phrase", "late delivery"), 2);
    assert_eq!(count(&trends, "word", "refund"), 1);
    assert_eq!(count(&trends, "word", "the"), 0);
    assert_eq!(trends["by"]["hour"].as_array().map(Vec::len), Some(24));
    assert_eq!(trends["by"]["weekday"][0]["key"], "Mon");
    assert_eq!(total(&trends, "hour"), 2);
    assert_eq!(total(&trends, "weekday"), 2);
}

#[tokio::test]
async fn the_period_and_the_site_narrow_the_counts() {
    let router = three_responses().await;
    let long_ago = admin_json(&router, "/v1/trends?from=2000-01-01&to=2000-01-07").await;
    assert_eq!(
        (long_ago["responses"].clone(), long_ago["from"].clone()),
        (json!(0), json!("2000-01-01"))
    );
    let blog = admin_json(&router, "/v1/trends?site=blog").await;
    assert_eq!(blog["responses"], 0);
    assert_eq!(blog["site"], "blog");
    let shop = admin_json(&router, "/v1/trends?site=demo-shop").await;
    assert_eq!(shop["unhappy"], 2);
}

#[tokio::test]
async fn bad_periods_are_refused_naming_the_parameter() {
    let router = plain_router();
    for (query, field) in [
        ("?from=yesterday", "from"),
        ("?to=2026-02-30", "to"),
        ("?from=2026-12-02&to=2026-12-01", "from"),
        ("?from=2020-01-01&to=2026-12-01", "from"),
        ("?days=7", "query"),
    ] {
        let reply = admin(&router, Method::GET, &format!("/v1/trends{query}"), None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.json()["field"], field, "{query}");
    }
    let request = axum::http::Request::builder()
        .uri("/v1/trends")
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(
        send(&router, request).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_csv_has_a_row_per_count() {
    let router = three_responses().await;
    let reply = admin(&router, Method::GET, "/v1/trends.csv", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("text/csv; charset=utf-8")
    );
    let text = String::from_utf8(reply.body).expect("UTF-8");
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(lines[0], "dimension,key,count");
    for line in [
        "page,/checkout,2",
        "motive,refund,1",
        "phrase,late delivery,2",
        "hour,00,0",
    ] {
        assert!(lines.contains(&line), "{line} in {text}");
    }
}

#[tokio::test]
async fn a_survey_without_an_unhappy_answer_is_not_counted() {
    let router = plain_router();
    let mut calm = survey_submission(ID_A, true);
    calm["answers"] = json!([{"question": "nps", "type": "nps", "value": 9}]);
    post(&router, &calm).await;
    let trends = admin_json(&router, "/v1/trends").await;
    assert_eq!(
        (trends["responses"].clone(), trends["unhappy"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(total(&trends, "hour"), 0);
}
