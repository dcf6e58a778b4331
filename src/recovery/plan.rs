//! A survey's recovery plan, as the web team writes it under `recovery` in a survey definition:
//!
//! ```json
//! "recovery": {
//!   "name": "late-order",
//!   "when": { "answer": "stopped", "is": ["late"] },
//!   "severity": "high",
//!   "solutions": ["refund", "replacement", "person", "none"],
//!   "reply": { "en": "We reply within 4 hours.", "de": "Wir antworten innerhalb von 4 Stunden." },
//!   "remedy": { "voucher": "SORRY10" }
//! }
//! ```
//!
//! Only `when` is required ([`crate::recovery::rule`]). `name` is sent as the matched rule (the survey's id by
//! default); `severity` is `normal`, `high` (the default) or `urgent`; `solutions` picks and orders the fair
//! solutions offered (all of them by default), and the visitor can always write their own; `reply` is the reply
//! time the site promises, said with the case number; `remedy` is shown at once: a `voucher` code with a copy
//! button, or a `link` (`{ "link": "https://…", "label": "Chat with us" }`); `texts` replaces the steps' texts
//! for this survey, by their names in the `strings` option (`{ "sorryFor": "So sorry about “{}”!" }`).

use crate::prelude::*;

use super::rule::Rule;
use crate::locale::{self, Key};
use crate::survey::fields::{fault, item, wrong, Fields, Parsed};
use crate::survey::localized::Localized;
use crate::value::Value;

/// How urgent a case is for the support team.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub enum Severity {
    /// Worth an answer in the normal course.
    Normal,
    /// Needs a person soon.
    High,
    /// Needs a person first.
    Urgent,
}

/// The severity names, in the order of [`Severity`].
const SEVERITIES: [&str; 3] = ["normal", "high", "urgent"];

impl Severity {
    /// The name in definitions and payloads.
    pub fn name(self) -> &'static str {
        SEVERITIES[self as usize]
    }

    /// One step up: a visitor who reported a failure before must reach a person first, since recovery rarely
    /// works twice.
    pub fn raised(self) -> Severity {
        match self {
            Severity::Normal => Severity::High,
            _ => Severity::Urgent,
        }
    }
}

/// A fair solution the visitor can ask for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Solution {
    /// Their money back.
    Refund,
    /// The thing again, working.
    Replacement,
    /// A discount.
    Discount,
    /// A person to talk to.
    Person,
    /// Nothing: they only wanted the site to know.
    Nothing,
}

/// The solution names, in the order of [`Solution`] (and the order offered by default).
pub const SOLUTIONS: [&str; 5] = ["refund", "replacement", "discount", "person", "none"];

/// Every solution, in the order of [`SOLUTIONS`].
const ALL: [Solution; 5] = [
    Solution::Refund,
    Solution::Replacement,
    Solution::Discount,
    Solution::Person,
    Solution::Nothing,
];

impl Solution {
    /// The name in definitions and payloads.
    pub fn name(self) -> &'static str {
        SOLUTIONS[self as usize]
    }

    /// The solution named `name`.
    pub fn named(name: &str) -> Option<Solution> {
        SOLUTIONS.iter().position(|n| *n == name).map(|i| ALL[i])
    }
}

/// Something the site gives at once.
#[derive(Clone, Debug, PartialEq)]
pub enum Remedy {
    /// A voucher code, shown with a copy button.
    Voucher(String),
    /// A link, such as live chat or a callback form.
    Link {
        /// An http(s) URL.
        url: String,
        /// What the link says.
        label: Localized,
    },
}

/// When and how a survey answers an unhappy visitor.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The rule's name, sent with the case.
    pub name: String,
    /// When recovery starts.
    pub when: Rule,
    /// The case's severity before repeats raise it.
    pub severity: Severity,
    /// The fair solutions offered, in order.
    pub solutions: Vec<Solution>,
    /// The reply time the site promises.
    pub reply: Option<Localized>,
    /// What is given at once.
    pub remedy: Option<Remedy>,
    /// This survey's own texts for the steps, replacing the site's and the built-in ones.
    pub texts: Vec<(Key, Localized)>,
}

/// Whether a plan may replace the text `key`: the recovery steps' texts, which [`Key`] lists together from
/// [`Key::SorryFor`] to [`Key::CopyCode`].
fn step_text(key: Key) -> bool {
    (Key::SorryFor as usize..=Key::CopyCode as usize).contains(&(key as usize))
}

