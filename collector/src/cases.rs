//! The recovery inbox's data: each response is a [`Case`] with a status, an assignee, internal
//! notes and a priority from [`triage`](crate::triage); [`CaseQuery`] is how cases are looked
//! for, and [`CaseEvent`] the audit trail of every change.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use thiserror::Error;

use crate::outbox::DeliveryInfo;
use crate::reminders::MAX_DAYS;
use crate::triage::Priority;
use crate::utc_time::is_utc_timestamp;

/// Cases on one page when `per_page` is not given.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// Most cases one page may hold.
pub const MAX_PER_PAGE: u32 = 500;
/// Longest assignee name or search text, in characters.
const MAX_SHORT_TEXT: usize = 200;
/// Longest notes, in characters.
const MAX_NOTES: usize = 20_000;
/// Longest note to the visitor, in characters (`schema/case-status.v1.json`).
const MAX_VISITOR_NOTE: usize = 2_000;
/// Longest signature of a note to the visitor, in characters (the same schema).
const MAX_SIGNATURE: usize = 100;

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nobody has looked at it yet.
    New,
    /// Someone took it, but has not answered the visitor yet.
    Acknowledged,
    /// The team answered and waits for the visitor.
    WaitingOnCustomer,
    /// Done.
    Resolved,
}

impl Status {
    /// Every status, in the order a case usually moves through them.
    pub const ALL: [Self; 4] = [
        Self::New,
        Self::Acknowledged,
        Self::WaitingOnCustomer,
        Self::Resolved,
    ];

    /// The statuses of a case whose visitor has had no reply yet: only these can be overdue,
    /// since the reply a site promises is the first answer (`waiting_on_customer` has had it).
    pub const UNANSWERED: [Self; 2] = [Self::New, Self::Acknowledged];

    /// The name used in the database, the API and the inbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Acknowledged => "acknowledged",
            Self::WaitingOnCustomer => "waiting_on_customer",
            Self::Resolved => "resolved",
        }
    }

    /// Reads a stored or submitted name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == name)
    }
}

/// A case as the API shows it.
#[derive(Debug, Serialize)]
pub struct Case {
    /// The response's id.
    pub id: String,
    /// The site it came from.
    pub site: String,
    /// Where it stands.
    pub status: Status,
    /// Who handles it.
    pub assignee: Option<String>,
    /// Internal notes, never shown to the visitor.
    pub notes: String,
    /// How urgent it is.
    pub priority: Priority,
    /// Why it has that priority.
    pub priority_reason: String,
    /// Not answered yet (`new` or `acknowledged`) past `due_at`.
    pub overdue: bool,
    /// The promised reply-by time: when it was opened plus the reply time its site promises for
    /// its priority (`[sites.<id>.reply_within]`, else `[inbox.targets]`), RFC 3339 UTC.
    pub due_at: String,
    /// When the first version arrived.
    pub opened_at: String,
    /// When the case or its response last changed.
    pub updated_at: String,
    /// When it was resolved, while it is.
    pub resolved_at: Option<String>,
    /// What the visitor's widget shows them once the case is resolved (the follow-up).
    pub visitor_note: Option<String>,
    /// Who signs that note.
    pub visitor_note_from: Option<String>,
    /// When to check back on it, if someone asked to be reminded.
    pub remind_at: Option<String>,
    /// That time has come (until the reminder is set again or cleared).
    pub reminder_due: bool,
    /// The stored response body.
    pub response: Box<RawValue>,
}

/// One change in a case's history.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CaseEvent {
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who: `rules` for triage, `api` or `inbox` for people.
    pub actor: String,
    /// What changed: `priority`, `status`, `assignee`, `notes`, `visitor_note`,
    /// `visitor_note_from`, or `reminder` (from the time it was set for to "in N days", or to
    /// nothing when cleared).
    pub field: String,
    /// The value before, if there was one.
    pub old: Option<String>,
    /// The value after, if there is one.
    pub new: Option<String>,
}

/// A case with its history, for `GET /v1/cases/{id}`.
#[derive(Debug, Serialize)]
pub struct CaseDetail {
    /// The case.
    pub case: Case,
    /// Its changes, oldest first.
    pub history: Vec<CaseEvent>,
    /// The webhook deliveries about it, newest first.
    pub deliveries: Vec<DeliveryInfo>,
}

