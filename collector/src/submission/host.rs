//! What the host page attaches to a submission: `visitor` (from `Rebound.identify`) and `context`
//! (from `Rebound.setContext`), flat objects of scalars, and the optional `diagnostics` (recent
//! JavaScript errors and failed requests).

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{check_length, formats, SubmissionError};

/// Most entries in `visitor` or `context`.
const MAX_KEYS: usize = 30;
/// Most errors, and most failed requests, in `diagnostics`.
const MAX_DIAGNOSTICS: usize = 5;

/// Recent problems on the visitor's page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagnostics {
    /// The last JavaScript errors, oldest first.
    pub errors: Option<Vec<PageError>>,
    /// The last failed requests, oldest first.
    pub failed_requests: Option<Vec<FailedRequest>>,
}

/// A JavaScript error on the page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageError {
    /// Its message.
    pub message: String,
    /// The script's URL.
    pub source: String,
    /// When, RFC 3339 in UTC.
    pub at: String,
}

/// A failed `fetch` or `XMLHttpRequest`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailedRequest {
    /// Its URL, without query string.
    pub url: String,
    /// The HTTP status, or 0 when no response came.
    pub status: u16,
}

/// Checks a `visitor` or `context` object found at `path`: 1 to 30 keys of 1 to 50 characters,
/// each a string of at most 500 characters, a number or a boolean.
pub(super) fn check_host_data(
    path: &str,
    data: &Map<String, Value>,
) -> Result<(), SubmissionError> {
    if !(1..=MAX_KEYS).contains(&data.len()) {
        return Err(SubmissionError::field(
            path,
            format!("{path} must hold 1 to {MAX_KEYS} entries"),
        ));
    }
    for (key, value) in data {
        check_length(&format!("{path} key {key:?}"), key, 1, 50)?;
        let entry = format!("{path}.{key}");
        match value {
            Value::String(text) => check_length(&entry, text, 0, 500)?,
            Value::Number(_) | Value::Bool(_) => {}
            _ => {
                return Err(SubmissionError::field(
                    entry,
                    "host data values are strings, numbers or booleans",
                ))
            }
        }
    }
    Ok(())
}

impl Diagnostics {
    /// Checks what serde cannot: list sizes, lengths, times and statuses.
    pub(super) fn check(&self) -> Result<(), SubmissionError> {
        if self.errors.is_none() && self.failed_requests.is_none() {
            return Err(SubmissionError::field(
                "diagnostics",
                "diagnostics holds errors, failed_requests or both",
            ));
        }
        let sized = |name: &str, length: usize| {
            if (1..=MAX_DIAGNOSTICS).contains(&length) {
                Ok(())
            } else {
                Err(SubmissionError::field(
                    format!("diagnostics.{name}"),
                    format!("diagnostics.{name} holds 1 to {MAX_DIAGNOSTICS} entries"),
                ))
            }
        };
        if let Some(errors) = &self.errors {
            sized("errors", errors.len())?;
            for (index, error) in errors.iter().enumerate() {
                let path = format!("diagnostics.errors[{index}]");
                check_length(&format!("{path}.message"), &error.message, 0, 500)?;
                check_length(&format!("{path}.source"), &error.source, 0, 2048)?;
                if !formats::is_utc_timestamp(&error.at) {
                    return Err(SubmissionError::field(
                        format!("{path}.at"),
                        "at must be an RFC 3339 time in UTC",
                    ));
                }
            }
        }
        if let Some(requests) = &self.failed_requests {
            sized("failed_requests", requests.len())?;
            for (index, request) in requests.iter().enumerate() {
                let path = format!("diagnostics.failed_requests[{index}]");
                check_length(&format!("{path}.url"), &request.url, 0, 2048)?;
                if request.status > 999 {
                    return Err(SubmissionError::field(
                        format!("{path}.status"),
                        "status is an HTTP status, or 0 when no response came",
                    ));
                }
            }
        }
        Ok(())
    }
}
