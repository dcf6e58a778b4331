//! Responses in the database, for both backends: saving a version (which, when it wins, opens
//! or re-triages its case and queues its webhooks) and listing the newest.

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde_json::value::RawValue;

use super::sql::Sql;
use super::{cases, outbox, Rank, ResponseVersion, Saved, StoreError, StoredResponse};
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

/// Keeps `version` unless the stored one wins ([`Saved::decide`]); a kept version opens or
/// re-triages its case and queues `webhooks`.
///
/// The caller runs it in a transaction in which no other save of the same id can come between
/// the read of the stored version and its replacement.
pub(super) async fn save<D: Sql>(
    db: &D,
    version: &ResponseVersion,
    triage: &Triage,
    webhooks: &[Outgoing],
) -> Result<Saved, StoreError> {
    // The stored version's rank and its case's priority, in one round trip.
    let stored = db
        .row(
            Query::select()
                .columns([
                    ("responses", "complete"),
                    ("responses", "answer_count"),
                    ("cases", "priority"),
                ])
                .from("responses")
                .left_join(
                    "cases",
                    Expr::col(("cases", "id")).equals(("responses", "id")),
                )
                .and_where(Expr::col(("responses", "id")).eq(version.id.as_str())),
        )
        .await?;
    let rank = stored
        .as_ref()
        .map(|row| {
            Ok::<_, StoreError>(Rank {
                complete: row.flag(0)?,
                answers: row.small(1)?,
            })
        })
        .transpose()?;
    let priority = match &stored {
        Some(row) => row.optional_int(2)?.map(Priority::from_rank),
        None => None,
    };
    let saved = Saved::decide(rank, version.rank);
    if saved != Saved::Kept {
        // Each save takes the next revision, which is what "newest first" sorts by: the clock
        // may not move between two saves, and a replaced response should move to the top.
        db.execute(
            Query::insert()
                .into_table("responses")
                .columns(std::iter::once("id").chain(VERSION_COLUMNS))
                .values([
                    Expr::val(version.id.as_str()),
                    Expr::val(version.site.as_str()),
                    Expr::val(version.kind.as_str()),
                    Expr::val(version.rank.complete),
                    Expr::val(i64::from(version.rank.answers)),
                    Expr::val(version.created_at.as_str()),
                    D::now(),
                    D::next_revision(),
                    Expr::val(version.body.as_str()),
                ])?
                .on_conflict(
                    OnConflict::column("id")
                        .update_columns(VERSION_COLUMNS)
                        .to_owned(),
                ),
        )
        .await?;
        cases::triage(db, version, triage, priority).await?;
        outbox::queue(db, &version.id, webhooks).await?;
    }
    Ok(saved)
}

/// The `limit` most recently saved responses, newest first.
pub(super) async fn list<D: Sql>(db: &D, limit: u32) -> Result<Vec<StoredResponse>, StoreError> {
    let rows = db
        .rows(
            Query::select()
                .columns(["id", "received_at", "body"])
                .from("responses")
                .order_by("revision", Order::Desc)
                .limit(u64::from(limit)),
        )
        .await?;
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
