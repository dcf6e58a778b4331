//! The webhook outbox in the database, for both backends: deliveries queued with the response,
//! claimed with a lease (on PostgreSQL `FOR UPDATE SKIP LOCKED`, so collectors sharing the
//! database each take different ones), and finished with their outcome.

use std::time::Duration;

use sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query};

use super::sql::{Row, Sql};
use super::StoreError;
use crate::outbox::{Delivery, DeliveryInfo, DeliveryStatus, OutboxCounts, Outcome, Outgoing};
use crate::random::random_hex;

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// Queues each `(case id, delivery)` of `outgoing`, in one statement, skipping hooks that
/// already have a delivery of the same event for the case.
pub(super) async fn queue<D: Sql>(
    db: &D,
    outgoing: &[(&str, &Outgoing)],
) -> Result<(), StoreError> {
    if outgoing.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table("webhook_deliveries")
        .columns([
            "id",
            "hook",
            "case_id",
            "event",
            "payload",
            "next_attempt_at",
            "created_at",
        ])
        .on_conflict(
            OnConflict::columns(["hook", "case_id", "event"])
                .do_nothing()
                .to_owned(),
        );
    for (id, delivery) in outgoing {
        let delivery_id = format!("msg_{}", random_hex::<16>().map_err(StoreError::Random)?);
        insert.values([
            Expr::val(delivery_id),
            Expr::val(delivery.hook.as_str()),
            Expr::val(*id),
            Expr::val(delivery.event.as_str()),
            Expr::val(delivery.payload.as_str()),
            D::now(),
            D::now(),
        ])?;
    }
    db.execute(&insert).await?;
    Ok(())
}

/// Claims up to `limit` due deliveries for `lease`: until then no other worker takes them.
pub(super) async fn claim<D: Sql>(
    db: &D,
    limit: u32,
    lease: Duration,
) -> Result<Vec<Delivery>, StoreError> {
    let due = Query::select()
        .column("id")
        .from("webhook_deliveries")
        .and_where(Expr::col("status").eq(DeliveryStatus::Pending.as_str()))
        .and_where(Expr::col("next_attempt_at").lte(D::now()))
        .order_by("next_attempt_at", Order::Asc)
        .limit(u64::from(limit))
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    db.rows(
        Query::update()
            .table("webhook_deliveries")
            .value("next_attempt_at", D::after(D::now(), seconds(lease)))
            .and_where(Expr::col("id").in_subquery(due))
            .returning(Query::returning().columns(["id", "hook", "payload", "attempts"])),
    )
    .await?
    .iter()
    .map(|row| {
        Ok(Delivery {
            id: row.text(0)?,
            hook: row.text(1)?,
            payload: row.text(2)?,
            attempts: row.small(3)?,
        })
    })
    .collect()
}

/// Records how an attempt ended.
pub(super) async fn finish<D: Sql>(db: &D, id: &str, outcome: &Outcome) -> Result<(), StoreError> {
    let (status, wait, error) = match outcome {
        Outcome::Delivered => (DeliveryStatus::Delivered, Duration::ZERO, None),
        Outcome::Retry { after, error } => (DeliveryStatus::Pending, *after, Some(error.as_str())),
        Outcome::Failed { error } => (DeliveryStatus::Failed, Duration::ZERO, Some(error.as_str())),
    };
    let finished = match status {
        DeliveryStatus::Pending => Expr::val(None::<String>),
        DeliveryStatus::Delivered | DeliveryStatus::Failed => D::now(),
    };
    db.execute(
        Query::update()
            .table("webhook_deliveries")
            .value("status", status.as_str())
            .value("attempts", Expr::col("attempts").add(1_i64))
            .value("last_error", error)
            .value("next_attempt_at", D::after(D::now(), seconds(wait)))
            .value("finished_at", finished)
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

/// Makes the claimed deliveries `ids` that were not attempted due again now.
pub(super) async fn release<D: Sql>(db: &D, ids: &[String]) -> Result<(), StoreError> {
    db.execute(
        Query::update()
            .table("webhook_deliveries")
            .value("next_attempt_at", D::now())
            .and_where(Expr::col("status").eq(DeliveryStatus::Pending.as_str()))
            .and_where(Expr::col("id").is_in(ids.iter().map(String::as_str))),
    )
    .await?;
    Ok(())
}

fn info(row: &Row) -> Result<DeliveryInfo, StoreError> {
    Ok(DeliveryInfo {
        id: row.text(0)?,
        hook: row.text(1)?,
        case_id: row.text(2)?,
        // The CHECK constraint admits only known statuses.
        status: DeliveryStatus::parse(&row.text(3)?).unwrap_or(DeliveryStatus::Pending),
        attempts: row.small(4)?,
        last_error: row.optional_text(5)?,
        created_at: row.text(6)?,
        next_attempt_at: row.text(7)?,
        event: row.text(8)?,
    })
}

/// Deliveries, newest first, optionally of one status and one case.
pub(super) async fn list<D: Sql>(
    db: &D,
    status: Option<DeliveryStatus>,
    case_id: Option<&str>,
    limit: u32,
) -> Result<Vec<DeliveryInfo>, StoreError> {
    db.rows(
        Query::select()
            .columns([
                "id",
                "hook",
                "case_id",
                "status",
                "attempts",
                "last_error",
                "created_at",
                "next_attempt_at",
                "event",
            ])
            .from("webhook_deliveries")
            .and_where_option(status.map(|status| Expr::col("status").eq(status.as_str())))
            .and_where_option(case_id.map(|case_id| Expr::col("case_id").eq(case_id)))
            .order_by("created_at", Order::Desc)
            .order_by("id", Order::Asc)
            .limit(u64::from(limit)),
    )
    .await?
    .iter()
    .map(info)
    .collect()
}

/// Pending and failed deliveries.
pub(super) async fn counts<D: Sql>(db: &D) -> Result<OutboxCounts, StoreError> {
    let mut counts = OutboxCounts::default();
    let rows = db
        .rows(
            Query::select()
                .column("status")
                .expr(Expr::col("id").count())
                .from("webhook_deliveries")
                .group_by_col("status"),
        )
        .await?;
    for row in rows {
        let count = row.int(1)?.unsigned_abs();
        match DeliveryStatus::parse(&row.text(0)?) {
            Some(DeliveryStatus::Pending) => counts.pending = count,
            Some(DeliveryStatus::Failed) => counts.failed = count,
            Some(DeliveryStatus::Delivered) | None => {}
        }
    }
    Ok(counts)
}