/// A change a person makes to a case; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseChange {
    /// The new status.
    pub status: Option<Status>,
    /// The new assignee; an empty string unassigns.
    pub assignee: Option<String>,
    /// The new notes, replacing the old.
    pub notes: Option<String>,
    /// The note the visitor's widget shows once the case is resolved; an empty string removes it.
    pub visitor_note: Option<String>,
    /// Who signs it, like "Ana, Fernwood support"; an empty string removes the signature.
    pub visitor_note_from: Option<String>,
    /// Check back on the case in this many days (1 to 365), replacing any reminder it has;
    /// 0 clears it.
    pub remind_in_days: Option<u32>,
}

/// One field a [`CaseChange`] really changes: its column, the value before, and the value after (`None` is
/// an empty assignee or note to the visitor).
pub type Edit<'a> = (&'static str, Option<&'a str>, Option<&'a str>);

/// What a case holds now of the fields a [`CaseChange`] may change.
#[derive(Clone, Copy, Debug, Default)]
pub struct Editable<'a> {
    /// Its status.
    pub status: &'a str,
    /// Its assignee.
    pub assignee: Option<&'a str>,
    /// Its notes.
    pub notes: &'a str,
    /// Its note to the visitor.
    pub visitor_note: Option<&'a str>,
    /// That note's signature.
    pub visitor_note_from: Option<&'a str>,
}

/// A text that an empty string (or white space) clears.
fn clearable(text: &Option<String>) -> Option<Option<&str>> {
    text.as_deref()
        .map(|text| Some(text.trim()).filter(|text| !text.is_empty()))
}

impl CaseChange {
    /// The fields this change really changes on a case that now holds `now`, in the order they are applied
    /// and recorded in the audit trail. Both stores apply exactly these.
    pub fn edits<'a>(&'a self, now: Editable<'a>) -> Vec<Edit<'a>> {
        let candidates = [
            (
                "status",
                Some(now.status),
                self.status.map(|s| Some(s.as_str())),
            ),
            ("assignee", now.assignee, clearable(&self.assignee)),
            ("notes", Some(now.notes), self.notes.as_deref().map(Some)),
            (
                "visitor_note",
                now.visitor_note,
                clearable(&self.visitor_note),
            ),
            (
                "visitor_note_from",
                now.visitor_note_from,
                clearable(&self.visitor_note_from),
            ),
        ];
        candidates
            .into_iter()
            .filter_map(|(field, old, new)| {
                new.filter(|new| *new != old).map(|new| (field, old, new))
            })
            .collect()
    }

    /// Refuses values too long to be meant.
    pub fn check(&self) -> Result<(), CaseInputError> {
        let too_long = |field: &'static str, text: &Option<String>, max: usize| match text {
            Some(text) if text.chars().count() > max => Err(CaseInputError::Change {
                field,
                message: format!("{field} must be at most {max} characters"),
            }),
            _ => Ok(()),
        };
        too_long("assignee", &self.assignee, MAX_SHORT_TEXT)?;
        too_long("notes", &self.notes, MAX_NOTES)?;
        too_long("visitor_note", &self.visitor_note, MAX_VISITOR_NOTE)?;
        too_long("visitor_note_from", &self.visitor_note_from, MAX_SIGNATURE)?;
        match self.remind_in_days {
            Some(days) if days > MAX_DAYS => Err(CaseInputError::Change {
                field: "remind_in_days",
                message: format!(
                    "remind_in_days must be a number of days from 1 to {MAX_DAYS}, or 0 to clear the reminder"
                ),
            }),
            _ => Ok(()),
        }
    }
}

/// A case query or change that cannot be taken, naming the parameter or field at fault.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CaseInputError {
    /// A parameter of a case query.
    #[error("{message}")]
    Query {
        /// The parameter.
        field: &'static str,
        /// What is expected of it.
        message: String,
    },
    /// A field of a case change.
    #[error("{message}")]
    Change {
        /// The field.
        field: &'static str,
        /// What is expected of it.
        message: String,
    },
}

/// Which cases to list, as the query string of `GET /v1/cases` gives it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseQueryText {
    /// A status, `open` for every status but `resolved`, or `all`.
    pub status: Option<String>,
    /// A priority.
    pub priority: Option<String>,
    /// A site id.
    pub site: Option<String>,
    /// A survey id; the feedback form is the survey `feedback`.
    pub survey: Option<String>,
    /// Text the page URL contains.
    pub url: Option<String>,
    /// An assignee.
    pub assignee: Option<String>,
    /// `true` for overdue cases only, `false` for the others.
    pub overdue: Option<String>,
    /// Opened at or after: `YYYY-MM-DD` or an RFC 3339 UTC time.
    pub from: Option<String>,
    /// Opened at or before (a whole day when only a date).
    pub to: Option<String>,
    /// Text the response or the notes contain.
    pub q: Option<String>,
    /// `due` for the cases whose reminder has come.
    pub reminder: Option<String>,
    /// Page number, from 1.
    pub page: Option<String>,
    /// Cases per page.
    pub per_page: Option<String>,
}

