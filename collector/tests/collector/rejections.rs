//! Every way `POST /v1/responses` refuses a body: the status and the JSON error that names what
//! is wrong.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::support::{
    listed, padded, plain_router, post, post_request, send, submission, survey_submission, ID_A,
    TEXT_PLAIN,
};

/// Posts the example submission changed by `edit`, and checks that it is refused as an invalid
/// `field` and that nothing was stored.
async fn assert_invalid_field(edit: impl FnOnce(&mut Value), field: &str) {
    assert_refused(submission(ID_A, true), edit, field).await;
}

/// Posts `body` changed by `edit`, and checks that it is refused as an invalid `field` and that
/// nothing was stored.
async fn assert_refused(mut body: Value, edit: impl FnOnce(&mut Value), field: &str) {
    let router = plain_router();
    edit(&mut body);
    let reply = post(&router, &body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let error = reply.json();
    assert_eq!(error["error"], "invalid_field", "{error}");
    assert_eq!(error["field"], field, "{error}");
    assert!(error["message"].is_string(), "{error}");
    assert!(listed(&router).await.is_empty());
}

#[tokio::test]
async fn malformed_json_is_invalid_json() {
    let router = plain_router();
    let reply = send(&router, post_request("{\"id\": ", Some(TEXT_PLAIN))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let error = reply.json();
    assert_eq!(error["error"], "invalid_json");
    assert!(error.get("field").is_none(), "{error}");
    assert!(error["message"].is_string());
}

#[tokio::test]
async fn a_missing_field_is_named() {
    assert_invalid_field(
        |body| {
            body["page"].as_object_mut().expect("page").remove("title");
        },
        "page.title",
    )
    .await;
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_named() {
    assert_invalid_field(|body| body["complete"] = json!("yes"), "complete").await;
}

#[tokio::test]
async fn a_rating_of_six_is_refused() {
    assert_invalid_field(
        |body| body["answers"][0]["value"] = json!(6),
        "answers[0].value",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_field_is_refused() {
    assert_invalid_field(|body| body["tracking"] = json!(true), "tracking").await;
}

#[tokio::test]
async fn an_id_that_is_not_a_lowercase_uuid_v4_is_refused() {
    assert_invalid_field(|body| body["id"] = json!("not-a-uuid"), "id").await;
}

#[tokio::test]
async fn an_email_without_consent_is_refused() {
    assert_invalid_field(
        |body| body["answers"][2]["value"]["consent"] = json!(false),
        "answers[2].value.consent",
    )
    .await;
}

#[tokio::test]
async fn another_schema_version_is_refused() {
    assert_invalid_field(|body| body["schema_version"] = json!(2), "schema_version").await;
}

#[tokio::test]
async fn a_body_over_64_kib_is_too_large() {
    let router = plain_router();
    let body = padded(&submission(ID_A, true), 65 * 1024);
    let reply = send(&router, post_request(body, Some(TEXT_PLAIN))).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.json()["error"], "payload_too_large");
}

#[tokio::test]
async fn one_byte_over_the_limit_is_too_large() {
    let router = plain_router();
    let body = padded(&submission(ID_A, true), 64 * 1024 + 1);
    let reply = send(&router, post_request(body, Some(TEXT_PLAIN))).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_image_is_an_unsupported_media_type() {
    let router = plain_router();
    let body = submission(ID_A, true).to_string();
    let reply = send(&router, post_request(body, Some("image/png"))).await;
    assert_eq!(reply.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(reply.json()["error"], "unsupported_media_type");
    assert!(listed(&router).await.is_empty());
}

/// A change that makes a valid body wrong.
type Edit = fn(&mut Value);

#[tokio::test]
async fn wrong_survey_responses_are_refused_naming_the_field() {
    let cases: [(Edit, &str); 8] = [
        (|b| b["answers"][0]["value"] = json!(11), "answers[0].value"),
        (|b| b["answers"][1]["value"] = json!(0), "answers[1].value"),
        (
            |b| b["answers"][2]["value"] = json!({"option": "other"}),
            "answers[2].value.other",
        ),
        (
            |b| b["answers"][3]["value"] = json!({"options": []}),
            "answers[3].value.options",
        ),
        (
            |b| b["answers"][5]["value"]["phone"] = json!("call me"),
            "answers[5].value.phone",
        ),
        (
            |b| {
                b.as_object_mut().expect("body").remove("survey");
            },
            "survey",
        ),
        (
            |b| b["signals"]["scroll_depth"] = json!(120),
            "signals.scroll_depth",
        ),
        (|b| b["trigger"] = json!("hover"), "trigger"),
    ];
    for (edit, field) in cases {
        assert_refused(survey_submission(ID_A, true), edit, field).await;
    }
    // Survey fields on feedback are refused too.
    assert_invalid_field(
        |body| body["survey"] = json!({"id": "x", "version": 1}),
        "survey",
    )
    .await;
}

/// `value`, an object, as a positional array of its members' values: what serde would read as a
/// struct.
fn positional(value: &Value) -> Value {
    Value::Array(
        value
            .as_object()
            .expect("object")
            .values()
            .cloned()
            .collect(),
    )
}

#[tokio::test]
async fn an_array_where_the_contract_says_object_is_refused_naming_it() {
    assert_invalid_field(|body| *body = positional(body), "$").await;
    assert_invalid_field(|body| body["page"] = positional(&body["page"]), "page").await;
    assert_invalid_field(
        |body| body["answers"][0] = positional(&body["answers"][0]),
        "answers[0]",
    )
    .await;
}

#[tokio::test]
async fn a_number_for_kind_trigger_or_answer_type_is_an_invalid_field() {
    assert_invalid_field(|body| body["kind"] = json!(1), "kind").await;
    assert_invalid_field(|body| body["trigger"] = json!(1), "trigger").await;
    assert_invalid_field(
        |body| body["answers"][0]["type"] = json!(1),
        "answers[0].type",
    )
    .await;
}

/// The same on SQLite and on PostgreSQL, which cannot keep a NUL in text.
#[tokio::test]
async fn a_nul_in_any_string_is_refused_naming_it() {
    assert_invalid_field(|body| body["site"] = json!("shop\0"), "site").await;
    assert_invalid_field(|body| body["visitor"] = json!({"id": "u-\0"}), "visitor.id").await;
    assert_invalid_field(
        |body| body["answers"][1]["value"] = json!("fine\0"),
        "answers[1].value",
    )
    .await;
    assert_invalid_field(
        |body| body["context"] = json!({"order\0": "A-17"}),
        "context.order\0",
    )
    .await;
}

#[tokio::test]
async fn a_lone_surrogate_or_a_number_beyond_f64_is_refused_naming_it() {
    let router = plain_router();
    let valid = submission(ID_A, true).to_string();
    let cases = [
        (valid.replace("\"demo-shop\"", "\"demo-\\ud800\""), "site"),
        (valid.replace("1280", "1e400"), "client.viewport.width"),
    ];
    for (body, field) in cases {
        assert_ne!(body, valid, "the edit changed nothing");
        let reply = send(&router, post_request(body, Some(TEXT_PLAIN))).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        let error = reply.json();
        assert_eq!(error["error"], "invalid_field", "{error}");
        assert_eq!(error["field"], field, "{error}");
    }
    assert!(listed(&router).await.is_empty());
}
