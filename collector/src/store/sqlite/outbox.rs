//! The webhook outbox in SQLite: queued with the response, claimed with a lease, finished with
//! its outcome.

use std::time::Duration;

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection, Row};

use super::NOW;
use crate::outbox::{Delivery, DeliveryInfo, DeliveryStatus, OutboxCounts, Outcome, Outgoing};
use crate::random::random_hex;
use crate::store::StoreError;

/// Queues `outgoing` for case `id`, skipping hooks that already have a delivery for it.
pub(super) fn queue(
    connection: &Connection,
    id: &str,
    outgoing: &[Outgoing],
) -> Result<(), StoreError> {
    for delivery in outgoing {
        let delivery_id = format!("msg_{}", random_hex::<16>().map_err(StoreError::Random)?);
        connection.execute(
            &format!(
                "INSERT INTO webhook_deliveries (id, hook, case_id, payload, next_attempt_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, {NOW}, {NOW})
                 ON CONFLICT (hook, case_id) DO NOTHING"
            ),
            (&delivery_id, &delivery.hook, id, &delivery.payload),
        )?;
    }
    Ok(())
}

fn seconds(duration: Duration) -> String {
    format!("+{} seconds", duration.as_secs())
}

/// Claims up to `limit` due deliveries for `lease`: until then no other worker takes them.
pub(super) fn claim(
    connection: &Connection,
    limit: u32,
    lease: Duration,
) -> Result<Vec<Delivery>, StoreError> {
    let mut statement = connection.prepare(&format!(
        "UPDATE webhook_deliveries
             SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?2)
             WHERE id IN (SELECT id FROM webhook_deliveries
                          WHERE status = 'pending' AND next_attempt_at <= {NOW}
                          ORDER BY next_attempt_at LIMIT ?1)
             RETURNING id, hook, payload, attempts"
    ))?;
    let rows = statement
        .query_map((limit, seconds(lease)), |row| {
            Ok(Delivery {
                id: row.get(0)?,
                hook: row.get(1)?,
                payload: row.get(2)?,
                attempts: row.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Records how an attempt ended.
pub(super) fn finish(
    connection: &Connection,
    id: &str,
    outcome: &Outcome,
) -> Result<(), StoreError> {
    let (status, wait, error) = match outcome {
        Outcome::Delivered => ("delivered", Duration::ZERO, None),
        Outcome::Retry { after, error } => ("pending", *after, Some(error.as_str())),
        Outcome::Failed { error } => ("failed", Duration::ZERO, Some(error.as_str())),
    };
    connection.execute(
        &format!(
            "UPDATE webhook_deliveries
             SET status = ?2, attempts = attempts + 1, last_error = ?3,
                 next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?4),
                 finished_at = CASE WHEN ?2 = 'pending' THEN NULL ELSE {NOW} END
             WHERE id = ?1"
        ),
        (id, status, error, seconds(wait)),
    )?;
    Ok(())
}

fn info(row: &Row<'_>) -> rusqlite::Result<DeliveryInfo> {
    let status: String = row.get(3)?;
    Ok(DeliveryInfo {
        id: row.get(0)?,
        hook: row.get(1)?,
        case_id: row.get(2)?,
        // The CHECK constraint admits only known statuses.
        status: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Pending),
        attempts: row.get(4)?,
        last_error: row.get(5)?,
        created_at: row.get(6)?,
        next_attempt_at: row.get(7)?,
    })
}

/// Deliveries, newest first, optionally of one status and one case.
pub(super) fn list(
    connection: &Connection,
    status: Option<DeliveryStatus>,
    case_id: Option<&str>,
    limit: u32,
) -> Result<Vec<DeliveryInfo>, StoreError> {
    let mut clauses = vec!["1 = 1"];
    let mut params = Vec::new();
    if let Some(status) = status {
        clauses.push("status = ?");
        params.push(Sql::Text(status.as_str().to_owned()));
    }
    if let Some(case_id) = case_id {
        clauses.push("case_id = ?");
        params.push(Sql::Text(case_id.to_owned()));
    }
    params.push(Sql::Integer(i64::from(limit)));
    let mut statement = connection.prepare(&format!(
        "SELECT id, hook, case_id, status, attempts, last_error, created_at, next_attempt_at
         FROM webhook_deliveries WHERE {} ORDER BY created_at DESC, id LIMIT ?",
        clauses.join(" AND ")
    ))?;
    let found = statement
        .query_map(params_from_iter(&params), info)?
        .collect::<Result<_, _>>()?;
    Ok(found)
}

/// Pending and failed deliveries.
pub(super) fn counts(connection: &Connection) -> Result<OutboxCounts, StoreError> {
    Ok(connection.query_row(
        "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'failed')
         FROM webhook_deliveries",
        [],
        |row| {
            Ok(OutboxCounts {
                pending: row.get::<_, i64>(0)?.unsigned_abs(),
                failed: row.get::<_, i64>(1)?.unsigned_abs(),
            })
        },
    )?)
}
