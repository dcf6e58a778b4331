//! Responses in the database, for both backends: saving versions (which, when they win, open or
//! re-triage their cases and queue their webhooks), many at once, and listing the newest.

use std::collections::BTreeMap;

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde_json::value::RawValue;

use super::cases::{self, Event, Triaged};
use super::sql::{Row, Sql};
use super::{outbox, Rank, ReceivedQuery, ResponseVersion, Saved, StoreError, StoredResponse};
use crate::outbox::Outgoing;
use crate::triage::{Priority, Triage};

/// The columns a new version writes beside its `id`, all replaced when it wins.
const VERSION_COLUMNS: [&str; 8] = [
    "site",
    "kind",
    "complete",
    "answer_count",
    "created_at",
    "received_at",
    "revision",
    "body",
];

/// A version to save, with its case's triage and the webhooks a new case calls for.
pub(super) struct Submitted {
    /// The version.
    pub(super) version: ResponseVersion,
    /// Its case's priority, reason and target.
    pub(super) triage: Triage,
    /// Deliveries to queue when the version is kept.
    pub(super) webhooks: Vec<Outgoing>,
}

/// What is stored for one id, as the saves of a batch move it on.
#[derive(Default)]
struct Stored<'a> {
    rank: Option<Rank>,
    priority: Option<Priority>,
    opened_at: Option<String>,
    /// The save of the batch that wins for this id, if any does, and its place in the batch.
    winner: Option<(usize, &'a Submitted)>,
}

/// Saves `batch` in order, as if one after the other: each version is kept unless the stored one
/// (or one saved before it in the batch) wins ([`Saved::decide`]); a kept version opens or
/// re-triages its case and queues its webhooks. The writes of the whole batch are one
/// statement per table.
///
/// The caller runs it in a transaction in which no other save of the same ids can come between
/// the read of the stored versions and their replacement.
pub(super) async fn save_all<D: Sql>(
    db: &D,
    batch: &[&Submitted],
) -> Result<Vec<Saved>, StoreError> {
    let mut stored = read_stored(db, batch).await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut events = Vec::new();
    let mut deliveries = Vec::new();
    for (place, save) in batch.iter().enumerate() {
        let id = save.version.id.as_str();
        let entry = stored.entry(id).or_default();
        let saved = Saved::decide(entry.rank, save.version.rank);
        if saved != Saved::Kept {
            let priority = save.triage.priority;
            if entry.priority != Some(priority) {
                events.push(Event {
                    id,
                    actor: "rules",
                    field: "priority",
                    old: entry.priority.map(Priority::as_str),
                    new: Some(priority.as_str()),
                });
            }
            entry.rank = Some(save.version.rank);
            entry.priority = Some(priority);
            entry.winner = Some((place, save));
            deliveries.extend(save.webhooks.iter().map(|delivery| (id, delivery)));
        }
        outcomes.push(saved);
    }
    // In the order they won, so that the last of them is the newest.
    let mut winners: Vec<(usize, &Submitted, Option<&str>)> = stored
        .values()
        .filter_map(|entry| {
            let (place, save) = entry.winner?;
            Some((place, save, entry.opened_at.as_deref()))
        })
        .collect();
    winners.sort_unstable_by_key(|(place, _, _)| *place);
    if winners.is_empty() {
        return Ok(outcomes);
    }
    write_versions(db, winners.iter().map(|(_, save, _)| &save.version)).await?;
    let cases: Vec<Triaged> = winners
        .iter()
        .map(|(_, save, opened_at)| Triaged {
            id: &save.version.id,
            visitor: save.version.visitor.as_deref(),
            key: save.version.case_key.as_ref(),
            triage: &save.triage,
            opened_at: *opened_at,
        })
        .collect();
    cases::open_or_retriage(db, &cases).await?;
    cases::record(db, &events).await?;
    outbox::queue(db, &deliveries).await?;
    Ok(outcomes)
}

