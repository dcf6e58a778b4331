//! The contracts, `schema/submission.v1.json` and `schema/views.v1.json`, compiled once and checked
//! against every body as it is written: the collector and the teams that write their own endpoint
//! read the same files. The first violation is refused as an `invalid_field` naming its path.

use std::sync::LazyLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::field::FieldPath;
use super::SubmissionError;

/// One of the contracts in `schema/`, each compiled on first use. They are part of the build, so
/// one failing to compile is a bug that the unit tests catch, not something a request can cause.
#[derive(Clone, Copy, Debug)]
pub enum Contract {
    /// `schema/submission.v1.json`: a response, posted to `/v1/responses`.
    Submission,
    /// `schema/views.v1.json`: the surveys shown and dismissed, posted to `/v1/views`.
    Views,
}

fn compiled(text: &str) -> Validator {
    let schema: Value = serde_json::from_str(text).expect("the schema is JSON");
    // `format: date-time` checks that the date exists, beyond what the pattern says.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema is a JSON Schema")
}

static SUBMISSION: LazyLock<Validator> =
    LazyLock::new(|| compiled(include_str!("../../../schema/submission.v1.json")));
static VIEWS: LazyLock<Validator> =
    LazyLock::new(|| compiled(include_str!("../../../schema/views.v1.json")));

impl Contract {
    fn validator(self) -> &'static Validator {
        match self {
            Contract::Submission => &SUBMISSION,
            Contract::Views => &VIEWS,
        }
    }
}

/// Longest message a refusal carries: the schema's messages quote the value at fault, which can
/// be the whole body.
const MAX_MESSAGE: usize = 200;

/// Compiles the schemas now, so that the first request does not wait for them.
pub(super) fn compile() {
    LazyLock::force(&SUBMISSION);
    LazyLock::force(&VIEWS);
}

/// Passes when `body` meets `contract`.
pub(super) fn check(contract: Contract, body: &Value) -> Result<(), SubmissionError> {
    contract
        .validator()
        .validate(body)
        .map_err(|error| refusal(body, &error))
}

fn refusal(body: &Value, error: &ValidationError<'_>) -> SubmissionError {
    // An answer is one of seven shapes, chosen by its `type`; the shape its `type` names says
    // what is wrong with it, where the `oneOf` as a whole would only say that none fits.
    if let ValidationErrorKind::OneOfNotValid { context } = &error.kind {
        let chosen = context
            .iter()
            .find(|branch| !branch.iter().any(is_another_type));
        if let Some(first) = chosen.and_then(|branch| branch.first()) {
            return refusal(body, first);
        }
    }
    let mut field = field_at(body, error.instance_path.as_str());
    // These two are reported at the object; the member they are about is the field at fault.
    match &error.kind {
        ValidationErrorKind::Required { property } => {
            field.key(property.as_str().unwrap_or_default());
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            if let Some(first) = unexpected.first() {
                field.key(first);
            }
        }
        _ => {}
    }
    SubmissionError::Field {
        field: field.into_field(),
        message: shortened(error.to_string()),
    }
}

/// Whether `error` says that an answer's `type` is not the one a `oneOf` branch is for.
fn is_another_type(error: &ValidationError<'_>) -> bool {
    matches!(error.kind, ValidationErrorKind::Constant { .. })
        && error
            .schema_path
            .as_str()
            .ends_with("/properties/type/const")
}

/// The field that the JSON Pointer `pointer` (`/answers/0/value`) leads to in `body`.
fn field_at(body: &Value, pointer: &str) -> FieldPath {
    let mut field = FieldPath::default();
    let mut value = body;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        match value {
            Value::Array(items) => {
                let index = token.parse().unwrap_or_default();
                field.index(index);
                value = items.get(index).unwrap_or(&Value::Null);
            }
            _ => {
                field.key(&token);
                value = value.get(&token).unwrap_or(&Value::Null);
            }
        }
    }
    field
}

fn shortened(message: String) -> String {
    match message.char_indices().nth(MAX_MESSAGE) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_compiles() {
        compile();
    }

    #[test]
    fn pointers_become_fields() {
        let body = serde_json::json!({"answers": [{"value": {"a/b": 1}}], "visitor": {"0": 1}});
        let field = |pointer| field_at(&body, pointer).into_field();
        assert_eq!(field(""), "$");
        assert_eq!(field("/answers/0/value"), "answers[0].value");
        assert_eq!(field("/answers/0/value/a~1b"), "answers[0].value.a/b");
        // A key that looks like a number is still a key.
        assert_eq!(field("/visitor/0"), "visitor.0");
    }

    #[test]
    fn long_messages_are_cut() {
        assert_eq!(shortened("short".to_owned()), "short");
        let cut = shortened("é".repeat(300));
        assert_eq!(cut.chars().count(), MAX_MESSAGE + 1);
        assert!(cut.ends_with('…'));
    }
}
