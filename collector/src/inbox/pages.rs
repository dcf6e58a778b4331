//! The inbox's pages: login, the queue, one case, and the error page, as maud templates. Each
//! function returns the whole document.

use maud::{html, Markup};
use serde_json::Value;

use super::chart;
use super::html::{encode, json_value, logout, page, select};
use crate::cases::{Case, CaseDetail, CasePage, Status};
use crate::submission::survey_of;
use crate::trends::{Count, Trends};
use crate::triage::Priority;

/// The login form; `csrf` is the double-submit value also set as a cookie.
pub fn login(csrf: &str, problem: Option<&str>) -> String {
    let body = html! {
        @if let Some(problem) = problem {
            p.error { (problem) }
        }
        section {
            form method="post" action="/inbox/login" class="filters" {
                input type="hidden" name="csrf" value=(csrf);
                label {
                    "Admin token"
                    input type="password" name="token" autocomplete="current-password" required autofocus;
                }
                button { "Sign in" }
            }
        }
    };
    page("Sign in", html! {}, body)
}

/// An error page with a way back.
pub fn error(title: &str, message: &str) -> String {
    let body = html! {
        p.error { (message) }
        p { a href="/inbox" { "Back to the inbox" } }
    };
    page(title, html! {}, body)
}

/// What the queue was filtered by, to keep the form filled in and the page links.
pub struct QueueFilters<'a> {
    /// `open`, `all` or a status.
    pub status: &'a str,
    /// A priority, or empty.
    pub priority: &'a str,
    /// Search text, or empty.
    pub q: &'a str,
    /// `due` for the cases whose reminder has come, or empty.
    pub reminder: &'a str,
}

