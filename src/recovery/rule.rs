//! When recovery starts: one small rule language over what the visitor answered, what the host page attached
//! (`Rebound.identify` as `visitor`, `Rebound.setContext` as `context`) and what showed the form or survey.
//! A rule is a JSON object, or a list of them that must all hold:
//!
//! ```json
//! { "unhappy": true }                             any unhappy score (super::unhappy: rating or CSAT ≤ 2, NPS ≤ 6)
//! { "answer": "rating", "max": 2 }                 a rating, NPS or CSAT answer of at most 2
//! { "answer": "stopped", "is": ["late"] }          a choice answer with one of these options
//! { "answer": "why", "says": ["broken", "late"] }  a text answer (or "other" text) with one of these words
//! { "context": "cart_value", "min": 100 }          a number the host attached, at least 100
//! { "visitor": "plan", "is": ["pro"] }             a text the host attached, one of these
//! { "trigger": "exit_intent" }                     what showed the survey
//! { "any": [ … ] }, { "all": [ … ] }               combined
//! ```
//!
//! It is plain data, evaluated natively in tests, so one definition of "unhappy" serves the widget and whatever
//! reads the same rules from a payload.

use crate::prelude::*;

use super::unhappy::unhappy;
use crate::host_data::{HostData, Scalar};
use crate::submission::{Answer, AnswerValue, Trigger};
use crate::survey::fields::{fault, item, wrong, Fields, Parsed};
use crate::value::Value;

/// A condition on one response.
#[derive(Clone, Debug, PartialEq)]
pub enum Rule {
    /// Every one holds.
    All(Vec<Rule>),
    /// One of the answers is an unhappy score ([`super::unhappy`]).
    Unhappy,
    /// At least one holds.
    Any(Vec<Rule>),
    /// The answer to `question` is a score (rating, NPS, CSAT) of at most `max`.
    AtMost {
        /// The question's id.
        question: String,
        /// The highest score that counts.
        max: u8,
    },
    /// The answer to `question` chose one of `options` (by id).
    Chose {
        /// The question's id.
        question: String,
        /// Option ids.
        options: Vec<String>,
    },
    /// The text answer to `question`, or its "other" text, holds one of `words` (case does not matter).
    Says {
        /// The question's id.
        question: String,
        /// Words or phrases, lower case.
        words: Vec<String>,
    },
    /// A value the host page attached: in `visitor` (`Rebound.identify`) or in `context` (`setContext`).
    Host {
        /// `visitor` rather than `context`.
        visitor: bool,
        /// The key.
        key: String,
        /// What its value must be.
        test: HostTest,
    },
    /// What showed the form or the survey.
    Trigger(Trigger),
}

/// What a host value must be.
#[derive(Clone, Debug, PartialEq)]
pub enum HostTest {
    /// A number of at least this.
    AtLeast(f64),
    /// A text (or a number or flag written as text) equal to one of these.
    OneOf(Vec<String>),
}

/// What a rule looks at.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    /// The answers given, as they are sent.
    pub answers: &'a [Answer],
    /// What `Rebound.identify` attached.
    pub visitor: &'a HostData,
    /// What `Rebound.setContext` attached.
    pub context: &'a HostData,
    /// What showed the form or the survey.
    pub trigger: Trigger,
}

/// Every trigger, to read one back by its payload name (the collector reads payloads with it too).
pub const TRIGGERS: [Trigger; 12] = [
    Trigger::Button,
    Trigger::Api,
    Trigger::ExitIntent,
    Trigger::Dwell,
    Trigger::Scroll,
    Trigger::Event,
    Trigger::Click,
    Trigger::Delay,
    Trigger::RequestFailed,
    Trigger::RageClick,
    Trigger::JsError,
    Trigger::FormError,
];

