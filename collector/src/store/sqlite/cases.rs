//! The recovery inbox in SQLite: the case kept beside each response, the queries of the admin
//! API, and changes with their audit trail.

use rusqlite::types::Value as Sql;
use rusqlite::{named_params, params_from_iter, Connection, OptionalExtension, Row};
use serde_json::value::RawValue;

use crate::cases::{Case, CaseChange, CaseDetail, CaseEvent, CasePage, CaseQuery, Status};
use crate::store::{ResponseVersion, StoreError};
use crate::triage::{Priority, Triage};

/// The current time in the one format every stored time has, so that times compare as text.
pub(super) const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// Opens the case of a new response, or re-triages the case of a replaced one (its status,
/// assignee and notes stay). A change of priority goes into the audit trail as the `rules`'.
pub(super) fn triage(
    connection: &Connection,
    version: &ResponseVersion,
    triage: &Triage,
) -> Result<(), StoreError> {
    let before: Option<i64> = connection
        .query_row(
            "SELECT priority FROM cases WHERE id = ?1",
            [&version.id],
            |row| row.get(0),
        )
        .optional()?;
    connection.execute(
        &format!(
            "INSERT INTO cases (id, priority, priority_reason, visitor, opened_at, due_at, updated_at)
             VALUES (:id, :priority, :reason, :visitor, {NOW},
                     strftime('%Y-%m-%dT%H:%M:%fZ', 'now', :target), {NOW})
             ON CONFLICT (id) DO UPDATE SET
                 priority = excluded.priority,
                 priority_reason = excluded.priority_reason,
                 visitor = excluded.visitor,
                 due_at = strftime('%Y-%m-%dT%H:%M:%fZ', cases.opened_at, :target),
                 updated_at = excluded.updated_at"
        ),
        named_params! {
            ":id": version.id,
            ":priority": triage.priority.rank(),
            ":reason": triage.reason,
            ":visitor": version.visitor,
            ":target": format!("+{} seconds", triage.target.as_secs()),
        },
    )?;
    let before = before.map(Priority::from_rank);
    if before != Some(triage.priority) {
        record(
            connection,
            &version.id,
            "rules",
            "priority",
            before.map(Priority::as_str),
            Some(triage.priority.as_str()),
        )?;
    }
    Ok(())
}

