//! The inbox's pages: login, the queue, one case, and the error page. Each function returns the
//! whole document; every dynamic value goes through [`Escaped`].

use std::fmt::Write as _;

use serde_json::Value;

use super::html::{json_value, page, Escaped};
use crate::cases::{Case, CaseDetail, CasePage, Status};
use crate::submission::survey_of;
use crate::triage::Priority;

/// The login form; `csrf` is the double-submit value also set as a cookie.
pub fn login(csrf: &str, problem: Option<&str>) -> String {
    let mut body = String::new();
    if let Some(problem) = problem {
        let _ = write!(body, "<p class=\"error\">{}</p>", Escaped(problem));
    }
    let _ = write!(
        body,
        "<section><form method=\"post\" action=\"/inbox/login\" class=\"filters\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <label>Admin token<input type=\"password\" name=\"token\" autocomplete=\"current-password\" \
         required autofocus></label><button>Sign in</button></form></section>",
        Escaped(csrf)
    );
    page("Sign in", "", &body)
}

/// An error page with a way back.
pub fn error(title: &str, message: &str) -> String {
    let body = format!(
        "<p class=\"error\">{}</p><p><a href=\"/inbox\">Back to the inbox</a></p>",
        Escaped(message)
    );
    page(title, "", &body)
}

fn logout(csrf: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/inbox/logout\"><input type=\"hidden\" name=\"csrf\" \
         value=\"{}\"><button>Sign out</button></form>",
        Escaped(csrf)
    )
}

/// A `<select>` named `name` offering `options` (value, label), with `selected` chosen.
fn select(name: &str, label: &str, options: &[(&str, &str)], selected: &str) -> String {
    let mut html = format!("<label>{label}<select name=\"{name}\">");
    for (value, text) in options {
        let chosen = if *value == selected { " selected" } else { "" };
        let _ = write!(
            html,
            "<option value=\"{}\"{chosen}>{}</option>",
            Escaped(value),
            Escaped(text)
        );
    }
    html.push_str("</select></label>");
    html
}

/// What the queue was filtered by, to keep the form filled in and the page links.
pub struct QueueFilters<'a> {
    /// `open`, `all` or a status.
    pub status: &'a str,
    /// A priority, or empty.
    pub priority: &'a str,
    /// Search text, or empty.
    pub q: &'a str,
}

impl QueueFilters<'_> {
    fn query(&self, page: u32) -> String {
        let encode = |text: &str| -> String {
            text.bytes()
                .map(|byte| match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        char::from(byte).to_string()
                    }
                    other => format!("%{other:02X}"),
                })
                .collect()
        };
        format!(
            "?status={}&priority={}&q={}&page={page}",
            encode(self.status),
            encode(self.priority),
            encode(self.q)
        )
    }
}

/// A short line about what the visitor said: the rating and the start of their text.
fn summary(response: &Value) -> String {
    let answers = response["answers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let rating = answers
        .iter()
        .find(|answer| matches!(answer["type"].as_str(), Some("rating" | "nps" | "csat")))
        .map(|answer| {
            let kind = answer["type"].as_str().unwrap_or_default();
            format!("{kind} {} · ", answer["value"])
        });
    let text = answers
        .iter()
        .find_map(|answer| {
            answer["value"]
                .as_str()
                .filter(|_| answer["type"] == "text")
        })
        .map(|text| {
            let mut short: String = text.chars().take(120).collect();
            if short.len() < text.len() {
                short.push('…');
            }
            short
        });
    format!(
        "{}{}",
        rating.unwrap_or_default(),
        text.unwrap_or_else(|| "(no text)".to_owned())
    )
}

fn overdue_mark(case: &Case) -> &'static str {
    if case.overdue {
        " <span class=\"overdue\">overdue</span>"
    } else {
        ""
    }
}

