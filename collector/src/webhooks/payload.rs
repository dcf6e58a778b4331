//! What a webhook receives about a new case, or a case whose reminder came due: generic JSON
//! (`{"type": "case.opened", "data": {...}}`, `case.reminder`), or a Slack-compatible
//! `{"text": ...}` message that an incoming-webhook URL of Slack (or Mattermost, or Discord's
//! `/slack` endpoint) shows as is.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::triage::Priority;

/// The body format of a webhook.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Generic JSON with the whole response.
    #[default]
    Json,
    /// One line of text for a chat channel.
    Slack,
}

/// What is announced about a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// It was opened (or first matched the hook).
    Opened,
    /// Someone asked to be reminded of it at `remind_at`, and that time has come.
    Reminder {
        /// When the reminder was due, RFC 3339 UTC.
        remind_at: &'a str,
    },
}

/// What happened, for [`render`].
pub struct Event<'a> {
    /// What is announced.
    pub kind: Kind<'a>,
    /// The case (response) id.
    pub id: &'a str,
    /// The site.
    pub site: &'a str,
    /// The case's priority.
    pub priority: Priority,
    /// Why it has that priority.
    pub reason: &'a str,
    /// The response body.
    pub response: &'a Value,
    /// Where the inbox is served, to link the case, when configured.
    pub public_url: Option<&'a str>,
}

impl Event<'_> {
    fn link(&self) -> Option<String> {
        self.public_url
            .map(|base| format!("{}/inbox/cases/{}", base.trim_end_matches('/'), self.id))
    }
}

/// The body sent for `event` in `format`.
pub fn render(format: Format, event: &Event<'_>) -> String {
    let body = match format {
        Format::Json => {
            let mut data = json!({
                "id": event.id,
                "site": event.site,
                "priority": event.priority,
                "priority_reason": event.reason,
                "url": event.link(),
                "response": without_secret(event.response),
            });
            let kind = match event.kind {
                Kind::Opened => "case.opened",
                Kind::Reminder { remind_at } => {
                    data["remind_at"] = json!(remind_at);
                    "case.reminder"
                }
            };
            json!({ "type": kind, "data": data })
        }
        Format::Slack => json!({ "text": slack_text(event) }),
    };
    body.to_string()
}

/// The response without its recovery case's secret: a receiver (a chat, an automation service) needs the
/// reference, and the secret is what would let it ask the visitor's follow-up status.
fn without_secret(response: &Value) -> Value {
    let mut response = response.clone();
    if let Some(recovery) = response.get_mut("recovery").and_then(Value::as_object_mut) {
        recovery.remove("secret");
    }
    response
}

/// Slack's mrkdwn treats `&`, `<` and `>` as markup; everything else is shown as typed.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn slack_text(event: &Event<'_>) -> String {
    let said = event.response["answers"]
        .as_array()
        .and_then(|answers| {
            answers
                .iter()
                .find(|answer| answer["type"] == "text")
                .and_then(|answer| answer["value"].as_str())
        })
        .map(|text| {
            let short: String = text.chars().take(300).collect();
            format!("\n> {}", slack_escape(&short))
        })
        .unwrap_or_default();
    let link = event
        .link()
        .map(|url| format!("\n<{url}|Open the case>"))
        .unwrap_or_default();
    let about = match event
        .response
        .pointer("/survey/id")
        .and_then(|id| id.as_str())
    {
        Some(survey) => format!("survey {}", slack_escape(survey)),
        None => "feedback".to_owned(),
    };
    let reminder = match event.kind {
        Kind::Opened => "",
        Kind::Reminder { .. } => "Reminder: check back on ",
    };
    format!(
        "{reminder}*{}* {about} on {} ({}){said}{link}",
        event.priority.as_str().to_uppercase(),
        slack_escape(event.site),
        slack_escape(event.reason),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const REASON: &str = "priority high: rating 1, wants_contact";

    fn event(response: &Value) -> Event<'_> {
        Event {
            kind: Kind::Opened,
            id: "c1",
            site: "shop",
            priority: Priority::High,
            reason: REASON,
            response,
            public_url: Some("https://rebound.example/"),
        }
    }

    #[test]
    fn json_carries_the_case_and_the_response() {
        let response = json!({"answers": []});
        let body: Value =
            serde_json::from_str(&render(Format::Json, &event(&response))).expect("JSON");
        assert_eq!(body["type"], "case.opened");
        assert_eq!(body["data"]["priority"], "high");
        assert_eq!(body["data"]["response"], response);
        assert_eq!(
            body["data"]["url"],
            "https://rebound.example/inbox/cases/c1"
        );
    }

    #[test]
    fn json_leaves_the_cases_secret_out() {
        let response =
            json!({"answers": [], "recovery": {"reference": "RB-7KQ2", "secret": "S3CRET"}});
        let body = render(Format::Json, &event(&response));
        assert!(!body.contains("S3CRET"), "{body}");
        let body: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(
            body["data"]["response"]["recovery"],
            json!({"reference": "RB-7KQ2"})
        );
    }

    #[test]
    fn slack_text_is_one_escaped_message() {
        let response = json!({"answers": [{"question": "m", "type": "text", "value": "<b>refund</b> & more"}]});
        let body: Value =
            serde_json::from_str(&render(Format::Slack, &event(&response))).expect("JSON");
        assert_eq!(
            body["text"],
            "*HIGH* feedback on shop (priority high: rating 1, wants_contact)\n\
             > &lt;b&gt;refund&lt;/b&gt; &amp; more\n\
             <https://rebound.example/inbox/cases/c1|Open the case>"
        );
    }

    #[test]
    fn a_reminder_says_so_and_when_it_was_due() {
        let response = json!({"answers": []});
        let reminder = Event {
            kind: Kind::Reminder {
                remind_at: "2026-12-04T10:00:00.000Z",
            },
            ..event(&response)
        };
        let body: Value = serde_json::from_str(&render(Format::Json, &reminder)).expect("JSON");
        assert_eq!(body["type"], "case.reminder");
        assert_eq!(body["data"]["remind_at"], "2026-12-04T10:00:00.000Z");
        assert_eq!(body["data"]["priority_reason"], REASON);
        let body: Value = serde_json::from_str(&render(Format::Slack, &reminder)).expect("JSON");
        let text = body["text"].as_str().expect("text");
        assert!(
            text.starts_with("Reminder: check back on *HIGH* feedback on shop"),
            "{text}"
        );
    }

    #[test]
    fn slack_text_names_the_survey() {
        let response =
            json!({"kind": "survey", "survey": {"id": "exit<1>", "version": 1}, "answers": []});
        let body: Value =
            serde_json::from_str(&render(Format::Slack, &event(&response))).expect("JSON");
        let text = body["text"].as_str().expect("text");
        assert!(
            text.starts_with("*HIGH* survey exit&lt;1&gt; on shop ("),
            "{text}"
        );
    }
}
