//! [`PostgresStore`]: the [`Store`] in PostgreSQL, so that several collectors behind a load
//! balancer can share one database.
//!
//! Calls take a connection from a pool (deadpool) of the configured size, opened on first use
//! and again when one drops. Saves go through [`group_commit`]: those that arrive together share
//! one transaction and one commit. Saves of one response id are serialised across collectors by
//! transaction-scoped advisory locks, and webhook deliveries are claimed with
//! `FOR UPDATE SKIP LOCKED`, so two workers never send the same one at once.

mod dialect;
mod group_commit;
mod migrations;

use std::sync::OnceLock;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio::sync::OnceCell;
use tokio_postgres::{Config, NoTls};

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
use group_commit::Saves;
use responses::Submitted;

/// A [`Store`] in a PostgreSQL database.
pub struct PostgresStore {
    pool: Pool,
    migrated: OnceCell<()>,
    saves: OnceLock<Saves>,
}

impl PostgresStore {
    /// A store for the database at `url` (`postgres://user:password@host:port/database`) with
    /// at most `connections` connections. It connects and migrates on first use; call
    /// [`Store::ping`] to do that now.
    pub fn open(url: &str, connections: usize) -> Result<Self, StoreError> {
        let config: Config = url.parse()?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(connections.max(1))
            .build()
            .map_err(|error| StoreError::Pool(error.to_string()))?;
        Ok(Self {
            pool,
            migrated: OnceCell::new(),
            saves: OnceLock::new(),
        })
    }

    /// Migrates the schema on first use.
    async fn migrated(&self) -> Result<(), StoreError> {
        self.migrated
            .get_or_try_init(|| async {
                let mut client = self.pool.get().await?;
                migrations::apply(&mut client).await
            })
            .await?;
        Ok(())
    }

    /// A connection for one call, once the schema is migrated.
    async fn client(&self) -> Result<Object, StoreError> {
        self.migrated().await?;
        Ok(self.pool.get().await?)
    }
}

/// Runs `$body` with `$db` bound to a [`Db`] on a pooled connection.
macro_rules! with_db {
    ($store:expr, |$db:ident| $body:expr) => {
        Box::pin(async move {
            let client = $store.client().await?;
            let $db = &Db(&client);
            $body
        })
    };
}

impl Store for PostgresStore {
    fn save(
        &self,
        version: ResponseVersion,
        triage: Triage,
        webhooks: Vec<Outgoing>,
    ) -> StoreFuture<'_, Saved> {
        Box::pin(async move {
            // Migrated before the first round starts; the round takes its own connection.
            self.migrated().await?;
            let saves = self.saves.get_or_init(|| Saves::start(self.pool.clone()));
            saves
                .save(Submitted {
                    version,
                    triage,
                    webhooks,
                })
                .await
        })
    }

    fn list(&self, limit: u32) -> StoreFuture<'_, Vec<StoredResponse>> {
        with_db!(self, |db| responses::list(db, limit).await)
    }

    fn received(&self, query: ReceivedQuery) -> StoreFuture<'_, Vec<StoredResponse>> {
        with_db!(self, |db| responses::received(db, &query).await)
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.client().await?.execute("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    fn earlier_cases(&self, site: String, visitor: String, id: String) -> StoreFuture<'_, u64> {
        with_db!(self, |db| cases::earlier(db, &site, &visitor, &id).await)
    }

    fn cases(&self, query: CaseQuery) -> StoreFuture<'_, CasePage> {
        with_db!(self, |db| cases::list(db, &query).await)
    }

    fn case(&self, id: String) -> StoreFuture<'_, Option<CaseDetail>> {
        with_db!(self, |db| cases::get(db, &id).await)
    }

    fn update_case(
        &self,
        id: String,
        change: CaseChange,
        actor: &'static str,
        day: Duration,
    ) -> StoreFuture<'_, Option<CaseDetail>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            let detail = cases::update(&Db(&transaction), &id, &change, actor, day).await?;
            transaction.commit().await?;
            Ok(detail)
        })
    }

    fn claim_reminders(&self, limit: u32, announce: Announce) -> StoreFuture<'_, u32> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            let claimed = reminders::claim(&Db(&transaction), limit, &announce).await?;
            transaction.commit().await?;
            Ok(claimed)
        })
    }

    fn with_reference(&self, reference: String) -> StoreFuture<'_, Vec<Candidate>> {
        with_db!(self, |db| cases::with_reference(db, &reference).await)
    }

    fn claim_deliveries(&self, limit: u32, lease: Duration) -> StoreFuture<'_, Vec<Delivery>> {
        with_db!(self, |db| outbox::claim(db, limit, lease).await)
    }

    fn finish_delivery(&self, id: String, outcome: Outcome) -> StoreFuture<'_, ()> {
        with_db!(self, |db| outbox::finish(db, &id, &outcome).await)
    }

    fn release_deliveries(&self, ids: Vec<String>) -> StoreFuture<'_, ()> {
        with_db!(self, |db| outbox::release(db, &ids).await)
    }

    fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        case_id: Option<String>,
        limit: u32,
    ) -> StoreFuture<'_, Vec<DeliveryInfo>> {
        with_db!(self, |db| outbox::list(
            db,
            status,
            case_id.as_deref(),
            limit
        )
        .await)
    }

    fn outbox_counts(&self) -> StoreFuture<'_, OutboxCounts> {
        with_db!(self, |db| outbox::counts(db).await)
    }

    fn surveys(&self, site: String) -> StoreFuture<'_, Vec<SurveySummary>> {
        with_db!(self, |db| surveys::list(db, &site).await)
    }

    fn survey(&self, site: String, id: String) -> StoreFuture<'_, Option<Survey>> {
        with_db!(self, |db| surveys::get(db, &site, &id).await)
    }

    fn put_survey(
        &self,
        site: String,
        id: String,
        status: SurveyStatus,
        definition: String,
    ) -> StoreFuture<'_, bool> {
        with_db!(self, |db| surveys::put(db, &site, &id, status, &definition)
            .await)
    }

    fn publish(&self, site: String) -> StoreFuture<'_, Published> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            lock_site(&transaction, &site).await?;
            let published = surveys::publish(&Db(&transaction), &site).await?;
            transaction.commit().await?;
            Ok(published)
        })
    }

    fn restore(&self, site: String, number: i64) -> StoreFuture<'_, Option<Published>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            lock_site(&transaction, &site).await?;
            let published = surveys::restore(&Db(&transaction), &site, number).await?;
            transaction.commit().await?;
            Ok(published)
        })
    }

    fn published(&self, site: String) -> StoreFuture<'_, Option<Published>> {
        with_db!(self, |db| surveys::published(db, &site).await)
    }

    fn versions(&self, site: String) -> StoreFuture<'_, Vec<VersionInfo>> {
        with_db!(self, |db| surveys::versions(db, &site).await)
    }

    fn save_views(&self, rows: Vec<ViewRow>) -> StoreFuture<'_, ()> {
        with_db!(self, |db| views::save(db, &rows).await)
    }

    fn view_counts(&self, query: ViewQuery) -> StoreFuture<'_, ViewCounts> {
        with_db!(self, |db| views::counts(db, &query).await)
    }
}

/// Serialises the publishes of one site across collectors until the transaction ends, so that
/// two of them never take the same version number.
async fn lock_site(
    transaction: &tokio_postgres::Transaction<'_>,
    site: &str,
) -> Result<(), StoreError> {
    transaction
        .execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&site])
        .await?;
    Ok(())
}