/// A checked [`CaseQueryText`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseQuery {
    /// Only these statuses; empty for all.
    pub statuses: Vec<Status>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Only this site.
    pub site: Option<String>,
    /// Only this survey.
    pub survey: Option<String>,
    /// Page URL contains.
    pub url: Option<String>,
    /// Only this assignee.
    pub assignee: Option<String>,
    /// Only overdue, or only not overdue.
    pub overdue: Option<bool>,
    /// Opened at or after this time.
    pub from: Option<String>,
    /// Opened at or before this time.
    pub to: Option<String>,
    /// Response or notes contain.
    pub text: Option<String>,
    /// Only cases whose reminder is due.
    pub reminder_due: bool,
    /// Page number, from 1.
    pub page: u32,
    /// Cases per page.
    pub per_page: u32,
}

/// One page of cases.
#[derive(Debug, Serialize)]
pub struct CasePage {
    /// The cases, most urgent first, then oldest first.
    pub cases: Vec<Case>,
    /// This page's number.
    pub page: u32,
    /// Cases per page.
    pub per_page: u32,
    /// Cases matching the filters on all pages.
    pub total: u64,
}

impl CaseQueryText {
    /// Checks every parameter, naming the first one that is wrong.
    pub fn check(self) -> Result<CaseQuery, CaseInputError> {
        let invalid = |field: &'static str, message: &str| CaseInputError::Query {
            field,
            message: message.to_owned(),
        };
        let statuses = match self.status.as_deref() {
            None => Vec::new(),
            Some("open") => vec![Status::New, Status::Acknowledged, Status::WaitingOnCustomer],
            Some("all") => Vec::new(),
            Some(name) => vec![Status::parse(name).ok_or_else(|| {
                invalid(
                    "status",
                    "status must be new, acknowledged, waiting_on_customer, resolved, open or all",
                )
            })?],
        };
        let priority = self
            .priority
            .map(|name| {
                Priority::parse(&name).ok_or_else(|| {
                    invalid("priority", "priority must be low, normal, high or urgent")
                })
            })
            .transpose()?;
        let overdue = self
            .overdue
            .map(|flag| match flag.as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(invalid("overdue", "overdue must be true or false")),
            })
            .transpose()?;
        let reminder_due = match self.reminder.as_deref() {
            None | Some("") => false,
            Some("due") => true,
            Some(_) => return Err(invalid("reminder", "reminder must be due")),
        };
        let time = |field: &'static str, text: Option<String>, end_of_day: bool| {
            text.map(|text| {
                if is_date(&text) {
                    Ok(if end_of_day {
                        format!("{text}T23:59:59.999Z")
                    } else {
                        format!("{text}T00:00:00.000Z")
                    })
                } else if is_utc_timestamp(&text) {
                    Ok(text)
                } else {
                    Err(invalid(
                        field,
                        "expected a date like 2026-11-23 or a UTC time like 2026-11-23T09:40:00Z",
                    ))
                }
            })
            .transpose()
        };
        let number = |field: &'static str, text: Option<String>, default: u32, max: u32| {
            text.map_or(Ok(default), |text| {
                text.parse()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        invalid(field, &format!("{field} must be a number from 1 to {max}"))
                    })
            })
        };
        let short = |field: &'static str, text: Option<String>| {
            text.filter(|text| !text.is_empty())
                .map(|text| {
                    if text.chars().count() > MAX_SHORT_TEXT {
                        Err(invalid(field, "at most 200 characters"))
                    } else {
                        Ok(text)
                    }
                })
                .transpose()
        };
        Ok(CaseQuery {
            statuses,
            priority,
            site: short("site", self.site)?,
            survey: short("survey", self.survey)?,
            url: short("url", self.url)?,
            assignee: short("assignee", self.assignee)?,
            overdue,
            from: time("from", self.from, false)?,
            to: time("to", self.to, true)?,
            text: short("q", self.q)?,
            reminder_due,
            page: number("page", self.page, 1, u32::MAX)?,
            per_page: number("per_page", self.per_page, DEFAULT_PER_PAGE, MAX_PER_PAGE)?,
        })
    }
}

