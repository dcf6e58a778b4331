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
