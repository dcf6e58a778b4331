//! The HTML inbox: sign-in with the admin token into a secure session cookie, CSRF checks on
//! every form, the queue by priority and age with overdue marks, and the case page's controls.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, StatusCode};
use axum::Router;
use rebound_collector::triage::{InboxConfig, Rules, Targets};
use rebound_collector::AppOptions;
use serde_json::json;

use crate::browser::{csrf, text, Browser};
use crate::support::{
    admin_json, plain_router, post, router, submission, survey_submission, ID_A, ID_B, TOKEN,
};

#[tokio::test]
async fn the_inbox_sends_a_browser_without_a_session_to_sign_in() {
    let router = plain_router();
    let mut browser = Browser::new(&router);
    let reply = browser.get("/inbox").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header(header::LOCATION), Some("/inbox/login"));
    let reply = browser.get("/inbox/login").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(text(&reply).contains("name=\"token\""));
    let login_cookie = reply.header(header::SET_COOKIE).expect("login cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/inbox"] {
        assert!(login_cookie.contains(attribute), "{login_cookie}");
    }
    let policy = reply.header(header::CONTENT_SECURITY_POLICY).expect("CSP");
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert_eq!(reply.header(header::CACHE_CONTROL), Some("no-store"));
}

#[tokio::test]
async fn signing_in_needs_the_form_token_and_the_admin_token() {
    let router = plain_router();
    let mut browser = Browser::new(&router);
    let login = browser.get("/inbox/login").await;
    let csrf = csrf(&login);

    let forged = browser
        .post("/inbox/login", &format!("token={TOKEN}&csrf=forged"))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let wrong = browser
        .post("/inbox/login", &format!("token=guess&csrf={csrf}"))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(text(&wrong).contains("not the admin token"));

    let csrf = self::csrf(&wrong);
    let reply = browser
        .post("/inbox/login", &format!("token={TOKEN}&csrf={csrf}"))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let session = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("rebound_session="))
        .expect("session cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(session.contains(attribute), "{session}");
    }
    assert!(!session.contains(TOKEN));
    assert!(text(&browser.get("/inbox").await).contains("Sign out"));
    // Signed in, the sign-in page leads to the queue.
    let again = browser.get("/inbox/login").await;
    assert_eq!(again.header(header::LOCATION), Some("/inbox"));
}

#[tokio::test]
async fn a_case_page_needs_a_session() {
    let router = plain_router();
    post(&router, &submission(ID_A, true)).await;
    let reply = Browser::new(&router)
        .get(&format!("/inbox/cases/{ID_A}"))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header(header::LOCATION), Some("/inbox/login"));
}

fn overdue_router() -> Router {
    let config = InboxConfig {
        targets: Targets {
            urgent: Duration::ZERO,
            high: Duration::ZERO,
            normal: Duration::from_secs(3600),
            low: Duration::from_secs(3600),
        },
        ..InboxConfig::default()
    };
    router(AppOptions {
        rules: Arc::new(Rules::new(&config).expect("rules")),
        ..AppOptions::default()
    })
}

#[tokio::test]
async fn the_queue_lists_by_priority_and_marks_overdue_cases() {
    let router = overdue_router();
    let mut calm = submission(ID_A, true);
    calm["answers"] = json!([{"question": "message", "type": "text", "value": "Nice shop"}]);
    post(&router, &calm).await;
    // Rating 2 with contact: high, due at once.
    post(&router, &submission(ID_B, true)).await;
    tokio::time::sleep(Duration::from_millis(5)).await;

    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let page = text(&browser.get("/inbox").await);
    let high = page.find(ID_B).expect("the high case");
    let normal = page.find(ID_A).expect("the normal case");
    assert!(high < normal, "the high case comes first");
    assert_eq!(page.matches("class=\"overdue\"").count(), 1, "{page}");
    assert!(page[..normal].contains("class=\"overdue\""));

    let filtered = text(&browser.get("/inbox?priority=normal").await);
    assert!(filtered.contains(ID_A) && !filtered.contains(ID_B));
}