/// `YYYY-MM-DD`, checked as the date part of a timestamp.
fn is_date(text: &str) -> bool {
    text.len() == 10 && is_utc_timestamp(&format!("{text}T00:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &str) -> Result<CaseQuery, CaseInputError> {
        let text: CaseQueryText = serde_urlencoded_like(pairs);
        text.check()
    }

    /// Builds the query text the way the router's `Query` extractor would.
    fn serde_urlencoded_like(pairs: &str) -> CaseQueryText {
        let object: serde_json::Map<String, serde_json::Value> = pairs
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').expect("key=value");
                (key.to_owned(), value.into())
            })
            .collect();
        serde_json::from_value(object.into()).expect("query text")
    }

    fn refused_field(pairs: &str) -> &'static str {
        match query(pairs) {
            Err(CaseInputError::Query { field, .. }) => field,
            other => panic!("expected a refusal of {pairs}, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_the_first_page_of_everything() {
        let query = query("").expect("query");
        assert_eq!(query.page, 1);
        assert_eq!(query.per_page, DEFAULT_PER_PAGE);
        assert!(query.statuses.is_empty());
    }

    #[test]
    fn reads_every_filter() {
        let query = query(
            "status=open&priority=high&site=shop&overdue=true&from=2026-11-01&to=2026-11-30\
             &q=refund&page=2&per_page=10&survey=feedback&url=checkout&assignee=ana&reminder=due",
        )
        .expect("query");
        assert_eq!(query.statuses.len(), 3);
        assert_eq!(query.priority, Some(Priority::High));
        assert_eq!(query.overdue, Some(true));
        assert_eq!(query.from.as_deref(), Some("2026-11-01T00:00:00.000Z"));
        assert_eq!(query.to.as_deref(), Some("2026-11-30T23:59:59.999Z"));
        assert_eq!((query.page, query.per_page), (2, 10));
        assert!(query.reminder_due);
    }

    #[test]
    fn names_the_wrong_parameter() {
        assert_eq!(refused_field("status=closed"), "status");
        assert_eq!(refused_field("priority=HIGH"), "priority");
        assert_eq!(refused_field("overdue=yes"), "overdue");
        assert_eq!(refused_field("from=2026-13-01"), "from");
        assert_eq!(refused_field("to=yesterday"), "to");
        assert_eq!(refused_field("page=0"), "page");
        assert_eq!(refused_field("per_page=501"), "per_page");
        assert_eq!(refused_field("reminder=soon"), "reminder");
    }

    #[test]
    fn a_change_with_overlong_notes_is_refused() {
        let change = CaseChange {
            notes: Some("n".repeat(MAX_NOTES + 1)),
            ..CaseChange::default()
        };
        assert!(matches!(
            change.check(),
            Err(CaseInputError::Change { field: "notes", .. })
        ));
        assert!(CaseChange::default().check().is_ok());
        let signed = CaseChange {
            visitor_note: Some("n".repeat(MAX_VISITOR_NOTE)),
            visitor_note_from: Some("s".repeat(MAX_SIGNATURE + 1)),
            ..CaseChange::default()
        };
        assert!(matches!(
            signed.check(),
            Err(CaseInputError::Change {
                field: "visitor_note_from",
                ..
            })
        ));
        let late = CaseChange {
            remind_in_days: Some(MAX_DAYS + 1),
            ..CaseChange::default()
        };
        assert!(matches!(
            late.check(),
            Err(CaseInputError::Change {
                field: "remind_in_days",
                ..
            })
        ));
    }

    #[test]
    fn edits_list_only_what_really_changes() {
        let change = CaseChange {
            status: Some(Status::Acknowledged),
            assignee: Some("  ".into()),
            notes: Some("same".into()),
            visitor_note: Some(" Fixed. ".into()),
            visitor_note_from: Some(String::new()),
            remind_in_days: Some(3),
        };
        let now = Editable {
            status: "new",
            assignee: Some("ana"),
            notes: "same",
            ..Editable::default()
        };
        assert_eq!(
            change.edits(now),
            vec![
                ("status", Some("new"), Some("acknowledged")),
                ("assignee", Some("ana"), None),
                ("visitor_note", None, Some("Fixed.")),
            ]
        );
        let after = Editable {
            status: "acknowledged",
            assignee: None,
            notes: "same",
            visitor_note: Some("Fixed."),
            visitor_note_from: None,
        };
        assert_eq!(change.edits(after), vec![]);
        assert_eq!(CaseChange::default().edits(now), vec![]);
    }
}
