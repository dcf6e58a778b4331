//! [`Condition`]: one test in a priority rule, written as text in the config file, such as
//! `rating <= 2`, `wants_contact`, `context.cart_value >= 100` or
//! `answers[question=reason].value.options == "price"`.
//!
//! A condition is a path into the response (its JSON body plus a `visitor` object the collector
//! adds, see [`crate::triage`]), optionally compared with a literal. Paths are written for
//! fields as they appear in the payload, so a rule on a field the widget does not send yet
//! simply does not match until it does:
//!
//! - `a.b` walks objects; over an array, each element is walked (any one may match);
//! - `answers[type=rating]` keeps the elements of `answers` whose `type` is `rating`;
//! - `rating`, `nps`, `csat` and `wants_contact` are short for `answers[type=rating].value`,
//!   `answers[type=nps].value`, `answers[type=csat].value` and
//!   `answers[type=contact].value.consent`.
//!
//! Without an operator the condition holds when the path leads to a "truthy" value (not
//! `false`, `0`, `""`, `null` or empty). With one it holds when any value found compares true:
//! numbers compare as numbers, strings as strings, and values of different types never match.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// The short names and what they stand for.
const ALIASES: &[(&str, &str)] = &[
    ("rating", "answers[type=rating].value"),
    ("nps", "answers[type=nps].value"),
    ("csat", "answers[type=csat].value"),
    ("wants_contact", "answers[type=contact].value.consent"),
];

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Operator {
    /// Longest first, so that `<=` is not read as `<` followed by `=`.
    const ALL: [(&'static str, Self); 6] = [
        ("==", Self::Eq),
        ("!=", Self::Ne),
        ("<=", Self::Le),
        (">=", Self::Ge),
        ("<", Self::Lt),
        (">", Self::Gt),
    ];

    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Self::Eq => ordering.is_eq(),
            Self::Ne => ordering.is_ne(),
            Self::Lt => ordering.is_lt(),
            Self::Le => ordering.is_le(),
            Self::Gt => ordering.is_gt(),
            Self::Ge => ordering.is_ge(),
        }
    }
}

/// One step of a path: a key, and perhaps a filter on the elements found under it.
#[derive(Clone, Debug, PartialEq)]
struct Step {
    key: String,
    filter: Option<(String, Value)>,
}

/// A parsed condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The path as written, to explain a match ("rating 1").
    label: String,
    steps: Vec<Step>,
    comparison: Option<(Operator, Value)>,
}

/// Why a condition could not be read; the message quotes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError(String);

impl fmt::Display for ConditionError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for ConditionError {}

impl ConditionError {
    /// A rule that cannot be read for another reason than one of its conditions.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl Condition {
    /// Reads a condition as written in the config file.
    pub fn parse(text: &str) -> Result<Self, ConditionError> {
        let error = |why: &str| ConditionError(format!("condition `{text}`: {why}"));
        let (path, comparison) = match Operator::ALL
            .iter()
            .filter_map(|(symbol, operator)| text.find(symbol).map(|at| (at, *symbol, *operator)))
            .min_by_key(|(at, symbol, _)| (*at, usize::MAX - symbol.len()))
        {
            Some((at, symbol, operator)) => {
                let literal = literal(text[at + symbol.len()..].trim())
                    .ok_or_else(|| error("the value after the operator is missing"))?;
                (text[..at].trim(), Some((operator, literal)))
            }
            None => (text.trim(), None),
        };
        let expanded = ALIASES
            .iter()
            .find(|(alias, _)| *alias == path)
            .map_or(path, |(_, full)| full);
        let steps = expanded
            .split('.')
            .map(step)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| error("expected a path like answers[type=rating].value"))?;
        Ok(Self {
            label: path.to_owned(),
            steps,
            comparison,
        })
    }

    /// Whether the condition holds for `facts`; if so, a short explanation like `rating 1`.
    pub fn explain(&self, facts: &Value) -> Option<String> {
        let mut found = vec![facts];
        for step in &self.steps {
            found = found
                .into_iter()
                .flat_map(|value| walk(value, step))
                .collect();
        }
        if self.comparison.is_some() {
            // The options of a multiple-choice answer are an array: comparing it means comparing its elements.
            found = found
                .into_iter()
                .flat_map(|value| match value {
                    Value::Array(items) => items.iter().collect(),
                    single => vec![single],
                })
                .collect();
        }
        let matched = found.into_iter().find(|value| match &self.comparison {
            None => truthy(value),
            Some((operator, literal)) => {
                compare(value, literal).is_some_and(|ordering| operator.holds(ordering))
            }
        })?;
        Some(match matched {
            Value::Bool(true) => self.label.clone(),
            Value::String(text) => format!("{} {text}", self.label),
            other => format!("{} {other}", self.label),
        })
    }
}