impl QueueFilters<'_> {
    fn query(&self, page: u32) -> String {
        format!(
            "?status={}&priority={}&q={}&reminder={}&page={page}",
            encode(self.status),
            encode(self.priority),
            encode(self.q),
            encode(self.reminder)
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

fn overdue_mark(case: &Case) -> Markup {
    html! {
        @if case.overdue {
            " " span.overdue { "overdue" }
        }
        @if case.reminder_due {
            " " span.reminder { "reminder due" }
        }
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
    let mut statuses = vec![("open", "Open"), ("all", "All")];
    statuses.extend(Status::ALL.map(|status| (status.as_str(), status.as_str())));
    let mut priorities = vec![("", "Any")];
    priorities.extend(Priority::ALL.map(|priority| (priority.as_str(), priority.as_str())));
    let body = html! {
        p {
            a href="/inbox/trends" { "Trends: what unhappy visitors complain about" }
            " · " a href="/inbox/surveys" { "Surveys: write, preview and publish" }
        }
        @if failed_webhooks > 0 {
            p.error {
                (failed_webhooks) " webhook deliveries failed for good: the people they were for \
                were not told. See GET /v1/webhooks/deliveries?status=failed, or the cases' pages."
            }
        }
        form method="get" action="/inbox" class="filters" {
            (select("status", "Status", &statuses, filters.status))
            (select("priority", "Priority", &priorities, filters.priority))
            label { "Search" input type="search" name="q" value=(filters.q); }
            (select("reminder", "Reminder", &[("", "Any"), ("due", "Due")], filters.reminder))
            button { "Filter" }
        }
        p.meta { (cases.total) " cases" }
        ol.queue {
            @for case in &cases.cases {
                (queue_item(case))
            }
        }
        p {
            @if cases.page > 1 {
                a href={ "/inbox" (filters.query(cases.page - 1)) } { "Newer page" } " "
            }
            @if u64::from(cases.page) * u64::from(cases.per_page) < cases.total {
                a href={ "/inbox" (filters.query(cases.page + 1)) } { "Next page" }
            }
        }
    };
    page("Inbox", logout(csrf), body)
}

/// One line of the queue.
fn queue_item(case: &Case) -> Markup {
    let response: Value = serde_json::from_str(case.response.get()).unwrap_or_default();
    let priority = case.priority.as_str();
    html! {
        li class=(priority) {
            span.badge { (priority) }
            (overdue_mark(case))
            " "
            a href={ "/inbox/cases/" (case.id) } { (summary(&response)) }
            div.meta {
                (case.site) " · " (survey_of(&response)) " · " (case.status.as_str())
                " · opened " (case.opened_at)
                @if Status::UNANSWERED.contains(&case.status) { " · reply by " (case.due_at) }
                @if let Some(name) = &case.assignee { " · " (name) }
            }
        }
    }
}

/// One answer's value, for people.
fn answer_value(kind: Option<&str>, value: &Value) -> Markup {
    html! {
        @match kind {
            Some(kind @ ("rating" | "nps" | "csat")) => {
                @let (scale, top) = match kind {
                    "nps" => ("NPS ", 10),
                    "csat" => ("CSAT ", 5),
                    _ => ("", 5),
                };
                (scale) (value.to_string()) " / " (top)
            }
            Some("single" | "multi") => {
                @let chosen: Vec<&str> = value["option"]
                    .as_str()
                    .into_iter()
                    .chain(value["options"].as_array().into_iter().flatten().filter_map(Value::as_str))
                    .collect();
                (chosen.join(", "))
                @if let Some(other) = value["other"].as_str() {
                    " (other: " (other) ")"
                }
            }
            Some("contact") => {
                @if let Some(email) = value["email"].as_str() {
                    a href={ "mailto:" (email) } { (email) } " "
                }
                @if let Some(phone) = value["phone"].as_str() {
                    a href={ "tel:" (phone) } { (phone) } " "
                }
                "(may be contacted)"
            }
            _ => (json_value(value)),
        }
    }
}

fn answers(response: &Value) -> Markup {
    html! {
        section {
            h2 { "Answers" }
            dl {
                @for answer in response["answers"].as_array().map_or(&[][..], Vec::as_slice) {
                    dt { (answer["question"].as_str().unwrap_or("?")) }
                    dd { (answer_value(answer["type"].as_str(), &answer["value"])) }
                }
            }
        }
    }
}

/// What the widget's recovery learnt, for the person who answers: the case number the visitor
/// quotes, what they would consider fair (in their words too), how to reach them, what was given
/// at once, and whether they reported a failure before (recovery rarely works twice). The case's
/// secret is for follow-ups and is not shown.
fn recovery(response: &Value) -> Markup {
    let recovery = &response["recovery"];
    let text = |key: &str| recovery[key].as_str().unwrap_or_default();
    let repeats = recovery["previous_failures"].as_u64().unwrap_or(0);
    html! {
        @if recovery.is_object() {
            section.recovery {
                h2 { "Recovery " (text("reference")) }
                dl {
                    dt { "Rule" } dd { (text("rule")) " · severity " (text("severity")) }
                    dt { "Fair solution" }
                    dd {
                        @match text("motive") {
                            "" => "not chosen yet",
                            "other" => { "in their words: “" (text("motive_text")) "”" },
                            motive => (motive),
                        }
                    }
                    @if recovery["contact"].is_object() {
                        dt { "Reach them" } dd { (answer_value(Some("contact"), &recovery["contact"])) }
                    }
                    @if let Some(remedy) = recovery["remedy"].as_object() {
                        dt { "Given at once" }
                        dd {
                            @if let Some(code) = remedy.get("voucher").and_then(Value::as_str) { "voucher " (code) }
                            @if let Some(link) = remedy.get("link").and_then(Value::as_str) { "link " (link) }
                        }
                    }
                    @if repeats > 0 {
                        dt { "Repeat failure" } dd { (repeats) " earlier in this browser" }
                    }
                }
            }
        }
    }
}

/// What the failure trigger that showed the survey saw: the request (URL, status, duration), the
/// clicked element, the script error or the refused field, whichever the kind has.
fn failure(response: &Value) -> Markup {
    let failure = &response["failure"];
    let rows = [
        ("URL", "url"),
        ("Status", "status"),
        ("Duration (ms)", "duration_ms"),
        ("Element", "selector"),
        ("Clicks", "clicks"),
        ("Message", "message"),
        ("Script", "script"),
        ("Field", "field"),
        ("Times", "times"),
        ("Rule", "rule"),
    ];
    html! {
        @if failure.is_object() {
            section.failure {
                h2 { "Failure: " (failure["kind"].as_str().unwrap_or_default()) }
                dl {
                    @for (title, key) in rows {
                        @match &failure[key] {
                            Value::String(text) => { dt { (title) } dd { (text) } }
                            Value::Number(number) => { dt { (title) } dd { (number.to_string()) } }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
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
    let statuses: Vec<(&str, &str)> = Status::ALL
        .iter()
        .map(|status| (status.as_str(), status.as_str()))
        .collect();
    let body = html! {
        p { a href="/inbox" { "← Queue" } }
        section {
            p { span.badge { (case.priority.as_str()) } (overdue_mark(case)) " " (case.priority_reason) }
            p.meta {
                (case.site) " · " (survey_label(&response)) " · " (case.status.as_str())
                " · opened " (case.opened_at) " · reply by " (case.due_at)
                @if let Some(at) = &case.remind_at { " · check back " (at) }
            }
            @if response.get("survey").is_some() {
                p { a href={ "/inbox/surveys/" (encode(survey_of(&response))) "?site=" (encode(&case.site)) } { "This survey's results" } }
            }
        }
        (answers(&response))
        (failure(&response))
        (recovery(&response))
        @for (title, key) in [
            ("Page", "page"),
            ("Context", "context"),
            ("Signals", "signals"),
            ("Visitor", "visitor"),
            ("Diagnostics", "diagnostics"),
            ("Browser", "client"),
        ] {
            @if let Some(value) = response.get(key) {
                section { h2 { (title) } (json_value(value)) }
            }
        }
        section {
            h2 { "Handle" }
            form method="post" action={ "/inbox/cases/" (case.id) } class="change" {
                input type="hidden" name="csrf" value=(csrf);
                (select("status", "Status", &statuses, case.status.as_str()))
                label { "Assignee" input name="assignee" value=(case.assignee.as_deref().unwrap_or_default()); }
                label.notes { "Internal notes" textarea name="notes" { (case.notes) } }
                @if response.get("recovery").is_some() {
                    label.notes {
                        "Note to the visitor (their browser shows it once, after the case is resolved)"
                        textarea name="visitor_note" maxlength="2000" {
                            (case.visitor_note.as_deref().unwrap_or_default())
                        }
                    }
                    label {
                        "Signed"
                        input name="visitor_note_from" maxlength="100" placeholder="Ana, Fernwood support"
                            value=(case.visitor_note_from.as_deref().unwrap_or_default());
                    }
                }
                label {
                    "Check back in (days; 0 clears the reminder)"
                    input type="number" name="remind_in_days" min="0" max="365" inputmode="numeric";
                }
                button { "Save" }
            }
        }
        @if !detail.deliveries.is_empty() {
            section {
                h2 { "Webhooks" }
                ul {
                    @for delivery in &detail.deliveries {
                        li {
                            (delivery.hook) " · " (delivery.status.as_str()) " after "
                            (delivery.attempts) " attempts"
                            @if let Some(error) = &delivery.last_error { " · last error: " (error) }
                        }
                    }
                }
            }
        }
        section {
            h2 { "History" }
            ol {
                @for event in &detail.history {
                    li {
                        (event.at) " · " (event.actor) " set " (event.field) " from “"
                        (event.old.as_deref().unwrap_or("")) "” to “"
                        (event.new.as_deref().unwrap_or("")) "”"
                    }
                }
            }
        }
    };
    page(&format!("Case {}", case.id), logout(csrf), body)
}

/// The most frequent key of `counts` (the first of equals), if any has a count.
fn first(counts: &[Count]) -> Option<&Count> {
    let most = counts.iter().map(|count| count.count).max()?;
    counts.iter().find(|count| count.count == most && most > 0)
}

/// The sentence a support lead reads first: the commonest complaint, page, hour and weekday.
fn headline(trends: &Trends) -> Option<String> {
    let by = &trends.by;
    let about = first(&by.phrase)
        .or_else(|| first(&by.word))
        .or_else(|| first(&by.option))
        .or_else(|| first(&by.motive))?;
    let mut parts = vec![format!("“{}”", about.key)];
    if let Some(page) = first(&by.page) {
        parts.push(format!("on {}", page.key));
    }
    if let Some(hour) = first(&by.hour) {
        parts.push(format!("mostly {}:00–{}:59 UTC", hour.key, hour.key));
    }
    if let Some(day) = first(&by.weekday) {
        parts.push(format!("on {}", day.key));
    }
    Some(format!("Most complaints: {}", parts.join(", ")))
}

/// The trends page: the headline, the period picker, and a chart per dimension.
pub fn trends(trends: &Trends, csrf: &str) -> String {
    let period = &trends.period;
    let site = period.site.as_deref().unwrap_or_default();
    let query = format!(
        "?from={}&to={}&site={}",
        period.from,
        period.to,
        encode(site)
    );
    let by = &trends.by;
    let body = html! {
        p { a href="/inbox" { "← Queue" } }
        section {
            form method="get" action="/inbox/trends" class="filters" {
                label { "From" input type="date" name="from" value=(period.from); }
                label { "To" input type="date" name="to" value=(period.to); }
                label { "Site" input name="site" value=(site) placeholder="all"; }
                button { "Show" }
            }
            p.meta {
                a href="/inbox/trends" { "Last 7 days" } " · "
                a href={ "/inbox/trends.csv" (query) } { "CSV" } " · "
                (trends.unhappy) " unhappy of " (trends.responses) " responses from "
                (period.from) " to " (period.to) ", hours and weekdays in UTC"
                @if trends.truncated { " (only the newest were read)" }
            }
            @if let Some(headline) = headline(trends) {
                p.headline { (headline) }
            }
        }
        section {
            (chart::bars("Phrases", &by.phrase))
            (chart::bars("Words", &by.word))
            (chart::bars("Pages", &by.page))
            (chart::bars("Chosen options (question=option)", &by.option))
            (chart::bars("Fair solution asked for", &by.motive))
            (chart::bars("Surveys", &by.survey))
            (chart::bars("Triggers", &by.trigger))
            (chart::bars("Failures, of every response a failure showed", &by.failure))
            (chart::bars("Failures by URL", &by.failure_url))
            (chart::columns("Hour of day (UTC)", &by.hour))
            (chart::columns("Weekday (UTC)", &by.weekday))
        }
    };
    page("Trends", logout(csrf), body)
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
        reminder: "due",
    };

    #[test]
    fn failed_webhooks_are_announced_on_the_queue() {
        assert!(queue(&empty(), &FILTERS, 2, "t").contains("2 webhook deliveries failed"));
        assert!(!queue(&empty(), &FILTERS, 0, "t").contains("webhook"));
    }

    #[test]
    fn a_recovery_case_shows_what_to_act_on_but_not_its_secret() {
        let response = serde_json::json!({"recovery": {
            "rule": "late-order", "severity": "urgent", "reference": "RB-7KQ2",
            "secret": "0123456789ABCDEFGHJKMNPQRSTV", "previous_failures": 2,
            "motive": "other", "motive_text": "Deliver it <tomorrow>",
            "contact": {"email": "ana@example.com", "consent": true},
            "remedy": {"voucher": "SORRY10"}
        }});
        let html = recovery(&response).into_string();
        for shown in [
            "Recovery RB-7KQ2",
            "late-order · severity urgent",
            "in their words: “Deliver it &lt;tomorrow&gt;”",
            "mailto:ana@example.com",
            "voucher SORRY10",
            "2 earlier in this browser",
        ] {
            assert!(html.contains(shown), "{shown} in {html}");
        }
        assert!(!html.contains("0123456789ABCDEFGHJKMNPQRSTV"));
        assert_eq!(recovery(&serde_json::json!({})).into_string(), "");
    }

    #[test]
    fn the_headline_names_the_commonest_complaint_page_and_time() {
        let count = |key: &str, count| Count {
            key: key.to_owned(),
            count,
        };
        let mut trends = crate::trends::Tally::default().finish(
            crate::trends::Period {
                from: "2026-11-25".to_owned(),
                to: "2026-12-01".to_owned(),
                site: None,
            },
            false,
        );
        assert_eq!(headline(&trends), None);
        trends.by.phrase = vec![count("late delivery", 5), count("wrong size", 5)];
        trends.by.page = vec![count("/checkout", 7)];
        trends.by.hour[18].count = 4;
        trends.by.weekday[4].count = 3;
        assert_eq!(
            headline(&trends).as_deref(),
            Some("Most complaints: “late delivery”, on /checkout, mostly 18:00–18:59 UTC, on Fri")
        );
        let html = super::trends(&trends, "t");
        assert!(html.contains("<svg"), "{html}");
        assert!(html.contains("late delivery"), "{html}");
    }

    #[test]
    fn a_failure_case_shows_what_failed() {
        let response = serde_json::json!({"failure": {
            "kind": "request_failed", "rule": "/api/payment*",
            "url": "https://shop.example/api/payment", "status": 502, "duration_ms": 840
        }});
        let html = failure(&response).into_string();
        for shown in [
            "Failure: request_failed",
            "https://shop.example/api/payment",
            "<dd>502</dd>",
            "<dd>840</dd>",
            "/api/payment*",
        ] {
            assert!(html.contains(shown), "{shown} in {html}");
        }
        assert_eq!(failure(&serde_json::json!({})).into_string(), "");
    }

    #[test]
    fn page_links_keep_the_filters_encoded() {
        assert_eq!(
            FILTERS.query(2),
            "?status=open&priority=&q=a%26b&reminder=due&page=2"
        );
    }
}
