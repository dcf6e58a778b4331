//! Reminders: a change sets "check back in N days"; when due the case is flagged (and listed by
//! `reminder=due`) and a signed `case.reminder` webhook goes out exactly once, even with several
//! workers on one database. Tests make a day last no time at all (`reminder_day`).

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use axum::Router;
use rebound_collector::metrics::Metrics;
use rebound_collector::reminders::{Announce, ReminderDay};
use rebound_collector::store::Store;
use rebound_collector::triage::Priority;
use rebound_collector::webhooks::payload::Format;
use rebound_collector::webhooks::{worker, DeliveryConfig, WebhookConfig, Webhooks};
use rebound_collector::AppOptions;
use serde_json::{json, Value};

use crate::support::{
    admin, admin_json, case_ids, plain_router, post, router, router_and_store, submission,
};
use crate::support::{ID_A, ID_B};
use crate::webhooks::{assert_signed, header, secret, Receiver};

/// Options under which `remind_in_days` days pass at once.
fn instant_days(webhooks: Webhooks) -> AppOptions {
    AppOptions {
        webhooks: Arc::new(webhooks),
        reminder_day: ReminderDay(Duration::ZERO),
        ..AppOptions::default()
    }
}

async fn remind(router: &Router, id: &str, days: Value) -> Value {
    let reply = admin(
        router,
        Method::PATCH,
        &format!("/v1/cases/{id}"),
        Some(json!({ "remind_in_days": days })),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    reply.json()
}

#[tokio::test]
async fn a_reminder_is_set_for_days_ahead_and_recorded() {
    let router = plain_router();
    post(&router, &submission(ID_A, true)).await;
    let detail = remind(&router, ID_A, json!(3)).await;
    let case = &detail["case"];
    assert_eq!(case["reminder_due"], false);
    let time =
        |value: &Value| humantime::parse_rfc3339(value.as_str().expect("time")).expect("RFC 3339");
    let ahead = time(&case["remind_at"])
        .duration_since(time(&case["updated_at"]))
        .expect("ahead");
    assert_eq!(ahead, Duration::from_secs(3 * 24 * 3600));
    let last = detail["history"].as_array().and_then(|h| h.last()).cloned();
    assert_eq!(
        last.map(|event| (event["field"].clone(), event["new"].clone())),
        Some((json!("reminder"), json!("in 3 days")))
    );
    assert!(case_ids(&admin_json(&router, "/v1/cases?reminder=due").await).is_empty());
}

#[tokio::test]
async fn bad_reminders_are_refused_naming_the_field() {
    let router = plain_router();
    post(&router, &submission(ID_A, true)).await;
    for (days, field) in [
        (json!(366), "remind_in_days"),
        (json!(-1), "body"),
        (json!("soon"), "body"),
    ] {
        let reply = admin(
            &router,
            Method::PATCH,
            &format!("/v1/cases/{ID_A}"),
            Some(json!({ "remind_in_days": days })),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{days}");
        assert_eq!(reply.json()["field"], field, "{days}");
    }
    let reply = admin(&router, Method::GET, "/v1/cases?reminder=later", None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["field"], "reminder");
}

#[tokio::test]
async fn a_due_reminder_flags_the_case_until_it_is_cleared() {
    let router = router(instant_days(Webhooks::default()));
    post(&router, &submission(ID_A, true)).await;
    post(&router, &submission(ID_B, true)).await;
    remind(&router, ID_A, json!(1)).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(case["case"]["reminder_due"], true);
    assert_eq!(
        case_ids(&admin_json(&router, "/v1/cases?reminder=due").await),
        [ID_A]
    );
    let detail = remind(&router, ID_A, json!(0)).await;
    assert_eq!(detail["case"]["reminder_due"], false);
    assert_eq!(detail["case"]["remind_at"], Value::Null);
    let cleared = detail["history"].as_array().and_then(|h| h.last()).cloned();
    assert_eq!(
        cleared.as_ref().map(|e| &e["field"]),
        Some(&json!("reminder"))
    );
    assert!(cleared
        .as_ref()
        .is_some_and(|e| e["old"].is_string() && e["new"].is_null()));
    // Clearing it again changes nothing, so nothing is recorded.
    let again = remind(&router, ID_A, json!(0)).await;
    assert_eq!(again["history"], detail["history"]);
    assert!(case_ids(&admin_json(&router, "/v1/cases?reminder=due").await).is_empty());
}

/// A collector whose site `demo-shop` has one signed hook to `url`, and two workers on its
/// database that look for due reminders on every round.
fn collector_with_two_workers(url: &str) -> (Router, Arc<dyn Store>) {
    let site = "demo-shop".to_owned();
    let hook = WebhookConfig {
        name: "team".to_owned(),
        url: url.to_owned(),
        format: Format::Json,
        secret: Some(secret()),
        min_priority: Some(Priority::High),
        surveys: Vec::new(),
    };
    let delivery = DeliveryConfig {
        reminder_check: Duration::ZERO,
        ..DeliveryConfig::default()
    };
    let webhooks = Webhooks::new([(&site, &[hook][..])], delivery, None).expect("hooks");
    let options = instant_days(webhooks);
    let (router, store) = router_and_store(options.clone());
    for _ in 0..2 {
        tokio::spawn(worker::run(
            Arc::clone(&store),
            Arc::clone(&options.webhooks),
            Arc::new(Metrics::default()),
            tokio_util::sync::CancellationToken::new(),
        ));
    }
    (router, store)
}

#[tokio::test]
async fn a_due_reminder_is_announced_once_signed() {
    let (receiver, url) = Receiver::start(0).await;
    let (router, store) = collector_with_two_workers(&url);
    // Rating 2 with contact: high, announced when opened.
    post(&router, &submission(ID_A, true)).await;
    receiver.wait_for(1).await;
    remind(&router, ID_A, json!(2)).await;
    let calls = receiver.wait_for(2).await;
    // Both workers have looked again since (they look every second at most).
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(receiver.calls().len(), 2);
    let reminder = &calls[1];
    assert_signed(reminder);
    assert_ne!(
        header(reminder, "webhook-id"),
        header(&calls[0], "webhook-id")
    );
    let body: Value = serde_json::from_str(&reminder.body).expect("JSON");
    assert_eq!(body["type"], "case.reminder");
    assert_eq!(body["data"]["id"], ID_A);
    assert_eq!(body["data"]["priority"], "high");
    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(body["data"]["remind_at"], case["case"]["remind_at"]);
    let events: Vec<String> = case["deliveries"]
        .as_array()
        .expect("deliveries")
        .iter()
        .map(|delivery| delivery["event"].as_str().expect("event").to_owned())
        .collect();
    assert_eq!(events.len(), 2);
    assert!(events.contains(&"case.opened".to_owned()), "{events:?}");
    // Still flagged in the inbox after it was announced.
    assert_eq!(case["case"]["reminder_due"], true);

    // Set again, it is a new reminder and announced again.
    remind(&router, ID_A, json!(1)).await;
    receiver.wait_for(3).await;
    let nothing: Announce = Arc::new(|_| Vec::new());
    assert_eq!(store.claim_reminders(10, nothing).await.expect("claim"), 0);
}

#[tokio::test]
async fn two_claims_at_once_take_a_reminder_once() {
    let (router, store) = router_and_store(instant_days(Webhooks::default()));
    post(&router, &submission(ID_A, true)).await;
    remind(&router, ID_A, json!(1)).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let nothing: Announce = Arc::new(|_| Vec::new());
    let (first, second) = tokio::join!(
        store.claim_reminders(10, Arc::clone(&nothing)),
        store.claim_reminders(10, Arc::clone(&nothing))
    );
    assert_eq!(first.expect("claim") + second.expect("claim"), 1);
}
