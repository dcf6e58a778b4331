//! Survey definitions: the `surveys` list of the configuration (inline in `window.ReboundConfig`, or in the JSON
//! config file), parsed into typed [`Survey`]s. A wrong survey is rejected alone, with one console line naming
//! the survey, the field and what is wrong ([`SurveyError`]); the others still work.
//!
//! # The shape
//!
//! ```json
//! {
//!   "surveys": [
//!     {
//!       "id": "checkout-exit",
//!       "defaultLocale": "en",
//!       "trigger": { "type": "exit_intent" },
//!       "targeting": {
//!         "include": ["/checkout/*", { "prefix": "/cart" }],
//!         "exclude": [{ "regex": "^/checkout/(done|thanks)" }],
//!         "device": "desktop",
//!         "visitor": "returning",
//!         "locales": ["en", "de"]
//!       },
//!       "display": { "show": "until_answered", "recontactDays": 90, "dismissCooldownDays": 7, "samplePercent": 25 },
//!       "questions": [
//!         {
//!           "id": "nps",
//!           "type": "nps",
//!           "text": { "en": "How likely are you to recommend us?", "de": "Wie wahrscheinlich empfehlen Sie uns?" },
//!           "branches": [
//!             { "min": 0, "max": 6, "goto": "what-went-wrong" },
//!             { "min": 9, "goto": "end" }
//!           ]
//!         },
//!         {
//!           "id": "what-went-wrong",
//!           "type": "single",
//!           "text": "What stopped you?",
//!           "options": [
//!             { "id": "price", "label": "The price" },
//!             { "id": "shipping", "label": { "en": "Shipping costs", "de": "Versandkosten" } }
//!           ],
//!           "other": "Something else",
//!           "branches": [{ "options": ["price"], "goto": "contact" }]
//!         },
//!         { "id": "details", "type": "text", "text": "What could we do better?", "maxLength": 500, "required": false },
//!         { "id": "contact", "type": "contact", "text": "May we get back to you?", "fields": ["email", "phone"], "required": false }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! # Surveys
//!
//! | key | meaning | default |
//! |---|---|---|
//! | `id` | unique name of the survey, sent with every answer; `Rebound.show(id)` opens it | required |
//! | `version` | a whole number to raise when the questions change, sent with every answer | `1` |
//! | `defaultLocale` | language of texts written as plain strings, and the fallback for every other language | `"en"` |
//! | `questions` | 1 to 5 questions, asked in order unless a branch says otherwise | required |
//! | `trigger` | when the survey asks to appear (below) | required |
//! | `targeting` | who and where it is for (below) | everyone, every page |
//! | `display` | how often it may appear (below) | once |
//! | `recovery` | how it answers an unhappy visitor after its questions ([`crate::recovery::plan`]) | none |
//!
//! **Texts** (`text`, `label`, `other`) are a string in the default language, or an object of texts by locale
//! that includes the default language. A survey speaks the visitor's language when its first question has a text
//! in it (`de-AT` falls back to `de`), and its default language otherwise; any text missing in that language is
//! shown in the default one. A survey never disappears for want of a translation.
//!
//! # Questions
//!
//! Every question has an `id` (unique in the survey, not `end`), a `type`, a `text`, and `required` (default
//! `true`; an optional question can be skipped). By type:
//!
//! | `type` | answer | settings |
//! |---|---|---|
//! | `rating` | 1 to 5 | `style`: `"stars"` (default) or `"faces"` |
//! | `nps` | 0 to 10 | |
//! | `csat` | 1 to 5, shown with words from "very unsatisfied" to "very satisfied" | |
//! | `single` | one option | `options`: 2 to 10 `{ "id", "label" }`; `other`: label of an extra option with a text box |
//! | `multi` | one or more options | as `single` |
//! | `text` | free text | `maxLength`: 1 to 5000 characters (default 5000) |
//! | `contact` | email and/or phone, only with the consent box ticked | `fields`: `["email"]` (default), `["phone"]` or both |
//!
//! **Branches**: `branches` is a list tried in order after the question is answered; the first that matches
//! decides where to go (`goto`: the id of a *later* question, or `"end"`). Without a match the next question
//! follows. On `rating`, `nps` and `csat` a branch matches scores from `min` to `max` (either may be left out);
//! on `single` and `multi` it matches when any of its `options` (ids, `"other"` for the other option) was chosen.
//! A branch with no condition always matches, also when an optional question was skipped.
//!
//! # Triggers
//!
//! | `type` | fires | settings |
//! |---|---|---|
//! | `exit_intent` | the visitor is about to leave: with a mouse, a fast move out through the top edge; on touch screens, a fast fling back up, a back-navigation attempt, or returning after leaving the tab | `armAfter` seconds of visible time first (3), `topMargin` px (10), `minSpeed` px/s (200), `flingSpeed` px/s (1500), `minScroll` px scrolled down before a fling (400) |
//! | `dwell` | after `seconds` of active time on targeted pages: visible tab, interaction in the last `idleAfter` seconds (30); it goes on across SPA navigation | `seconds` (required), `idleAfter` |
//! | `scroll` | `percent` of the page scrolled, on a targeted page (the deepest point of the page view counts, also one reached before the survey code came) | `percent` 1 to 100 (required) |
//! | `event` | `Rebound.track(name, properties)` from the page | `name` (required), `properties`: values that must be equal |
//! | `click` | a click on an element matching `selector` | `selector`, any CSS selector (required) |
//! | `delay` | `seconds` after a targeted page view | `seconds` (required) |
//! | `api` | only when the page calls `Rebound.show(id)` | |
//! | `request_failed` | a `fetch` or `XMLHttpRequest` of the page whose URL `url` covers ended with a status in `status`, or took longer than `slowerThan` seconds | `url`: a URL rule, tested against the request's path when it goes to the page's origin, else its whole URL (required); `status`: statuses and classes (`[0, "5xx"]`: network and server errors); `slowerThan` |
//! | `rage_click` | `clicks` pointer clicks within `within` seconds on the same element or within `radius` px, never on inputs, selects, steppers or `data-rebound-ignore` | `clicks` (3), `within` (1), `radius` (30), `selector`: only clicks inside an element matching it |
//! | `js_error` | an uncaught error or unhandled rejection whose `message` and `script` match | each a text found anywhere ignoring ASCII case, or `{ "regex": "…" }`; left out, any error |
//! | `form_error` | one field became invalid (`aria-invalid="true"`, or `:invalid` after a submit) `times` times on a page view | `times` (2), `selector`: only fields inside an element matching it |
//!
//! The four failure triggers also take `showAfter`, the seconds the failed action has to settle before the survey
//! asks to appear (1.5; each further failure of a burst starts the wait again, for at most 10 s), and `lead`, the
//! card's first words for this survey (a text or texts by locale) in place of the built-in ones that name the
//! kind of failure. Each fires at most once per page view, only for failures on pages the survey targets, and
//! the survey's response carries what it saw as `failure` ([`crate::failure`]).
//!
//! `Rebound.show(id)` works for every survey, whatever its trigger, targeting or display policy, except one the
//! visitor already answered (until `recontactDays` have passed).
//!
//! # Targeting
//!
//! | key | meaning |
//! |---|---|
//! | `include` | URL rules the page must match one of; left out, every page |
//! | `exclude` | URL rules the page must match none of |
//! | `device` | `"desktop"` or `"mobile"` |
//! | `visitor` | `"new"` (first visit) or `"returning"` |
//! | `locales` | the visitor's language must be one of these (`"de"` covers `de-AT`) |
//!
//! A URL rule tests the page's path (`/checkout/pay`): a string is a glob, where `*` stands for anything
//! (`"/checkout/*"`), or an object with one of `exact`, `prefix`, `contains`, `glob` or `regex` (JavaScript
//! syntax). Rules are checked again on every SPA route change, and a survey on screen whose rules no longer
//! match is withdrawn.
//!
//! # Display
//!
//! | key | meaning | default |
//! |---|---|---|
//! | `show` | `"once"`, `"until_answered"`, or a number: at most that many times, and not after an answer | `"once"` |
//! | `recontactDays` | after an answer, the survey may come back after this many days (counted afresh) | never |
//! | `dismissCooldownDays` | after the visitor closes it unanswered, it stays away this many days | 7 |
//! | `samplePercent` | the share of visitors who ever see it; the same visitors every time | 100 |
//!
//! Across all surveys, a visitor sees at most one survey every 14 days, only one survey is on screen at a time,
//! and never while the page shows a modal dialog of its own or the tab is hidden. An answer in one tab counts in
//! every tab, and a survey open in one tab does not open in another.

