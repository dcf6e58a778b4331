//! [`SqliteStore`]: the [`Store`] in one SQLite file, for a single collector process.
//!
//! One connection on its own thread runs every call, batching those that queue up into one
//! transaction ([`group_commit`]): SQLite serialises writers anyway, and sharing a commit (and
//! its fsync) is what lets one file take thousands of responses a second.

mod dialect;
mod group_commit;
mod migrations;

use std::path::Path;
use std::time::Duration;

use futures_executor::block_on;
use rusqlite::Connection;

use super::{cases, outbox, reminders, responses, surveys, views};
use super::{
    ReceivedQuery, ResponseVersion, Saved, Store, StoreError, StoreFuture, StoredResponse,
};
use crate::cases::{CaseChange, CaseDetail, CasePage, CaseQuery};
use crate::follow_up::Candidate;
use crate::outbox::{Delivery, DeliveryInfo, DeliveryStatus, OutboxCounts, Outcome, Outgoing};
use crate::reminders::Announce;
use crate::studio::{Published, Survey, SurveyStatus, SurveySummary, VersionInfo};
use crate::triage::Triage;
use crate::views::{ViewCounts, ViewQuery, ViewRow};
use dialect::Db;
use group_commit::Writer;
use responses::Submitted;

/// How long a statement waits for another process (say, the `sqlite3` shell) to release the
/// database before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A [`Store`] in a SQLite database file, or in memory for `:memory:`.
#[derive(Clone)]
pub struct SqliteStore {
    writer: Writer,
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
            writer: Writer::spawn(connection).map_err(StoreError::Thread)?,
        })
    }

    /// Runs `work` on the connection's thread, in the next round's transaction.
    fn run<T, F>(&self, work: F) -> StoreFuture<'static, T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.writer.submit(work)
    }
}

