//! Where responses, cases and the webhook outbox are kept: the [`Store`] trait the handlers use,
//! its two backends, and the rule that decides which version of a response wins.
//!
//! The trait is asynchronous and object-safe so that [`PostgresStore`], with its async driver,
//! fits behind it as well as [`SqliteStore`], which runs its blocking calls on a thread of its
//! own. Every query is written once, as a sea-query statement in the private modules
//! `responses`, `cases`, `reminders`, `outbox`, `surveys` and `views`, against the `sql::Sql` trait that each backend implements;
//! only the schema's migrations and how a backend batches commits are its own. Both pass the
//! same router test suite.

mod cases;
mod outbox;
mod postgres;
mod precedence;
mod reminders;
mod responses;
mod sql;
mod sqlite;
mod surveys;
mod views;

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::value::RawValue;
use thiserror::Error;

use crate::cases::{CaseChange, CaseDetail, CasePage, CaseQuery};
use crate::follow_up::{Candidate, CaseKey};
use crate::outbox::{Delivery, DeliveryInfo, DeliveryStatus, OutboxCounts, Outcome, Outgoing};
use crate::reminders::Announce;
use crate::studio::{Published, Survey, SurveyStatus, SurveySummary, VersionInfo};
use crate::triage::Triage;
use crate::views::{ViewCounts, ViewQuery, ViewRow};

pub use postgres::PostgresStore;
pub use precedence::{Rank, Saved};
pub use sqlite::SqliteStore;

