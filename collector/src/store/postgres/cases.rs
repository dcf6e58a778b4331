//! The recovery inbox in PostgreSQL: the same cases, queries and audit trail as the SQLite
//! store, in PostgreSQL's dialect.

use serde_json::value::RawValue;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, Row, Transaction};

use super::outbox;
use crate::cases::{Case, CaseChange, CaseDetail, CaseEvent, CasePage, CaseQuery, Status};
use crate::store::{ResponseVersion, StoreError};
use crate::triage::{Priority, Triage};

/// Opens or re-triages a case, as `store::sqlite::cases::triage` does.
pub(super) async fn triage(
    transaction: &Transaction<'_>,
    version: &ResponseVersion,
    triage: &Triage,
) -> Result<(), StoreError> {
    let before = transaction
        .query_opt("SELECT priority FROM cases WHERE id = $1", &[&version.id])
        .await?
        .map(|row| Priority::from_rank(row.get(0)));
    let target = i64::try_from(triage.target.as_secs()).unwrap_or(i64::MAX);
    transaction
        .execute(
            "INSERT INTO cases (id, priority, priority_reason, visitor, opened_at, due_at, updated_at)
             VALUES ($1, $2, $3, $4, rebound_now(), rebound_after(rebound_now(), $5), rebound_now())
             ON CONFLICT (id) DO UPDATE SET
                 priority = excluded.priority,
                 priority_reason = excluded.priority_reason,
                 visitor = excluded.visitor,
                 due_at = rebound_after(cases.opened_at, $5),
                 updated_at = excluded.updated_at",
            &[
                &version.id,
                &triage.priority.rank(),
                &triage.reason,
                &version.visitor,
                &target,
            ],
        )
        .await?;
    if before != Some(triage.priority) {
        record(
            transaction,
            &version.id,
            "rules",
            "priority",
            before.map(Priority::as_str),
            Some(triage.priority.as_str()),
        )
        .await?;
    }
    Ok(())
}

async fn record(
    client: &impl GenericClient,
    id: &str,
    actor: &str,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), StoreError> {
    client
        .execute(
            "INSERT INTO case_events (case_id, at, actor, field, old, new)
             VALUES ($1, rebound_now(), $2, $3, $4, $5)",
            &[&id, &actor, &field, &old, &new],
        )
        .await?;
    Ok(())
}

/// How many other cases the same visitor opened on the same site.
pub(super) async fn earlier(
    client: &Client,
    site: &str,
    visitor: &str,
    id: &str,
) -> Result<u64, StoreError> {
    let row = client
        .query_one(
            "SELECT COUNT(*) FROM cases JOIN responses USING (id)
             WHERE cases.visitor = $1 AND responses.site = $2 AND cases.id <> $3",
            &[&visitor, &site, &id],
        )
        .await?;
    Ok(row.get::<_, i64>(0).unsigned_abs())
}

const COLUMNS: &str = "cases.id, responses.site, cases.status, cases.assignee, cases.notes,
    cases.priority, cases.priority_reason, (cases.status = 'new' AND cases.due_at < rebound_now()),
    cases.due_at, cases.opened_at, cases.updated_at, responses.body";

fn case(row: &Row) -> Result<Case, StoreError> {
    let id: String = row.get(0);
    let response =
        RawValue::from_string(row.get(11)).map_err(|source| StoreError::CorruptBody {
            id: id.clone(),
            source,
        })?;
    let status: String = row.get(2);
    Ok(Case {
        id,
        site: row.get(1),
        // The CHECK constraint admits only known statuses.
        status: Status::parse(&status).unwrap_or(Status::New),
        assignee: row.get(3),
        notes: row.get(4),
        priority: Priority::from_rank(row.get(5)),
        priority_reason: row.get(6),
        overdue: row.get(7),
        due_at: row.get(8),
        opened_at: row.get(9),
        updated_at: row.get(10),
        response,
    })
}

/// Numbered parameters for a query built piece by piece.
#[derive(Default)]
struct Params(Vec<Box<dyn ToSql + Sync + Send>>);

impl Params {
    /// Adds a value and returns its placeholder.
    fn add(&mut self, value: impl ToSql + Sync + Send + 'static) -> String {
        self.0.push(Box::new(value));
        format!("${}", self.0.len())
    }

    fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.0
            .iter()
            .map(|value| &**value as &(dyn ToSql + Sync))
            .collect()
    }
}

