//! `POST /v1/responses` with valid submissions: storing, idempotency on `id`, and which version
//! wins (complete beats incomplete, then more answers beat fewer; see `store::precedence`).

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{
    admin_json, listed, padded, plain_router, post, post_request, send, submission,
    survey_submission, ID_A, ID_B, TEXT_PLAIN,
};

#[tokio::test]
async fn a_new_submission_is_created_and_stored_as_sent() {
    let router = plain_router();
    let body = submission(ID_A, true);
    let reply = post(&router, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.json(), json!({"id": ID_A}));

    let responses = listed(&router).await;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0]["id"], ID_A);
    assert_eq!(responses[0]["response"], body);
}

#[tokio::test]
async fn the_same_id_again_is_ok_and_stays_one_response() {
    let router = plain_router();
    let body = submission(ID_A, true);
    assert_eq!(post(&router, &body).await.status, StatusCode::CREATED);
    let again = post(&router, &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json(), json!({"id": ID_A}));
    assert_eq!(listed(&router).await.len(), 1);
}

#[tokio::test]
async fn an_incomplete_version_never_replaces_a_complete_one() {
    let router = plain_router();
    let complete = submission(ID_A, true);
    let mut incomplete = submission(ID_A, false);
    incomplete["answers"] = json!([]);
    post(&router, &complete).await;
    assert_eq!(post(&router, &incomplete).await.status, StatusCode::OK);
    assert_eq!(listed(&router).await[0]["response"], complete);
}

#[tokio::test]
async fn a_complete_version_replaces_an_incomplete_one() {
    let router = plain_router();
    let mut incomplete = submission(ID_A, false);
    incomplete["answers"] = json!([]);
    let complete = submission(ID_A, true);
    assert_eq!(post(&router, &incomplete).await.status, StatusCode::CREATED);
    assert_eq!(post(&router, &complete).await.status, StatusCode::OK);
    let responses = listed(&router).await;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0]["response"], complete);
}

#[tokio::test]
async fn a_newer_incomplete_version_replaces_an_older_incomplete_one() {
    let router = plain_router();
    let mut first = submission(ID_A, false);
    first["answers"] = json!([]);
    let second = submission(ID_A, false);
    post(&router, &first).await;
    post(&router, &second).await;
    assert_eq!(listed(&router).await[0]["response"], second);
}

#[tokio::test]
async fn an_older_partial_version_arriving_late_never_overwrites_a_newer_one() {
    let router = plain_router();
    let mut one = submission(ID_A, false);
    one["answers"] = json!([{"question": "rating", "type": "rating", "value": 1}]);
    let mut two = submission(ID_A, false);
    two["answers"] = json!([
        {"question": "rating", "type": "rating", "value": 1},
        {"question": "message", "type": "text", "value": "Slow"}
    ]);
    assert_eq!(post(&router, &two).await.status, StatusCode::CREATED);
    assert_eq!(post(&router, &one).await.status, StatusCode::OK);
    assert_eq!(listed(&router).await[0]["response"], two);
}

#[tokio::test]
async fn a_complete_version_with_fewer_answers_still_wins() {
    let router = plain_router();
    let partial = submission(ID_A, false);
    let mut complete = submission(ID_A, true);
    complete["answers"] = json!([{"question": "rating", "type": "rating", "value": 4}]);
    post(&router, &partial).await;
    post(&router, &complete).await;
    post(&router, &partial).await;
    assert_eq!(listed(&router).await[0]["response"], complete);
}

#[tokio::test]
async fn accepts_the_content_types_a_submission_comes_in() {
    let router = plain_router();
    let ids = [
        "0b6a2c1e-7d4f-4a8b-9c3d-000000000001",
        "0b6a2c1e-7d4f-4a8b-9c3d-000000000002",
        "0b6a2c1e-7d4f-4a8b-9c3d-000000000003",
    ];
    let content_types = [Some(TEXT_PLAIN), Some("application/json"), None];
    for (id, content_type) in ids.into_iter().zip(content_types) {
        let body = submission(id, true).to_string();
        let reply = send(&router, post_request(body, content_type)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{content_type:?}");
    }
    assert_eq!(listed(&router).await.len(), 3);
}

#[tokio::test]
async fn a_body_of_exactly_64_kib_is_accepted() {
    let router = plain_router();
    let body = padded(&submission(ID_A, true), 64 * 1024);
    let reply = send(&router, post_request(body, Some(TEXT_PLAIN))).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_survey_response_is_stored_by_the_same_rules_and_triaged_by_its_scores() {
    let router = plain_router();
    let mut partial = survey_submission(ID_A, false);
    partial["answers"] = json!([{"question": "nps", "type": "nps", "value": 4}]);
    let complete = survey_submission(ID_A, true);
    assert_eq!(post(&router, &partial).await.status, StatusCode::CREATED);
    assert_eq!(post(&router, &complete).await.status, StatusCode::OK);
    assert_eq!(post(&router, &partial).await.status, StatusCode::OK);
    let responses = listed(&router).await;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0]["response"], complete);

    // NPS 4 with a phone number to call back: as unhappy as a rating of 2 with an email.
    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(case["case"]["priority"], "high");
    assert_eq!(
        case["case"]["priority_reason"],
        "priority high: nps 4, wants_contact"
    );

    post(&router, &submission(ID_B, true)).await;
    let surveys = admin_json(&router, "/v1/cases?survey=checkout-exit").await;
    assert_eq!(surveys["total"], 1);
    assert_eq!(surveys["cases"][0]["id"], ID_A);
    let feedback = admin_json(&router, "/v1/cases?survey=feedback").await;
    assert_eq!(feedback["cases"][0]["id"], ID_B);
}

#[tokio::test]
async fn versions_sent_at_once_keep_the_highest_of_each_id() {
    // Sent together, they share commits (group commit) and, on PostgreSQL, rounds whose saves
    // run at once: the versions of one id must still be decided one after the other.
    let router = plain_router();
    let ids = [ID_A, ID_B, "0b6a2c1e-7d4f-4a8b-9c3d-000000000003"];
    let mut bodies = Vec::new();
    for id in ids {
        let mut empty = submission(id, false);
        empty["answers"] = json!([]);
        bodies.extend([empty, submission(id, false), submission(id, true)]);
    }
    // Twice over, the best version of each id both first and last.
    let mut order: Vec<&serde_json::Value> = bodies.iter().rev().collect();
    order.extend(bodies.iter());
    let replies =
        futures_util::future::join_all(order.iter().map(|body| post(&router, body))).await;
    for reply in &replies {
        assert!(reply.status.is_success(), "{:?}", reply.status);
    }
    let created = replies
        .iter()
        .filter(|reply| reply.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, ids.len());
    let responses = listed(&router).await;
    assert_eq!(responses.len(), ids.len());
    for response in responses {
        assert_eq!(response["response"]["complete"], true, "{response}");
    }
    let cases = admin_json(&router, "/v1/cases").await;
    assert_eq!(cases["total"], ids.len());
}
