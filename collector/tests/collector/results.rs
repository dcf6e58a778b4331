//! A survey's results: `POST /v1/views` takes the widget's shown/dismissed batches (once per
//! batch id), and `/inbox/surveys/{id}` shows the survey's answers per day, its NPS and CSAT with
//! their distributions, choice counts, text answers with search, page and period filters, the
//! response rate once views are reported, and a CSV of the answers.

use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};

use crate::browser::{text, Browser};
use crate::support::{plain_router, post, send, survey_submission, ID_A, ID_B, ID_C, TEXT_PLAIN};

/// A batch of views as the widget sends it.
fn views(id: &str, events: &[(&str, &str)]) -> Value {
    let events: Vec<Value> = events
        .iter()
        .map(|(event, page)| {
            json!({"survey": "checkout-exit", "version": 2, "event": event,
                   "url": format!("http://127.0.0.1:8080{page}?x=1"), "at": "2026-11-23T09:40:00.000Z"})
        })
        .collect();
    json!({"schema_version": 1, "id": id, "site": "demo-shop", "config_version": 4, "events": events})
}

async fn post_views(router: &Router, body: &Value) -> StatusCode {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/v1/views")
        .header(header::CONTENT_TYPE, TEXT_PLAIN)
        .body(body.to_string().into())
        .expect("request");
    send(router, request).await.status
}

/// Three responses to the checkout survey: two on /checkout (NPS 4 and 10), one on /help.
async fn answered() -> Router {
    let router = plain_router();
    let mut first = survey_submission(ID_A, true);
    first["config_version"] = json!(4);
    assert_eq!(post(&router, &first).await.status, StatusCode::CREATED);
    let mut second = survey_submission(ID_B, true);
    second["answers"][0]["value"] = json!(10);
    second["answers"][1]["value"] = json!(5);
    second["answers"][4]["value"] = json!("Quick and easy");
    assert_eq!(post(&router, &second).await.status, StatusCode::CREATED);
    let mut elsewhere = survey_submission(ID_C, false);
    elsewhere["page"]["url"] = json!("http://127.0.0.1:8080/help");
    assert_eq!(post(&router, &elsewhere).await.status, StatusCode::CREATED);
    router
}

#[tokio::test]
async fn the_results_page_shows_scores_distributions_choices_and_texts() {
    let router = answered().await;
    let mut browser = Browser::new(&router);
    assert_eq!(
        browser.get("/inbox/surveys/checkout-exit").await.status,
        StatusCode::SEE_OTHER
    );
    browser.sign_in().await;
    let reply = browser.get("/inbox/surveys/checkout-exit").await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = text(&reply);
    assert!(page.contains("<strong>3</strong>responses"), "{page}");
    assert!(page.contains("<strong>2</strong>complete"), "{page}");
    // NPS 4, 10, 4: one promoter, two detractors.
    assert!(page.contains("NPS -33"), "{page}");
    assert!(page.contains("CSAT average 3.0 of 5"), "{page}");
    assert!(page.contains("<title>reviews: 3</title>"), "{page}");
    assert!(page.contains("Quick and easy") && page.contains("The coupon field ate my code"));
    assert!(
        page.contains("role=\"img\"") && page.contains("as a table"),
        "{page}"
    );
    assert!(!page.contains("shown</"), "no views reported yet: {page}");

    let searched = text(&browser.get("/inbox/surveys/checkout-exit?q=QUICK").await);
    assert!(searched.contains("Quick and easy") && !searched.contains("The coupon field ate"));
    let help = text(
        &browser
            .get("/inbox/surveys/checkout-exit?page=%2Fhelp")
            .await,
    );
    assert!(help.contains("<strong>1</strong>responses"), "{help}");
    let other = text(&browser.get("/inbox/surveys/another").await);
    assert!(other.contains("<strong>0</strong>responses"), "{other}");
    let past = text(
        &browser
            .get("/inbox/surveys/checkout-exit?from=2020-01-01&to=2020-01-02")
            .await,
    );
    assert!(past.contains("<strong>0</strong>responses"), "{past}");
    let wrong = browser
        .get("/inbox/surveys/checkout-exit?from=yesterday")
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_answers_export_as_csv_one_row_each() {
    let router = answered().await;
    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let reply = browser
        .get("/inbox/surveys/checkout-exit/answers.csv?page=%2Fcheckout")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header(header::CONTENT_TYPE),
        Some("text/csv; charset=utf-8")
    );
    let csv = text(&reply);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with(
        "id,received_at,created_at,site,page,complete,config_version,trigger,nps,satisfaction,stopped"
    ));
    assert!(
        csv.contains("other: No PayPal") && csv.contains("reviews; sizes"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{ID_A},")) && csv.contains(",4,exit_intent,"),
        "{csv}"
    );
}

#[tokio::test]
async fn reported_views_give_the_response_rate_and_count_once_per_batch() {
    let router = answered().await;
    let batch = views(
        "6e3d8b2f-4c5a-4d9e-b2f3-7a8b9c0d1e2f",
        &[
            ("shown", "/checkout"),
            ("shown", "/checkout"),
            ("dismissed", "/checkout"),
            ("shown", "/help"),
        ],
    );
    assert_eq!(post_views(&router, &batch).await, StatusCode::NO_CONTENT);
    // The same batch again (a beacon sent twice) counts once.
    assert_eq!(post_views(&router, &batch).await, StatusCode::NO_CONTENT);
    let mut wrong = batch.clone();
    wrong["events"][0]["event"] = json!("answered");
    assert_eq!(post_views(&router, &wrong).await, StatusCode::BAD_REQUEST);

    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let page = text(&browser.get("/inbox/surveys/checkout-exit").await);
    assert!(page.contains("<strong>3</strong>shown"), "{page}");
    assert!(page.contains("<strong>1</strong>dismissed"), "{page}");
    assert!(page.contains("<strong>3</strong>answered"), "{page}");
    assert!(page.contains("100.0%"), "{page}");
    let checkout = text(
        &browser
            .get("/inbox/surveys/checkout-exit?page=%2Fcheckout")
            .await,
    );
    assert!(
        checkout.contains("<strong>2</strong>shown")
            && checkout.contains("<strong>2</strong>answered")
    );
}
