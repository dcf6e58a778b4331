//! The recovery inbox in the database, for both backends: the case kept beside each response,
//! the queries of the admin API, and changes with their audit trail.

use std::time::Duration;

use sea_query::{
    Alias, Asterisk, Cond, Expr, ExprTrait, Func, LockType, OnConflict, Order, Query,
    SelectStatement,
};
use serde_json::value::RawValue;

use super::sql::{containing, Row, Sql};
use super::{outbox, StoreError};
use crate::cases::{
    Case, CaseChange, CaseDetail, CaseEvent, CasePage, CaseQuery, Editable, Status,
};
use crate::follow_up::{self, Candidate, CaseKey, VisitorNote};
use crate::triage::{Priority, Triage};

/// A response's case as triage leaves it, for [`open_or_retriage`].
pub(super) struct Triaged<'a> {
    /// The response's id, which is the case's.
    pub(super) id: &'a str,
    /// Who sent it, when known.
    pub(super) visitor: Option<&'a str>,
    /// Its recovery's reference and secret (only the secret's digest is stored), if the widget's
    /// recovery opened it.
    pub(super) key: Option<&'a CaseKey>,
    /// Its priority, the reason and the target.
    pub(super) triage: &'a Triage,
    /// When the case was opened, if it already was.
    pub(super) opened_at: Option<&'a str>,
}

/// Opens the cases of new responses and re-triages those of replaced ones (their status,
/// assignee and notes stay), one case per id, in one statement.
pub(super) async fn open_or_retriage<D: Sql>(
    db: &D,
    cases: &[Triaged<'_>],
) -> Result<(), StoreError> {
    if cases.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table("cases")
        .columns([
            "id",
            "priority",
            "priority_reason",
            "visitor",
            "reference",
            "secret_sha256",
            "opened_at",
            "due_at",
            "updated_at",
        ])
        .on_conflict(
            OnConflict::column("id")
                .update_columns([
                    "priority",
                    "priority_reason",
                    "visitor",
                    "reference",
                    "secret_sha256",
                    "due_at",
                    "updated_at",
                ])
                .to_owned(),
        );
    for case in cases {
        let target = i64::try_from(case.triage.target.as_secs()).unwrap_or(i64::MAX);
        // A case is due its target after it was opened, however often it is re-triaged.
        let opened = case.opened_at.map_or_else(D::now, Expr::val);
        insert.values([
            Expr::val(case.id),
            Expr::val(case.triage.priority.rank()),
            Expr::val(case.triage.reason.as_str()),
            Expr::val(case.visitor),
            Expr::val(case.key.map(|key| key.reference.as_str())),
            Expr::val(case.key.map(|key| follow_up::digest(&key.secret))),
            D::now(),
            D::after(opened, target),
            D::now(),
        ])?;
    }
    db.execute(&insert).await?;
    Ok(())
}

/// One change to a case, for its audit trail.
pub(super) struct Event<'a> {
    /// The case.
    pub(super) id: &'a str,
    /// Who changed it: a person, or `rules` for triage.
    pub(super) actor: &'a str,
    /// Which field changed.
    pub(super) field: &'a str,
    /// The value before, if any.
    pub(super) old: Option<&'a str>,
    /// The value after, if any.
    pub(super) new: Option<&'a str>,
}

