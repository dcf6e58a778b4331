//! [`PostgresStore`]: the [`Store`] in PostgreSQL, so that several collectors behind a load
//! balancer can share one database.
//!
//! A few connections are opened on first use (and again if one drops); each call takes one for
//! itself. Saves of one response id are serialised across collectors by a transaction-scoped
//! advisory lock on the id, and webhook deliveries are claimed with `FOR UPDATE SKIP LOCKED`,
//! so two workers never send the same one at once.

mod cases;
mod migrations;
mod outbox;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::value::RawValue;
use tokio::sync::{Mutex, MutexGuard, OnceCell};
use tokio_postgres::{Client, Config, NoTls};

use super::{Rank, ResponseVersion, Saved, Store, StoreError, StoreFuture, StoredResponse};
use crate::cases::{CaseChange, CaseDetail, CasePage, CaseQuery};
use crate::outbox::{Delivery, DeliveryInfo, DeliveryStatus, OutboxCounts, Outcome, Outgoing};
use crate::triage::Triage;

/// Connections per collector: enough to keep PostgreSQL busy from a 2-core machine.
const CONNECTIONS: usize = 8;

/// A [`Store`] in a PostgreSQL database.
pub struct PostgresStore {
    config: Config,
    clients: Vec<Mutex<Option<Client>>>,
    next: AtomicUsize,
    migrated: OnceCell<()>,
}

/// Counts and sizes are `bigint` in the schema; they always fit.
fn small(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl PostgresStore {
    /// A store for the database at `url` (`postgres://user:password@host:port/database`). It
    /// connects and migrates on first use; call [`Store::ping`] to do that now.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let config: Config = url.parse()?;
        Ok(Self {
            config,
            clients: (0..CONNECTIONS).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
            migrated: OnceCell::new(),
        })
    }

    async fn connect(&self) -> Result<Client, StoreError> {
        let (client, connection) = self.config.connect(NoTls).await?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::error!(%error, "PostgreSQL connection lost");
            }
        });
        Ok(client)
    }

    /// A connection for one call, opened (and the schema migrated) when needed.
    async fn client(&self) -> Result<MutexGuard<'_, Option<Client>>, StoreError> {
        self.migrated
            .get_or_try_init(|| async {
                let mut client = self.connect().await?;
                migrations::apply(&mut client).await
            })
            .await?;
        let slot = self.next.fetch_add(1, Ordering::Relaxed) % self.clients.len();
        let mut guard = self.clients[slot].lock().await;
        if guard.as_ref().is_none_or(Client::is_closed) {
            *guard = Some(self.connect().await?);
        }
        Ok(guard)
    }
}

/// Runs `$body` with `$client` bound to a connected `&mut Client`.
macro_rules! with_client {
    ($store:expr, |$client:ident| $body:expr) => {
        Box::pin(async move {
            let mut guard = $store.client().await?;
            let $client = guard.as_mut().ok_or(StoreError::Closed)?;
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
        with_client!(self, |client| save(client, &version, &triage, &webhooks)
            .await)
    }

    fn list(&self, limit: u32) -> StoreFuture<'_, Vec<StoredResponse>> {
        with_client!(self, |client| {
            let rows = client
                .query(
                    "SELECT id, received_at, body FROM responses ORDER BY revision DESC LIMIT $1",
                    &[&i64::from(limit)],
                )
                .await?;
            rows.into_iter()
                .map(|row| {
                    let id: String = row.get(0);
                    match RawValue::from_string(row.get(2)) {
                        Ok(response) => Ok(StoredResponse {
                            id,
                            received_at: row.get(1),
                            response,
                        }),
                        Err(source) => Err(StoreError::CorruptBody { id, source }),
                    }
                })
                .collect()
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        with_client!(self, |client| {
            client.execute("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    fn earlier_cases(&self, site: String, visitor: String, id: String) -> StoreFuture<'_, u64> {
        with_client!(self, |client| cases::earlier(client, &site, &visitor, &id)
            .await)
    }

    fn cases(&self, query: CaseQuery) -> StoreFuture<'_, CasePage> {
        with_client!(self, |client| cases::list(client, &query).await)
    }

    fn case(&self, id: String) -> StoreFuture<'_, Option<CaseDetail>> {
        with_client!(self, |client| cases::get(client, &id).await)
    }

    fn update_case(
        &self,
        id: String,
        change: CaseChange,
        actor: &'static str,
    ) -> StoreFuture<'_, Option<CaseDetail>> {
        with_client!(self, |client| cases::update(client, &id, &change, actor)
            .await)
    }

    fn claim_deliveries(&self, limit: u32, lease: Duration) -> StoreFuture<'_, Vec<Delivery>> {
        with_client!(self, |client| outbox::claim(client, limit, lease).await)
    }

    fn finish_delivery(&self, id: String, outcome: Outcome) -> StoreFuture<'_, ()> {
        with_client!(self, |client| outbox::finish(client, &id, &outcome).await)
    }

    fn deliveries(
        &self,
        status: Option<DeliveryStatus>,
        case_id: Option<String>,
        limit: u32,
    ) -> StoreFuture<'_, Vec<DeliveryInfo>> {
        with_client!(self, |client| {
            outbox::list(client, status, case_id.as_deref(), limit).await
        })
    }

    fn outbox_counts(&self) -> StoreFuture<'_, OutboxCounts> {
        with_client!(self, |client| outbox::counts(client).await)
    }
}

async fn save(
    client: &mut Client,
    version: &ResponseVersion,
    triage: &Triage,
    webhooks: &[Outgoing],
) -> Result<Saved, StoreError> {
    let transaction = client.transaction().await?;
    // Two collectors saving versions of one id take turns; other ids are not held up.
    transaction
        .execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&version.id],
        )
        .await?;
    let stored = transaction
        .query_opt(
            "SELECT complete, answer_count FROM responses WHERE id = $1",
            &[&version.id],
        )
        .await?
        .map(|row| Rank {
            complete: row.get(0),
            answers: small(row.get(1)),
        });
    let saved = Saved::decide(stored, version.rank);
    if saved != Saved::Kept {
        transaction
            .execute(
                "INSERT INTO responses
                     (id, site, kind, complete, answer_count, created_at, received_at, revision, body)
                 VALUES ($1, $2, $3, $4, $5, $6, rebound_now(), nextval('responses_revision'), $7)
                 ON CONFLICT (id) DO UPDATE SET
                     site = excluded.site,
                     kind = excluded.kind,
                     complete = excluded.complete,
                     answer_count = excluded.answer_count,
                     created_at = excluded.created_at,
                     received_at = excluded.received_at,
                     revision = excluded.revision,
                     body = excluded.body",
                &[
                    &version.id,
                    &version.site,
                    &version.kind,
                    &version.rank.complete,
                    &i64::from(version.rank.answers),
                    &version.created_at,
                    &version.body,
                ],
            )
            .await?;
        cases::triage(&transaction, version, triage).await?;
        outbox::queue(&transaction, &version.id, webhooks).await?;
    }
    transaction.commit().await?;
    Ok(saved)
}
