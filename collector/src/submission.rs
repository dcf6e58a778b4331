//! The submission contract, `schema/submission.v1.json`, as Rust types, and [`Submission::parse`],
//! which turns a request body into a [`Submission`] or names the field that breaks the contract.
//!
//! Serde checks the shape (types, required and unknown fields, enums); the checks here add
//! everything else the schema constrains (constants, lengths, patterns, ranges).

mod answer;
mod formats;
mod host;
mod serde_error;

use serde::Deserialize;
use thiserror::Error;

pub use answer::{Answer, AnswerType};
pub(crate) use formats::is_utc_timestamp;
pub use host::{Diagnostics, FailedRequest, PageError};

/// The only `schema_version` this collector understands.
pub const SCHEMA_VERSION: u64 = 1;

/// Most answers one submission may carry.
pub const MAX_ANSWERS: usize = 20;

/// Why a body is not a valid submission.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SubmissionError {
    /// The body is not JSON at all.
    #[error("{message}")]
    Json {
        /// What the JSON parser tripped over, with its position.
        message: String,
    },
    /// The body is JSON, but one field breaks the contract.
    #[error("{field}: {message}")]
    Field {
        /// Path of the field, like `answers[0].value`; `$` is the body itself.
        field: String,
        /// What the contract expects there.
        message: String,
    },
}

impl SubmissionError {
    fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Field {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// One submission, version 1. Only [`Submission::parse`] should make one, because serde alone
/// does not check everything the contract asks for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Version of the contract; always [`SCHEMA_VERSION`].
    pub schema_version: u64,
    /// Lowercase UUID v4, the same for every version of one response.
    pub id: String,
    /// The site the response belongs to.
    pub site: String,
    /// What the visitor answered.
    pub kind: Kind,
    /// Which survey, for kind `survey` only.
    pub survey: Option<SurveyRef>,
    /// What opened the form or showed the survey.
    pub trigger: Trigger,
    /// True when the visitor finished and sent the response.
    pub complete: bool,
    /// The answers in the order the questions were asked.
    pub answers: Vec<Answer>,
    /// The page the visitor was on.
    pub page: Page,
    /// The visitor's browser.
    pub client: Client,
    /// What the visitor did around a survey, for kind `survey` only.
    pub signals: Option<Signals>,
    /// Who the visitor is, as the host page said with `Rebound.identify`.
    pub visitor: Option<serde_json::Map<String, serde_json::Value>>,
    /// What the visitor was doing, as the host page said with `Rebound.setContext`.
    pub context: Option<serde_json::Map<String, serde_json::Value>>,
    /// Recent errors and failed requests on the page, when the site collects them.
    pub diagnostics: Option<Diagnostics>,
    /// When the response started, RFC 3339 in UTC.
    pub created_at: String,
}

/// What the visitor answered.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The form behind the feedback button.
    Feedback,
    /// A micro-survey; the submission then names it in `survey`.
    Survey,
}

impl Kind {
    /// The name the contract uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Feedback => "feedback",
            Self::Survey => "survey",
        }
    }
}

/// What opened the form or showed the survey, by its name in the contract.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// `button`: the feedback button.
    Button,
    /// `api`: `Rebound.open()` or `Rebound.show(id)`.
    Api,
    /// `exit_intent`: leaving the page.
    ExitIntent,
    /// `dwell`: active time.
    Dwell,
    /// `scroll`: scroll depth.
    Scroll,
    /// `event`: `Rebound.track(name)`.
    Event,
    /// `click`: a click on a named element.
    Click,
    /// `delay`: time after the page view.
    Delay,
}

/// Which survey a response answers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyRef {
    /// The survey's id from its definition.
    pub id: String,
    /// The version of the definition the visitor saw.
    pub version: u32,
}

/// What the visitor did around a survey.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signals {
    /// Seconds of active time on the page.
    pub active_seconds: u32,
    /// Deepest scroll on the page, in percent.
    pub scroll_depth: u32,
    /// Seconds from the survey appearing to the visitor finishing it; complete responses only.
    pub seconds_to_complete: Option<u32>,
}

/// The page the visitor was on.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The page's address.
    pub url: String,
    /// The document title.
    pub title: String,
    /// The referrer, empty when there was none.
    pub referrer: String,
}

/// The visitor's browser.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    /// The language the widget spoke (BCP 47).
    pub locale: String,
    /// The browser window's inner size in CSS pixels.
    pub viewport: Viewport,
    /// The browser's user agent string.
    pub user_agent: String,
}

/// A size in CSS pixels.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Viewport {
    /// Width in CSS pixels.
    pub width: u64,
    /// Height in CSS pixels.
    pub height: u64,
}

