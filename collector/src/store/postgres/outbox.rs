//! The webhook outbox in PostgreSQL: claims use `FOR UPDATE SKIP LOCKED`, so collectors sharing
//! the database each take different deliveries.

use std::time::Duration;

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, Row, Transaction};

use super::small;
use crate::outbox::{Delivery, DeliveryInfo, DeliveryStatus, OutboxCounts, Outcome, Outgoing};
use crate::random::random_hex;
use crate::store::StoreError;

fn seconds(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// Queues `outgoing` for case `id`, once per hook.
pub(super) async fn queue(
    transaction: &Transaction<'_>,
    id: &str,
    outgoing: &[Outgoing],
) -> Result<(), StoreError> {
    for delivery in outgoing {
        let delivery_id = format!("msg_{}", random_hex::<16>().map_err(StoreError::Random)?);
        transaction
            .execute(
                "INSERT INTO webhook_deliveries (id, hook, case_id, payload, next_attempt_at, created_at)
                 VALUES ($1, $2, $3, $4, rebound_now(), rebound_now())
                 ON CONFLICT (hook, case_id) DO NOTHING",
                &[&delivery_id, &delivery.hook, &id, &delivery.payload],
            )
            .await?;
    }
    Ok(())
}

/// Claims up to `limit` due deliveries for `lease`.
pub(super) async fn claim(
    client: &Client,
    limit: u32,
    lease: Duration,
) -> Result<Vec<Delivery>, StoreError> {
    let rows = client
        .query(
            "UPDATE webhook_deliveries
             SET next_attempt_at = rebound_after(rebound_now(), $2)
             WHERE id IN (SELECT id FROM webhook_deliveries
                          WHERE status = 'pending' AND next_attempt_at <= rebound_now()
                          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING id, hook, payload, attempts",
            &[&i64::from(limit), &seconds(lease)],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| Delivery {
            id: row.get(0),
            hook: row.get(1),
            payload: row.get(2),
            attempts: small(row.get(3)),
        })
        .collect())
}

/// Records how an attempt ended.
pub(super) async fn finish(client: &Client, id: &str, outcome: &Outcome) -> Result<(), StoreError> {
    let (status, wait, error) = match outcome {
        Outcome::Delivered => ("delivered", Duration::ZERO, None),
        Outcome::Retry { after, error } => ("pending", *after, Some(error.as_str())),
        Outcome::Failed { error } => ("failed", Duration::ZERO, Some(error.as_str())),
    };
    client
        .execute(
            "UPDATE webhook_deliveries
             SET status = $2, attempts = attempts + 1, last_error = $3,
                 next_attempt_at = rebound_after(rebound_now(), $4),
                 finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE rebound_now() END
             WHERE id = $1",
            &[&id, &status, &error, &seconds(wait)],
        )
        .await?;
    Ok(())
}

fn info(row: &Row) -> DeliveryInfo {
    let status: String = row.get(3);
    DeliveryInfo {
        id: row.get(0),
        hook: row.get(1),
        case_id: row.get(2),
        // The CHECK constraint admits only known statuses.
        status: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Pending),
        attempts: small(row.get(4)),
        last_error: row.get(5),
        created_at: row.get(6),
        next_attempt_at: row.get(7),
    }
}

/// Deliveries, newest first, optionally of one status and one case.
pub(super) async fn list(
    client: &impl GenericClient,
    status: Option<DeliveryStatus>,
    case_id: Option<&str>,
    limit: u32,
) -> Result<Vec<DeliveryInfo>, StoreError> {
    let status = status.map(DeliveryStatus::as_str);
    let limit = i64::from(limit);
    let params: [&(dyn ToSql + Sync); 3] = [&status, &case_id, &limit];
    let rows = client
        .query(
            "SELECT id, hook, case_id, status, attempts, last_error, created_at, next_attempt_at
             FROM webhook_deliveries
             WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR case_id = $2)
             ORDER BY created_at DESC, id LIMIT $3",
            &params,
        )
        .await?;
    Ok(rows.iter().map(info).collect())
}

/// Pending and failed deliveries.
pub(super) async fn counts(client: &Client) -> Result<OutboxCounts, StoreError> {
    let row = client
        .query_one(
            "SELECT COUNT(*) FILTER (WHERE status = 'pending'),
                    COUNT(*) FILTER (WHERE status = 'failed')
             FROM webhook_deliveries",
            &[],
        )
        .await?;
    Ok(OutboxCounts {
        pending: row.get::<_, i64>(0).unsigned_abs(),
        failed: row.get::<_, i64>(1).unsigned_abs(),
    })
}