/// `%` and `_` match anything in LIKE; escaped, the search is for the text as typed.
fn like(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The WHERE clause for a query's filters, with its parameters.
fn filters(query: &CaseQuery, params: &mut Params) -> String {
    let mut clauses = vec!["TRUE".to_owned()];
    if !query.statuses.is_empty() {
        let names: Vec<String> = query
            .statuses
            .iter()
            .map(|status| status.as_str().to_owned())
            .collect();
        clauses.push(format!("cases.status = ANY({})", params.add(names)));
    }
    if let Some(priority) = query.priority {
        clauses.push(format!("cases.priority = {}", params.add(priority.rank())));
    }
    if let Some(site) = &query.site {
        clauses.push(format!("responses.site = {}", params.add(site.clone())));
    }
    if let Some(survey) = &query.survey {
        clauses.push(format!(
            "COALESCE(responses.body::jsonb #>> '{{survey,id}}', responses.kind) = {}",
            params.add(survey.clone())
        ));
    }
    if let Some(url) = &query.url {
        clauses.push(format!(
            "responses.body::jsonb #>> '{{page,url}}' ILIKE {} ESCAPE '\\'",
            params.add(like(url))
        ));
    }
    if let Some(assignee) = &query.assignee {
        clauses.push(format!("cases.assignee = {}", params.add(assignee.clone())));
    }
    match query.overdue {
        Some(true) => {
            clauses.push("cases.status = 'new' AND cases.due_at < rebound_now()".to_owned())
        }
        Some(false) => {
            clauses.push("NOT (cases.status = 'new' AND cases.due_at < rebound_now())".to_owned());
        }
        None => {}
    }
    if let Some(from) = &query.from {
        clauses.push(format!("cases.opened_at >= {}", params.add(from.clone())));
    }
    if let Some(to) = &query.to {
        clauses.push(format!("cases.opened_at <= {}", params.add(to.clone())));
    }
    if let Some(text) = &query.text {
        let pattern = params.add(like(text));
        clauses.push(format!(
            "(responses.body ILIKE {pattern} ESCAPE '\\' OR cases.notes ILIKE {pattern} ESCAPE '\\')"
        ));
    }
    clauses.join(" AND ")
}

/// One page of cases, most urgent first, then oldest first.
pub(super) async fn list(client: &Client, query: &CaseQuery) -> Result<CasePage, StoreError> {
    let mut params = Params::default();
    let clause = filters(query, &mut params);
    let total: i64 = client
        .query_one(
            &format!("SELECT COUNT(*) FROM cases JOIN responses USING (id) WHERE {clause}"),
            &params.refs(),
        )
        .await?
        .get(0);
    let limit = params.add(i64::from(query.per_page));
    let offset = params.add(i64::from(query.page - 1) * i64::from(query.per_page));
    let rows = client
        .query(
            &format!(
                "SELECT {COLUMNS} FROM cases JOIN responses USING (id) WHERE {clause}
                 ORDER BY cases.priority DESC, cases.opened_at, cases.id
                 LIMIT {limit} OFFSET {offset}"
            ),
            &params.refs(),
        )
        .await?;
    Ok(CasePage {
        cases: rows.iter().map(case).collect::<Result<_, _>>()?,
        page: query.page,
        per_page: query.per_page,
        total: total.unsigned_abs(),
    })
}

/// A case and its history.
pub(super) async fn get(
    client: &impl GenericClient,
    id: &str,
) -> Result<Option<CaseDetail>, StoreError> {
    let Some(row) = client
        .query_opt(
            &format!("SELECT {COLUMNS} FROM cases JOIN responses USING (id) WHERE cases.id = $1"),
            &[&id],
        )
        .await?
    else {
        return Ok(None);
    };
    let history = client
        .query(
            "SELECT at, actor, field, old, new FROM case_events WHERE case_id = $1 ORDER BY seq",
            &[&id],
        )
        .await?
        .iter()
        .map(|event| CaseEvent {
            at: event.get(0),
            actor: event.get(1),
            field: event.get(2),
            old: event.get(3),
            new: event.get(4),
        })
        .collect();
    let deliveries = outbox::list(client, None, Some(id), u32::MAX).await?;
    Ok(Some(CaseDetail {
        case: case(&row)?,
        history,
        deliveries,
    }))
}

/// Applies a person's change, recording each field that really changed.
pub(super) async fn update(
    client: &mut Client,
    id: &str,
    change: &CaseChange,
    actor: &str,
) -> Result<Option<CaseDetail>, StoreError> {
    let transaction = client.transaction().await?;
    let Some(row) = transaction
        .query_opt(
            "SELECT status, assignee, notes FROM cases WHERE id = $1 FOR UPDATE",
            &[&id],
        )
        .await?
    else {
        return Ok(None);
    };
    let (status, assignee, notes): (String, Option<String>, String) =
        (row.get(0), row.get(1), row.get(2));
    for (field, old, new) in change.edits(&status, assignee.as_deref(), &notes) {
        transaction
            .execute(
                &format!("UPDATE cases SET {field} = $1, updated_at = rebound_now() WHERE id = $2"),
                &[&new, &id],
            )
            .await?;
        record(&transaction, id, actor, field, old, new).await?;
    }
    let detail = get(&transaction, id).await?;
    transaction.commit().await?;
    Ok(detail)
}
