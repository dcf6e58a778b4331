//! What a webhook receives about a new case: generic JSON (`{"type": "case.opened", "data":
//! {...}}`), or a Slack-compatible `{"text": ...}` message that an incoming-webhook URL of
//! Slack (or Mattermost, or Discord's `/slack` endpoint) shows as is.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::triage::Triage;

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

/// What happened, for [`render`].
pub struct Event<'a> {
    /// The case (response) id.
    pub id: &'a str,
    /// The site.
    pub site: &'a str,
    /// The case's priority and why.
    pub triage: &'a Triage,
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
        Format::Json => json!({
            "type": "case.opened",
            "data": {
                "id": event.id,
                "site": event.site,
                "priority": event.triage.priority,
                "priority_reason": event.triage.reason,
                "url": event.link(),
                "response": event.response,
            }
        }),
        Format::Slack => json!({ "text": slack_text(event) }),
    };
    body.to_string()
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
    format!(
        "*{}* {about} on {} ({}){said}{link}",
        event.triage.priority.as_str().to_uppercase(),
        slack_escape(event.site),
        slack_escape(&event.triage.reason),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::Priority;
    use std::time::Duration;

    fn triage() -> Triage {
        Triage {
            priority: Priority::High,
            reason: "priority high: rating 1, wants_contact".to_owned(),
            target: Duration::from_secs(3600),
        }
    }

    fn event<'a>(triage: &'a Triage, response: &'a Value) -> Event<'a> {
        Event {
            id: "c1",
            site: "shop",
            triage,
            response,
            public_url: Some("https://rebound.example/"),
        }
    }

    #[test]
    fn json_carries_the_case_and_the_response() {
        let response = json!({"answers": []});
        let triage = triage();
        let body: Value =
            serde_json::from_str(&render(Format::Json, &event(&triage, &response))).expect("JSON");
        assert_eq!(body["type"], "case.opened");
        assert_eq!(body["data"]["priority"], "high");
        assert_eq!(body["data"]["response"], response);
        assert_eq!(
            body["data"]["url"],
            "https://rebound.example/inbox/cases/c1"
        );
    }

    #[test]
    fn slack_text_is_one_escaped_message() {
        let response = json!({"answers": [{"question": "m", "type": "text", "value": "<b>refund</b> & more"}]});
        let triage = triage();
        let body: Value =
            serde_json::from_str(&render(Format::Slack, &event(&triage, &response))).expect("JSON");
        assert_eq!(
            body["text"],
            "*HIGH* feedback on shop (priority high: rating 1, wants_contact)\n\
             > &lt;b&gt;refund&lt;/b&gt; &amp; more\n\
             <https://rebound.example/inbox/cases/c1|Open the case>"
        );
    }

    #[test]
    fn slack_text_names_the_survey() {
        let response =
            json!({"kind": "survey", "survey": {"id": "exit<1>", "version": 1}, "answers": []});
        let triage = triage();
        let body: Value =
            serde_json::from_str(&render(Format::Slack, &event(&triage, &response))).expect("JSON");
        let text = body["text"].as_str().expect("text");
        assert!(
            text.starts_with("*HIGH* survey exit&lt;1&gt; on shop ("),
            "{text}"
        );
    }
}