impl Rule {
    /// Reads the rule at `path`: an object, or a list of them that must all hold.
    pub(crate) fn parse(value: &Value, path: &str) -> Parsed<Rule> {
        if let Value::List(items) = value {
            return Ok(Rule::All(list(items, path)?));
        }
        let f = Fields::new(value, path)?;
        f.known(&[&[
            "all", "any", "unhappy", "answer", "max", "is", "says", "context", "visitor", "min",
            "trigger",
        ]])?;
        if let Some(flag) = f.get("unhappy") {
            return match flag {
                Value::Bool(true) => Ok(Rule::Unhappy),
                _ => Err(wrong(f.path("unhappy"), "must be true", flag)),
            };
        }
        for (key, all) in [("all", true), ("any", false)] {
            if f.get(key).is_some() {
                let rules = list(f.list(key)?, &f.path(key))?;
                return Ok(if all {
                    Rule::All(rules)
                } else {
                    Rule::Any(rules)
                });
            }
        }
        if let Some(question) = f.text("answer")? {
            let question = question.to_owned();
            if let Some(max) = f.whole("max", 0, 10, "must be a whole number from 0 to 10")? {
                return Ok(Rule::AtMost {
                    question,
                    max: max as u8,
                });
            }
            if f.get("is").is_some() {
                let options = texts(&f, "is")?;
                return Ok(Rule::Chose { question, options });
            }
            let words = texts(&f, "says")?;
            if words.is_empty() {
                return Err(fault(path.into(), "must give max, is or says with answer"));
            }
            let words = words.iter().map(|w| w.to_ascii_lowercase()).collect();
            return Ok(Rule::Says { question, words });
        }
        for (key, visitor) in [("context", false), ("visitor", true)] {
            if let Some(name) = f.text(key)? {
                let test = match f.number("min", f64::MIN, f64::MAX, "must be a number")? {
                    Some(min) => HostTest::AtLeast(min),
                    None => HostTest::OneOf(texts(&f, "is")?),
                };
                return Ok(Rule::Host {
                    visitor,
                    key: name.to_owned(),
                    test,
                });
            }
        }
        let names: Vec<&str> = TRIGGERS.iter().map(|t| t.name()).collect();
        match f.pick(
            "trigger",
            &names,
            "must be one of button, api, exit_intent, dwell, scroll, event, click, delay, \
            request_failed, rage_click, js_error, form_error",
        )? {
            Some(i) => Ok(Rule::Trigger(TRIGGERS[i])),
            None => Err(fault(
                path.into(),
                "must name one of unhappy, answer, context, visitor, trigger, all or any",
            )),
        }
    }

    /// Reads a rule written outside the widget in the same language: the collector's priority rules
    /// (`[[inbox.rules]] rule = …`), so that they say "unhappy" as the surveys do. The error names the field
    /// under `rule` and what it must be.
    pub fn read(value: &Value) -> Result<Rule, String> {
        Rule::parse(value, "rule").map_err(|fault| {
            let got = fault
                .got
                .map_or(String::new(), |kind| [", not ", kind].concat());
            [fault.field.as_str(), " ", fault.reason, &got].concat()
        })
    }

