//! Checks a survey definition with the widget's own reader, run natively
//! ([`rebound::survey::definition::parse_surveys`]), so that the collector refuses exactly what
//! the widget would reject, with the same console line.

use rebound::survey::definition::parse_surveys;
use rebound::value::Value;

/// One mistake in a definition: the field's path in the published list
/// (`surveys[0].questions[1].options`) and the widget's console line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefinitionError {
    /// Path of the field at fault.
    pub field: String,
    /// What the widget prints for it.
    pub message: String,
}

/// Every mistake in `definition`, the survey stored as `id`; empty when the widget accepts it.
pub fn check(id: &str, definition: &serde_json::Value) -> Vec<DefinitionError> {
    let list = Value::List(vec![value(definition)]);
    let mut errors: Vec<DefinitionError> = parse_surveys(&list)
        .1
        .iter()
        .map(|error| DefinitionError {
            field: path(error.field()),
            message: error.message(),
        })
        .collect();
    if errors.is_empty() && definition["id"].as_str() != Some(id) {
        errors.push(DefinitionError {
            field: path("id"),
            message: format!(
                "rebound: survey \"{id}\": id must be \"{id}\", the id it is stored as"
            ),
        });
    }
    errors
}

/// The definition written as JSON text, as the studio's editor sends it, once it is JSON the
/// widget accepts as survey `id`; otherwise every mistake, a syntax error as the field
/// `definition` with its line and column.
pub fn check_text(id: &str, text: &str) -> Result<serde_json::Value, Vec<DefinitionError>> {
    let definition: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        vec![DefinitionError {
            field: "definition".to_owned(),
            message: format!("the definition is not JSON: {error}"),
        }]
    })?;
    match check(id, &definition).as_slice() {
        [] => Ok(definition),
        errors => Err(errors.to_vec()),
    }
}

/// The path of a field of the only survey in the list.
fn path(field: &str) -> String {
    if field.is_empty() {
        "surveys[0]".to_owned()
    } else {
        format!("surveys[0].{field}")
    }
}

/// The widget's value tree of a JSON document.
fn value(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Value::Other, Value::Num),
        serde_json::Value::String(s) => Value::Str(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(value).collect()),
        serde_json::Value::Object(entries) => {
            Value::Map(entries.iter().map(|(k, v)| (k.clone(), value(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_valid_survey_passes() {
        let survey = json!({"id": "a", "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]});
        assert_eq!(check("a", &survey), []);
    }

    #[test]
    fn a_wrong_field_is_named_with_the_widgets_message() {
        let survey = json!({"id": "a", "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "stars", "text": "Hi"}]});
        let errors = check("a", &survey);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "surveys[0].questions[0].type");
        assert!(errors[0]
            .message
            .starts_with("rebound: survey \"a\": questions[0].type must be one of"));
    }

    #[test]
    fn text_that_is_not_json_is_named_with_its_line() {
        let errors = check_text("a", "{\"id\": \"a\",\n}").expect_err("not JSON");
        assert_eq!(errors[0].field, "definition");
        assert!(errors[0].message.contains("line 2"), "{errors:?}");
        let text = r#"{"id": "a", "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]}"#;
        assert_eq!(check_text("a", text).expect("valid")["id"], "a");
    }

    #[test]
    fn the_id_must_be_the_one_it_is_stored_as() {
        let survey = json!({"id": "b", "trigger": {"type": "api"},
            "questions": [{"id": "q", "type": "nps", "text": "How likely?"}]});
        let errors = check("a", &survey);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "surveys[0].id");
    }
}
