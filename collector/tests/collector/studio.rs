//! The survey studio's store, on whichever backend the suite runs on: surveys per site, and
//! publishing, numbering and restoring their configurations.

use rebound_collector::studio::SurveyStatus;

use crate::support::fresh_store;

#[tokio::test]
async fn publishing_numbers_versions_per_site_and_restoring_publishes_an_old_one_again() {
    let store = fresh_store();
    let site = || "demo-shop".to_owned();
    let put = |id: &str, status| {
        store.put_survey(site(), id.to_owned(), status, format!(r#"{{"id":"{id}"}}"#))
    };
    assert!(put("b", SurveyStatus::Live).await.expect("put b"));
    assert!(put("a", SurveyStatus::Live).await.expect("put a"));
    assert!(put("c", SurveyStatus::Draft).await.expect("put c"));
    assert!(store.published(site()).await.expect("published").is_none());

    let first = store.publish(site()).await.expect("publish");
    assert_eq!(first.version, 1);
    assert_eq!(first.config, r#"{"surveys":[{"id":"a"},{"id":"b"}]}"#);

    // Pausing leaves the survey out of the next version.
    assert!(!put("a", SurveyStatus::Paused).await.expect("pause a"));
    let second = store.publish(site()).await.expect("publish");
    assert_eq!(second.version, 2);
    assert_eq!(second.config, r#"{"surveys":[{"id":"b"}]}"#);

    // Another site counts its own versions.
    assert_eq!(
        store
            .publish("blog".to_owned())
            .await
            .expect("publish blog")
            .version,
        1
    );

    let restored = store
        .restore(site(), 1)
        .await
        .expect("restore")
        .expect("v1");
    assert_eq!(restored.version, 3);
    assert_eq!(restored.config, first.config);
    assert!(store.restore(site(), 9).await.expect("restore").is_none());

    let latest = store
        .published(site())
        .await
        .expect("published")
        .expect("some");
    assert_eq!(latest.version, 3);
    let versions = store.versions(site()).await.expect("versions");
    let listed: Vec<(i64, Vec<String>)> = versions
        .into_iter()
        .map(|v| (v.version, v.surveys))
        .collect();
    assert_eq!(
        listed,
        [
            (3, vec!["a".to_owned(), "b".to_owned()]),
            (2, vec!["b".to_owned()]),
            (1, vec!["a".to_owned(), "b".to_owned()]),
        ]
    );

    let surveys = store.surveys(site()).await.expect("surveys");
    let statuses: Vec<(&str, SurveyStatus)> =
        surveys.iter().map(|s| (s.id.as_str(), s.status)).collect();
    assert_eq!(
        statuses,
        [
            ("a", SurveyStatus::Paused),
            ("b", SurveyStatus::Live),
            ("c", SurveyStatus::Draft)
        ]
    );
    let survey = store
        .survey(site(), "c".to_owned())
        .await
        .expect("survey")
        .expect("c");
    assert_eq!(survey.definition["id"], "c");
    assert!(store
        .survey("blog".to_owned(), "c".to_owned())
        .await
        .expect("survey")
        .is_none());
}

mod api {
    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use serde_json::json;

    use crate::support::{admin, plain_router, send};

    fn nps(id: &str) -> serde_json::Value {
        json!({"id": id, "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]})
    }

    #[tokio::test]
    async fn surveys_are_checked_stored_published_and_restored() {
        let router = plain_router();
        let path = "/v1/sites/demo-shop/surveys/nps";
        let mut broken = nps("nps");
        broken["questions"][0]["type"] = json!("stars");
        let reply = admin(
            &router,
            Method::PUT,
            path,
            Some(json!({"status": "live", "definition": broken})),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.json()["error"], "invalid_definition");
        assert_eq!(reply.json()["field"], "surveys[0].questions[0].type");

        let body = json!({"status": "live", "definition": nps("nps")});
        let reply = admin(&router, Method::PUT, path, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::CREATED);
        let reply = admin(&router, Method::PUT, path, Some(body)).await;
        assert_eq!(reply.status, StatusCode::OK);

        let reply = admin(&router, Method::GET, "/v1/sites/demo-shop/surveys", None).await;
        assert_eq!(reply.json()["surveys"][0]["status"], "live");
        let reply = admin(&router, Method::GET, path, None).await;
        assert_eq!(reply.json()["definition"]["id"], "nps");

        let publish = "/v1/sites/demo-shop/publish";
        let reply = admin(&router, Method::POST, publish, None).await;
        assert_eq!(reply.json()["version"], 1);
        let reply = admin(&router, Method::POST, publish, None).await;
        assert_eq!(reply.json()["version"], 2);
        let restore = "/v1/sites/demo-shop/versions/1/restore";
        let reply = admin(&router, Method::POST, restore, None).await;
        assert_eq!(reply.json()["version"], 3);
        let reply = admin(&router, Method::GET, "/v1/sites/demo-shop/versions", None).await;
        assert_eq!(reply.json()["versions"][0]["version"], 3);

        let missing = "/v1/sites/demo-shop/versions/9/restore";
        let reply = admin(&router, Method::POST, missing, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = admin(&router, Method::GET, "/v1/sites/demo-shop/surveys/x", None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);

        let request = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request");
        assert_eq!(
            send(&router, request).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

mod config_json {
    use axum::body::Body;
    use axum::http::{header, Method, Request, StatusCode};
    use rebound_collector::cors::AllowedOrigins;
    use rebound_collector::AppOptions;
    use serde_json::json;

    use crate::support::{admin, router, send};

    #[tokio::test]
    async fn an_allowed_origin_gets_cors_and_pausing_takes_effect_with_the_next_publish() {
        let router = router(AppOptions {
            allowed_origins: AllowedOrigins::parse(["https://shop.example"]).expect("origin"),
            ..AppOptions::default()
        });
        let definition = json!({"id": "a", "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]});
        let path = "/v1/sites/demo-shop/surveys/a";
        let live = json!({"status": "live", "definition": definition});
        admin(&router, Method::PUT, path, Some(live)).await;
        admin(&router, Method::POST, "/v1/sites/demo-shop/publish", None).await;
        let fetch = || {
            Request::builder()
                .uri("/v1/sites/demo-shop/config.json")
                .header(header::ORIGIN, "https://shop.example")
                .body(Body::empty())
                .expect("request")
        };
        let reply = send(&router, fetch()).await;
        assert_eq!(
            reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            Some("https://shop.example")
        );
        assert_eq!(reply.json()["surveys"][0]["id"], "a");

        let paused = json!({"status": "paused", "definition": definition});
        admin(&router, Method::PUT, path, Some(paused)).await;
        admin(&router, Method::POST, "/v1/sites/demo-shop/publish", None).await;
        let reply = send(&router, fetch()).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.json()["surveys"], json!([]));
    }
}
