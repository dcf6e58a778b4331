//! The SQLite file on disk: written in WAL mode and still there after the collector restarts.

use std::sync::Arc;

use axum::http::StatusCode;
use rebound_collector::admin_token::AdminToken;
use rebound_collector::store::SqliteStore;
use rebound_collector::{app, AppOptions, AppState};

use crate::support::{listed, post, submission, TempDir, ID_A, TOKEN};

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
    use rebound_collector::store::{Rank, ResponseVersion, Store};
    use rebound_collector::triage::{Priority, Triage};
    use std::time::Duration;

    let dir = TempDir::new();
    let path = dir.path().join("rebound.db");
    let version = ResponseVersion {
        id: ID_A.to_owned(),
        site: "demo-shop".to_owned(),
        kind: "feedback".to_owned(),
        rank: Rank {
            complete: true,
            answers: 1,
        },
        created_at: "2026-11-23T09:40:00.000Z".to_owned(),
        visitor: None,
        body: submission(ID_A, true).to_string(),
    };
    let triage = Triage {
        priority: Priority::High,
        reason: "priority high: test".to_owned(),
        target: Duration::from_secs(60),
    };
    let outgoing = vec![Outgoing {
        hook: "demo-shop/team".to_owned(),
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
