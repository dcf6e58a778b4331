//! Reminders in the database, for both backends: the due ones claimed at most once, with one
//! atomic `UPDATE … WHERE` not yet claimed (on PostgreSQL over rows locked `SKIP LOCKED`, so
//! collectors sharing the database each take different ones), and their webhook deliveries
//! queued in the same transaction.

use sea_query::{Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use serde_json::Value;

use super::cases::cases_with_responses;
use super::outbox;
use super::sql::Sql;
use super::StoreError;
use crate::outbox::Outgoing;
use crate::reminders::{Announce, DueReminder};
use crate::triage::Priority;

/// Claims up to `limit` due reminders that no one has claimed, and queues the deliveries
/// `announce` makes of each. Returns how many were claimed. The caller runs it in one
/// transaction.
pub(super) async fn claim<D: Sql>(
    db: &D,
    limit: u32,
    announce: &Announce,
) -> Result<u32, StoreError> {
    let unclaimed = || {
        Expr::col("remind_at")
            .lte(D::now())
            .and(Expr::col("reminded_at").is_null())
    };
    let due = Query::select()
        .column("id")
        .from("cases")
        .and_where(unclaimed())
        .order_by("remind_at", Order::Asc)
        .limit(u64::from(limit))
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let claimed = db
        .rows(
            Query::update()
                .table("cases")
                .value("reminded_at", D::now())
                .and_where(Expr::col("id").in_subquery(due))
                // Checked again on the row itself: a reminder is claimed once.
                .and_where(unclaimed())
                .returning(Query::returning().columns(["id", "remind_at"])),
        )
        .await?;
    if claimed.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = claimed
        .iter()
        .map(|row| row.text(0))
        .collect::<Result<_, _>>()?;
    let rows = db
        .rows(
            cases_with_responses()
                .columns([
                    ("cases", "id"),
                    ("responses", "site"),
                    ("cases", "priority"),
                    ("cases", "priority_reason"),
                    ("cases", "remind_at"),
                    ("responses", "body"),
                ])
                .and_where(Expr::col(("cases", "id")).is_in(ids.iter().map(String::as_str))),
        )
        .await?;
    let mut deliveries = Vec::new();
    for row in &rows {
        let id = row.text(0)?;
        let response: Value =
            serde_json::from_str(&row.text(5)?).map_err(|source| StoreError::CorruptBody {
                id: id.clone(),
                source,
            })?;
        let reminder = DueReminder {
            site: row.text(1)?,
            priority: Priority::from_rank(row.int(2)?),
            priority_reason: row.text(3)?,
            remind_at: row.text(4)?,
            response,
            id,
        };
        deliveries.extend(
            announce(&reminder)
                .into_iter()
                .map(|d| (reminder.id.clone(), d)),
        );
    }
    let queued: Vec<(&str, &Outgoing)> = deliveries
        .iter()
        .map(|(id, delivery)| (id.as_str(), delivery))
        .collect();
    outbox::queue(db, &queued).await?;
    Ok(u32::try_from(ids.len()).unwrap_or(u32::MAX))
}
