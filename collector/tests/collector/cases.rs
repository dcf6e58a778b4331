//! The recovery inbox's JSON API: every response becomes a case with an explained priority;
//! cases are listed by priority and age with filters and pages, changed with an audit trail,
//! and flagged overdue past the reply time their site promises until someone answers.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use axum::Router;
use rebound_collector::triage::{InboxConfig, ReplyWithin, Rules, Targets};
use rebound_collector::AppOptions;
use serde_json::{json, Value};

use crate::support::{
    admin, admin_json, case_ids, plain_router, post, router, set_status, submission, ID_A, ID_B,
    ID_C,
};

/// A submission with this rating and, if `email` is given, a contact answer.
fn rated(id: &str, rating: u8, email: Option<&str>) -> Value {
    let mut body = submission(id, true);
    let mut answers = vec![json!({"question": "rating", "type": "rating", "value": rating})];
    if let Some(email) = email {
        answers.push(json!({"question": "contact", "type": "contact",
                            "value": {"email": email, "consent": true}}));
    }
    body["answers"] = answers.into();
    body
}

#[tokio::test]
async fn a_response_becomes_a_new_case_with_an_explained_priority() {
    let router = plain_router();
    post(&router, &rated(ID_A, 1, Some("ana@example.com"))).await;
    let detail = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    let case = &detail["case"];
    assert_eq!(case["status"], "new");
    assert_eq!(case["priority"], "high");
    assert_eq!(
        case["priority_reason"],
        "priority high: rating 1, wants_contact"
    );
    assert_eq!(case["overdue"], false);
    assert_eq!(case["assignee"], Value::Null);
    assert_eq!(case["response"]["answers"][0]["value"], 1);
    assert_eq!(detail["history"][0]["actor"], "rules");
    assert_eq!(detail["history"][0]["new"], "high");
}

#[tokio::test]
async fn a_visitor_who_complained_before_is_urgent() {
    let router = plain_router();
    post(&router, &rated(ID_A, 2, Some("ana@example.com"))).await;
    post(&router, &rated(ID_B, 2, Some("ANA@example.com"))).await;
    let case = admin_json(&router, &format!("/v1/cases/{ID_B}")).await;
    assert_eq!(case["case"]["priority"], "urgent");
    assert!(case["case"]["priority_reason"]
        .as_str()
        .is_some_and(|reason| reason.ends_with("visitor.earlier_cases 1")));
}

