//! `GET /v1/responses`: the bearer token, the order, and the limit.

use axum::http::{header, StatusCode};

use crate::support::{list, listed, plain_router, post, submission, ID_A, ID_B, ID_C, TOKEN};

#[tokio::test]
async fn listing_without_a_token_is_unauthorized() {
    let router = plain_router();
    let reply = list(&router, "", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.json()["error"], "unauthorized");
    assert_eq!(reply.header(header::WWW_AUTHENTICATE), Some("Bearer"));
}

#[tokio::test]
async fn listing_with_a_wrong_token_is_unauthorized() {
    let router = plain_router();
    post(&router, &submission(ID_A, true)).await;
    for authorization in [
        "Bearer wrong".to_owned(),
        format!("Bearer {TOKEN}x"),
        format!("Basic {TOKEN}"),
        TOKEN.to_owned(),
    ] {
        let reply = list(&router, "", Some(&authorization)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{authorization}");
        assert_eq!(reply.json()["error"], "unauthorized");
        assert!(reply.json().get("responses").is_none());
    }
}

#[tokio::test]
async fn lists_newest_first_and_an_update_moves_to_the_top() {
    let router = plain_router();
    for id in [ID_A, ID_B, ID_C] {
        post(&router, &submission(id, false)).await;
    }
    let ids = |responses: Vec<serde_json::Value>| -> Vec<String> {
        responses
            .iter()
            .map(|response| response["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids(listed(&router).await), [ID_C, ID_B, ID_A]);

    post(&router, &submission(ID_A, true)).await;
    let responses = listed(&router).await;
    assert!(responses[0]["received_at"]
        .as_str()
        .is_some_and(|at| at.ends_with('Z')));
    assert_eq!(ids(responses), [ID_A, ID_C, ID_B]);
}

#[tokio::test]
async fn limit_caps_the_list() {
    let router = plain_router();
    for id in [ID_A, ID_B, ID_C] {
        post(&router, &submission(id, true)).await;
    }
    let bearer = format!("Bearer {TOKEN}");
    let reply = list(&router, "?limit=2", Some(&bearer)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let responses = reply.json()["responses"].clone();
    assert_eq!(responses.as_array().map(Vec::len), Some(2));
    assert_eq!(responses[0]["id"], ID_C);
}

#[tokio::test]
async fn a_limit_out_of_range_is_refused() {
    let router = plain_router();
    let bearer = format!("Bearer {TOKEN}");
    for query in ["?limit=0", "?limit=1001", "?limit=ten"] {
        let reply = list(&router, query, Some(&bearer)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.json()["error"], "invalid_query");
        assert_eq!(reply.json()["field"], "limit");
    }
}