// On this thread the shared queries never wait, so `block_on` returns at once.
impl Store for SqliteStore {
    fn save(
        &self,
        version: ResponseVersion,
        triage: Triage,
        webhooks: Vec<Outgoing>,
    ) -> StoreFuture<'_, Saved> {
        let submitted = Submitted {
            version,
            triage,
            webhooks,
        };
        self.run(move |c| block_on(responses::save(&Db(c), &submitted)))
    }

    fn list(&self, limit: u32) -> StoreFuture<'_, Vec<StoredResponse>> {
        self.run(move |c| block_on(responses::list(&Db(c), limit)))
    }

    fn received(&self, query: ReceivedQuery) -> StoreFuture<'_, Vec<StoredResponse>> {
        self.run(move |c| block_on(responses::received(&Db(c), &query)))
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        self.run(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
    }

    fn earlier_cases(&self, site: String, visitor: String, id: String) -> StoreFuture<'_, u64> {
        self.run(move |c| block_on(cases::earlier(&Db(c), &site, &visitor, &id)))
    }

    fn cases(&self, query: CaseQuery) -> StoreFuture<'_, CasePage> {
        self.run(move |c| block_on(cases::list(&Db(c), &query)))
    }

    fn case(&self, id: String) -> StoreFuture<'_, Option<CaseDetail>> {
        self.run(move |c| block_on(cases::get(&Db(c), &id)))
    }

    fn update_case(
        &self,
        id: String,
        change: CaseChange,
        actor: &'static str,
        day: Duration,
    ) -> StoreFuture<'_, Option<CaseDetail>> {
        self.run(move |c| block_on(cases::update(&Db(c), &id, &change, actor, day)))
    }

    fn claim_reminders(&self, limit: u32, announce: Announce) -> StoreFuture<'_, u32> {
        self.run(move |c| block_on(reminders::claim(&Db(c), limit, &announce)))
    }

    fn with_reference(&self, reference: String) -> StoreFuture<'_, Vec<Candidate>> {
        self.run(move |c| block_on(cases::with_reference(&Db(c), &reference)))
    }

    fn claim_deliveries(&self, limit: u32, lease: Duration) -> StoreFuture<'_, Vec<Delivery>> {
        self.run(move |c| block_on(outbox::claim(&Db(c), limit, lease)))
    }

    fn finish_delivery(&self, id: String, outcome: Outcome) -> StoreFuture<'_, ()> {
        self.run(move |c| block_on(outbox::finish(&Db(c), &id, &outcome)))
    }

    fn release_deliveries(&self, ids: Vec<String>) -> StoreFuture<'_, ()> {
        self.run(move |c| block_on(outbox::release(&Db(c), &ids)))
    }

    fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        case_id: Option<String>,
        limit: u32,
    ) -> StoreFuture<'_, Vec<DeliveryInfo>> {
        self.run(move |c| block_on(outbox::list(&Db(c), status, case_id.as_deref(), limit)))
    }

    fn outbox_counts(&self) -> StoreFuture<'_, OutboxCounts> {
        self.run(|c| block_on(outbox::counts(&Db(c))))
    }

    fn surveys(&self, site: String) -> StoreFuture<'_, Vec<SurveySummary>> {
        self.run(move |c| block_on(surveys::list(&Db(c), &site)))
    }

    fn survey(&self, site: String, id: String) -> StoreFuture<'_, Option<Survey>> {
        self.run(move |c| block_on(surveys::get(&Db(c), &site, &id)))
    }

    fn put_survey(
        &self,
        site: String,
        id: String,
        status: SurveyStatus,
        definition: String,
    ) -> StoreFuture<'_, bool> {
        self.run(move |c| block_on(surveys::put(&Db(c), &site, &id, status, &definition)))
    }

    fn publish(&self, site: String) -> StoreFuture<'_, Published> {
        self.run(move |c| block_on(surveys::publish(&Db(c), &site)))
    }

    fn restore(&self, site: String, number: i64) -> StoreFuture<'_, Option<Published>> {
        self.run(move |c| block_on(surveys::restore(&Db(c), &site, number)))
    }

    fn published(&self, site: String) -> StoreFuture<'_, Option<Published>> {
        self.run(move |c| block_on(surveys::published(&Db(c), &site)))
    }

    fn versions(&self, site: String) -> StoreFuture<'_, Vec<VersionInfo>> {
        self.run(move |c| block_on(surveys::versions(&Db(c), &site)))
    }

    fn save_views(&self, rows: Vec<ViewRow>) -> StoreFuture<'_, ()> {
        self.run(move |c| block_on(views::save(&Db(c), &rows)))
    }

    fn view_counts(&self, query: ViewQuery) -> StoreFuture<'_, ViewCounts> {
        self.run(move |c| block_on(views::counts(&Db(c), &query)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Rank;
    use crate::triage::Priority;

    impl SqliteStore {
        /// Saves with a fixed triage, for tests about versions rather than cases.
        fn save_untriaged(&self, version: ResponseVersion) -> StoreFuture<'_, Saved> {
            self.save(version, triage(Priority::Normal), Vec::new())
        }
    }

    fn triage(priority: Priority) -> Triage {
        Triage {
            priority,
            reason: format!("priority {}: test", priority.as_str()),
            target: std::time::Duration::from_secs(60),
        }
    }

    fn version(id: &str, complete: bool, answers: u32, body: &str) -> ResponseVersion {
        ResponseVersion {
            id: id.to_owned(),
            site: "demo-shop".to_owned(),
            kind: "feedback".to_owned(),
            rank: Rank { complete, answers },
            created_at: "2026-11-23T09:40:00.000Z".to_owned(),
            visitor: None,
            case_key: None,
            body: body.to_owned(),
        }
    }

    #[tokio::test]
    async fn saving_keeps_the_highest_ranked_version() {
        let store = SqliteStore::open(Path::new(":memory:")).expect("open");
        let outcomes = [
            store
                .save_untriaged(version("a", false, 1, r#"{"v":1}"#))
                .await,
            store
                .save_untriaged(version("a", true, 1, r#"{"v":2}"#))
                .await,
            store
                .save_untriaged(version("a", false, 3, r#"{"v":3}"#))
                .await,
            store
                .save_untriaged(version("a", true, 1, r#"{"v":4}"#))
                .await,
        ];
        let outcomes: Vec<Saved> = outcomes.into_iter().map(|o| o.expect("save")).collect();
        assert_eq!(
            outcomes,
            [Saved::Created, Saved::Replaced, Saved::Kept, Saved::Kept]
        );
        let listed = store.list(10).await.expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].response.get(), r#"{"v":2}"#);
    }

    #[tokio::test]
    async fn lists_newest_first_up_to_the_limit() {
        let store = SqliteStore::open(Path::new(":memory:")).expect("open");
        for id in ["a", "b", "c"] {
            store
                .save_untriaged(version(id, false, 0, "{}"))
                .await
                .expect("save");
        }
        // Replacing "a" makes it the newest.
        store
            .save_untriaged(version("a", true, 0, "{}"))
            .await
            .expect("save");
        let ids: Vec<String> = store
            .list(2)
            .await
            .expect("list")
            .into_iter()
            .map(|response| response.id)
            .collect();
        assert_eq!(ids, ["a", "c"]);
    }

    #[tokio::test]
    async fn a_batch_is_saved_as_if_one_save_followed_the_other() {
        // PostgreSQL's rounds save many versions at once; the same code runs here.
        let store = SqliteStore::open(Path::new(":memory:")).expect("open");
        let submitted = |id, complete, answers, body, priority| Submitted {
            version: version(id, complete, answers, body),
            triage: triage(priority),
            webhooks: vec![Outgoing {
                hook: "demo-shop/team".to_owned(),
                event: crate::outbox::OPENED.to_owned(),
                payload: "{}".to_owned(),
            }],
        };
        let batch = [
            submitted("a", false, 1, r#"{"v":1}"#, Priority::Low),
            submitted("b", true, 1, r#"{"v":2}"#, Priority::Normal),
            submitted("a", true, 1, r#"{"v":3}"#, Priority::High),
            submitted("a", false, 3, r#"{"v":4}"#, Priority::Urgent),
        ];
        let saved = store
            .run(move |c| block_on(responses::save_all(&Db(c), &batch.each_ref())))
            .await
            .expect("save the batch");
        assert_eq!(
            saved,
            [Saved::Created, Saved::Created, Saved::Replaced, Saved::Kept]
        );
        let listed = store.list(10).await.expect("list");
        let bodies: Vec<&str> = listed.iter().map(|r| r.response.get()).collect();
        assert_eq!(bodies, [r#"{"v":3}"#, r#"{"v":2}"#]);
        let case = store.case("a".to_owned()).await.expect("case").expect("a");
        assert_eq!(case.case.priority, Priority::High);
        let changes: Vec<(Option<String>, Option<String>)> = case
            .history
            .into_iter()
            .map(|event| (event.old, event.new))
            .collect();
        assert_eq!(
            changes,
            [
                (None, Some("low".to_owned())),
                (Some("low".to_owned()), Some("high".to_owned()))
            ]
        );
        // One delivery per hook and case, however many versions won.
        assert_eq!(case.deliveries.len(), 1);
    }
}
