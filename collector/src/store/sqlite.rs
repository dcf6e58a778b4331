//! [`SqliteStore`]: the [`Store`] in one SQLite file, for a single collector process.
//!
//! rusqlite blocks, so every call runs on tokio's blocking pool with the one connection behind a
//! mutex; SQLite serialises writers anyway, and one connection keeps the transaction logic simple.

mod migrations;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{named_params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::value::RawValue;

use super::{ResponseVersion, Saved, Store, StoreError, StoreFuture, StoredResponse};

/// How long a statement waits for another process (say, the `sqlite3` shell) to release the
/// database before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A [`Store`] in a SQLite database file, or in memory for `:memory:`.
#[derive(Clone)]
pub struct SqliteStore {
    connection: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens or creates the database at `path` and brings its tables up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path)?;
        // WAL lets readers run beside the writer; `synchronous = FULL` makes each commit durable
        // before it returns, which the 2xx answer promises. (An in-memory database stays in
        // its own journal mode, which is fine: it promises nothing beyond the process.)
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        migrations::apply(&mut connection)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` with the connection on the blocking pool.
    fn run<T, F>(&self, work: F) -> StoreFuture<'static, T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                // A panic while holding the lock cannot leave a transaction half done (it rolls
                // back when dropped), so the connection is still good to use.
                let mut connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
                work(&mut connection)
            })
            .await?
        })
    }
}

impl Store for SqliteStore {
    fn save(&self, version: ResponseVersion) -> StoreFuture<'_, Saved> {
        self.run(move |connection| save(connection, &version))
    }

    fn list(&self, limit: u32) -> StoreFuture<'_, Vec<StoredResponse>> {
        self.run(move |connection| list(connection, limit))
    }
}

fn save(connection: &mut Connection, version: &ResponseVersion) -> Result<Saved, StoreError> {
    // IMMEDIATE takes the write lock up front, so no other writer can slip in between reading
    // the stored version and replacing it.
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored_complete: Option<bool> = transaction
        .query_row(
            "SELECT complete FROM responses WHERE id = ?1",
            [&version.id],
            |row| row.get(0),
        )
        .optional()?;
    let saved = Saved::decide(stored_complete, version.complete);
    if saved != Saved::Kept {
        // Each save takes the next revision, which is what "newest first" sorts by: the clock
        // may not move between two saves, and a replaced response should move to the top.
        transaction.execute(
            "INSERT INTO responses (id, site, kind, complete, created_at, received_at, revision, body)
             VALUES (:id, :site, :kind, :complete, :created_at,
                     strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                     (SELECT COALESCE(MAX(revision), 0) + 1 FROM responses),
                     :body)
             ON CONFLICT (id) DO UPDATE SET
                 site = excluded.site,
                 kind = excluded.kind,
                 complete = excluded.complete,
                 created_at = excluded.created_at,
                 received_at = excluded.received_at,
                 revision = excluded.revision,
                 body = excluded.body",
            named_params! {
                ":id": version.id,
                ":site": version.site,
                ":kind": version.kind,
                ":complete": version.complete,
                ":created_at": version.created_at,
                ":body": version.body,
            },
        )?;
    }
    transaction.commit()?;
    Ok(saved)
}

fn list(connection: &mut Connection, limit: u32) -> Result<Vec<StoredResponse>, StoreError> {
    let mut statement = connection
        .prepare("SELECT id, received_at, body FROM responses ORDER BY revision DESC LIMIT ?1")?;
    let rows = statement.query_map([limit], |row| {
        Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
    })?;
    rows.map(|row| {
        let (id, received_at, body) = row?;
        match RawValue::from_string(body) {
            Ok(response) => Ok(StoredResponse {
                id,
                received_at,
                response,
            }),
            Err(source) => Err(StoreError::CorruptBody { id, source }),
        }
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(id: &str, complete: bool, body: &str) -> ResponseVersion {
        ResponseVersion {
            id: id.to_owned(),
            site: "demo-shop".to_owned(),
            kind: "feedback".to_owned(),
            complete,
            created_at: "2026-11-23T09:40:00.000Z".to_owned(),
            body: body.to_owned(),
        }
    }

    #[tokio::test]
    async fn saving_applies_the_last_complete_version_rule() {
        let store = SqliteStore::open(Path::new(":memory:")).expect("open");
        let outcomes = [
            store.save(version("a", false, r#"{"v":1}"#)).await,
            store.save(version("a", true, r#"{"v":2}"#)).await,
            store.save(version("a", false, r#"{"v":3}"#)).await,
        ];
        let outcomes: Vec<Saved> = outcomes.into_iter().map(|o| o.expect("save")).collect();
        assert_eq!(outcomes, [Saved::Created, Saved::Replaced, Saved::Kept]);
        let listed = store.list(10).await.expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].response.get(), r#"{"v":2}"#);
    }

    #[tokio::test]
    async fn lists_newest_first_up_to_the_limit() {
        let store = SqliteStore::open(Path::new(":memory:")).expect("open");
        for id in ["a", "b", "c"] {
            store.save(version(id, true, "{}")).await.expect("save");
        }
        // Replacing "a" makes it the newest.
        store.save(version("a", true, "{}")).await.expect("save");
        let ids: Vec<String> = store
            .list(2)
            .await
            .expect("list")
            .into_iter()
            .map(|response| response.id)
            .collect();
        assert_eq!(ids, ["a", "c"]);
    }
}