impl Plan {
    /// Reads the `recovery` object at `path` of the survey `survey` (its id names the rule by default), whose
    /// plain texts are in `locale`.
    pub(crate) fn parse(value: &Value, path: &str, survey: &str, locale: &str) -> Parsed<Plan> {
        let f = Fields::new(value, path)?;
        f.known(&[&[
            "name",
            "when",
            "severity",
            "solutions",
            "reply",
            "remedy",
            "texts",
        ]])?;
        let when = f.get("when").ok_or_else(|| f.missing("when"))?;
        let severity = f.pick(
            "severity",
            &SEVERITIES,
            "must be one of normal, high, urgent",
        )?;
        let mut solutions = Vec::new();
        for (i, value) in f.list("solutions")?.iter().enumerate() {
            let named = value.as_str().and_then(Solution::named);
            match named {
                Some(s) if !solutions.contains(&s) => solutions.push(s),
                _ => {
                    return Err(wrong(
                        item(&f.path("solutions"), i),
                        "must be one of refund, replacement, discount, person, none, each once",
                        value,
                    ))
                }
            }
        }
        if solutions.is_empty() {
            solutions = ALL.to_vec();
        }
        Ok(Plan {
            name: f.text("name")?.unwrap_or(survey).into(),
            when: Rule::parse(when, &f.path("when"))?,
            severity: [Severity::Normal, Severity::High, Severity::Urgent][severity.unwrap_or(1)],
            solutions,
            reply: Localized::field(&f, "reply", locale)?,
            remedy: f
                .get("remedy")
                .map(|v| remedy(v, &f.path("remedy"), locale))
                .transpose()?,
            texts: match f.get("texts") {
                Some(v) => texts(v, &f.path("texts"), locale)?,
                None => Vec::new(),
            },
        })
    }
}

/// Reads the `texts` object: each key a recovery text's name, each value a text in one or more languages.
fn texts(value: &Value, path: &str, locale: &str) -> Parsed<Vec<(Key, Localized)>> {
    let f = Fields::new(value, path)?;
    let Value::Map(entries) = value else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, text) in entries {
        match locale::named(name).filter(|k| step_text(*k)) {
            Some(key) => out.push((key, Localized::parse(text, &f.path(name), locale)?)),
            None => return Err(fault(f.path(name), "is not a text of the recovery steps")),
        }
    }
    Ok(out)
}

impl Plan {
    /// The feedback form's plan from the `recovery` option: by default (`null`) an unhappy answer recovers (its
    /// rating of 1 or 2, [`super::unhappy`]);
    /// `false` turns recovery off; an object is a plan whose `when` may be left out for that default rule. A wrong
    /// one is the console line that says so (the form then has no recovery).
    pub fn for_feedback(value: &Value) -> Result<Option<Plan>, String> {
        Plan::feedback(value).map_err(|fault| {
            let got = fault
                .got
                .map(|g| [", got ", g].concat())
                .unwrap_or_default();
            let line = ["rebound: ", &fault.field, " ", fault.reason, &got];
            [&line[..], &["; the feedback form has no recovery"]]
                .concat()
                .concat()
        })
    }

    fn feedback(value: &Value) -> Parsed<Option<Plan>> {
        match value {
            Value::Bool(false) => Ok(None),
            Value::Null | Value::Bool(true) => Ok(Some(Plan {
                name: "feedback".into(),
                when: Rule::Unhappy,
                severity: Severity::High,
                solutions: ALL.to_vec(),
                reply: None,
                remedy: None,
                texts: Vec::new(),
            })),
            Value::Map(entries) if !entries.iter().any(|(k, _)| k == "when") => {
                let rule = vec![(String::from("unhappy"), Value::Bool(true))];
                let mut with = entries.clone();
                with.push(("when".into(), Value::Map(rule)));
                Plan::parse(&Value::Map(with), "recovery", "feedback", "en").map(Some)
            }
            other => Plan::parse(other, "recovery", "feedback", "en").map(Some),
        }
    }
}