/// Why storage failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The SQLite database refused or failed an operation.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused or failed an operation, or could not be reached.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// A PostgreSQL connection could not be had from the pool.
    #[error("PostgreSQL pool: {0}")]
    Pool(String),
    /// A query could not be put together (a bug in its definition).
    #[error("query: {0}")]
    Query(#[from] sea_query::error::Error),
    /// A column held another kind of value than the query expects.
    #[error("column {index} is not {expected}")]
    Column {
        /// The column's position in the row.
        index: usize,
        /// What the query expected.
        expected: &'static str,
    },
    /// The database setting names a backend this build does not have.
    #[error("{0}")]
    Unsupported(&'static str),
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
    /// A stored survey definition or published configuration is no longer valid JSON.
    #[error("the stored {what} is not JSON: {source}")]
    CorruptJson {
        /// Which one, like `survey demo-shop/checkout-exit`.
        what: String,
        /// What the JSON parser found.
        source: serde_json::Error,
    },
    /// The operating system gave no random bytes for an id.
    #[error("no random bytes for an id: {0}")]
    Random(getrandom::Error),
    /// The commit of a group of calls failed, so none of them took effect.
    #[error("the commit failed: {0}")]
    Commit(String),
    /// The database's thread is gone (it can only stop after a panic).
    #[error("the database thread has stopped")]
    Closed,
    /// The database's thread could not be started.
    #[error("cannot start the database thread: {0}")]
    Thread(std::io::Error),
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(error: deadpool_postgres::PoolError) -> Self {
        match error {
            deadpool_postgres::PoolError::Backend(error) => Self::Postgres(error),
            other => Self::Pool(other.to_string()),
        }
    }
}

/// A future a [`Store`] returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A place that keeps one response per id and lists them newest first.
///
/// `save` must have made the version durable before its future resolves: the collector answers
/// 2xx only after that, and the widget forgets a response once it sees a 2xx.
pub trait Store: Send + Sync {
    /// Keeps `version` unless [`Saved::decide`] says the stored one wins; when it is kept, opens
    /// or re-triages its case with `triage`.
    /// In the same transaction, queues `webhooks` deliveries for the case (once per hook).
    fn save(
        &self,
        version: ResponseVersion,
        triage: Triage,
        webhooks: Vec<Outgoing>,
    ) -> StoreFuture<'_, Saved>;
    /// The `limit` most recently saved responses, newest first.
    fn list(&self, limit: u32) -> StoreFuture<'_, Vec<StoredResponse>>;
    /// The responses `query` selects, newest first, for the trends.
    fn received(&self, query: ReceivedQuery) -> StoreFuture<'_, Vec<StoredResponse>>;
    /// Succeeds when the database answers, for `GET /healthz`.
    fn ping(&self) -> StoreFuture<'_, ()>;
    /// How many cases other than `id` the same `visitor` opened on `site`.
    fn earlier_cases(&self, site: String, visitor: String, id: String) -> StoreFuture<'_, u64>;
    /// One page of the cases `query` selects, most urgent first, then oldest first.
    fn cases(&self, query: CaseQuery) -> StoreFuture<'_, CasePage>;
    /// A case with its history.
    fn case(&self, id: String) -> StoreFuture<'_, Option<CaseDetail>>;
    /// Applies `change` by `actor` to a case, recording it in the history, with `day` as the
    /// length of one of its `remind_in_days`; `None` when there is no such case.
    fn update_case(
        &self,
        id: String,
        change: CaseChange,
        actor: &'static str,
        day: Duration,
    ) -> StoreFuture<'_, Option<CaseDetail>>;
    /// Claims up to `limit` due reminders that nobody claimed yet and, in the same
    /// transaction, queues the deliveries `announce` makes of each; how many it claimed.
    fn claim_reminders(&self, limit: u32, announce: Announce) -> StoreFuture<'_, u32>;
    /// The cases whose recovery has `reference`, for a follow-up.
    fn with_reference(&self, reference: String) -> StoreFuture<'_, Vec<Candidate>>;
    /// Claims up to `limit` due webhook deliveries for `lease`.
    fn claim_deliveries(&self, limit: u32, lease: Duration) -> StoreFuture<'_, Vec<Delivery>>;
    /// Records how an attempt at delivery `id` ended.
    fn finish_delivery(&self, id: String, outcome: Outcome) -> StoreFuture<'_, ()>;
    /// Gives back claimed deliveries that were not attempted, so that any worker may take them
    /// at once instead of when their lease ends.
    fn release_deliveries(&self, ids: Vec<String>) -> StoreFuture<'_, ()>;
    /// Up to `limit` deliveries, newest first, optionally of one status and one case.
    fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        case_id: Option<String>,
        limit: u32,
    ) -> StoreFuture<'_, Vec<DeliveryInfo>>;
    /// How many deliveries wait and how many failed.
    fn outbox_counts(&self) -> StoreFuture<'_, OutboxCounts>;
    /// The surveys of `site`, by id.
    fn surveys(&self, site: String) -> StoreFuture<'_, Vec<SurveySummary>>;
    /// One survey of `site` with its definition.
    fn survey(&self, site: String, id: String) -> StoreFuture<'_, Option<Survey>>;
    /// Creates or replaces a survey of `site` with a checked `definition` (JSON text); true
    /// when it is new.
    fn put_survey(
        &self,
        site: String,
        id: String,
        status: SurveyStatus,
        definition: String,
    ) -> StoreFuture<'_, bool>;
    /// Publishes the live surveys of `site` as its next version.
    fn publish(&self, site: String) -> StoreFuture<'_, Published>;
    /// Publishes version `number` of `site` again as its next version; `None` when there is
    /// no such version.
    fn restore(&self, site: String, number: i64) -> StoreFuture<'_, Option<Published>>;
    /// The newest version of `site`, if it ever published.
    fn published(&self, site: String) -> StoreFuture<'_, Option<Published>>;
    /// The versions of `site`, newest first.
    fn versions(&self, site: String) -> StoreFuture<'_, Vec<VersionInfo>>;
    /// Keeps reported survey views, each once per batch and position.
    fn save_views(&self, rows: Vec<ViewRow>) -> StoreFuture<'_, ()>;
    /// How often the survey `query` names was shown and dismissed.
    fn view_counts(&self, query: ViewQuery) -> StoreFuture<'_, ViewCounts>;
}

/// Opens the store a `database` setting names: a `postgres://` URL, with at most `connections`
/// connections, or else a SQLite file path (or `:memory:`), which has one. A PostgreSQL store
/// connects on first use.
pub fn open(database: &str, connections: usize) -> Result<Arc<dyn Store>, StoreError> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        return Ok(Arc::new(PostgresStore::open(database, connections)?));
    }
    Ok(Arc::new(SqliteStore::open(Path::new(database))?))
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
    /// How far the visitor got; decides which version wins.
    pub rank: Rank,
    /// When the response started, by the visitor's clock.
    pub created_at: String,
    /// Who sent it, when known (see [`crate::triage::visitor`]).
    pub visitor: Option<String>,
    /// The reference and secret of the case the widget's recovery opened, if it did.
    pub case_key: Option<CaseKey>,
    /// The body exactly as it was received.
    pub body: String,
}

/// One chunk of the responses received in a period (the trends read a period chunk by chunk, so
/// that a long one is never held in memory at once).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedQuery {
    /// Received at or after this stored time.
    pub start: String,
    /// Received at or before this stored time.
    pub end: String,
    /// Only this site's.
    pub site: Option<String>,
    /// Only the responses to this survey (`survey.id`).
    pub survey: Option<String>,
    /// Only those after this one (its `received_at` and `id`), newest first: where the last chunk
    /// ended.
    pub after: Option<(String, String)>,
    /// At most this many.
    pub limit: u32,
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