fn record(
    connection: &Connection,
    id: &str,
    actor: &str,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<(), StoreError> {
    connection.execute(
        &format!(
            "INSERT INTO case_events (case_id, at, actor, field, old, new)
             VALUES (?1, {NOW}, ?2, ?3, ?4, ?5)"
        ),
        (id, actor, field, old, new),
    )?;
    Ok(())
}

/// How many other cases the same visitor opened on the same site.
pub(super) fn earlier(
    connection: &Connection,
    site: &str,
    visitor: &str,
    id: &str,
) -> Result<u64, StoreError> {
    let count: i64 = connection.query_row(
        "SELECT COUNT(*) FROM cases JOIN responses USING (id)
         WHERE cases.visitor = ?1 AND responses.site = ?2 AND cases.id <> ?3",
        (visitor, site, id),
        |row| row.get(0),
    )?;
    Ok(count.unsigned_abs())
}

/// The columns [`case`] reads, in its order.
fn columns() -> String {
    format!(
        "cases.id, responses.site, cases.status, cases.assignee, cases.notes, cases.priority,
         cases.priority_reason, (cases.status = 'new' AND cases.due_at < {NOW}), cases.due_at,
         cases.opened_at, cases.updated_at, responses.body"
    )
}

/// A case from a row of [`columns`]; the inner error is a stored body that is no longer JSON.
fn case(row: &Row<'_>) -> rusqlite::Result<Result<Case, StoreError>> {
    let id: String = row.get(0)?;
    let response = match RawValue::from_string(row.get(11)?) {
        Ok(response) => response,
        Err(source) => return Ok(Err(StoreError::CorruptBody { id, source })),
    };
    let status: String = row.get(2)?;
    Ok(Ok(Case {
        id,
        site: row.get(1)?,
        // The CHECK constraint admits only known statuses.
        status: Status::parse(&status).unwrap_or(Status::New),
        assignee: row.get(3)?,
        notes: row.get(4)?,
        priority: Priority::from_rank(row.get(5)?),
        priority_reason: row.get(6)?,
        overdue: row.get(7)?,
        due_at: row.get(8)?,
        opened_at: row.get(9)?,
        updated_at: row.get(10)?,
        response,
    }))
}

/// `%` and `_` match anything in LIKE; escaped, the search is for the text as typed.
fn like(text: &str) -> Sql {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Sql::Text(format!("%{escaped}%"))
}

/// The WHERE clause and its parameters for a query's filters.
fn filters(query: &CaseQuery) -> (String, Vec<Sql>) {
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut params = Vec::new();
    let mut add = |clause: &str, values: Vec<Sql>| {
        clauses.push(clause.to_owned());
        params.extend(values);
    };
    if !query.statuses.is_empty() {
        let marks = vec!["?"; query.statuses.len()].join(", ");
        add(
            &format!("cases.status IN ({marks})"),
            query
                .statuses
                .iter()
                .map(|status| Sql::Text(status.as_str().to_owned()))
                .collect(),
        );
    }
    if let Some(priority) = query.priority {
        add("cases.priority = ?", vec![Sql::Integer(priority.rank())]);
    }
    if let Some(site) = &query.site {
        add("responses.site = ?", vec![Sql::Text(site.clone())]);
    }
    if let Some(survey) = &query.survey {
        // Surveys will carry their id in `survey.id`; the feedback form is named by its kind.
        add(
            "COALESCE(json_extract(responses.body, '$.survey.id'), responses.kind) = ?",
            vec![Sql::Text(survey.clone())],
        );
    }
    if let Some(url) = &query.url {
        add(
            "json_extract(responses.body, '$.page.url') LIKE ? ESCAPE '\\'",
            vec![like(url)],
        );
    }
    if let Some(assignee) = &query.assignee {
        add("cases.assignee = ?", vec![Sql::Text(assignee.clone())]);
    }
    match query.overdue {
        Some(true) => add(
            &format!("cases.status = 'new' AND cases.due_at < {NOW}"),
            vec![],
        ),
        Some(false) => add(
            &format!("NOT (cases.status = 'new' AND cases.due_at < {NOW})"),
            vec![],
        ),
        None => {}
    }
    if let Some(from) = &query.from {
        add("cases.opened_at >= ?", vec![Sql::Text(from.clone())]);
    }
    if let Some(to) = &query.to {
        add("cases.opened_at <= ?", vec![Sql::Text(to.clone())]);
    }
    if let Some(text) = &query.text {
        add(
            "(responses.body LIKE ? ESCAPE '\\' OR cases.notes LIKE ? ESCAPE '\\')",
            vec![like(text), like(text)],
        );
    }
    (clauses.join(" AND "), params)
}

/// One page of the cases a query selects, most urgent first, then oldest first.
pub(super) fn list(connection: &Connection, query: &CaseQuery) -> Result<CasePage, StoreError> {
    let (clause, mut params) = filters(query);
    let total: i64 = connection.query_row(
        &format!("SELECT COUNT(*) FROM cases JOIN responses USING (id) WHERE {clause}"),
        params_from_iter(&params),
        |row| row.get(0),
    )?;
    params.push(Sql::Integer(i64::from(query.per_page)));
    params.push(Sql::Integer(
        i64::from(query.page - 1) * i64::from(query.per_page),
    ));
    let mut statement = connection.prepare(&format!(
        "SELECT {} FROM cases JOIN responses USING (id) WHERE {clause}
         ORDER BY cases.priority DESC, cases.opened_at, cases.id LIMIT ? OFFSET ?",
        columns()
    ))?;
    let cases = statement
        .query_map(params_from_iter(&params), case)?
        .map(|row| row?)
        .collect::<Result<_, _>>()?;
    Ok(CasePage {
        cases,
        page: query.page,
        per_page: query.per_page,
        total: total.unsigned_abs(),
    })
}

/// A case and its history.
pub(super) fn get(connection: &Connection, id: &str) -> Result<Option<CaseDetail>, StoreError> {
    let Some(found) = connection
        .query_row(
            &format!(
                "SELECT {} FROM cases JOIN responses USING (id) WHERE cases.id = ?1",
                columns()
            ),
            [id],
            case,
        )
        .optional()?
    else {
        return Ok(None);
    };
    let mut statement = connection.prepare(
        "SELECT at, actor, field, old, new FROM case_events WHERE case_id = ?1 ORDER BY seq",
    )?;
    let history = statement
        .query_map([id], |row| {
            Ok(CaseEvent {
                at: row.get(0)?,
                actor: row.get(1)?,
                field: row.get(2)?,
                old: row.get(3)?,
                new: row.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let deliveries = super::outbox::list(connection, None, Some(id), u32::MAX)?;
    Ok(Some(CaseDetail {
        case: found?,
        history,
        deliveries,
    }))
}

/// Applies a person's change, recording each field that really changed.
pub(super) fn update(
    connection: &Connection,
    id: &str,
    change: &CaseChange,
    actor: &str,
) -> Result<Option<CaseDetail>, StoreError> {
    let Some((status, assignee, notes)) = connection
        .query_row(
            "SELECT status, assignee, notes FROM cases WHERE id = ?1",
            [id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    for (field, old, new) in change.edits(&status, assignee.as_deref(), &notes) {
        connection.execute(
            &format!("UPDATE cases SET {field} = ?1, updated_at = {NOW} WHERE id = ?2"),
            (new, id),
        )?;
        record(connection, id, actor, field, old, new)?;
    }
    get(connection, id)
}