/// The queue: a warning when webhooks failed, filters, then the cases most urgent and oldest
/// first, then page links.
pub fn queue(
    cases: &CasePage,
    filters: &QueueFilters<'_>,
    failed_webhooks: u64,
    csrf: &str,
) -> String {
    let mut body = String::new();
    if failed_webhooks > 0 {
        let _ = write!(
            body,
            "<p class=\"error\">{failed_webhooks} webhook deliveries failed for good: the people \
             they were for were not told. See GET /v1/webhooks/deliveries?status=failed, or the \
             cases' pages.</p>"
        );
    }
    body.push_str("<form method=\"get\" action=\"/inbox\" class=\"filters\">");
    let mut statuses = vec![("open", "Open"), ("all", "All")];
    statuses.extend(Status::ALL.map(|status| (status.as_str(), status.as_str())));
    body.push_str(&select("status", "Status", &statuses, filters.status));
    let mut priorities = vec![("", "Any")];
    priorities.extend(Priority::ALL.map(|priority| (priority.as_str(), priority.as_str())));
    body.push_str(&select(
        "priority",
        "Priority",
        &priorities,
        filters.priority,
    ));
    let _ = write!(
        body,
        "<label>Search<input type=\"search\" name=\"q\" value=\"{}\"></label>\
         <button>Filter</button></form>",
        Escaped(filters.q)
    );
    let _ = write!(
        body,
        "<p class=\"meta\">{} cases</p><ol class=\"queue\">",
        cases.total
    );
    for case in &cases.cases {
        let response: Value = serde_json::from_str(case.response.get()).unwrap_or_default();
        let _ = write!(
            body,
            "<li class=\"{priority}\"><span class=\"badge\">{priority}</span>{overdue} \
             <a href=\"/inbox/cases/{id}\">{summary}</a>\
             <div class=\"meta\">{site} · {survey} · {status} · opened {opened}{assignee}</div></li>",
            priority = case.priority,
            survey = Escaped(survey_of(&response)),
            overdue = overdue_mark(case),
            id = Escaped(&case.id),
            summary = Escaped(&summary(&response)),
            site = Escaped(&case.site),
            status = case.status.as_str(),
            opened = Escaped(&case.opened_at),
            assignee = case
                .assignee
                .as_deref()
                .map(|name| format!(" · {}", Escaped(name)))
                .unwrap_or_default(),
        );
    }
    body.push_str("</ol><p>");
    if cases.page > 1 {
        let _ = write!(
            body,
            "<a href=\"/inbox{}\">Newer page</a> ",
            Escaped(&filters.query(cases.page - 1))
        );
    }
    if u64::from(cases.page) * u64::from(cases.per_page) < cases.total {
        let _ = write!(
            body,
            "<a href=\"/inbox{}\">Next page</a>",
            Escaped(&filters.query(cases.page + 1))
        );
    }
    body.push_str("</p>");
    page("Inbox", &logout(csrf), &body)
}