#[tokio::test]
async fn the_queue_is_sorted_by_priority_then_age() {
    let router = plain_router();
    post(&router, &rated(ID_A, 5, None)).await;
    post(&router, &rated(ID_B, 3, None)).await;
    post(&router, &rated(ID_C, 1, Some("c@example.com"))).await;
    let page = admin_json(&router, "/v1/cases").await;
    assert_eq!(case_ids(&page), [ID_C, ID_B, ID_A]);
    assert_eq!(page["total"], 3);
    let priorities: Vec<&Value> = page["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| &case["priority"])
        .collect();
    assert_eq!(
        priorities,
        [&json!("high"), &json!("normal"), &json!("low")]
    );
}

#[tokio::test]
async fn filters_and_pages_narrow_the_list() {
    let router = plain_router();
    post(&router, &rated(ID_A, 5, None)).await;
    let mut refund = rated(ID_B, 3, None);
    refund["answers"]
        .as_array_mut()
        .expect("answers")
        .push(json!({"question": "message", "type": "text", "value": "I want a 100% refund"}));
    refund["page"]["url"] = "https://shop.example/checkout".into();
    post(&router, &refund).await;
    let mut blog = rated(ID_C, 1, None);
    blog["site"] = "blog".into();
    post(&router, &blog).await;

    for (query, expected) in [
        ("?priority=low", vec![ID_A]),
        ("?site=blog", vec![ID_C]),
        ("?q=100%25%20refund", vec![ID_B]),
        ("?q=200%25", vec![]),
        ("?url=checkout", vec![ID_B]),
        // B and C are both normal: the older comes first.
        ("?survey=feedback&status=new", vec![ID_B, ID_C, ID_A]),
        ("?survey=nps", vec![]),
        ("?status=resolved", vec![]),
        ("?from=2000-01-01&to=2999-12-31", vec![ID_B, ID_C, ID_A]),
        ("?to=2000-01-01", vec![]),
        ("?overdue=false", vec![ID_B, ID_C, ID_A]),
    ] {
        let page = admin_json(&router, &format!("/v1/cases{query}")).await;
        assert_eq!(case_ids(&page), expected, "{query}");
    }

    let second = admin_json(&router, "/v1/cases?per_page=2&page=2").await;
    assert_eq!(case_ids(&second), [ID_A]);
    assert_eq!(second["total"], 3);
    assert_eq!(second["page"], 2);
}

#[tokio::test]
async fn changes_are_applied_and_audited_field_by_field() {
    let router = plain_router();
    post(&router, &rated(ID_A, 1, None)).await;
    let path = format!("/v1/cases/{ID_A}");
    let change = json!({"status": "acknowledged", "assignee": "ana", "notes": "Called back"});
    let reply = admin(&router, Method::PATCH, &path, Some(change)).await;
    assert_eq!(reply.status, StatusCode::OK);
    let case = &reply.json()["case"];
    assert_eq!(case["status"], "acknowledged");
    assert_eq!(case["assignee"], "ana");
    assert_eq!(case["notes"], "Called back");

    // The same status again changes nothing; an empty assignee unassigns.
    let change = json!({"status": "acknowledged", "assignee": ""});
    let reply = admin(&router, Method::PATCH, &path, Some(change)).await;
    assert_eq!(reply.json()["case"]["assignee"], Value::Null);

    let history = admin_json(&router, &path).await["history"].clone();
    let changes: Vec<(&str, &str, Value, Value)> = history
        .as_array()
        .expect("history")
        .iter()
        .map(|event| {
            (
                event["actor"].as_str().expect("actor"),
                event["field"].as_str().expect("field"),
                event["old"].clone(),
                event["new"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("rules", "priority", Value::Null, json!("normal")),
            ("api", "status", json!("new"), json!("acknowledged")),
            ("api", "assignee", Value::Null, json!("ana")),
            ("api", "notes", json!(""), json!("Called back")),
            ("api", "assignee", json!("ana"), Value::Null),
        ]
    );
}

#[tokio::test]
async fn a_later_version_re_triages_but_keeps_the_status() {
    let router = plain_router();
    let mut partial = rated(ID_A, 2, None);
    partial["complete"] = false.into();
    post(&router, &partial).await;
    let path = format!("/v1/cases/{ID_A}");
    admin(
        &router,
        Method::PATCH,
        &path,
        Some(json!({"status": "acknowledged"})),
    )
    .await;
    post(&router, &rated(ID_A, 2, Some("ana@example.com"))).await;
    let case = admin_json(&router, &path).await["case"].clone();
    assert_eq!(case["priority"], "high");
    assert_eq!(case["status"], "acknowledged");
}

fn with_targets(target: Duration) -> Router {
    let config = InboxConfig {
        targets: Targets {
            urgent: target,
            high: target,
            normal: target,
            low: target,
        },
        ..InboxConfig::default()
    };
    router(AppOptions {
        rules: Arc::new(Rules::new(&config).expect("rules")),
        ..AppOptions::default()
    })
}

#[tokio::test]
async fn a_case_past_its_promised_reply_time_is_overdue_until_answered() {
    let router = with_targets(Duration::ZERO);
    post(&router, &rated(ID_A, 1, None)).await;
    // The due time is kept to the millisecond; wait until it has certainly passed.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let path = format!("/v1/cases/{ID_A}");
    assert_eq!(admin_json(&router, &path).await["case"]["overdue"], true);
    assert_eq!(
        case_ids(&admin_json(&router, "/v1/cases?overdue=true").await),
        [ID_A]
    );

    // Taken but not answered: the promise is still broken.
    for (status, overdue) in [
        ("acknowledged", true),
        ("waiting_on_customer", false),
        ("resolved", false),
        ("new", true),
    ] {
        set_status(&router, ID_A, status).await;
        assert_eq!(
            admin_json(&router, &path).await["case"]["overdue"],
            overdue,
            "{status}"
        );
    }
}

#[tokio::test]
async fn a_site_promises_its_own_reply_times() {
    let shop = "shop".to_owned();
    let promised = ReplyWithin {
        high: Some(Duration::from_secs(4 * 3600)),
        ..ReplyWithin::default()
    };
    let router = router(AppOptions {
        rules: Arc::new(
            Rules::promising(&InboxConfig::default(), [(&shop, &promised)]).expect("rules"),
        ),
        ..AppOptions::default()
    });
    let mut at_shop = rated(ID_A, 1, Some("ana@example.com"));
    at_shop["site"] = json!("shop");
    post(&router, &at_shop).await;
    post(&router, &rated(ID_B, 1, Some("bo@example.com"))).await;
    let hours_to_reply = |case: &Value| {
        let time = |key: &str| {
            humantime::parse_rfc3339(case[key].as_str().expect("a time")).expect("RFC 3339")
        };
        let promised = time("due_at").duration_since(time("opened_at"));
        promised.expect("due after opened").as_secs() / 3600
    };
    let shop_case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(shop_case["case"]["priority"], "high");
    assert_eq!(hours_to_reply(&shop_case["case"]), 4);
    // Another site keeps the collector's target for high cases, an hour.
    let other = admin_json(&router, &format!("/v1/cases/{ID_B}")).await;
    assert_eq!(hours_to_reply(&other["case"]), 1);
}

#[tokio::test]
async fn a_case_within_its_target_is_not_overdue() {
    let router = with_targets(Duration::from_secs(3600));
    post(&router, &rated(ID_A, 1, None)).await;
    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(case["case"]["overdue"], false);
    assert!(admin_json(&router, "/v1/cases?overdue=true").await["cases"]
        .as_array()
        .is_some_and(Vec::is_empty));
}

#[tokio::test]
async fn the_case_api_refuses_with_reasons() {
    let router = plain_router();
    post(&router, &rated(ID_A, 1, None)).await;
    let path = format!("/v1/cases/{ID_A}");

    let missing = admin(&router, Method::GET, &format!("/v1/cases/{ID_B}"), None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"], "not_found");
    let missing = admin(&router, Method::PATCH, "/v1/cases/nope", Some(json!({}))).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let bad_status = admin(
        &router,
        Method::PATCH,
        &path,
        Some(json!({"status": "closed"})),
    )
    .await;
    assert_eq!(bad_status.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_status.json()["error"], "invalid_body");
    let unknown = admin(
        &router,
        Method::PATCH,
        &path,
        Some(json!({"priority": "low"})),
    )
    .await;
    assert_eq!(unknown.json()["error"], "invalid_body");

    let bad_query = admin(&router, Method::GET, "/v1/cases?status=closed", None).await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_query.json()["field"], "status");
    let unknown_query = admin(&router, Method::GET, "/v1/cases?colour=red", None).await;
    assert_eq!(unknown_query.json()["error"], "invalid_query");

    for (method, path) in [(Method::GET, "/v1/cases"), (Method::GET, path.as_str())] {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .body(axum::body::Body::empty())
            .expect("request");
        let reply = crate::support::send(&router, request).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn a_rule_in_the_widgets_language_sets_the_priority() {
    let config: InboxConfig = toml::from_str(
        "[[rules]]\npriority = \"urgent\"\n\
         rule = { any = [{ answer = \"stopped\", is = [\"other\"] }, { answer = \"nps\", max = 1 }] }\n",
    )
    .expect("config");
    let router = router(AppOptions {
        rules: Arc::new(Rules::new(&config).expect("rules")),
        ..AppOptions::default()
    });
    post(&router, &crate::support::survey_submission(ID_A, true)).await;
    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(case["case"]["priority"], "urgent");
    assert!(case["case"]["priority_reason"]
        .as_str()
        .is_some_and(|reason| reason.starts_with("priority urgent: rule {\"any\":")));
}
