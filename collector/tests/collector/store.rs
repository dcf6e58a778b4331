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
