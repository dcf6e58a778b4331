//! [`WidgetRule`]: a priority rule written in the widget's own rule language (`rebound`'s
//! `recovery::rule`, the language of a survey's `recovery.when`), so that a site can say
//! "unhappy" once, the way its surveys do: `rule = { answer = "rating", max = 2 }`,
//! `rule = { any = [{ answer = "stopped", is = ["late"] }, { context = "cart_value", min = 100 }] }`.
//!
//! The widget's crate reads and evaluates the rule; this module only turns a stored payload back
//! into what the rule looks at (the answers, the `visitor` and `context` objects, the trigger).

use rebound::host_data::{HostData, Scalar};
use rebound::recovery::rule::{Facts, Rule, TRIGGERS};
use rebound::submission::{Answer, AnswerValue, Trigger};
use rebound::value::Value as Widget;
use serde_json::Value;

/// A parsed rule and how it is named in a case's priority reason.
#[derive(Clone, Debug, PartialEq)]
pub struct WidgetRule {
    rule: Rule,
    label: String,
}

impl WidgetRule {
    /// Reads a rule as the config file gives it; the error names the field under `rule`.
    pub fn parse(value: &Value) -> Result<Self, String> {
        Ok(Self {
            rule: Rule::read(&widget(value))?,
            label: format!("rule {value}"),
        })
    }

    /// Whether the rule holds for a response body (with the collector's `visitor` additions, such
    /// as `earlier_cases`); if so, how the priority reason names it.
    pub fn explain(&self, body: &Value) -> Option<String> {
        let trigger = body["trigger"].as_str()?;
        let trigger: Trigger = TRIGGERS.into_iter().find(|t| t.name() == trigger)?;
        let answers = answers(body);
        let (visitor, context) = (host(&body["visitor"]), host(&body["context"]));
        let facts = Facts {
            answers: &answers,
            visitor: &visitor,
            context: &context,
            trigger,
        };
        self.rule.holds(&facts).then(|| self.label.clone())
    }
}

/// A JSON value as the widget's crate holds configuration.
fn widget(value: &Value) -> Widget {
    match value {
        Value::Null => Widget::Null,
        Value::Bool(flag) => Widget::Bool(*flag),
        Value::Number(number) => number.as_f64().map_or(Widget::Other, Widget::Num),
        Value::String(text) => Widget::Str(text.clone()),
        Value::Array(items) => Widget::List(items.iter().map(widget).collect()),
        Value::Object(entries) => Widget::Map(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), widget(value)))
                .collect(),
        ),
    }
}

/// The answers of a payload, as the widget sent them; an answer of an unknown shape is left out.
fn answers(body: &Value) -> Vec<Answer> {
    let text = |value: &Value| value.as_str().map(str::to_owned);
    body["answers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|answer| {
            let value = &answer["value"];
            let score = || value.as_u64().and_then(|n| u8::try_from(n).ok());
            let value = match answer["type"].as_str()? {
                "rating" => AnswerValue::Rating(score()?),
                "nps" => AnswerValue::Nps(score()?),
                "csat" => AnswerValue::Csat(score()?),
                "single" => AnswerValue::Single {
                    option: text(&value["option"])?,
                    other: text(&value["other"]),
                },
                "multi" => AnswerValue::Multi {
                    options: value["options"]
                        .as_array()?
                        .iter()
                        .filter_map(text)
                        .collect(),
                    other: text(&value["other"]),
                },
                "text" => AnswerValue::Text(text(value)?),
                "contact" => AnswerValue::Contact {
                    email: text(&value["email"]),
                    phone: text(&value["phone"]),
                },
                _ => return None,
            };
            Some(Answer {
                question: text(&answer["question"])?,
                value,
            })
        })
        .collect()
}

/// A payload's `visitor` or `context` object; values other than text, numbers and flags are left
/// out, as the widget leaves them out.
fn host(object: &Value) -> HostData {
    let entries = object.as_object().into_iter().flatten();
    HostData(
        entries
            .filter_map(|(key, value)| {
                let scalar = match value {
                    Value::String(text) => Scalar::Text(text.clone()),
                    Value::Number(number) => Scalar::Number(number.as_f64()?),
                    Value::Bool(flag) => Scalar::Flag(*flag),
                    _ => return None,
                };
                Some((key.clone(), scalar))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(value: Value) -> WidgetRule {
        WidgetRule::parse(&value).expect("a rule")
    }

    fn body() -> Value {
        json!({
            "trigger": "exit_intent",
            "answers": [
                {"question": "rating", "type": "rating", "value": 2},
                {"question": "stopped", "type": "single", "value": {"option": "late"}},
                {"question": "why", "type": "text", "value": "The parcel is LATE"}
            ],
            "visitor": {"plan": "pro", "earlier_cases": 1},
            "context": {"cart_value": 180}
        })
    }

    #[test]
    fn the_widgets_language_reads_the_payload() {
        for (holds, value) in [
            (true, json!({"answer": "rating", "max": 2})),
            (false, json!({"answer": "rating", "max": 1})),
            (true, json!({"answer": "stopped", "is": ["late", "price"]})),
            (true, json!({"answer": "why", "says": ["late"]})),
            (true, json!({"context": "cart_value", "min": 100})),
            (true, json!({"visitor": "plan", "is": ["pro"]})),
            (true, json!({"visitor": "earlier_cases", "min": 1})),
            (true, json!({"trigger": "exit_intent"})),
            (false, json!({"trigger": "button"})),
            (
                true,
                json!([{"answer": "rating", "max": 2}, {"trigger": "exit_intent"}]),
            ),
            (
                false,
                json!({"all": [{"answer": "rating", "max": 2}, {"trigger": "button"}]}),
            ),
        ] {
            assert_eq!(
                rule(value.clone()).explain(&body()).is_some(),
                holds,
                "{value}"
            );
        }
        assert_eq!(
            rule(json!({"answer": "rating", "max": 2}))
                .explain(&body())
                .as_deref(),
            Some(r#"rule {"answer":"rating","max":2}"#)
        );
    }

    #[test]
    fn unhappy_means_the_same_in_the_widgets_rule_the_default_rules_and_the_trends() {
        let rule = WidgetRule::parse(&json!({"unhappy": true})).expect("rule");
        let trends = crate::trends::Unhappy::default();
        for kind in ["rating", "nps", "csat"] {
            for value in 0..=10 {
                let body = json!({"trigger": "button",
                                  "answers": [{"question": "q", "type": kind, "value": value}]});
                assert_eq!(
                    rule.explain(&body).is_some(),
                    trends.holds(&body),
                    "{kind} {value}"
                );
            }
        }
    }

    #[test]
    fn a_mistake_names_its_field() {
        let error = WidgetRule::parse(&json!({"answer": "rating", "max": 11})).expect_err("max");
        assert!(error.starts_with("rule.max "), "{error}");
        assert!(WidgetRule::parse(&json!({"colour": "red"})).is_err());
    }
}