/// Appends `events` to the audit trail, in their order, in one statement.
pub(super) async fn record<D: Sql>(db: &D, events: &[Event<'_>]) -> Result<(), StoreError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table("case_events")
        .columns(["case_id", "at", "actor", "field", "old", "new"]);
    for event in events {
        insert.values([
            Expr::val(event.id),
            D::now(),
            Expr::val(event.actor),
            Expr::val(event.field),
            Expr::val(event.old),
            Expr::val(event.new),
        ])?;
    }
    db.execute(&insert).await?;
    Ok(())
}

/// Cases with their responses, to select from.
pub(super) fn cases_with_responses() -> SelectStatement {
    Query::select()
        .from("cases")
        .inner_join(
            "responses",
            Expr::col(("responses", "id")).equals(("cases", "id")),
        )
        .to_owned()
}

/// How many other cases the same visitor opened on the same site.
pub(super) async fn earlier<D: Sql>(
    db: &D,
    site: &str,
    visitor: &str,
    id: &str,
) -> Result<u64, StoreError> {
    let row = db
        .row(
            cases_with_responses()
                .expr(Func::count(Expr::col(Asterisk)))
                .and_where(Expr::col(("cases", "visitor")).eq(visitor))
                .and_where(Expr::col(("responses", "site")).eq(site))
                .and_where(Expr::col(("cases", "id")).ne(id)),
        )
        .await?;
    count(row)
}

/// The single count a `COUNT(*)` query returns.
fn count(row: Option<Row>) -> Result<u64, StoreError> {
    Ok(row
        .map(|row| row.int(0))
        .transpose()?
        .unwrap_or(0)
        .unsigned_abs())
}

/// A case past its promised reply time that nobody has answered yet.
fn overdue<D: Sql>() -> Expr {
    Expr::col(("cases", "status"))
        .is_in(Status::UNANSWERED.map(Status::as_str))
        .and(Expr::col(("cases", "due_at")).lt(D::now()))
}

/// A case whose reminder has come.
fn reminder_due<D: Sql>() -> Expr {
    Expr::col(("cases", "remind_at")).lte(D::now())
}

/// The columns [`case`] reads, in its order, added to `select`.
fn with_columns<D: Sql>(select: &mut SelectStatement) -> &mut SelectStatement {
    select
        .columns([
            ("cases", "id"),
            ("responses", "site"),
            ("cases", "status"),
            ("cases", "assignee"),
            ("cases", "notes"),
            ("cases", "priority"),
            ("cases", "priority_reason"),
        ])
        .expr(overdue::<D>())
        .columns([
            ("cases", "due_at"),
            ("cases", "opened_at"),
            ("cases", "updated_at"),
            ("responses", "body"),
            ("cases", "resolved_at"),
            ("cases", "visitor_note"),
            ("cases", "visitor_note_from"),
            ("cases", "remind_at"),
        ])
        // NULL when there is no reminder, which reads as not due.
        .expr(Func::coalesce([reminder_due::<D>(), Expr::val(false)]))
}

/// A case from a row of [`with_columns`].
fn case(row: &Row) -> Result<Case, StoreError> {
    let id = row.text(0)?;
    let response = match RawValue::from_string(row.text(11)?) {
        Ok(response) => response,
        Err(source) => return Err(StoreError::CorruptBody { id, source }),
    };
    Ok(Case {
        id,
        site: row.text(1)?,
        // The CHECK constraint admits only known statuses.
        status: Status::parse(&row.text(2)?).unwrap_or(Status::New),
        assignee: row.optional_text(3)?,
        notes: row.text(4)?,
        priority: Priority::from_rank(row.int(5)?),
        priority_reason: row.text(6)?,
        overdue: row.flag(7)?,
        due_at: row.text(8)?,
        opened_at: row.text(9)?,
        updated_at: row.text(10)?,
        resolved_at: row.optional_text(12)?,
        visitor_note: row.optional_text(13)?,
        visitor_note_from: row.optional_text(14)?,
        remind_at: row.optional_text(15)?,
        reminder_due: row.flag(16)?,
        response,
    })
}

/// The condition for a query's filters.
fn filters<D: Sql>(query: &CaseQuery) -> Cond {
    let mut all = Cond::all();
    if !query.statuses.is_empty() {
        all = all.add(
            Expr::col(("cases", "status"))
                .is_in(query.statuses.iter().map(|status| status.as_str())),
        );
    }
    if let Some(priority) = query.priority {
        all = all.add(Expr::col(("cases", "priority")).eq(priority.rank()));
    }
    if let Some(site) = &query.site {
        all = all.add(Expr::col(("responses", "site")).eq(site.as_str()));
    }
    if let Some(survey) = &query.survey {
        // Surveys carry their id in `survey.id`; the feedback form is named by its kind.
        all = all.add(
            Expr::expr(Func::coalesce([
                D::json_text("responses.body", &["survey", "id"]),
                Expr::col(("responses", "kind")),
            ]))
            .eq(survey.as_str()),
        );
    }
    if let Some(url) = &query.url {
        all = all.add(D::like(
            D::json_text("responses.body", &["page", "url"]),
            containing(url),
        ));
    }
    if let Some(assignee) = &query.assignee {
        all = all.add(Expr::col(("cases", "assignee")).eq(assignee.as_str()));
    }
    match query.overdue {
        Some(true) => all = all.add(overdue::<D>()),
        Some(false) => all = all.add(overdue::<D>().not()),
        None => {}
    }
    if let Some(from) = &query.from {
        all = all.add(Expr::col(("cases", "opened_at")).gte(from.as_str()));
    }
    if let Some(to) = &query.to {
        all = all.add(Expr::col(("cases", "opened_at")).lte(to.as_str()));
    }
    if query.reminder_due {
        all = all.add(reminder_due::<D>());
    }
    if let Some(text) = &query.text {
        all = all.add(
            Cond::any()
                .add(D::like(Expr::col(("responses", "body")), containing(text)))
                .add(D::like(Expr::col(("cases", "notes")), containing(text))),
        );
    }
    all
}

/// One page of the cases a query selects, most urgent first, then oldest first.
pub(super) async fn list<D: Sql>(db: &D, query: &CaseQuery) -> Result<CasePage, StoreError> {
    let total = count(
        db.row(
            cases_with_responses()
                .expr(Func::count(Expr::col(Asterisk)))
                .cond_where(filters::<D>(query)),
        )
        .await?,
    )?;
    let rows = db
        .rows(
            with_columns::<D>(&mut cases_with_responses())
                .cond_where(filters::<D>(query))
                .order_by(("cases", "priority"), Order::Desc)
                .order_by(("cases", "opened_at"), Order::Asc)
                .order_by(("cases", "id"), Order::Asc)
                .limit(u64::from(query.per_page))
                .offset(u64::from(query.page - 1) * u64::from(query.per_page)),
        )
        .await?;
    Ok(CasePage {
        cases: rows.iter().map(case).collect::<Result<_, _>>()?,
        page: query.page,
        per_page: query.per_page,
        total,
    })
}

/// A case and its history.
pub(super) async fn get<D: Sql>(db: &D, id: &str) -> Result<Option<CaseDetail>, StoreError> {
    let Some(found) = db
        .row(
            with_columns::<D>(&mut cases_with_responses())
                .and_where(Expr::col(("cases", "id")).eq(id)),
        )
        .await?
    else {
        return Ok(None);
    };
    let history = db
        .rows(
            Query::select()
                .columns(["at", "actor", "field", "old", "new"])
                .from("case_events")
                .and_where(Expr::col("case_id").eq(id))
                .order_by("seq", Order::Asc),
        )
        .await?
        .iter()
        .map(|event| {
            Ok(CaseEvent {
                at: event.text(0)?,
                actor: event.text(1)?,
                field: event.text(2)?,
                old: event.optional_text(3)?,
                new: event.optional_text(4)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let deliveries = outbox::list(db, None, Some(id), u32::MAX).await?;
    Ok(Some(CaseDetail {
        case: case(&found)?,
        history,
        deliveries,
    }))
}

/// Applies a person's change, recording each field that really changed (and each reminder set
/// or cleared, `remind_in_days` of `day` each). The caller runs it in one transaction; on
/// PostgreSQL the case's row is locked until its end.
pub(super) async fn update<D: Sql>(
    db: &D,
    id: &str,
    change: &CaseChange,
    actor: &str,
    day: Duration,
) -> Result<Option<CaseDetail>, StoreError> {
    let Some(row) = db
        .row(
            Query::select()
                .columns([
                    "status",
                    "assignee",
                    "notes",
                    "visitor_note",
                    "visitor_note_from",
                    "remind_at",
                ])
                .from("cases")
                .and_where(Expr::col("id").eq(id))
                .lock(LockType::Update),
        )
        .await?
    else {
        return Ok(None);
    };
    let (status, assignee, notes) = (row.text(0)?, row.optional_text(1)?, row.text(2)?);
    let (visitor_note, visitor_note_from) = (row.optional_text(3)?, row.optional_text(4)?);
    let edits = change.edits(Editable {
        status: &status,
        assignee: assignee.as_deref(),
        notes: &notes,
        visitor_note: visitor_note.as_deref(),
        visitor_note_from: visitor_note_from.as_deref(),
    });
    let remind_at = row.optional_text(5)?;
    // Clearing a reminder the case does not have changes nothing.
    let reminder = change
        .remind_in_days
        .filter(|days| *days > 0 || remind_at.is_some())
        .map(|days| {
            let seconds = u64::from(days).saturating_mul(day.as_secs());
            (days, i64::try_from(seconds).unwrap_or(i64::MAX))
        });
    if edits.is_empty() && reminder.is_none() {
        return get(db, id).await;
    }
    let mut update = Query::update();
    update
        .table("cases")
        .value("updated_at", D::now())
        .and_where(Expr::col("id").eq(id));
    let mut reminder_event = None;
    if let Some((days, seconds)) = reminder {
        // A new reminder is announced anew when it comes.
        update.value("reminded_at", Expr::val(None::<String>));
        if days == 0 {
            update.value("remind_at", Expr::val(None::<String>));
        } else {
            update.value("remind_at", D::after(D::now(), seconds));
            let unit = if days == 1 { "day" } else { "days" };
            reminder_event = Some(format!("in {days} {unit}"));
        }
    }
    for (field, _, new) in &edits {
        update.value(Alias::new(*field), Expr::val(*new));
        if *field == "status" {
            // The follow-up tells the visitor when; a reopened case is open again.
            let resolved = *new == Some(Status::Resolved.as_str());
            update.value(
                "resolved_at",
                if resolved {
                    D::now()
                } else {
                    Expr::val(None::<String>)
                },
            );
        }
    }
    db.execute(&update).await?;
    let mut events: Vec<Event> = edits
        .into_iter()
        .map(|(field, old, new)| Event {
            id,
            actor,
            field,
            old,
            new,
        })
        .collect();
    if reminder.is_some() {
        events.push(Event {
            id,
            actor,
            field: "reminder",
            old: remind_at.as_deref(),
            new: reminder_event.as_deref(),
        });
    }
    record(db, &events).await?;
    get(db, id).await
}

/// The cases whose recovery has `reference`, for the follow-up to pick the one whose secret
/// matches (`crate::follow_up::matching`); references are short, so a few cases may share one.
pub(super) async fn with_reference<D: Sql>(
    db: &D,
    reference: &str,
) -> Result<Vec<Candidate>, StoreError> {
    db.rows(
        cases_with_responses()
            .columns([
                ("responses", "site"),
                ("cases", "secret_sha256"),
                ("cases", "resolved_at"),
                ("cases", "visitor_note"),
                ("cases", "visitor_note_from"),
            ])
            .and_where(Expr::col(("cases", "reference")).eq(reference)),
    )
    .await?
    .iter()
    .map(|row| {
        Ok(Candidate {
            site: row.text(0)?,
            secret_sha256: row.text(1)?,
            resolved_at: row.optional_text(2)?,
            note: VisitorNote {
                note: row.optional_text(3)?,
                from: row.optional_text(4)?,
            },
        })
    })
    .collect()
}