use crate::prelude::*;

use super::branching::{self, END};
use super::fields::{fault, item, join, Fault, Fields, Parsed};
use super::localized::choose;
use super::policy::Policy;
use super::question::Question;
use super::targeting::Targeting;
use super::trigger::Trigger;
use crate::recovery::plan::Plan;
use crate::value::Value;

/// One survey, as defined by the web team; its trigger also keeps the trigger's running state.
#[derive(Clone, Debug, PartialEq)]
pub struct Survey {
    /// Unique name of the survey.
    pub id: String,
    /// The definition's version, sent with every answer so a changed survey's answers can be told apart.
    pub version: u32,
    /// The language of plain-string texts, and the fallback for all others.
    pub default_locale: String,
    /// 1 to 5 questions.
    pub questions: Vec<Question>,
    /// Who and where the survey is for.
    pub targeting: Targeting,
    /// When it asks to appear.
    pub trigger: Trigger,
    /// How often it may appear.
    pub policy: Policy,
    /// How it answers an unhappy visitor after its questions ([`crate::recovery`]).
    pub recovery: Option<Plan>,
}

/// A survey that was rejected, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyError {
    /// `survey "id"`, or `surveys[2]` when the id itself is unusable, or `surveys` for the whole list.
    survey: String,
    /// The fault, its field relative to the survey.
    fault: Box<Fault>,
}