impl Submission {
    /// Reads a request body and checks it against the whole contract.
    pub fn parse(body: &[u8]) -> Result<Self, SubmissionError> {
        let text = std::str::from_utf8(body).map_err(|error| SubmissionError::Json {
            message: format!("the body is not UTF-8: {error}"),
        })?;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let submission: Self = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| serde_error::at("", error))?;
        // Trailing characters after the object mean the body is not one JSON value.
        deserializer.end().map_err(|error| SubmissionError::Json {
            message: error.to_string(),
        })?;
        submission.check()?;
        Ok(submission)
    }

    fn check(&self) -> Result<(), SubmissionError> {
        if self.schema_version != SCHEMA_VERSION {
            return Err(SubmissionError::field(
                "schema_version",
                format!("this collector accepts schema_version {SCHEMA_VERSION} only"),
            ));
        }
        if !formats::is_uuid_v4(&self.id) {
            return Err(SubmissionError::field(
                "id",
                "id must be a lowercase UUID version 4",
            ));
        }
        check_length("site", &self.site, 1, 200)?;
        self.check_survey()?;
        if self.answers.len() > MAX_ANSWERS {
            return Err(SubmissionError::field(
                "answers",
                format!("at most {MAX_ANSWERS} answers are allowed"),
            ));
        }
        for (index, answer) in self.answers.iter().enumerate() {
            answer.check(&format!("answers[{index}]"))?;
        }
        check_length("page.url", &self.page.url, 0, 2048)?;
        check_length("page.title", &self.page.title, 0, 500)?;
        check_length("page.referrer", &self.page.referrer, 0, 2048)?;
        check_length("client.locale", &self.client.locale, 0, 35)?;
        check_length("client.user_agent", &self.client.user_agent, 0, 1000)?;
        for (path, data) in [("visitor", &self.visitor), ("context", &self.context)] {
            if let Some(data) = data {
                host::check_host_data(path, data)?;
            }
        }
        if let Some(diagnostics) = &self.diagnostics {
            diagnostics.check()?;
        }
        if !formats::is_utc_timestamp(&self.created_at) {
            return Err(SubmissionError::field(
                "created_at",
                "created_at must be an RFC 3339 time in UTC, like 2026-11-23T09:40:00.000Z",
            ));
        }
        Ok(())
    }

    /// `survey` and `signals` are there for a survey and only then, and hold what the contract allows.
    fn check_survey(&self) -> Result<(), SubmissionError> {
        let is_survey = self.kind == Kind::Survey;
        for (field, present) in [
            ("survey", self.survey.is_some()),
            ("signals", self.signals.is_some()),
        ] {
            if present != is_survey {
                let message = if is_survey {
                    "a survey response must name its survey and carry its signals"
                } else {
                    "only a response of kind survey has survey and signals"
                };
                return Err(SubmissionError::field(
                    field,
                    format!(
                        "{field} is {}: {message}",
                        if present { "not allowed" } else { "missing" }
                    ),
                ));
            }
        }
        if let Some(survey) = &self.survey {
            check_length("survey.id", &survey.id, 1, 100)?;
        }
        if let Some(signals) = &self.signals {
            if signals.scroll_depth > 100 {
                return Err(SubmissionError::field(
                    "signals.scroll_depth",
                    "signals.scroll_depth is a percentage from 0 to 100",
                ));
            }
            if signals.seconds_to_complete.is_some() && !self.complete {
                return Err(SubmissionError::field(
                    "signals.seconds_to_complete",
                    "signals.seconds_to_complete is only sent with a complete response",
                ));
            }
        }
        Ok(())
    }
}

