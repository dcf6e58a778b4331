//! The submission contract, `schema/submission.v1.json`, and [`Submission::parse`], which turns a
//! request body into a [`Submission`] or names the field that breaks the contract.
//!
//! The schema itself decides what a valid body is (`contract.rs`); the code here adds only what a
//! schema cannot say: which values JSON text can hold but no parser can read (`json.rs`), and the
//! NUL character that no store keeps alike (`nul.rs`).

mod contract;
mod field;
mod json;
mod nul;

use serde_json::Value;
use thiserror::Error;

pub use contract::Contract;

/// Largest body accepted: far above what a form of 20 answers needs, small enough that a flood
/// of them cannot exhaust memory.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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

/// One submission that meets the contract, with the parts the collector files it by.
#[derive(Debug)]
pub struct Submission {
    /// Lowercase UUID v4, the same for every version of one response.
    pub id: String,
    /// The site the response belongs to.
    pub site: String,
    /// `feedback` or `survey`.
    pub kind: String,
    /// True when the visitor finished and sent the response.
    pub complete: bool,
    /// How far the visitor got: the answers it carries (at most 20, as the contract says) and the steps of its
    /// recovery, when one started (the case opened, a fair solution chosen, a way to reach them given), which the
    /// widget sends as new versions of the complete response.
    pub answers: u32,
    /// When the response started, RFC 3339 in UTC.
    pub created_at: String,
    /// The whole body, for triage and webhooks.
    pub response: Value,
}

/// The recovery steps a body records: the case, its motive, its contact (the contract allows no others).
fn recovery_steps(recovery: &Value) -> u32 {
    if recovery.is_null() {
        return 0;
    }
    1 + u32::from(!recovery["motive"].is_null()) + u32::from(!recovery["contact"].is_null())
}

/// Readies the contract check (compiling the schema takes a moment), for a server about to start.
pub fn compile_contract() {
    contract::compile();
}

impl Submission {
    /// Reads a request body and checks it against the whole contract.
    pub fn parse(body: &[u8]) -> Result<Self, SubmissionError> {
        let response = read(body, Contract::Submission)?;
        let text = |key: &str| response[key].as_str().unwrap_or_default().to_owned();
        Ok(Self {
            id: text("id"),
            site: text("site"),
            kind: text("kind"),
            complete: response["complete"].as_bool().unwrap_or_default(),
            answers: response["answers"].as_array().map_or(0, |answers| {
                u32::try_from(answers.len()).unwrap_or(u32::MAX)
            }) + recovery_steps(&response["recovery"]),
            created_at: text("created_at"),
            response,
        })
    }
}

/// Reads a request body as JSON that meets `contract`, with what a schema cannot say checked too
/// (unreadable values, NUL).
pub fn read(body: &[u8], contract: Contract) -> Result<Value, SubmissionError> {
    let value = json::read(body)?;
    contract::check(contract, &value)?;
    // `json::read` has checked that the body is UTF-8.
    nul::check(&String::from_utf8_lossy(body), &value)?;
    Ok(value)
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
    fn recovery_steps_count_as_progress() {
        let with = |recovery: serde_json::Value| {
            let mut body = example();
            body["recovery"] = recovery;
            parse(&body).expect("valid").answers
        };
        let case = serde_json::json!({
            "rule": "late", "severity": "high", "reference": "RB-7KQ2",
            "secret": "0123456789ABCDEFGHJKMNPQRSTV", "previous_failures": 0
        });
        assert_eq!(with(case.clone()), 4);
        let mut chosen = case.clone();
        chosen["motive"] = "refund".into();
        assert_eq!(with(chosen.clone()), 5);
        chosen["contact"] = serde_json::json!({"email": "a@b.c", "consent": true});
        assert_eq!(with(chosen), 6);
    }

    #[test]
    fn accepts_the_example() {
        let submission = parse(&example()).expect("the example is valid");
        assert_eq!(submission.id, "0b6a2c1e-7d4f-4a8b-9c3d-2e1f0a9b8c7d");
        assert_eq!(submission.kind, "feedback");
        assert!(submission.complete);
        assert_eq!(submission.answers, 3);
        assert_eq!(submission.created_at, "2026-11-23T09:40:00.000Z");
        assert_eq!(submission.response, example());
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
    fn an_array_where_an_object_belongs_is_named() {
        // Serde reads a struct from a positional array too; the contract does not.
        let positional = |object: &serde_json::Value| {
            serde_json::Value::Array(object.as_object().unwrap().values().cloned().collect())
        };
        assert_eq!(rejected_field(|b| *b = positional(b)), "$");
        assert_eq!(
            rejected_field(|b| b["page"] = positional(&b["page"])),
            "page"
        );
        assert_eq!(
            rejected_field(|b| b["answers"][0] = positional(&b["answers"][0])),
            "answers[0]"
        );
        assert_eq!(
            rejected_field(|b| b["client"]["viewport"] = serde_json::json!([1280, 720])),
            "client.viewport"
        );
    }

    #[test]
    fn a_number_for_an_enum_is_named() {
        assert_eq!(rejected_field(|b| b["kind"] = 1.into()), "kind");
        assert_eq!(rejected_field(|b| b["trigger"] = 1.into()), "trigger");
        assert_eq!(
            rejected_field(|b| b["answers"][0]["type"] = 1.into()),
            "answers[0].type"
        );
    }

    #[test]
    fn a_nul_in_a_string_is_named() {
        assert_eq!(rejected_field(|b| b["site"] = "shop\0".into()), "site");
        assert_eq!(
            rejected_field(|b| b["visitor"] = serde_json::json!({"id": "u\0"})),
            "visitor.id"
        );
        assert_eq!(
            rejected_field(|b| b["answers"][1]["value"] = "a\0b".into()),
            "answers[1].value"
        );
    }

    #[test]
    fn checks_constants_lengths_patterns_and_limits() {
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
                b["answers"] = vec![answer; 21].into();
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
        assert_eq!(submission.kind, "survey");
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
        // Both are out of place; the schema reports the first in key order.
        assert_eq!(
            rejected_survey_field(|b| b["kind"] = "feedback".into()),
            "signals"
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
        assert_eq!(parse(&body).expect("valid").response, body);
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