fn answers(out: &mut String, response: &Value) {
    out.push_str("<section><h2>Answers</h2><dl>");
    for answer in response["answers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
    {
        let question = answer["question"].as_str().unwrap_or("?");
        let _ = write!(out, "<dt>{}</dt><dd>", Escaped(question));
        match (answer["type"].as_str(), &answer["value"]) {
            (Some(kind @ ("rating" | "nps" | "csat")), value) => {
                let (scale, top) = if kind == "nps" {
                    ("NPS ", 10)
                } else if kind == "csat" {
                    ("CSAT ", 5)
                } else {
                    ("", 5)
                };
                let _ = write!(out, "{scale}{} / {top}", Escaped(&value.to_string()));
            }
            (Some("single" | "multi"), value) => {
                let chosen: Vec<&str> = value["option"]
                    .as_str()
                    .into_iter()
                    .chain(
                        value["options"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str),
                    )
                    .collect();
                let _ = write!(out, "{}", Escaped(&chosen.join(", ")));
                if let Some(other) = value["other"].as_str() {
                    let _ = write!(out, " (other: {})", Escaped(other));
                }
            }
            (Some("contact"), value) => {
                if let Some(email) = value["email"].as_str() {
                    let _ = write!(out, "<a href=\"mailto:{0}\">{0}</a> ", Escaped(email));
                }
                if let Some(phone) = value["phone"].as_str() {
                    let _ = write!(out, "<a href=\"tel:{0}\">{0}</a> ", Escaped(phone));
                }
                out.push_str("(may be contacted)");
            }
            (_, value) => json_value(out, value),
        }
        out.push_str("</dd>");
    }
    out.push_str("</dl></section>");
}

/// What a case answers, for people: `feedback`, or `survey checkout-exit (version 2)`.
fn survey_label(response: &Value) -> String {
    match response.pointer("/survey/version") {
        Some(version) => format!("survey {} (version {version})", survey_of(response)),
        None => survey_of(response).to_owned(),
    }
}

/// One case: why it has its priority, what the visitor said, where and with what, the controls
/// to change it, and its history.
pub fn case(detail: &CaseDetail, csrf: &str) -> String {
    let case = &detail.case;
    let response: Value = serde_json::from_str(case.response.get()).unwrap_or_default();
    let mut body = format!(
        "<p><a href=\"/inbox\">← Queue</a></p><section><p><span class=\"badge\">{}</span>{} \
         {}</p><p class=\"meta\">{} · {} · {} · opened {} · due {}</p></section>",
        case.priority,
        overdue_mark(case),
        Escaped(&case.priority_reason),
        Escaped(&case.site),
        Escaped(&survey_label(&response)),
        case.status.as_str(),
        Escaped(&case.opened_at),
        Escaped(&case.due_at),
    );
    answers(&mut body, &response);
    for (title, key) in [
        ("Page", "page"),
        ("Context", "context"),
        ("Signals", "signals"),
        ("Visitor", "visitor"),
        ("Diagnostics", "diagnostics"),
        ("Browser", "client"),
    ] {
        if let Some(value) = response.get(key) {
            let _ = write!(body, "<section><h2>{title}</h2>");
            json_value(&mut body, value);
            body.push_str("</section>");
        }
    }
    let _ = write!(
        body,
        "<section><h2>Handle</h2><form method=\"post\" action=\"/inbox/cases/{}\" class=\"change\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        Escaped(&case.id),
        Escaped(csrf)
    );
    let statuses: Vec<(&str, &str)> = Status::ALL
        .iter()
        .map(|status| (status.as_str(), status.as_str()))
        .collect();
    body.push_str(&select("status", "Status", &statuses, case.status.as_str()));
    let _ = write!(
        body,
        "<label>Assignee<input name=\"assignee\" value=\"{}\"></label>\
         <label class=\"notes\">Internal notes<textarea name=\"notes\">{}</textarea></label>\
         <button>Save</button></form></section>",
        Escaped(case.assignee.as_deref().unwrap_or_default()),
        Escaped(&case.notes),
    );
    if !detail.deliveries.is_empty() {
        body.push_str("<section><h2>Webhooks</h2><ul>");
        for delivery in &detail.deliveries {
            let _ = write!(
                body,
                "<li>{} · {} after {} attempts{}</li>",
                Escaped(&delivery.hook),
                delivery.status.as_str(),
                delivery.attempts,
                delivery
                    .last_error
                    .as_deref()
                    .map(|error| format!(" · last error: {}", Escaped(error)))
                    .unwrap_or_default(),
            );
        }
        body.push_str("</ul></section>");
    }
    body.push_str("<section><h2>History</h2><ol>");
    for event in &detail.history {
        let _ = write!(
            body,
            "<li>{} · {} set {} from “{}” to “{}”</li>",
            Escaped(&event.at),
            Escaped(&event.actor),
            Escaped(&event.field),
            Escaped(event.old.as_deref().unwrap_or("")),
            Escaped(event.new.as_deref().unwrap_or("")),
        );
    }
    body.push_str("</ol></section>");
    page(&format!("Case {}", case.id), &logout(csrf), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> CasePage {
        CasePage {
            cases: Vec::new(),
            page: 1,
            per_page: 50,
            total: 0,
        }
    }

    const FILTERS: QueueFilters<'static> = QueueFilters {
        status: "open",
        priority: "",
        q: "a&b",
    };

    #[test]
    fn failed_webhooks_are_announced_on_the_queue() {
        assert!(queue(&empty(), &FILTERS, 2, "t").contains("2 webhook deliveries failed"));
        assert!(!queue(&empty(), &FILTERS, 0, "t").contains("webhook"));
    }

    #[test]
    fn page_links_keep_the_filters_encoded() {
        assert_eq!(FILTERS.query(2), "?status=open&priority=&q=a%26b&page=2");
    }
}
