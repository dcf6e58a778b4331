//! Turns serde's errors into [`SubmissionError`]s whose `field` is a path like
//! `answers[0].value`, so a site's developer sees at once which part of the body is wrong.

use std::fmt::Write as _;

use serde_json::error::Category;
use serde_path_to_error::Segment;

use super::SubmissionError;

/// Converts an error met while deserializing the value found at `prefix` (empty for the body).
pub(super) fn at(
    prefix: &str,
    error: serde_path_to_error::Error<serde_json::Error>,
) -> SubmissionError {
    let mut field = prefix.to_owned();
    for segment in error.path() {
        match segment {
            Segment::Seq { index } => {
                // Writing to a String cannot fail.
                let _ = write!(field, "[{index}]");
            }
            Segment::Map { key } => push_key(&mut field, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    let error = error.into_inner();
    if error.classify() != Category::Data {
        return SubmissionError::Json {
            message: error.to_string(),
        };
    }
    let mut message = error.to_string();
    // The position says little once the field is named, and it differs with formatting.
    if error.line() > 0 {
        if let Some(position) = message.rfind(" at line ") {
            message.truncate(position);
        }
    }
    // Serde reports a missing field at the object that lacks it: name the field itself.
    if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        push_key(&mut field, missing);
    }
    if field.is_empty() {
        field.push('$');
    }
    SubmissionError::Field { field, message }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}