impl SurveyError {
    /// The field at fault, relative to the survey (`questions[1].options`); empty when the whole survey or list is.
    pub fn field(&self) -> &str {
        &self.fault.field
    }

    /// The console line, e.g. `rebound: survey "checkout-exit": questions[1].type must be one of rating, nps, …`.
    pub fn message(&self) -> String {
        let Fault { field, reason, got } = &*self.fault;
        let mut line = ["rebound: ", &self.survey].concat();
        if !field.is_empty() {
            line.push_str(": ");
            line.push_str(field);
        }
        line.push(' ');
        line.push_str(reason);
        if let Some(got) = got {
            line.push_str(", got ");
            line.push_str(got);
        }
        line
    }
}

/// Reads the `surveys` list: the valid surveys, and one error for each rejected one. `null` (not configured) is
/// no surveys and no error.
pub fn parse_surveys(value: &Value) -> (Vec<Survey>, Vec<SurveyError>) {
    let mut surveys: Vec<Survey> = Vec::new();
    let mut errors = Vec::new();
    let items = match value {
        Value::Null => return (surveys, errors),
        Value::List(items) => items,
        other => {
            let fault = Box::new(Fault {
                field: String::new(),
                reason: "must be a list of surveys",
                got: Some(other.kind()),
            });
            return (
                surveys,
                vec![SurveyError {
                    survey: "surveys".into(),
                    fault,
                }],
            );
        }
    };
    for (i, value) in items.iter().enumerate() {
        let named = Fields::new(value, "")
            .ok()
            .and_then(|f| f.text("id").ok().flatten());
        let survey = match named {
            Some(id) => ["survey \"", id, "\""].concat(),
            None => item("surveys", i),
        };
        match Survey::parse(value) {
            Ok(s) if surveys.iter().any(|other| other.id == s.id) => errors.push(SurveyError {
                survey,
                fault: fault("id".into(), "is already used by an earlier survey"),
            }),
            Ok(s) => surveys.push(s),
            Err(fault) => errors.push(SurveyError { survey, fault }),
        }
    }
    (surveys, errors)
}

