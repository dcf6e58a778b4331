//! Data the host page attaches to every answer: who the visitor is (`Rebound.identify({...})`) and what they were
//! doing (`Rebound.setContext({...})`, e.g. an order id or cart value). Each is a flat object of strings, numbers
//! and booleans, capped in size so that a payload always stays far below the 64 KiB an unload request may carry.
//! Wrong entries are left out, each reported on its own console line; the rest is kept.

use crate::prelude::*;

use crate::json::{Object, ToJson};
use crate::value::Value;

/// Most entries one object may hold.
const MAX_KEYS: usize = 30;
/// Longest key, in characters.
const MAX_KEY: usize = 50;
/// Longest string value, in characters.
const MAX_TEXT: usize = 500;
/// Numbers must be smaller than this in size: beyond it they lose precision on the way to the endpoint.
const MAX_NUMBER: f64 = 1e15;

/// One value the host attached.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A string.
    Text(String),
    /// A finite number.
    Number(f64),
    /// A boolean.
    Flag(bool),
}

/// A checked, flat object from the host page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostData(pub Vec<(String, Scalar)>);

impl HostData {
    /// Checks `value` given to the API call `call` (e.g. `setContext`); returns what is kept and one console
    /// line per entry left out. `null` (or `undefined`) gives nothing, without an error: it clears.
    pub fn check(call: &str, value: &Value) -> (HostData, Vec<String>) {
        let mut kept = Vec::new();
        let mut errors = Vec::new();
        let entries = match value {
            Value::Map(entries) => entries,
            // `null` clears what an earlier call attached, e.g. when the visitor logs out.
            Value::Null => return (HostData(kept), errors),
            _ => {
                errors.push(["rebound: ", call, " takes an object, got ", value.kind()].concat());
                return (HostData(kept), errors);
            }
        };
        for (key, v) in entries {
            let problem = if kept.len() >= MAX_KEYS {
                Some(" is one entry too many (at most 30); it is left out")
            } else if key.is_empty() || longer(key, MAX_KEY) {
                Some(" must be a key of 1 to 50 characters; it is left out")
            } else {
                match v {
                    Value::Str(s) if !longer(s, MAX_TEXT) => {
                        kept.push((key.clone(), Scalar::Text(s.clone())));
                        None
                    }
                    Value::Str(_) => Some(" is longer than 500 characters; it is left out"),
                    Value::Num(n) if n.abs() < MAX_NUMBER => {
                        kept.push((key.clone(), Scalar::Number(*n)));
                        None
                    }
                    Value::Bool(b) => {
                        kept.push((key.clone(), Scalar::Flag(*b)));
                        None
                    }
                    _ => Some(" must be a string, a number below 1e15 in size, or a boolean; it is left out"),
                }
            };
            if let Some(problem) = problem {
                errors.push(["rebound: ", call, ": ", key, problem].concat());
            }
        }
        (HostData(kept), errors)
    }

    /// True when nothing was attached.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether `s` has more than `max` characters. Counting them all reuses the counting code the widget already has,
/// where stopping early would add its own copy of the decoding loop to the wasm.
fn longer(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

impl ToJson for HostData {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        for (key, value) in &self.0 {
            match value {
                Scalar::Text(s) => o.field(key, s),
                Scalar::Number(n) => o.field(key, n),
                Scalar::Flag(b) => o.field(key, b),
            };
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn map(pairs: Vec<(&str, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    #[test]
    fn keeps_scalars_and_names_what_it_leaves_out() {
        let (data, errors) = HostData::check(
            "setContext",
            &map(vec![
                ("order_id", Value::Str("A-17".into())),
                ("cart_value", Value::Num(129.99)),
                ("vip", Value::Bool(true)),
                ("items", Value::List(vec![])),
                ("note", Value::Str("x".repeat(501))),
                ("", Value::Num(1.0)),
                ("nan", Value::Num(f64::NAN)),
            ]),
        );
        assert_eq!(
            crate::json::to_string(&data),
            r#"{"order_id":"A-17","cart_value":129.99,"vip":true}"#
        );
        assert_eq!(
            errors,
            vec![
                "rebound: setContext: items must be a string, a number below 1e15 in size, or a boolean; it is left out",
                "rebound: setContext: note is longer than 500 characters; it is left out",
                "rebound: setContext:  must be a key of 1 to 50 characters; it is left out",
                "rebound: setContext: nan must be a string, a number below 1e15 in size, or a boolean; it is left out",
            ]
        );
    }

    #[test]
    fn caps_the_number_of_entries_and_wants_an_object() {
        let many = (0..35)
            .map(|i| (format!("k{i}"), Value::Bool(true)))
            .collect();
        let (data, errors) = HostData::check("identify", &Value::Map(many));
        assert_eq!(data.0.len(), MAX_KEYS);
        assert_eq!(errors.len(), 5);
        let (data, errors) = HostData::check("identify", &Value::Str("ana".into()));
        assert!(data.is_empty());
        assert_eq!(
            errors,
            vec!["rebound: identify takes an object, got a string"]
        );
        let (data, errors) = HostData::check("identify", &Value::Null);
        assert!(data.is_empty() && errors.is_empty());
    }
}