/// The survey a stored response answers: its `survey.id`, or `feedback` for the feedback form. This is
/// the name the inbox, exports, the `survey` filter and webhooks' `surveys` use.
pub fn survey_of(response: &serde_json::Value) -> &str {
    response
        .pointer("/survey/id")
        .or_else(|| response.get("kind"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
}

/// Checks a string's length the way JSON Schema counts it, in Unicode code points.
fn check_length(field: &str, value: &str, min: usize, max: usize) -> Result<(), SubmissionError> {
    let length = value.chars().count();
    if (min..=max).contains(&length) {
        return Ok(());
    }
    let expected = if min == 0 {
        format!("at most {max} characters")
    } else {
        format!("{min} to {max} characters")
    };
    Err(SubmissionError::field(
        field,
        format!("{field} must be {expected}, not {length}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The valid submission the tests start from, shared with the router tests.
    fn example() -> serde_json::Value {
        serde_json::from_str(include_str!("../tests/fixtures/submission.json")).expect("valid JSON")
    }

    fn parse(value: &serde_json::Value) -> Result<Submission, SubmissionError> {
        Submission::parse(value.to_string().as_bytes())
    }

    /// Parses `body` changed by `edit` and returns the field the error names.
    fn rejected_in(
        mut body: serde_json::Value,
        edit: impl FnOnce(&mut serde_json::Value),
    ) -> String {
        edit(&mut body);
        match parse(&body) {
            Err(SubmissionError::Field { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    /// Parses `example()` changed by `edit` and returns the field the error names.
    fn rejected_field(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        rejected_in(example(), edit)
    }

    fn remove(object: &mut serde_json::Value, key: &str) {
        object.as_object_mut().unwrap().remove(key);
    }

    #[test]
    fn accepts_the_example() {
        let submission = parse(&example()).expect("the example is valid");
        assert_eq!(submission.id, "0b6a2c1e-7d4f-4a8b-9c3d-2e1f0a9b8c7d");
        assert_eq!(submission.kind, Kind::Feedback);
        assert_eq!(submission.trigger, Trigger::Button);
        assert_eq!(submission.answers.len(), 3);
    }

    #[test]
    fn accepts_no_answers_and_empty_page_strings() {
        let mut body = example();
        body["answers"] = serde_json::json!([]);
        body["page"] = serde_json::json!({"url": "", "title": "", "referrer": ""});
        body["trigger"] = serde_json::json!("api");
        assert!(parse(&body).is_ok());
    }

    #[test]
    fn malformed_json_is_a_json_error() {
        let trailing = format!("{} {{}}", example());
        for body in [&b"{\"id\":"[..], b"not json", b"\xff", trailing.as_bytes()] {
            assert!(
                matches!(Submission::parse(body), Err(SubmissionError::Json { .. })),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn names_the_missing_field() {
        assert_eq!(rejected_field(|b| remove(b, "site")), "site");
        assert_eq!(
            rejected_field(|b| remove(&mut b["page"], "url")),
            "page.url"
        );
        assert_eq!(
            rejected_field(|b| remove(&mut b["answers"][1], "value")),
            "answers[1].value"
        );
    }

    #[test]
    fn names_the_unknown_field() {
        assert_eq!(rejected_field(|b| b["extra"] = 1.into()), "extra");
        assert_eq!(
            rejected_field(|b| b["client"]["viewport"]["depth"] = 1.into()),
            "client.viewport.depth"
        );
        assert_eq!(
            rejected_field(|b| b["answers"][2]["value"]["phone"] = "1".into()),
            "answers[2].value.phone"
        );
    }

    #[test]
    fn names_the_field_of_the_wrong_type() {
        assert_eq!(rejected_field(|b| b["complete"] = "yes".into()), "complete");
        assert_eq!(
            rejected_field(|b| b["client"]["viewport"]["width"] = (-1).into()),
            "client.viewport.width"
        );
        assert_eq!(rejected_field(|b| b["kind"] = "poll".into()), "kind");
        assert_eq!(rejected_field(|b| b["trigger"] = "hover".into()), "trigger");
        assert_eq!(
            rejected_field(|b| b["answers"][0]["type"] = "stars".into()),
            "answers[0].type"
        );
        assert_eq!(rejected_field(|b| *b = serde_json::json!([])), "$");
    }

    #[test]
    fn checks_what_serde_cannot() {
        assert_eq!(
            rejected_field(|b| b["schema_version"] = 2.into()),
            "schema_version"
        );
        assert_eq!(
            rejected_field(|b| b["id"] = "0B6A2C1E-7D4F-4A8B-9C3D-2E1F0A9B8C7D".into()),
            "id"
        );
        assert_eq!(rejected_field(|b| b["site"] = "".into()), "site");
        assert_eq!(
            rejected_field(|b| b["page"]["title"] = "t".repeat(501).into()),
            "page.title"
        );
        assert_eq!(
            rejected_field(|b| b["client"]["locale"] = "x".repeat(36).into()),
            "client.locale"
        );
        assert_eq!(
            rejected_field(|b| b["created_at"] = "2026-11-23 09:40:00".into()),
            "created_at"
        );
        assert_eq!(
            rejected_field(|b| {
                let answer = b["answers"][0].clone();
                b["answers"] = vec![answer; MAX_ANSWERS + 1].into();
            }),
            "answers"
        );
    }

    /// The valid survey response the tests start from, shared with the router tests.
    fn survey() -> serde_json::Value {
        serde_json::from_str(include_str!("../tests/fixtures/survey.json")).expect("valid JSON")
    }

    /// Parses `survey()` changed by `edit` and returns the field the error names.
    fn rejected_survey_field(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        rejected_in(survey(), edit)
    }

    #[test]
    fn accepts_a_survey_response_with_every_survey_trigger() {
        let submission = parse(&survey()).expect("the survey example is valid");
        assert_eq!(submission.kind, Kind::Survey);
        assert_eq!(submission.trigger, Trigger::ExitIntent);
        let named = submission.survey.expect("survey");
        assert_eq!((named.id.as_str(), named.version), ("checkout-exit", 2));
        assert_eq!(submission.signals.expect("signals").scroll_depth, 60);
        for trigger in [
            "button", "api", "dwell", "scroll", "event", "click", "delay",
        ] {
            let mut body = survey();
            body["trigger"] = trigger.into();
            assert!(parse(&body).is_ok(), "{trigger}");
        }
        let mut partial = survey();
        partial["complete"] = false.into();
        remove(&mut partial["signals"], "seconds_to_complete");
        assert!(parse(&partial).is_ok());
    }

    #[test]
    fn survey_and_signals_go_with_the_kind_survey_only() {
        assert_eq!(rejected_survey_field(|b| remove(b, "survey")), "survey");
        assert_eq!(rejected_survey_field(|b| remove(b, "signals")), "signals");
        assert_eq!(
            rejected_survey_field(|b| b["kind"] = "feedback".into()),
            "survey"
        );
        assert_eq!(
            rejected_field(
                |b| b["signals"] = serde_json::json!({"active_seconds": 1, "scroll_depth": 2})
            ),
            "signals"
        );
        assert_eq!(
            rejected_survey_field(|b| b["survey"]["id"] = "".into()),
            "survey.id"
        );
        assert_eq!(
            rejected_survey_field(|b| b["survey"]["version"] = (-1).into()),
            "survey.version"
        );
        assert_eq!(
            rejected_survey_field(|b| b["survey"]["name"] = "x".into()),
            "survey.name"
        );
        assert_eq!(
            rejected_survey_field(|b| b["signals"]["scroll_depth"] = 101.into()),
            "signals.scroll_depth"
        );
        assert_eq!(
            rejected_survey_field(|b| remove(&mut b["signals"], "active_seconds")),
            "signals.active_seconds"
        );
        assert_eq!(
            rejected_survey_field(|b| b["complete"] = false.into()),
            "signals.seconds_to_complete"
        );
    }

    #[test]
    fn accepts_host_data_and_diagnostics() {
        let mut body = example();
        body["visitor"] =
            serde_json::json!({"id": "u-42", "email": "ana@example.com", "vip": true});
        body["context"] = serde_json::json!({"order_id": "A-17", "cart_value": 129.99});
        body["diagnostics"] = serde_json::json!({
            "errors": [{"message": "x is undefined", "source": "https://shop.example/app.js",
                        "at": "2026-11-23T09:39:00.000Z"}],
            "failed_requests": [{"url": "https://shop.example/api/cart", "status": 404}]
        });
        let submission = parse(&body).expect("valid");
        assert_eq!(submission.visitor.expect("visitor")["id"], "u-42");
        let diagnostics = submission.diagnostics.expect("diagnostics");
        assert_eq!(
            diagnostics.failed_requests.expect("requests")[0].status,
            404
        );
    }

    #[test]
    fn names_what_is_wrong_in_host_data_and_diagnostics() {
        let at = "2026-11-23T09:39:00.000Z";
        assert_eq!(
            rejected_field(|b| b["visitor"] = serde_json::json!({"tags": ["a"]})),
            "visitor.tags"
        );
        assert_eq!(
            rejected_field(|b| b["context"] = serde_json::json!({"note": "x".repeat(501)})),
            "context.note"
        );
        assert_eq!(
            rejected_field(|b| b["context"] = serde_json::json!({})),
            "context"
        );
        assert_eq!(rejected_field(|b| b["visitor"] = "ana".into()), "visitor");
        assert_eq!(
            rejected_field(|b| b["diagnostics"] = serde_json::json!({})),
            "diagnostics"
        );
        assert_eq!(
            rejected_field(|b| b["diagnostics"] = serde_json::json!({"errors": []})),
            "diagnostics.errors"
        );
        assert_eq!(
            rejected_field(|b| b["diagnostics"] = serde_json::json!(
                {"errors": [{"message": "m", "source": "s", "at": "yesterday"}]})),
            "diagnostics.errors[0].at"
        );
        assert_eq!(
            rejected_field(|b| b["diagnostics"] = serde_json::json!(
                {"failed_requests": [{"url": "/x", "status": 1000}]})),
            "diagnostics.failed_requests[0].status"
        );
        assert_eq!(
            rejected_field(|b| b["diagnostics"] = serde_json::json!(
                {"errors": [{"message": "m", "source": "s", "at": at, "stack": ""}]})),
            "diagnostics.errors[0].stack"
        );
    }

    #[test]
    fn counts_length_in_characters_not_bytes() {
        let mut body = example();
        // 200 characters, 400 bytes.
        body["site"] = "é".repeat(200).into();
        assert!(parse(&body).is_ok());
    }
}