impl Survey {
    /// Reads one survey.
    fn parse(value: &Value) -> Parsed<Survey> {
        let f = Fields::new(value, "")?;
        f.known(&[&[
            "id",
            "defaultLocale",
            "questions",
            "targeting",
            "trigger",
            "display",
            "version",
            "recovery",
        ]])?;
        let id = f.id()?;
        let locale = f.text("defaultLocale")?.unwrap_or("en");
        let items = f.list("questions")?;
        if !(1..=5).contains(&items.len()) {
            return Err(fault("questions".into(), "must list 1 to 5 questions"));
        }
        Ok(Survey {
            id: id.into(),
            version: f
                .whole(
                    "version",
                    1,
                    1_000_000,
                    "must be a whole number from 1 to 1000000",
                )?
                .unwrap_or(1),
            default_locale: locale.into(),
            questions: parse_questions(items, locale)?,
            targeting: Targeting::parse(f.get("targeting"), "targeting")?,
            trigger: Trigger::parse(f.get("trigger"), "trigger", locale)?,
            policy: Policy::parse(f.get("display"), "display")?,
            recovery: f
                .get("recovery")
                .map(|v| Plan::parse(v, "recovery", id, locale))
                .transpose()?,
        })
    }

    /// The locale to show the survey in for a visitor who prefers `preferences` (best first): the first one its
    /// first question has a text in, else the default locale.
    pub fn locale(&self, preferences: &[&str]) -> &str {
        self.questions
            .first()
            .and_then(|q| choose(q.text.locales(), preferences))
            .unwrap_or(&self.default_locale)
    }
}