/// Reads `key` or `key[field=value]`.
fn step(text: &str) -> Option<Step> {
    let (key, filter) = match text.split_once('[') {
        Some((key, rest)) => {
            let (field, value) = rest.strip_suffix(']')?.split_once('=')?;
            (key, Some((field.trim().to_owned(), literal(value.trim())?)))
        }
        None => (text, None),
    };
    let key = key.trim();
    let is_name = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    is_name.then(|| Step {
        key: key.to_owned(),
        filter,
    })
}

/// A number, `true`/`false`, a `"quoted string"`, or else the bare word as a string.
fn literal(text: &str) -> Option<Value> {
    if text.is_empty() {
        return None;
    }
    Some(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())))
}

/// The values one step leads to from `value`.
fn walk<'a>(value: &'a Value, step: &Step) -> Vec<&'a Value> {
    match value {
        Value::Array(items) => items.iter().flat_map(|item| walk(item, step)).collect(),
        Value::Object(object) => {
            let Some(found) = object.get(&step.key) else {
                return Vec::new();
            };
            let Some((field, wanted)) = &step.filter else {
                return vec![found];
            };
            let keep = |item: &&Value| {
                item.get(field)
                    .and_then(|got| compare(got, wanted))
                    .is_some_and(Ordering::is_eq)
            };
            match found {
                Value::Array(items) => items.iter().filter(keep).collect(),
                single => std::iter::once(single).filter(keep).collect(),
            }
        }
        _ => Vec::new(),
    }
}

fn compare(value: &Value, literal: &Value) -> Option<Ordering> {
    match (value, literal) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64() != Some(0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(object) => !object.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts() -> Value {
        json!({
            "answers": [
                {"question": "rating", "type": "rating", "value": 2},
                {"question": "reason", "type": "multi", "value": {"options": ["price", "shipping"]}},
                {"question": "contact", "type": "contact",
                 "value": {"email": "a@b.example", "consent": true}}
            ],
            "context": {"cart_value": 120.5, "plan": "pro"},
            "visitor": {"earlier_cases": 0}
        })
    }

    fn explain(condition: &str) -> Option<String> {
        Condition::parse(condition)
            .expect("parses")
            .explain(&facts())
    }

    #[test]
    fn aliases_read_the_answers() {
        assert_eq!(explain("rating <= 2").as_deref(), Some("rating 2"));
        assert_eq!(explain("rating < 2"), None);
        assert_eq!(explain("wants_contact").as_deref(), Some("wants_contact"));
        assert_eq!(explain("nps <= 6"), None);
    }

    #[test]
    fn full_paths_filters_and_context() {
        assert_eq!(
            explain("answers[type=rating].value == 2").as_deref(),
            Some("answers[type=rating].value 2")
        );
        assert_eq!(
            explain("context.cart_value >= 100").as_deref(),
            Some("context.cart_value 120.5")
        );
        assert_eq!(explain("context.cart_value > 200"), None);
        assert_eq!(
            explain("context.plan == pro").as_deref(),
            Some("context.plan pro")
        );
    }

    #[test]
    fn a_chosen_option_matches_inside_an_array_value() {
        assert_eq!(
            explain("answers[question=reason].value.options == \"shipping\"").as_deref(),
            Some("answers[question=reason].value.options shipping")
        );
        assert_eq!(
            explain("answers[question=reason].value.options == refund"),
            None
        );
    }

    #[test]
    fn missing_fields_and_other_types_do_not_match() {
        assert_eq!(explain("customer.plan == pro"), None);
        assert_eq!(explain("context.plan >= 1"), None);
        assert_eq!(explain("visitor.earlier_cases"), None);
        assert_eq!(
            explain("visitor.earlier_cases != 1").as_deref(),
            Some("visitor.earlier_cases 0")
        );
    }

    #[test]
    fn malformed_conditions_are_refused_with_the_text() {
        for text in ["rating <=", "", "answers[type].value", "a..b", "ans wers"] {
            let error = Condition::parse(text).expect_err(text);
            assert!(error.to_string().contains(text), "{error}");
        }
    }
}