#[tokio::test]
async fn the_case_page_shows_the_answers_escaped_and_saves_changes_with_csrf() {
    let router = plain_router();
    let mut body = submission(ID_A, true);
    body["answers"][1]["value"] = "<script>alert(1)</script>".into();
    post(&router, &body).await;
    let path = format!("/inbox/cases/{ID_A}");

    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let reply = browser.get(&path).await;
    assert_eq!(reply.status, StatusCode::OK);
    let page = text(&reply);
    assert!(page.contains("priority high: rating 2, wants_contact"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>"));
    assert!(page.contains("mailto:a@b.example"));
    let csrf = csrf(&reply);

    let form = "status=acknowledged&assignee=ana&notes=Called";
    let forged = browser.post(&path, &format!("{form}&csrf=forged")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(case["case"]["status"], "new");

    let saved = browser.post(&path, &format!("{form}&csrf={csrf}")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(case["case"]["status"], "acknowledged");
    assert_eq!(case["case"]["assignee"], "ana");
    assert_eq!(case["history"][1]["actor"], "inbox");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let router = plain_router();
    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let queue = browser.get("/inbox").await;
    let csrf = csrf(&queue);
    let reply = browser.post("/inbox/logout", &format!("csrf={csrf}")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header(header::LOCATION), Some("/inbox/login"));
    let queue = browser.get("/inbox").await;
    assert_eq!(queue.header(header::LOCATION), Some("/inbox/login"));
}

#[tokio::test]
async fn a_survey_case_shows_its_survey_and_its_answers() {
    let router = plain_router();
    post(&router, &survey_submission(ID_A, true)).await;
    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let queue = text(&browser.get("/inbox").await);
    assert!(
        queue.contains("nps 4 · The coupon field ate my code"),
        "{queue}"
    );
    assert!(queue.contains("checkout-exit"), "{queue}");
    let page = text(&browser.get(&format!("/inbox/cases/{ID_A}")).await);
    for shown in [
        "survey checkout-exit (version 2)",
        "NPS 4 / 10",
        "CSAT 2 / 5",
        "other (other: No PayPal)",
        "reviews, sizes",
        "tel:+49 30 1234567",
        "<h2>Signals</h2>",
        "href=\"/inbox/surveys/checkout-exit?site=demo-shop\"",
    ] {
        assert!(page.contains(shown), "{shown} in {page}");
    }
}

#[tokio::test]
async fn a_recovery_case_is_resolved_with_a_note_to_the_visitor() {
    let router = plain_router();
    let body =
        crate::follow_up::recovered(ID_A, crate::follow_up::REFERENCE, crate::follow_up::SECRET);
    post(&router, &body).await;
    let path = format!("/inbox/cases/{ID_A}");
    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let reply = browser.get(&path).await;
    let page = text(&reply);
    assert!(page.contains("name=\"visitor_note\""), "{page}");
    assert!(page.contains("name=\"visitor_note_from\""), "{page}");
    assert!(page.contains(" · reply by 20"), "{page}");
    let form = format!(
        "status=resolved&assignee=ana&notes=&visitor_note=Refunded%20today.&visitor_note_from=Ana&csrf={}",
        csrf(&reply)
    );
    assert_eq!(
        browser.post(&path, &form).await.status,
        StatusCode::SEE_OTHER
    );
    let told = crate::follow_up::follow_up(
        &router,
        crate::follow_up::REFERENCE,
        crate::follow_up::SECRET,
    )
    .await;
    assert_eq!(told["note"], "Refunded today.");
    assert_eq!(told["from"], "Ana");
    let page = text(&browser.get(&path).await);
    assert!(page.contains("Refunded today."), "{page}");

    // A case without recovery has no follow-up, so no note to write.
    post(&router, &survey_submission(ID_B, true)).await;
    let page = text(&browser.get(&format!("/inbox/cases/{ID_B}")).await);
    assert!(!page.contains("visitor_note"), "{page}");
}

#[tokio::test]
async fn a_reminder_set_in_the_case_form_is_flagged_in_the_queue_when_due() {
    let router = router(AppOptions {
        reminder_day: rebound_collector::reminders::ReminderDay(Duration::ZERO),
        ..AppOptions::default()
    });
    post(&router, &submission(ID_A, true)).await;
    post(&router, &survey_submission(ID_B, true)).await;
    let path = format!("/inbox/cases/{ID_A}");
    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let reply = browser.get(&path).await;
    assert!(text(&reply).contains("name=\"remind_in_days\""));
    let form = format!(
        "status=acknowledged&assignee=&notes=&remind_in_days=2&csrf={}",
        csrf(&reply)
    );
    assert_eq!(
        browser.post(&path, &form).await.status,
        StatusCode::SEE_OTHER
    );
    tokio::time::sleep(Duration::from_millis(5)).await;
    let due = text(&browser.get("/inbox?status=open&reminder=due").await);
    assert!(due.contains(ID_A) && !due.contains(ID_B), "{due}");
    assert!(due.contains("class=\"reminder\""), "{due}");
    let bad = browser
        .post(
            &path,
            &format!(
                "status=new&assignee=&notes=&remind_in_days=soon&csrf={}",
                csrf(&reply)
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_trends_page_charts_the_complaints_without_script() {
    let router = plain_router();
    let mut late = survey_submission(ID_A, true);
    late["answers"][4]["value"] = "Late delivery".into();
    post(&router, &late).await;
    let anonymous = Browser::new(&router).get("/inbox/trends").await;
    assert_eq!(anonymous.header(header::LOCATION), Some("/inbox/login"));
    let mut browser = Browser::new(&router);
    browser.sign_in().await;
    let reply = browser.get("/inbox/trends").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .header(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|csp| csp.contains("default-src 'none'")));
    let page = text(&reply);
    assert!(
        page.contains("Most complaints: “late delivery”, on /checkout"),
        "{page}"
    );
    assert!(
        page.contains("<svg") && !page.contains("<script") && !page.contains("style="),
        "{page}"
    );
    assert!(page.contains("type=\"date\""), "{page}");
    let old = text(
        &browser
            .get("/inbox/trends?from=2000-01-01&to=2000-01-02")
            .await,
    );
    assert!(old.contains("0 unhappy of 0 responses"), "{old}");
    let bad = browser.get("/inbox/trends?from=soon").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let csv = browser.get("/inbox/trends.csv").await;
    assert!(text(&csv).starts_with("dimension,key,count\r\n"));
}