/// Reads a remedy: `{ "voucher": "CODE" }` or `{ "link": "https://…", "label": "…" }`.
fn remedy(value: &Value, path: &str, locale: &str) -> Parsed<Remedy> {
    let f = Fields::new(value, path)?;
    f.known(&[&["voucher", "link", "label"]])?;
    if let Some(code) = f.text("voucher")? {
        return Ok(Remedy::Voucher(code.into()));
    }
    let url = f.required_text("link")?;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(fault(f.path("link"), "must be an http or https URL"));
    }
    let label = Localized::field(&f, "label", locale)?.ok_or_else(|| f.missing("label"))?;
    Ok(Remedy::Link {
        url: url.into(),
        label,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn plan(text: &str) -> Parsed<Plan> {
        Plan::parse(&json(text), "recovery", "checkout-exit", "en")
    }

    #[test]
    fn defaults_and_every_field() {
        let p = plan(r#"{"when": {"answer": "rating", "max": 2}}"#).unwrap();
        assert_eq!(p.name, "checkout-exit");
        assert_eq!(p.severity, Severity::High);
        assert_eq!(p.solutions, ALL.to_vec());
        assert_eq!((p.reply, p.remedy), (None, None));
        let p = plan(
            r#"{"name": "late", "when": [{"trigger": "exit_intent"}], "severity": "urgent",
                "solutions": ["person", "refund"], "reply": "We reply within 4 hours.",
                "remedy": {"link": "https://shop.example/chat", "label": {"en": "Chat with us"}}}"#,
        )
        .unwrap();
        assert_eq!(p.name, "late");
        assert_eq!(p.severity, Severity::Urgent);
        assert_eq!(p.solutions, vec![Solution::Person, Solution::Refund]);
        assert_eq!(p.reply.unwrap().get("de"), "We reply within 4 hours.");
        assert!(
            matches!(p.remedy, Some(Remedy::Link { url, .. }) if url == "https://shop.example/chat")
        );
        let p = plan(
            r#"{"when": {"answer": "q", "max": 1}, "remedy": {"voucher": "SORRY10"},
                "texts": {"fair": {"en": "What would help?", "de": "Was hilft?"}}}"#,
        )
        .unwrap();
        assert_eq!(p.remedy, Some(Remedy::Voucher("SORRY10".into())));
        assert_eq!(p.texts.len(), 1);
        assert_eq!(
            (p.texts[0].0, p.texts[0].1.get("de")),
            (Key::Fair, "Was hilft?")
        );
    }

    #[test]
    fn mistakes_name_their_field() {
        let reason = |text: &str| {
            let f = plan(text).unwrap_err();
            [f.field.as_str(), " ", f.reason].concat()
        };
        assert_eq!(reason("{}"), "recovery.when is required");
        assert_eq!(
            reason(r#"{"when": {"trigger": "api"}, "solutions": ["refund", "refund"]}"#),
            "recovery.solutions[1] must be one of refund, replacement, discount, person, none, each once"
        );
        assert_eq!(
            reason(
                r#"{"when": {"trigger": "api"}, "remedy": {"link": "javascript:alert(1)", "label": "x"}}"#
            ),
            "recovery.remedy.link must be an http or https URL"
        );
        assert_eq!(
            reason(r#"{"when": {"trigger": "api"}, "severity": "high!"}"#),
            "recovery.severity must be one of normal, high, urgent"
        );
        assert_eq!(
            reason(r#"{"when": {"trigger": "api"}, "texts": {"button": "Hi"}}"#),
            "recovery.texts.button is not a text of the recovery steps"
        );
        assert_eq!(
            reason(r#"{"when": {"trigger": "api"}, "texts": {"unavailable": "Hi"}}"#),
            "recovery.texts.unavailable is not a text of the recovery steps"
        );
        let ends =
            plan(r#"{"when": {"trigger": "api"}, "texts": {"sorryFor": "A {}", "copyCode": "B"}}"#);
        assert_eq!(
            ends.unwrap().texts.len(),
            2,
            "the first and the last step text"
        );
    }

    #[test]
    fn the_feedback_form_recovers_low_ratings_by_default() {
        let default = Plan::for_feedback(&Value::Null).unwrap().unwrap();
        assert_eq!(default.name, "feedback");
        assert_eq!(default.when, Rule::Unhappy);
        assert_eq!(Plan::for_feedback(&Value::Bool(false)).unwrap(), None);
        let own = Plan::for_feedback(&json(r#"{"remedy": {"voucher": "SORRY5"}}"#))
            .unwrap()
            .unwrap();
        assert_eq!(
            (own.when, own.remedy),
            (default.when, Some(Remedy::Voucher("SORRY5".into())))
        );
        let strict =
            Plan::for_feedback(&json(r#"{"when": {"answer": "rating", "max": 1}}"#)).unwrap();
        assert!(matches!(strict.unwrap().when, Rule::AtMost { max: 1, .. }));
        let wrong = Plan::for_feedback(&json(r#"{"severity": "loud"}"#)).unwrap_err();
        assert_eq!(
            wrong,
            "rebound: recovery.severity must be one of normal, high, urgent; the feedback form has no recovery"
        );
    }

    #[test]
    fn severity_rises_for_repeats() {
        assert_eq!(Severity::Normal.raised(), Severity::High);
        assert_eq!(Severity::High.raised(), Severity::Urgent);
        assert_eq!(Severity::Urgent.raised(), Severity::Urgent);
        assert_eq!(Severity::High.name(), "high");
    }
}
