//! The `event` trigger: fires when the host page calls `Rebound.track(name, properties)` with the trigger's
//! `name` and, when the trigger lists `properties`, with each of those properties equal to the value given.

use crate::prelude::*;

use super::{Event, Machine};
use crate::survey::fields::{fault, join, Fields, Parsed};
use crate::value::Value;

/// The event trigger's name and property filters.
#[derive(Clone, Debug, PartialEq)]
pub struct Tracked {
    /// The tracked event's name.
    name: String,
    /// Properties the event must have, each with this value (a string, number or boolean).
    properties: Vec<(String, Value)>,
}

impl Tracked {
    /// Reads `name` and `properties`.
    pub(crate) fn parse(f: &Fields) -> Parsed<Tracked> {
        f.known(&[&["type", "name", "properties"]])?;
        let name = f.required_text("name")?;
        let properties = match f.get("properties") {
            None => Vec::new(),
            Some(value) => {
                let path = f.path("properties");
                let Value::Map(entries) = value else {
                    return Err(fault(path, "must be an object of property values"));
                };
                if let Some((key, _)) = entries
                    .iter()
                    .find(|(_, v)| !matches!(v, Value::Str(_) | Value::Num(_) | Value::Bool(_)))
                {
                    return Err(fault(
                        join(&path, key),
                        "must be a string, number or boolean",
                    ));
                }
                entries.clone()
            }
        };
        Ok(Tracked {
            name: name.into(),
            properties,
        })
    }
}

impl Machine for Tracked {
    fn on(&mut self, event: &Event, _now: f64) -> bool {
        let Event::Track { name, properties } = event else {
            return false;
        };
        *name == self.name
            && self
                .properties
                .iter()
                .all(|(key, wanted)| properties.get(key) == Some(wanted))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    fn tracked(text: &str) -> Tracked {
        match trigger(text) {
            Ok(Trigger::Event(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    fn track(t: &mut Tracked, name: &str, properties: &str) -> bool {
        t.on(
            &Event::Track {
                name,
                properties: &json(properties),
            },
            0.0,
        )
    }

    #[test]
    fn the_name_must_match() {
        let mut t = tracked(r#"{"type":"event","name":"checkout_failed"}"#);
        assert!(track(&mut t, "checkout_failed", "null"));
        assert!(track(&mut t, "checkout_failed", r#"{"any":1}"#));
        assert!(!track(&mut t, "checkout_ok", "null"));
        assert!(
            !track(&mut t, "Checkout_failed", "null"),
            "names are case-sensitive, as in the host's code"
        );
        assert!(!t.on(&Event::Back, 0.0));
    }

    #[test]
    fn every_listed_property_must_be_equal() {
        let mut t = tracked(
            r#"{"type":"event","name":"failed","properties":{"step":"payment","retry":true,"code":402}}"#,
        );
        assert!(track(
            &mut t,
            "failed",
            r#"{"step":"payment","retry":true,"code":402,"extra":"x"}"#
        ));
        assert!(
            !track(&mut t, "failed", r#"{"step":"payment","retry":true}"#),
            "code missing"
        );
        assert!(
            !track(
                &mut t,
                "failed",
                r#"{"step":"payment","retry":true,"code":"402"}"#
            ),
            "a string is no number"
        );
        assert!(!track(
            &mut t,
            "failed",
            r#"{"step":"shipping","retry":true,"code":402}"#
        ));
        assert!(!track(&mut t, "failed", "null"));
        assert!(!track(&mut t, "failed", "[1]"));
    }

    #[test]
    fn settings_are_checked() {
        assert_eq!(
            trigger(r#"{"type":"event"}"#).unwrap_err().field,
            "trigger.name"
        );
        assert_eq!(
            trigger(r#"{"type":"event","name":"x","properties":[]}"#)
                .unwrap_err()
                .reason,
            "must be an object of property values"
        );
        let err =
            trigger(r#"{"type":"event","name":"x","properties":{"a":1,"b":{"c":1}}}"#).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.reason),
            (
                "trigger.properties.b",
                "must be a string, number or boolean"
            )
        );
    }
}
