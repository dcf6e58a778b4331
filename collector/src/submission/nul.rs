//! What the collector refuses beyond the contract: the NUL character (U+0000) in any string or
//! key. JSON allows it, but PostgreSQL cannot keep it in text and no answer needs it, so both
//! stores refuse it alike, as an `invalid_field` naming where it is, rather than one storing it
//! and the other failing.

use serde_json::Value;

use super::field::FieldPath;
use super::SubmissionError;

/// Passes when no string or key of `body`, whose JSON text is `text`, holds a NUL.
pub(super) fn check(text: &str, body: &Value) -> Result<(), SubmissionError> {
    // JSON text can only carry a NUL escaped, so most bodies need no walk at all.
    if !text.contains("\\u0000") {
        return Ok(());
    }
    match find(body, FieldPath::default()) {
        Some(field) => Err(SubmissionError::Field {
            field: field.into_field(),
            message: "strings must not contain the NUL character (\\u0000)".to_owned(),
        }),
        None => Ok(()),
    }
}

/// The path of the first string or key holding a NUL in `value`, found at `path`.
fn find(value: &Value, path: FieldPath) -> Option<FieldPath> {
    match value {
        Value::String(text) => text.contains('\0').then_some(path),
        Value::Array(items) => items.iter().enumerate().find_map(|(index, item)| {
            let mut path = path.clone();
            path.index(index);
            find(item, path)
        }),
        Value::Object(members) => members.iter().find_map(|(key, member)| {
            let mut path = path.clone();
            path.key(key);
            if key.contains('\0') {
                Some(path)
            } else {
                find(member, path)
            }
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(text: &str) -> Option<String> {
        let body: Value = serde_json::from_str(text).expect("JSON");
        match check(text, &body) {
            Ok(()) => None,
            Err(SubmissionError::Field { field, .. }) => Some(field),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn names_the_string_or_key_with_a_nul() {
        assert_eq!(field_of(r#"{"site": "a\u0000"}"#).as_deref(), Some("site"));
        assert_eq!(
            field_of(r#"{"answers": [1, {"value": "\u0000"}]}"#).as_deref(),
            Some("answers[1].value")
        );
        assert_eq!(
            field_of(r#"{"visitor": {"i\u0000d": "x"}}"#).as_deref(),
            Some("visitor.i\0d")
        );
    }

    #[test]
    fn passes_strings_without_a_nul() {
        assert_eq!(field_of(r#"{"site": "a\\u0000", "n": 0}"#), None);
        assert_eq!(field_of(r#"{"site": "\u0001"}"#), None);
    }
}