    /// Whether the rule holds for `facts`.
    pub fn holds(&self, facts: &Facts) -> bool {
        match self {
            Rule::All(rules) => rules.iter().all(|r| r.holds(facts)),
            Rule::Any(rules) => rules.iter().any(|r| r.holds(facts)),
            Rule::Unhappy => facts.answers.iter().any(|a| unhappy(&a.value)),
            Rule::AtMost { question, max } => match answer(facts, question) {
                Some(AnswerValue::Rating(n) | AnswerValue::Nps(n) | AnswerValue::Csat(n)) => {
                    n <= max
                }
                _ => false,
            },
            Rule::Chose { question, options } => match answer(facts, question) {
                Some(AnswerValue::Single { option, .. }) => options.contains(option),
                Some(AnswerValue::Multi {
                    options: chosen, ..
                }) => chosen.iter().any(|c| options.contains(c)),
                _ => false,
            },
            Rule::Says { question, words } => {
                let text = match answer(facts, question) {
                    Some(AnswerValue::Text(text)) => text,
                    Some(
                        AnswerValue::Single {
                            other: Some(text), ..
                        }
                        | AnswerValue::Multi {
                            other: Some(text), ..
                        },
                    ) => text,
                    _ => return false,
                };
                let text = text.to_ascii_lowercase();
                words.iter().any(|w| text.contains(w.as_str()))
            }
            Rule::Host { visitor, key, test } => {
                let data = if *visitor {
                    facts.visitor
                } else {
                    facts.context
                };
                let Some((_, value)) = data.0.iter().find(|(k, _)| k == key) else {
                    return false;
                };
                match (test, value) {
                    (HostTest::AtLeast(min), Scalar::Number(n)) => n >= min,
                    (HostTest::AtLeast(_), _) => false,
                    (HostTest::OneOf(texts), Scalar::Text(t)) => texts.contains(t),
                    (HostTest::OneOf(texts), Scalar::Flag(b)) => {
                        texts.iter().any(|t| t == if *b { "true" } else { "false" })
                    }
                    (HostTest::OneOf(texts), Scalar::Number(n)) => {
                        // Compared as written in JSON, which needs no number parsing in the wasm.
                        let written = crate::json::to_string(n);
                        texts.contains(&written)
                    }
                }
            }
            Rule::Trigger(trigger) => *trigger == facts.trigger,
        }
    }
}

/// The answer to `question`, if it was given.
fn answer<'a>(facts: &Facts<'a>, question: &str) -> Option<&'a AnswerValue> {
    let found = facts.answers.iter().find(|a| a.question == question);
    found.map(|a| &a.value)
}

/// Each item of `items` (at `path`) as a rule.
fn list(items: &[Value], path: &str) -> Parsed<Vec<Rule>> {
    if items.is_empty() {
        return Err(fault(path.into(), "must list at least one rule"));
    }
    let mut rules = Vec::new();
    for (i, value) in items.iter().enumerate() {
        rules.push(Rule::parse(value, &item(path, i))?);
    }
    Ok(rules)
}

