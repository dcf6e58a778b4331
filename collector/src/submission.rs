//! The submission contract, `schema/submission.v1.json`, as Rust types, and [`Submission::parse`],
//! which turns a request body into a [`Submission`] or names the field that breaks the contract.
//!
//! Serde checks the shape (types, required and unknown fields, enums); the checks here add
//! everything else the schema constrains (constants, lengths, patterns, ranges).

mod answer;
mod formats;
mod serde_error;

use serde::Deserialize;
use thiserror::Error;

pub use answer::{Answer, AnswerType};
pub(crate) use formats::is_utc_timestamp;

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
    /// What opened the form.
    pub trigger: Trigger,
    /// True when the visitor finished and sent the response.
    pub complete: bool,
    /// The answers in the order the questions were asked.
    pub answers: Vec<Answer>,
    /// The page the visitor was on.
    pub page: Page,
    /// The visitor's browser.
    pub client: Client,
    /// When the response started, RFC 3339 in UTC.
    pub created_at: String,
}

/// What the visitor answered.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The form behind the feedback button.
    Feedback,
}

impl Kind {
    /// The name the contract uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Feedback => "feedback",
        }
    }
}

/// What opened the form.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// The visitor clicked the feedback button.
    Button,
    /// The host page called `Rebound.open()`.
    Api,
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
        if !formats::is_utc_timestamp(&self.created_at) {
            return Err(SubmissionError::field(
                "created_at",
                "created_at must be an RFC 3339 time in UTC, like 2026-11-23T09:40:00.000Z",
            ));
        }
        Ok(())
    }
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

    /// Parses `example()` changed by `edit` and returns the field the error names.
    fn rejected_field(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut body = example();
        edit(&mut body);
        match parse(&body) {
            Err(SubmissionError::Field { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
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
        assert_eq!(rejected_field(|b| b["kind"] = "survey".into()), "kind");
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

    #[test]
    fn counts_length_in_characters_not_bytes() {
        let mut body = example();
        // 200 characters, 400 bytes.
        body["site"] = "é".repeat(200).into();
        assert!(parse(&body).is_ok());
    }
}
