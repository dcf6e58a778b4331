//! Reads a request body as one JSON value, telling apart text that is not JSON at all
//! (`invalid_json`) from JSON text holding a value no JSON parser can represent, a lone UTF-16
//! surrogate (`"\ud800"`) or a number beyond `f64` (`1e400`), which is refused as an
//! `invalid_field` naming where it sits.

use serde::de::IgnoredAny;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::field::FieldPath;
use super::SubmissionError;

/// The body as a JSON value.
pub(super) fn read(body: &[u8]) -> Result<Value, SubmissionError> {
    let text = std::str::from_utf8(body).map_err(|error| SubmissionError::Json {
        message: format!("the body is not UTF-8: {error}"),
    })?;
    serde_json::from_str(text).map_err(|error| {
        // Skipping a value checks only the grammar, not what strings and numbers hold, so when
        // skipping succeeds the text is JSON and the failure was in one value. Finding which
        // takes a second, slower pass, on refused bodies only.
        if serde_json::from_str::<IgnoredAny>(text).is_ok() {
            unrepresentable(text)
        } else {
            SubmissionError::Json {
                message: error.to_string(),
            }
        }
    })
}

/// The error for JSON text that holds a value that cannot be read, naming that value's field.
fn unrepresentable(text: &str) -> SubmissionError {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = match serde_path_to_error::deserialize::<_, Value>(&mut deserializer) {
        Ok(_) => {
            return SubmissionError::Json {
                message: "the body could not be read as JSON".to_owned(),
            }
        }
        Err(error) => error,
    };
    let mut field = FieldPath::default();
    for segment in error.path() {
        match segment {
            Segment::Seq { index } => field.index(*index),
            Segment::Map { key } => field.key(key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    let mut message = error.into_inner().to_string();
    // The position says little once the field is named, and it differs with formatting.
    if let Some(position) = message.rfind(" at line ") {
        message.truncate(position);
    }
    SubmissionError::Field {
        field: field.into_field(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(body: &str) -> String {
        match read(body.as_bytes()) {
            Err(SubmissionError::Field { field, .. }) => field,
            other => panic!("expected a field error for {body}, got {other:?}"),
        }
    }

    #[test]
    fn reads_json() {
        assert_eq!(read(br#"{"a": [1]}"#), Ok(serde_json::json!({"a": [1]})));
    }

    #[test]
    fn text_that_is_not_json_is_a_json_error() {
        for body in [&b"{\"id\":"[..], b"not json", b"\xff", b"{} {}", b"[1,]"] {
            assert!(
                matches!(read(body), Err(SubmissionError::Json { .. })),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn a_lone_surrogate_is_named_where_it_is() {
        assert_eq!(field_of(r#"{"site": "\ud800"}"#), "site");
        assert_eq!(field_of(r#"{"page": {"title": "a\udc00b"}}"#), "page.title");
        assert_eq!(
            field_of(r#"{"answers": [{}, {"value": "\ud83d x"}]}"#),
            "answers[1].value"
        );
    }

    #[test]
    fn a_number_beyond_f64_is_named_where_it_is() {
        assert_eq!(
            field_of(r#"{"client": {"viewport": {"width": 1e400}}}"#),
            "client.viewport.width"
        );
        assert_eq!(field_of("-1e999"), "$");
    }
}
