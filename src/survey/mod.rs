//! Micro-surveys as plain Rust: what a survey is, when it may appear, and what the visitor has already seen.
//!
//! Definitions arrive as configuration [`Value`](crate::value::Value)s and are parsed into typed surveys
//! ([`definition`]); triggers are state machines fed with browser events and a clock ([`trigger`]); targeting,
//! the display policy, sampling and the stored visitor state decide whether a survey that fired may show; the
//! [`scheduler`] ties them together and keeps one survey on screen at a time. Time, randomness, storage contents
//! and the visitor id are passed in, so every rule is tested natively; the browser layer only feeds events in and
//! renders what comes out.

pub mod answer;
pub mod branching;
pub mod definition;
pub(crate) mod fields;
pub mod glance;
pub mod hands;
pub mod localized;
pub mod policy;
pub mod question;
pub mod response;
pub mod sampling;
pub mod scheduler;
pub mod targeting;
pub mod trigger;
pub mod url_rule;
pub mod view_report;
pub mod visitor_state;

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use crate::value::Value;

    /// Parses JSON text into a [`Value`], the way the browser layer converts `JSON.parse` output.
    pub fn json(text: &str) -> Value {
        fn convert(v: serde_json::Value) -> Value {
            match v {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap()),
                serde_json::Value::String(s) => Value::Str(s),
                serde_json::Value::Array(items) => {
                    Value::List(items.into_iter().map(convert).collect())
                }
                serde_json::Value::Object(map) => {
                    Value::Map(map.into_iter().map(|(k, v)| (k, convert(v))).collect())
                }
            }
        }
        convert(serde_json::from_str(text).unwrap())
    }
}
