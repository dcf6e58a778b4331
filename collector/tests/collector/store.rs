//! The stores below the router: the SQLite file on disk (written in WAL mode and still there after
//! the collector restarts) and PostgreSQL's group commit.

use std::sync::Arc;

use axum::http::StatusCode;
use rebound_collector::admin_token::AdminToken;
use rebound_collector::store::SqliteStore;
use rebound_collector::{app, AppOptions, AppState};

use crate::support::{listed, post, submission, TempDir, ID_A, ID_B, TOKEN};

fn router_on(path: &std::path::Path) -> axum::Router {
    let state = AppState {
        store: Arc::new(SqliteStore::open(path).expect("open store")),
        admin_token: AdminToken::new(TOKEN).expect("token"),
    };
    app(state, &AppOptions::default())
}

#[tokio::test]
async fn responses_survive_a_restart_and_the_file_is_in_wal_mode() {
    let dir = TempDir::new();
    let path = dir.path().join("rebound.db");
    let body = submission(ID_A, true);

    let router = router_on(&path);
    assert_eq!(post(&router, &body).await.status, StatusCode::CREATED);
    // The write-ahead log sits beside the database while a WAL connection is open.
    assert!(dir.path().join("rebound.db-wal").exists());
    drop(router);

    let router = router_on(&path);
    let responses = listed(&router).await;
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0]["response"], body);
    // The id is known after the restart, so posting it again is not a creation.
    assert_eq!(post(&router, &body).await.status, StatusCode::OK);
}

#[tokio::test]
async fn queued_webhooks_survive_a_restart_and_a_claim_is_a_lease() {
    use rebound_collector::outbox::Outgoing;
    use rebound_collector::store::Store;
    use rebound_collector::triage::{Priority, Triage};
    use std::time::Duration;

    let dir = TempDir::new();
    let path = dir.path().join("rebound.db");
    let version = version_with(ID_A, submission(ID_A, true).to_string());
    let triage = Triage {
        priority: Priority::High,
        reason: "priority high: test".to_owned(),
        target: Duration::from_secs(60),
    };
    let outgoing = vec![Outgoing {
        hook: "demo-shop/team".to_owned(),
        event: rebound_collector::outbox::OPENED.to_owned(),
        payload: "{}".to_owned(),
    }];
    SqliteStore::open(&path)
        .expect("open")
        .save(version, triage, outgoing)
        .await
        .expect("save");

    let store = SqliteStore::open(&path).expect("reopen");
    let claimed = store
        .claim_deliveries(10, Duration::from_secs(60))
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].hook, "demo-shop/team");
    assert_eq!(claimed[0].attempts, 0);
    // Claimed by one worker, it is not handed to another until the lease ends.
    let again = store
        .claim_deliveries(10, Duration::from_secs(60))
        .await
        .expect("claim");
    assert!(again.is_empty());
}

/// A version of `id` as the router would save it, with `body`.
fn version_with(id: &str, body: String) -> rebound_collector::store::ResponseVersion {
    rebound_collector::store::ResponseVersion {
        id: id.to_owned(),
        site: "demo-shop".to_owned(),
        kind: "feedback".to_owned(),
        rank: rebound_collector::store::Rank {
            complete: true,
            answers: 1,
        },
        created_at: "2026-11-23T09:40:00.000Z".to_owned(),
        visitor: None,
        case_key: None,
        body,
    }
}

#[tokio::test]
async fn on_postgresql_a_save_the_database_refuses_fails_alone_in_its_round() {
    use rebound_collector::store::{PostgresStore, Saved, Store};
    use rebound_collector::triage::{Priority, Triage};

    // SQLite's group commit has its own unit test for this; here the PostgreSQL one, which
    // retries a failed round save by save. It needs the suite to run on PostgreSQL.
    let Some(url) = crate::support::fresh_postgres() else {
        return;
    };
    let store = PostgresStore::open(&url, 1).expect("open");
    store.ping().await.expect("connect and migrate");
    let triage = || Triage {
        priority: Priority::Normal,
        reason: "priority normal: test".to_owned(),
        target: std::time::Duration::from_secs(60),
    };
    // PostgreSQL cannot keep a NUL in text (the router refuses one before it gets here).
    let refused = version_with(ID_B, "{\"text\":\"a\u{0}b\"}".to_owned());
    let bodies = [ID_A, "0b6a2c1e-7d4f-4a8b-9c3d-000000000003"]
        .map(|id| version_with(id, submission(id, true).to_string()));
    let (first, bad, last) = tokio::join!(
        store.save(bodies[0].clone(), triage(), Vec::new()),
        store.save(refused, triage(), Vec::new()),
        store.save(bodies[1].clone(), triage(), Vec::new()),
    );
    assert_eq!(first.expect("first saved"), Saved::Created);
    assert!(bad.is_err());
    assert_eq!(last.expect("last saved"), Saved::Created);
    let ids: Vec<String> = store
        .list(10)
        .await
        .expect("list")
        .into_iter()
        .map(|response| response.id)
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(!ids.contains(&ID_B.to_owned()));
}

#[tokio::test]
async fn received_responses_are_read_in_chunks_newest_first_without_gaps() {
    use rebound_collector::store::ReceivedQuery;

    let (router, store) = crate::support::router_and_store(AppOptions::default());
    for id in [ID_A, ID_B, crate::support::ID_C] {
        post(&router, &submission(id, true)).await;
    }
    let mut query = ReceivedQuery {
        start: "2000-01-01T00:00:00.000Z".to_owned(),
        end: "2999-12-31T23:59:59.999Z".to_owned(),
        site: Some("demo-shop".to_owned()),
        survey: None,
        after: None,
        limit: 2,
    };
    let first = store.received(query.clone()).await.expect("first chunk");
    assert_eq!(first.len(), 2);
    let last = first.last().expect("a last one");
    query.after = Some((last.received_at.clone(), last.id.clone()));
    let second = store.received(query.clone()).await.expect("second chunk");
    let mut ids: Vec<&str> = first.iter().chain(&second).map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 3, "no response read twice");
    let times: Vec<&str> = first
        .iter()
        .chain(&second)
        .map(|r| r.received_at.as_str())
        .collect();
    assert!(times.windows(2).all(|pair| pair[0] >= pair[1]), "{times:?}");
    query.site = Some("blog".to_owned());
    query.after = None;
    assert!(store.received(query).await.expect("other site").is_empty());
}
