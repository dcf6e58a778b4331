//! The survey studio's pages in the inbox: a session and the form's CSRF token for every change,
//! new surveys from templates, mistakes named by field on save and by the check endpoint, status
//! changes and publishing reaching config.json, and the preview's own headers and discarding
//! endpoint.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::browser::{csrf, text, Browser};
use crate::studio::sites;
use crate::support::{admin_json, listed, router, send, survey_submission, ID_A};

const EDIT: &str = "/inbox/surveys/exit/edit?site=demo-shop";

/// A signed-in browser with a draft `exit` made from the checkout-exit template; returns the
/// session's CSRF token.
async fn with_draft(browser: &mut Browser<'_>) -> String {
    browser.sign_in().await;
    let list = browser.get("/inbox/surveys?site=demo-shop").await;
    assert_eq!(list.status, StatusCode::OK);
    let csrf = csrf(&list);
    let reply = browser
        .post(
            "/inbox/surveys",
            &format!("csrf={csrf}&site=demo-shop&template=checkout-exit&id=exit"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", text(&reply));
    assert_eq!(reply.header(header::LOCATION), Some(EDIT));
    csrf
}

/// `text` as a form value.
fn form_value(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => char::from(byte).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_studio_needs_a_session_and_a_configured_site() {
    let router = router(sites(&[]));
    let mut browser = Browser::new(&router);
    let reply = browser.get("/inbox/surveys").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header(header::LOCATION), Some("/inbox/login"));
    browser.sign_in().await;
    // The first configured site by default, and a switch between them.
    let list = browser.get("/inbox/surveys").await;
    assert!(text(&list).contains("Surveys of blog"), "{}", text(&list));
    assert!(text(&list).contains("<option value=\"demo-shop\""));
    let unknown = browser.get("/inbox/surveys?site=nope").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(text(&unknown).contains("[sites.nope]"));
}

#[tokio::test]
async fn a_draft_from_a_template_needs_the_forms_token_and_a_new_id() {
    let router = router(sites(&[]));
    let mut browser = Browser::new(&router);
    let csrf = with_draft(&mut browser).await;
    let forged = browser
        .post(
            "/inbox/surveys",
            "csrf=forged&site=demo-shop&template=help-dwell&id=help",
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let again = browser
        .post(
            "/inbox/surveys",
            &format!("csrf={csrf}&site=demo-shop&template=help-dwell&id=exit"),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        text(&again).contains("already has a survey"),
        "{}",
        text(&again)
    );
    let bad_id = browser
        .post(
            "/inbox/surveys",
            &format!("csrf={csrf}&site=demo-shop&template=help-dwell&id=Bad%20Id"),
        )
        .await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);

    let survey = admin_json(&router, "/v1/sites/demo-shop/surveys/exit").await;
    assert_eq!(survey["status"], "draft");
    assert_eq!(survey["definition"]["id"], "exit");
    assert!(survey["definition"]["recovery"].is_object());

    let editor = browser.get(EDIT).await;
    assert_eq!(editor.status, StatusCode::OK);
    let policy = editor.header(header::CONTENT_SECURITY_POLICY).expect("CSP");
    for directive in [
        "script-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let page = text(&editor);
    // The template as written, in its own order, not re-sorted.
    assert!(
        page.contains("{\n  &quot;id&quot;: &quot;exit&quot;,\n  &quot;trigger&quot;"),
        "{page}"
    );
    assert!(page.contains("src=\"/inbox/studio/studio.js\""));
}

#[tokio::test]
async fn a_broken_definition_is_refused_with_its_field_and_the_widgets_message() {
    let router = router(sites(&[]));
    let mut browser = Browser::new(&router);
    let csrf = with_draft(&mut browser).await;
    let broken = r#"{"id": "exit", "trigger": {"type": "exit_intent"},
        "questions": [{"id": "q", "type": "stars", "text": "Hi"}]}"#;
    let reply = browser
        .post(
            "/inbox/surveys/exit/edit",
            &format!(
                "csrf={csrf}&site=demo-shop&definition={}",
                form_value(broken)
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let page = text(&reply);
    assert!(
        page.contains("<code class=\"field\">surveys[0].questions[0].type</code>"),
        "{page}"
    );
    assert!(page.contains("rebound: survey &quot;exit&quot;: questions[0].type must be one of"));
    assert!(page.contains("&quot;stars&quot;"), "what was typed is kept");
    let kept = admin_json(&router, "/v1/sites/demo-shop/surveys/exit").await;
    assert_eq!(kept["definition"]["questions"][0]["type"], "single");

    let fixed = broken.replace("\"stars\"", "\"nps\"").replace('\n', "\r\n");
    let reply = browser
        .post(
            "/inbox/surveys/exit/edit",
            &format!(
                "csrf={csrf}&site=demo-shop&definition={}",
                form_value(&fixed)
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let kept = admin_json(&router, "/v1/sites/demo-shop/surveys/exit").await;
    assert_eq!(kept["definition"]["questions"][0]["type"], "nps");
    assert_eq!(kept["status"], "draft", "saving keeps the status");
}

#[tokio::test]
async fn the_check_endpoint_answers_the_session_with_every_mistake() {
    let router = router(sites(&[]));
    let mut browser = Browser::new(&router);
    let csrf = with_draft(&mut browser).await;
    let check = |token: &str, definition: &str| {
        let cookie = browser.cookie_header();
        Request::builder()
            .method(Method::POST)
            .uri("/inbox/studio/check")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", token)
            .body(Body::from(
                json!({"id": "exit", "definition": definition}).to_string(),
            ))
            .expect("request")
    };
    let reply = send(&router, check("forged", "{}")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = send(&router, check(&csrf, "{\"id\": \"exit\",")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["errors"][0]["field"], "definition");
    assert_eq!(reply.json()["errors"][0]["line"], json!(null));
    let reply = send(&router, check(&csrf, "{\"id\": \"other\"}")).await;
    assert_eq!(reply.json()["errors"][0]["field"], "surveys[0].questions");
    let broken = "{\"id\": \"exit\", \"trigger\": {\"type\": \"api\"},\n\"questions\": [\n{\"id\": \"q\", \"type\": \"stars\", \"text\": \"Hi\"}]}";
    let reply = send(&router, check(&csrf, broken)).await;
    assert_eq!(
        reply.json()["errors"][0]["field"],
        "surveys[0].questions[0].type"
    );
    assert_eq!(reply.json()["errors"][0]["line"], 3);
    let valid = r#"{"id": "exit", "trigger": {"type": "api"},
        "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]}"#;
    let reply = send(&router, check(&csrf, valid)).await;
    assert_eq!(reply.json(), json!({"errors": []}));
}

#[tokio::test]
async fn making_live_pausing_and_publishing_reach_config_json() {
    let router = router(sites(&[]));
    let mut browser = Browser::new(&router);
    let csrf = with_draft(&mut browser).await;
    let config = || async {
        let request = Request::builder()
            .uri("/v1/sites/demo-shop/config.json")
            .body(Body::empty())
            .expect("request");
        send(&router, request).await.json()
    };
    let set = |status: &str| format!("csrf={csrf}&site=demo-shop&status={status}");
    let publish = format!("csrf={csrf}&site=demo-shop");

    let reply = browser
        .post("/inbox/surveys/exit/status", &set("live"))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = browser.post("/inbox/studio/publish", &publish).await;
    assert_eq!(
        reply.header(header::LOCATION),
        Some("/inbox/surveys?site=demo-shop&published=1")
    );
    assert_eq!(config().await["surveys"][0]["id"], "exit");
    let list = browser
        .get("/inbox/surveys?site=demo-shop&published=1")
        .await;
    let page = text(&list);
    assert!(page.contains("Published version 1."), "{page}");
    assert!(page.contains("aria-label=\"Pause exit\""), "{page}");

    browser
        .post("/inbox/surveys/exit/status", &set("paused"))
        .await;
    browser.post("/inbox/studio/publish", &publish).await;
    assert_eq!(config().await["surveys"], json!([]));
    assert!(text(&browser.get("/inbox/surveys?site=demo-shop").await).contains("Resume exit"));

    let forged = browser
        .post("/inbox/studio/publish", "csrf=forged&site=demo-shop")
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let unknown = browser
        .post("/inbox/studio/publish", &format!("csrf={csrf}&site=nope"))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_preview_may_be_framed_by_the_studio_and_its_answers_are_discarded() {
    let router = router(sites(&[]));
    let mut browser = Browser::new(&router);
    let page = browser
        .get("/inbox/studio/preview?locale=de&theme=dark")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let policy = page.header(header::CONTENT_SECURITY_POLICY).expect("CSP");
    assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert_eq!(page.header(header::X_FRAME_OPTIONS), Some("SAMEORIGIN"));
    assert!(text(&page).contains("data-endpoint=\"/inbox/studio/preview/responses\""));

    let answer = Request::builder()
        .method(Method::POST)
        .uri("/inbox/studio/preview/responses")
        .header(header::ORIGIN, "null")
        .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
        .body(Body::from(survey_submission(ID_A, true).to_string()))
        .expect("request");
    let reply = send(&router, answer).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
    assert_eq!(reply.json()["stored"], false);
    assert!(listed(&router).await.is_empty(), "nothing was stored");
}
