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
    let definition: serde_json::Value =
        serde_json::from_str(survey.definition.get()).expect("JSON");
    assert_eq!(definition["id"], "c");
    assert!(store
        .survey("blog".to_owned(), "c".to_owned())
        .await
        .expect("survey")
        .is_none());
}

/// Options with the sites the studio tests use: `demo-shop`, read by pages on
/// `https://shop.example`, and `blog` with no origins of its own.
pub fn sites(allow_origins: &[&str]) -> rebound_collector::AppOptions {
    use axum::http::HeaderValue;
    use rebound_collector::sites::{SitePolicy, Sites};

    let mut sites = Sites::default();
    sites.sites.insert(
        "demo-shop".to_owned(),
        SitePolicy {
            origins: vec![HeaderValue::from_static("https://shop.example")],
        },
    );
    sites.sites.insert("blog".to_owned(), SitePolicy::default());
    rebound_collector::AppOptions {
        sites,
        allowed_origins: rebound_collector::cors::AllowedOrigins::parse(
            allow_origins.iter().copied(),
        )
        .expect("origins"),
        ..rebound_collector::AppOptions::default()
    }
}

mod api {
    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use serde_json::json;

    use super::sites;
    use crate::support::{admin, router, send};

    fn nps(id: &str) -> serde_json::Value {
        json!({"id": id, "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]})
    }

    /// Puts `definition` at `path` as a live survey.
    async fn put_live(
        router: &axum::Router,
        path: &str,
        definition: serde_json::Value,
    ) -> crate::support::Reply {
        let body = json!({"status": "live", "definition": definition});
        admin(router, Method::PUT, path, Some(body)).await
    }

    #[tokio::test]
    async fn surveys_are_checked_stored_published_and_restored() {
        let router = router(sites(&[]));
        let path = "/v1/sites/demo-shop/surveys/nps";
        let mut broken = nps("nps");
        broken["questions"][0]["type"] = json!("stars");
        let reply = put_live(&router, path, broken).await;
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
        assert_eq!(reply.json()["error"], "not_found");

        let request = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("request");
        assert_eq!(
            send(&router, request).await.status,
            StatusCode::UNAUTHORIZED
        );
    }

    #[tokio::test]
    async fn a_definition_is_kept_as_it_was_written() {
        let router = router(sites(&[]));
        let path = "/v1/sites/demo-shop/surveys/raw";
        let definition = r#"{"trigger": {"type": "api"}, "id": "raw",
  "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]}"#;
        let request = Request::builder()
            .method(Method::PUT)
            .uri(path)
            .header("authorization", format!("Bearer {}", crate::support::TOKEN))
            .header("content-type", "application/json")
            .body(Body::from(format!(
                r#"{{"status": "draft", "definition": {definition}}}"#
            )))
            .expect("request");
        assert_eq!(send(&router, request).await.status, StatusCode::CREATED);
        let reply = admin(&router, Method::GET, path, None).await;
        let body = String::from_utf8(reply.body).expect("UTF-8");
        assert!(
            body.contains(&format!(r#""definition":{definition}"#)),
            "{body}"
        );
    }

    #[tokio::test]
    async fn a_site_that_is_not_configured_is_404_naming_the_field() {
        let router = router(sites(&[]));
        let body = json!({"status": "live", "definition": nps("nps")});
        for (method, path, body) in [
            (Method::GET, "/v1/sites/nope/surveys", None),
            (Method::PUT, "/v1/sites/nope/surveys/nps", Some(body)),
            (Method::POST, "/v1/sites/nope/publish", None),
            (Method::GET, "/v1/sites/nope/versions", None),
            (Method::GET, "/v1/sites/nope/config.json", None),
        ] {
            let reply = admin(&router, method, path, body).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(reply.json()["error"], "unknown_site", "{path}");
            assert_eq!(reply.json()["field"], "site", "{path}");
            let message = reply.json()["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(message.contains("[sites.nope]"), "{message}");
        }
    }

    #[tokio::test]
    async fn an_invalid_definition_is_refused_with_the_path_of_its_field() {
        let router = router(sites(&[]));
        let path = "/v1/sites/demo-shop/surveys/nps";
        let mut broken = nps("nps");
        broken["recovery"] = json!({"when": {"answer": "q", "max": 11}});
        let reply = put_live(&router, path, broken).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.json()["field"], "surveys[0].recovery.when.max");
        assert_eq!(
            reply.json()["message"],
            "rebound: survey \"nps\": recovery.when.max must be a whole number from 0 to 10"
        );
        let reply = admin(&router, Method::GET, path, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "nothing was kept");
    }
}

mod config_json {
    use axum::body::Body;
    use axum::http::{header, Method, Request, StatusCode};
    use axum::Router;
    use serde_json::json;

    use super::sites;
    use crate::support::{admin, router, send, Reply};

    fn definition(id: &str) -> serde_json::Value {
        json!({"id": id, "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]})
    }

    async fn put(router: &Router, site: &str, id: &str, status: &str) {
        let path = format!("/v1/sites/{site}/surveys/{id}");
        let body = json!({"status": status, "definition": definition(id)});
        let reply = admin(router, Method::PUT, &path, Some(body)).await;
        assert!(reply.status.is_success(), "{}", reply.json());
        let publish = format!("/v1/sites/{site}/publish");
        assert_eq!(
            admin(router, Method::POST, &publish, None).await.status,
            StatusCode::OK
        );
    }

    async fn fetch(router: &Router, site: &str, origin: Option<&str>, tag: Option<&str>) -> Reply {
        let mut request = Request::builder().uri(format!("/v1/sites/{site}/config.json"));
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(tag) = tag {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        send(router, request.body(Body::empty()).expect("request")).await
    }

    #[tokio::test]
    async fn each_site_is_readable_by_its_own_origins_only() {
        let router = router(sites(&["https://blog.example"]));
        put(&router, "demo-shop", "a", "live").await;
        put(&router, "blog", "b", "live").await;
        let allowed = |reply: &Reply| {
            reply
                .header(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .map(str::to_owned)
        };
        let shop = fetch(&router, "demo-shop", Some("https://shop.example"), None).await;
        assert_eq!(shop.status, StatusCode::OK);
        assert_eq!(allowed(&shop).as_deref(), Some("https://shop.example"));
        assert_eq!(shop.header(header::VARY), Some("Origin"));
        assert_eq!(
            shop.header(header::CACHE_CONTROL),
            Some("public, max-age=60")
        );
        // The blog's origin may post for sites without origins of their own, not for the shop.
        let other = fetch(&router, "demo-shop", Some("https://blog.example"), None).await;
        assert_eq!(other.status, StatusCode::OK);
        assert_eq!(allowed(&other), None);
        let blog = fetch(&router, "blog", Some("https://blog.example"), None).await;
        assert_eq!(allowed(&blog).as_deref(), Some("https://blog.example"));
        let blog = fetch(&router, "blog", Some("https://shop.example"), None).await;
        assert_eq!(allowed(&blog), None);
        // A revalidation keeps the CORS header, or the browser could not use its copy.
        let tag = shop.header(header::ETAG).expect("etag").to_owned();
        let again = fetch(
            &router,
            "demo-shop",
            Some("https://shop.example"),
            Some(&tag),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED);
        assert_eq!(allowed(&again).as_deref(), Some("https://shop.example"));
    }

    #[tokio::test]
    async fn a_configured_site_that_never_published_is_404_readable_by_its_pages() {
        let router = router(sites(&[]));
        let reply = fetch(&router, "demo-shop", Some("https://shop.example"), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.json()["error"], "not_found");
        assert_eq!(
            reply.header(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            Some("https://shop.example")
        );
    }

    #[tokio::test]
    async fn pausing_takes_effect_with_the_next_publish() {
        let router = router(sites(&[]));
        put(&router, "demo-shop", "a", "live").await;
        let reply = fetch(&router, "demo-shop", Some("https://shop.example"), None).await;
        assert_eq!(reply.json()["surveys"][0]["id"], "a");
        let before = reply.header(header::ETAG).expect("etag").to_owned();

        put(&router, "demo-shop", "a", "paused").await;
        let reply = fetch(&router, "demo-shop", None, Some(&before)).await;
        assert_eq!(reply.status, StatusCode::OK, "the old copy is stale");
        assert_eq!(reply.json()["surveys"], json!([]));
    }
}

mod demo {
    use std::path::Path;

    use rebound_collector::demo_surveys::{seed, SITE};

    use crate::support::fresh_store;

    #[tokio::test]
    async fn the_demo_shops_surveys_are_put_in_the_studio_live_and_published_once() {
        let store = fresh_store();
        let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www");
        assert_eq!(seed(store.as_ref(), &www).await, Ok(4));
        let published = store
            .published(SITE.to_owned())
            .await
            .expect("read")
            .expect("published");
        assert_eq!(published.version, 1);
        let config: serde_json::Value = serde_json::from_str(&published.config).expect("JSON");
        let ids: Vec<&str> = config["surveys"]
            .as_array()
            .expect("surveys")
            .iter()
            .filter_map(|s| s["id"].as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "checkout-exit",
                "coupon-trouble",
                "help-dwell",
                "payment-failed"
            ]
        );
        // What the studio changed since is kept: a second start puts nothing.
        assert_eq!(seed(store.as_ref(), &www).await, Ok(0));
        let again = store.published(SITE.to_owned()).await.expect("read");
        assert_eq!(again.map(|p| p.version), Some(1));
    }
}
