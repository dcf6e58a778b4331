//! Where submissions are kept: the [`Store`] trait the handlers use, and the rule that decides
//! which version of a response wins.
//!
//! The trait is asynchronous and object-safe so that a backend with its own async driver (a
//! PostgreSQL one is planned) fits behind it as well as [`SqliteStore`], which runs its blocking
//! calls off the async runtime.

mod sqlite;

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde_json::value::RawValue;
use thiserror::Error;

pub use sqlite::SqliteStore;

/// Why storage failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The SQLite database refused or failed an operation.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was made by a newer collector, whose tables this one does not know.
    #[error(
        "the database has schema version {found}, newer than the {known} this collector knows"
    )]
    NewerSchema {
        /// The version found in the database.
        found: i64,
        /// The newest version this build knows.
        known: usize,
    },
    /// A stored body is no longer valid JSON.
    #[error("the stored body of response {id} is not JSON: {source}")]
    CorruptBody {
        /// The response's id.
        id: String,
        /// What the JSON parser found.
        source: serde_json::Error,
    },
    /// The thread that did the blocking work panicked or was cancelled.
    #[error("the storage task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A future a [`Store`] returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A place that keeps one response per id and lists them newest first.
///
/// `save` must have made the version durable before its future resolves: the collector answers
/// 2xx only after that, and the widget forgets a response once it sees a 2xx.
pub trait Store: Send + Sync {
    /// Keeps `version` unless [`Saved::decide`] says the stored one wins.
    fn save(&self, version: ResponseVersion) -> StoreFuture<'_, Saved>;
    /// The `limit` most recently saved responses, newest first.
    fn list(&self, limit: u32) -> StoreFuture<'_, Vec<StoredResponse>>;
}

/// One version of a response, as the store keeps it: the original body plus the fields it
/// indexes.
#[derive(Clone, Debug)]
pub struct ResponseVersion {
    /// The response's id, the same for all its versions.
    pub id: String,
    /// The site it came from.
    pub site: String,
    /// What was answered, like `feedback`.
    pub kind: String,
    /// Whether the visitor finished.
    pub complete: bool,
    /// When the response started, by the visitor's clock.
    pub created_at: String,
    /// The body exactly as it was received.
    pub body: String,
}

/// What [`Store::save`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// The id was new.
    Created,
    /// The version replaced the stored one.
    Replaced,
    /// The stored version was kept because it is complete and the new one is not.
    Kept,
}

impl Saved {
    /// The rule every store applies: the last complete version wins. A newer version replaces
    /// the stored one, except that an incomplete one never replaces a complete one, because the
    /// widget may still be retrying a partial response after the visitor finished it.
    pub fn decide(stored_complete: Option<bool>, new_complete: bool) -> Self {
        match stored_complete {
            None => Self::Created,
            Some(true) if !new_complete => Self::Kept,
            Some(_) => Self::Replaced,
        }
    }
}

/// A response as listed to the site's owner; serialized as is into `GET /v1/responses`.
#[derive(Debug, Serialize)]
pub struct StoredResponse {
    /// The response's id.
    pub id: String,
    /// When its current version was received, RFC 3339 in UTC.
    pub received_at: String,
    /// The stored body, checked to be JSON so it can be embedded as is.
    pub response: Box<RawValue>,
}

#[cfg(test)]
mod tests {
    use super::Saved;

    #[test]
    fn last_complete_version_wins() {
        assert_eq!(Saved::decide(None, false), Saved::Created);
        assert_eq!(Saved::decide(None, true), Saved::Created);
        assert_eq!(Saved::decide(Some(false), false), Saved::Replaced);
        assert_eq!(Saved::decide(Some(false), true), Saved::Replaced);
        assert_eq!(Saved::decide(Some(true), true), Saved::Replaced);
        assert_eq!(Saved::decide(Some(true), false), Saved::Kept);
    }
}