/// Reads the questions `items`, whose plain-string texts are in `locale`, then their branches, which may name
/// any later question.
pub(crate) fn parse_questions(items: &[Value], locale: &str) -> Parsed<Vec<Question>> {
    let mut questions: Vec<Question> = Vec::with_capacity(items.len());
    let mut branches = Vec::with_capacity(items.len());
    for (i, value) in items.iter().enumerate() {
        let path = item("questions", i);
        let (question, raw) = Question::parse(value, &path, locale)?;
        if question.id == END || questions.iter().any(|q| q.id == question.id) {
            return Err(fault(
                join(&path, "id"),
                "must be unique within the survey and not \"end\"",
            ));
        }
        questions.push(question);
        branches.push(raw);
    }
    for (i, raw) in branches.into_iter().enumerate() {
        let parsed =
            branching::parse(raw, &join(&item("questions", i), "branches"), &questions, i)?;
        if let Some(question) = questions.get_mut(i) {
            question.branches = parsed;
        }
    }
    Ok(questions)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::branching::{next, Goto};
    use crate::survey::policy::Repeat;
    use crate::survey::question::Kind;
    use crate::survey::tests::json;

    /// The example of the module documentation, which must stay valid.
    fn documented() -> Value {
        let docs = include_str!("definition.rs");
        let start = docs.find("//! ```json").unwrap();
        let end = start + docs[start..].find("//! ```\n").unwrap();
        let text: String = docs[start..end]
            .lines()
            .skip(1)
            .map(|l| l.trim_start_matches("//!"))
            .collect();
        json(&text)
    }

    fn one(survey: &str) -> Result<Survey, String> {
        let (mut surveys, errors) = parse_surveys(&json(&["[", survey, "]"].concat()));
        match errors.first() {
            Some(e) => Err(e.message()),
            None => Ok(surveys.remove(0)),
        }
    }

    const MINIMAL: &str =
        r#"{"id":"s","trigger":{"type":"api"},"questions":[{"id":"q","type":"nps","text":"t"}]}"#;

    #[test]
    fn the_demo_shop_surveys_are_valid() {
        let config = json(include_str!("../../www/surveys.json"));
        let (surveys, errors) = parse_surveys(config.get("surveys").unwrap());
        let errors: Vec<String> = errors.iter().map(SurveyError::message).collect();
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(surveys.len(), 4);
    }

    #[test]
    fn a_version_is_a_whole_number_and_defaults_to_1() {
        assert_eq!(one(MINIMAL).unwrap().version, 1);
        let versioned = MINIMAL.replacen('{', r#"{"version":3,"#, 1);
        assert_eq!(one(&versioned).unwrap().version, 3);
        let wrong = MINIMAL.replacen('{', r#"{"version":1.5,"#, 1);
        assert_eq!(
            one(&wrong).unwrap_err(),
            "rebound: survey \"s\": version must be a whole number from 1 to 1000000"
        );
    }

    #[test]
    fn the_documented_example_is_valid() {
        let Value::Map(config) = documented() else {
            panic!()
        };
        let (surveys, errors) = parse_surveys(&config[0].1);
        assert_eq!(errors, vec![]);
        let s = &surveys[0];
        assert_eq!(
            (s.id.as_str(), s.questions.len(), s.policy.repeat),
            ("checkout-exit", 4, Repeat::UntilAnswered)
        );
        assert!(matches!(s.trigger, Trigger::ExitIntent(_)));
        assert_eq!(
            next(
                &s.questions,
                0,
                Some(&crate::survey::answer::Answer::Score(3))
            ),
            Goto::Question(1)
        );
        assert_eq!(
            s.questions[3].kind,
            Kind::Contact {
                email: true,
                phone: true
            }
        );
        assert_eq!(s.locale(&["de-AT"]), "de");
    }

    #[test]
    fn a_minimal_survey_takes_the_defaults() {
        let s = one(MINIMAL).unwrap();
        assert_eq!(
            (s.default_locale.as_str(), s.trigger.clone()),
            ("en", Trigger::Api)
        );
        assert_eq!(
            (s.targeting, s.policy),
            (Targeting::default(), Policy::default())
        );
    }

    #[test]
    fn an_invalid_survey_is_rejected_alone_and_named() {
        let list = json(
            r#"[{"id":"checkout-exit","trigger":{"type":"api"},"questions":[{"id":"a","type":"nps","text":"t"},{"id":"b","type":"slider","text":"t"}]},
                {"id":"ok","trigger":{"type":"api"},"questions":[{"id":"q","type":"nps","text":"t"}]}]"#,
        );
        let (surveys, errors) = parse_surveys(&list);
        assert_eq!(
            surveys.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["ok"]
        );
        assert_eq!(
            errors.iter().map(SurveyError::message).collect::<Vec<_>>(),
            [
                r#"rebound: survey "checkout-exit": questions[1].type must be one of rating, nps, csat, single, multi, text, contact"#
            ]
        );
    }

    #[test]
    fn without_a_usable_id_the_position_names_the_survey() {
        let (_, errors) = parse_surveys(&json(r#"[{"trigger":{"type":"api"}}, {"id":7}, "x"]"#));
        let lines: Vec<String> = errors.iter().map(SurveyError::message).collect();
        assert_eq!(
            lines,
            [
                "rebound: surveys[0]: id is required",
                "rebound: surveys[1]: id must be a non-empty string, got a number",
                "rebound: surveys[2] must be an object, got a string",
            ]
        );
    }

    #[test]
    fn the_list_itself_must_be_a_list() {
        assert_eq!(parse_surveys(&Value::Null), (vec![], vec![]));
        let (surveys, errors) = parse_surveys(&json(r#"{"id":"s"}"#));
        assert!(surveys.is_empty());
        assert_eq!(
            errors[0].message(),
            "rebound: surveys must be a list of surveys, got an object"
        );
    }

    #[test]
    fn ids_are_unique_among_surveys_and_among_questions() {
        let (surveys, errors) = parse_surveys(&json(&["[", MINIMAL, ",", MINIMAL, "]"].concat()));
        assert_eq!(surveys.len(), 1);
        assert_eq!(
            errors[0].message(),
            r#"rebound: survey "s": id is already used by an earlier survey"#
        );
        let twice = r#"{"id":"s","trigger":{"type":"api"},"questions":[{"id":"q","type":"nps","text":"t"},{"id":"q","type":"csat","text":"t"}]}"#;
        assert_eq!(
            one(twice).unwrap_err(),
            r#"rebound: survey "s": questions[1].id must be unique within the survey and not "end""#
        );
        let end = r#"{"id":"s","trigger":{"type":"api"},"questions":[{"id":"end","type":"nps","text":"t"}]}"#;
        assert!(one(end).is_err());
    }

    #[test]
    fn one_to_five_questions() {
        let q = r#"{"id":"QID","type":"nps","text":"t"}"#;
        let with = |n: usize| {
            let qs: Vec<String> = (0..n).map(|i| q.replace("QID", &format!("q{i}"))).collect();
            one(&[
                r#"{"id":"s","trigger":{"type":"api"},"questions":["#,
                &qs.join(","),
                "]}",
            ]
            .concat())
        };
        assert_eq!(
            with(0).unwrap_err(),
            r#"rebound: survey "s": questions must list 1 to 5 questions"#
        );
        assert!(with(1).is_ok() && with(5).is_ok());
        assert!(with(6).is_err());
    }

    #[test]
    fn every_part_reports_its_own_field() {
        let cases = [
            (
                r#"{"id":"s","questions":[{"id":"q","type":"nps","text":"t"}]}"#,
                "trigger is required",
            ),
            (
                r#"{"id":"s","trigger":{"type":"delay"},"questions":[{"id":"q","type":"nps","text":"t"}]}"#,
                "trigger.seconds is required",
            ),
            (
                r#"{"id":"s","trigger":{"type":"api"},"targeting":{"device":"tv"},"questions":[{"id":"q","type":"nps","text":"t"}]}"#,
                "targeting.device must be desktop or mobile",
            ),
            (
                r#"{"id":"s","trigger":{"type":"api"},"display":{"samplePercent":200},"questions":[{"id":"q","type":"nps","text":"t"}]}"#,
                "display.samplePercent must be a number from 0 to 100",
            ),
            (
                r#"{"id":"s","trigger":{"type":"api"},"questions":[{"id":"q","type":"nps","text":{"de":"t"}}]}"#,
                "questions[0].text must have a text for the survey's defaultLocale",
            ),
            (
                r#"{"id":"s","trigger":{"type":"api"},"questions":"q"}"#,
                "questions must be a list, got a string",
            ),
            (
                r#"{"id":"s","trigger":{"type":"api"},"questions":[{"id":"q","type":"nps","text":"t"}],"title":"x"}"#,
                "title is not a known field",
            ),
            (
                r#"{"id":"s","defaultLocale":"","trigger":{"type":"api"},"questions":[{"id":"q","type":"nps","text":"t"}]}"#,
                "defaultLocale must be a non-empty string, got a string",
            ),
        ];
        for (survey, expected) in cases {
            assert_eq!(
                one(survey).unwrap_err(),
                ["rebound: survey \"s\": ", expected].concat()
            );
        }
    }

    #[test]
    fn texts_follow_the_default_locale_and_fall_back_to_it() {
        let s = one(
            r#"{"id":"s","defaultLocale":"de","trigger":{"type":"api"},
                "questions":[{"id":"q","type":"nps","text":{"de":"Wie?","fr":"Comment ?"}},{"id":"r","type":"text","text":"Warum?"}]}"#,
        )
        .unwrap();
        assert_eq!(s.locale(&["fr-CA", "de"]), "fr");
        assert_eq!(
            s.locale(&["en-US"]),
            "de",
            "no English: the default language, not nothing"
        );
        let locale = s.locale(&["fr"]);
        assert_eq!(
            (
                s.questions[0].text.get(locale),
                s.questions[1].text.get(locale)
            ),
            ("Comment ?", "Warum?")
        );
    }
}