/// What is stored for the ids of `batch`: the versions' ranks and their cases, in one query.
async fn read_stored<'a, D: Sql>(
    db: &D,
    batch: &[&'a Submitted],
) -> Result<BTreeMap<&'a str, Stored<'a>>, StoreError> {
    let mut stored: BTreeMap<&str, Stored> = batch
        .iter()
        .map(|save| (save.version.id.as_str(), Stored::default()))
        .collect();
    let rows = db
        .rows(
            Query::select()
                .columns([
                    ("responses", "id"),
                    ("responses", "complete"),
                    ("responses", "answer_count"),
                    ("cases", "priority"),
                    ("cases", "opened_at"),
                ])
                .from("responses")
                .left_join(
                    "cases",
                    Expr::col(("cases", "id")).equals(("responses", "id")),
                )
                .and_where(Expr::col(("responses", "id")).is_in(stored.keys().copied())),
        )
        .await?;
    for row in rows {
        if let Some(entry) = stored.get_mut(row.text(0)?.as_str()) {
            entry.rank = Some(Rank {
                complete: row.flag(1)?,
                answers: row.small(2)?,
            });
            entry.priority = row.optional_int(3)?.map(Priority::from_rank);
            entry.opened_at = row.optional_text(4)?;
        }
    }
    Ok(stored)
}

/// Writes `versions` (one per id) in one statement, each in place of the stored one.
async fn write_versions<'a, D: Sql>(
    db: &D,
    versions: impl Iterator<Item = &'a ResponseVersion>,
) -> Result<(), StoreError> {
    let mut insert = Query::insert();
    insert
        .into_table("responses")
        .columns(std::iter::once("id").chain(VERSION_COLUMNS))
        .on_conflict(
            OnConflict::column("id")
                .update_columns(VERSION_COLUMNS)
                .to_owned(),
        );
    // Each takes the next revision, which is what "newest first" sorts by: the clock may not
    // move between two saves, and a replaced response should move to the top.
    for (position, version) in versions.enumerate() {
        insert.values([
            Expr::val(version.id.as_str()),
            Expr::val(version.site.as_str()),
            Expr::val(version.kind.as_str()),
            Expr::val(version.rank.complete),
            Expr::val(i64::from(version.rank.answers)),
            Expr::val(version.created_at.as_str()),
            D::now(),
            D::next_revision(position),
            Expr::val(version.body.as_str()),
        ])?;
    }
    db.execute(&insert).await?;
    Ok(())
}

/// Saves one version as [`save_all`] does.
pub(super) async fn save<D: Sql>(db: &D, submitted: &Submitted) -> Result<Saved, StoreError> {
    let saved = save_all(db, &[submitted]).await?;
    // One outcome per save.
    Ok(saved.into_iter().next().unwrap_or(Saved::Kept))
}

/// The `limit` most recently saved responses, newest first.
pub(super) async fn list<D: Sql>(db: &D, limit: u32) -> Result<Vec<StoredResponse>, StoreError> {
    stored(
        db.rows(
            Query::select()
                .columns(["id", "received_at", "body"])
                .from("responses")
                .order_by("revision", Order::Desc)
                .limit(u64::from(limit)),
        )
        .await?,
    )
}

/// The responses `query` selects, newest first (by when they were received, then by id).
pub(super) async fn received<D: Sql>(
    db: &D,
    query: &ReceivedQuery,
) -> Result<Vec<StoredResponse>, StoreError> {
    let after = query.after.as_ref().map(|(received_at, id)| {
        Expr::col("received_at")
            .lt(received_at.as_str())
            .or(Expr::col("received_at")
                .eq(received_at.as_str())
                .and(Expr::col("id").lt(id.as_str())))
    });
    stored(
        db.rows(
            Query::select()
                .columns(["id", "received_at", "body"])
                .from("responses")
                .and_where(Expr::col("received_at").gte(query.start.as_str()))
                .and_where(Expr::col("received_at").lte(query.end.as_str()))
                .and_where_option(query.site.as_deref().map(|site| Expr::col("site").eq(site)))
                .and_where_option(
                    query
                        .survey
                        .as_deref()
                        .map(|survey| D::json_text("body", &["survey", "id"]).eq(survey)),
                )
                .and_where_option(after)
                .order_by("received_at", Order::Desc)
                .order_by("id", Order::Desc)
                .limit(u64::from(query.limit)),
        )
        .await?,
    )
}

/// Rows of `id`, `received_at` and `body` as responses.
fn stored(rows: Vec<Row>) -> Result<Vec<StoredResponse>, StoreError> {
    rows.into_iter()
        .map(|row| {
            let id = row.text(0)?;
            match RawValue::from_string(row.text(2)?) {
                Ok(response) => Ok(StoredResponse {
                    id,
                    received_at: row.text(1)?,
                    response,
                }),
                Err(source) => Err(StoreError::CorruptBody { id, source }),
            }
        })
        .collect()
}