/// The non-empty strings listed at `key`.
fn texts(f: &Fields, key: &str) -> Parsed<Vec<String>> {
    let mut out = Vec::new();
    for (i, value) in f.list(key)?.iter().enumerate() {
        match value {
            Value::Str(s) if !s.is_empty() => out.push(s.clone()),
            other => {
                let path = item(&f.path(key), i);
                return Err(wrong(path, "must be a non-empty string", other));
            }
        }
    }
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn rule(text: &str) -> Rule {
        Rule::parse(&json(text), "recovery.when").unwrap()
    }

    fn error(text: &str) -> String {
        let fault = Rule::parse(&json(text), "recovery.when").unwrap_err();
        [fault.field.as_str(), " ", fault.reason].concat()
    }

    #[test]
    fn a_rule_read_from_outside_the_widget_names_its_field() {
        assert_eq!(
            Rule::read(&json(r#"{"answer":"rating","max":2}"#)),
            Ok(Rule::AtMost {
                question: "rating".into(),
                max: 2
            })
        );
        assert_eq!(
            Rule::read(&json(r#"{"any":[{"answer":"x","is":[3]}]}"#)),
            Err("rule.any[0].is[0] must be a non-empty string, not a number".into())
        );
    }

    fn answers() -> Vec<Answer> {
        let a = |question: &str, value| Answer {
            question: question.into(),
            value,
        };
        vec![
            a("rating", AnswerValue::Rating(2)),
            a("nps", AnswerValue::Nps(7)),
            a(
                "stopped",
                AnswerValue::Single {
                    option: "late".into(),
                    other: None,
                },
            ),
            a(
                "why",
                AnswerValue::Text("The box arrived BROKEN, twice".into()),
            ),
        ]
    }

    fn holds(rule_text: &str) -> bool {
        let answers = answers();
        let visitor = HostData(vec![("plan".into(), Scalar::Text("pro".into()))]);
        let context = HostData(vec![("cart_value".into(), Scalar::Number(129.99))]);
        rule(rule_text).holds(&Facts {
            answers: &answers,
            visitor: &visitor,
            context: &context,
            trigger: Trigger::ExitIntent,
        })
    }

    #[test]
    fn scores_choices_and_words() {
        assert!(holds(r#"{"answer": "rating", "max": 2}"#));
        assert!(!holds(r#"{"answer": "rating", "max": 1}"#));
        assert!(!holds(r#"{"answer": "nps", "max": 6}"#));
        assert!(holds(r#"{"answer": "stopped", "is": ["price", "late"]}"#));
        assert!(!holds(r#"{"answer": "stopped", "is": ["price"]}"#));
        assert!(holds(r#"{"answer": "why", "says": ["broken"]}"#));
        assert!(holds(r#"{"answer": "why", "says": ["Arrived Broken"]}"#));
        assert!(!holds(r#"{"answer": "why", "says": ["late"]}"#));
        // A question not answered never holds.
        assert!(!holds(r#"{"answer": "missing", "max": 10}"#));
        // The rating of 2 is unhappy, whatever its question's id.
        assert!(holds(r#"{"unhappy": true}"#));
    }

    #[test]
    fn host_data_and_trigger() {
        assert!(holds(r#"{"context": "cart_value", "min": 100}"#));
        assert!(!holds(r#"{"context": "cart_value", "min": 200}"#));
        assert!(holds(r#"{"visitor": "plan", "is": ["pro", "team"]}"#));
        assert!(!holds(r#"{"visitor": "plan", "is": ["free"]}"#));
        assert!(!holds(r#"{"visitor": "nothing", "is": ["x"]}"#));
        assert!(holds(r#"{"trigger": "exit_intent"}"#));
        assert!(!holds(r#"{"trigger": "dwell"}"#));
    }

    #[test]
    fn every_trigger_is_named_by_its_payload_name() {
        for trigger in TRIGGERS {
            let text = [r#"{"trigger": ""#, trigger.name(), r#""}"#].concat();
            assert_eq!(rule(&text), Rule::Trigger(trigger));
        }
        let no_answers = HostData(Vec::new());
        let failed = Facts {
            answers: &[],
            visitor: &no_answers,
            context: &no_answers,
            trigger: Trigger::RequestFailed,
        };
        assert!(rule(r#"{"trigger": "request_failed"}"#).holds(&failed));
        assert!(!rule(r#"{"trigger": "js_error"}"#).holds(&failed));
    }

    #[test]
    fn combined() {
        assert!(holds(
            r#"[{"answer": "rating", "max": 2}, {"trigger": "exit_intent"}]"#
        ));
        assert!(!holds(
            r#"[{"answer": "rating", "max": 2}, {"trigger": "dwell"}]"#
        ));
        assert!(holds(
            r#"{"any": [{"answer": "nps", "max": 6}, {"context": "cart_value", "min": 100}]}"#
        ));
        assert!(!holds(
            r#"{"all": [{"answer": "nps", "max": 6}, {"context": "cart_value", "min": 100}]}"#
        ));
    }

    #[test]
    fn mistakes_name_their_field() {
        assert_eq!(
            error(r#"{"answer": "rating", "max": 11}"#),
            "recovery.when.max must be a whole number from 0 to 10"
        );
        assert_eq!(
            error(r#"{"any": [{"trigger": "later"}]}"#),
            "recovery.when.any[0].trigger must be one of button, api, exit_intent, dwell, scroll, event, click, delay, \
            request_failed, rage_click, js_error, form_error"
        );
        assert_eq!(
            error(r#"{"any": []}"#),
            "recovery.when.any must list at least one rule"
        );
        assert_eq!(
            error(r#"{"answer": "why"}"#),
            "recovery.when must give max, is or says with answer"
        );
        assert_eq!(
            error(r#"{}"#),
            "recovery.when must name one of unhappy, answer, context, visitor, trigger, all or any"
        );
        assert!(error(r#"{"unhappy": false}"#).starts_with("recovery.when.unhappy must be true"));
        assert_eq!(
            error(r#"{"answer": "why", "says": [""]}"#),
            "recovery.when.says[0] must be a non-empty string"
        );
    }
}
