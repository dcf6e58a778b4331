//! What the widget posts to the site's endpoint: one response with its answers and the context a support team needs.
//! `schema/submission.v1.json` is the published contract for this type; the tests below serialise every variant
//! and validate it against that file, so the two cannot drift apart.

use crate::prelude::*;

use crate::failure::Failure;
use crate::json::{clip, Object, ToJson};
use crate::recovery::case::Case;

/// Version of the payload contract, written into every submission.
pub const SCHEMA_VERSION: u32 = 1;

/// One response, complete or not; every version of it carries the same `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    /// Random UUID made when the response starts.
    pub id: String,
    /// Site id from the configuration, or the page's host name.
    pub site: String,
    /// The feedback form, or which survey.
    pub kind: Kind,
    /// What opened the form or showed the survey.
    pub trigger: Trigger,
    /// True once the visitor sent the response.
    pub complete: bool,
    /// The answers, in the order asked.
    pub answers: Vec<Answer>,
    /// The page the visitor was on.
    pub page: Page,
    /// The visitor's browser.
    pub client: Client,
    /// When the response started, RFC 3339 in UTC.
    pub created_at: String,
    /// What the failure trigger that showed a survey saw ([`crate::failure`]); `None` for everything else.
    pub failure: Option<Failure>,
    /// The case its recovery opened, once one did ([`crate::recovery`]).
    pub recovery: Option<Case>,
    /// The published version of the configuration the answer was given under (the `configVersion` option).
    pub config_version: Option<u32>,
}

/// What the visitor answered: the feedback form, or a survey.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// The form behind the feedback button.
    Feedback,
    /// A micro-survey.
    Survey(SurveyRef),
}

/// Which survey a response answers, and how the visitor came to answer it.
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyRef {
    /// The survey's id from its definition.
    pub id: String,
    /// The version of that definition the visitor saw.
    pub version: u32,
    /// What the visitor did on the page before and while answering.
    pub signals: Signals,
}

/// Behaviour around a survey response, for reading its answers in context.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Signals {
    /// Seconds of active time on the page when the response was sent.
    pub active_seconds: u32,
    /// Deepest scroll on the page, in percent (0 to 100).
    pub scroll_depth: u32,
    /// Seconds from the survey appearing to the visitor finishing it; written only for complete responses.
    pub seconds_to_complete: Option<u32>,
}

/// What opened the form or showed the survey.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trigger {
    /// The visitor clicked the feedback button.
    Button,
    /// The host page called `Rebound.open()` or `Rebound.show(id)`.
    Api,
    /// The visitor was about to leave the page.
    ExitIntent,
    /// Enough active time on targeted pages.
    Dwell,
    /// The page was scrolled deep enough.
    Scroll,
    /// The host page called `Rebound.track(name)`.
    Event,
    /// A click on an element the survey names.
    Click,
    /// Some seconds after a targeted page view.
    Delay,
    /// A request of the page failed or was slow.
    RequestFailed,
    /// Clicks in anger on something that did not respond.
    RageClick,
    /// A JavaScript error on the page.
    JsError,
    /// A form field refused again and again.
    FormError,
}

/// One answered question.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The question's id.
    pub question: String,
    /// What the visitor answered.
    pub value: AnswerValue,
}

/// An answer's value; its variant is the question type.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerValue {
    /// 1 (worst) to 5 (best).
    Rating(u8),
    /// Net promoter score, 0 to 10.
    Nps(u8),
    /// Customer satisfaction, 1 (very unsatisfied) to 5 (very satisfied).
    Csat(u8),
    /// One option of a choice question, by id; `"other"` is the other option, whose text is in `other`.
    Single {
        /// The chosen option's id.
        option: String,
        /// What the visitor typed for "other", when they chose it.
        other: Option<String>,
    },
    /// One or more options, by id; `"other"` among them is the other option, whose text is in `other`.
    Multi {
        /// The chosen options' ids, in the order shown.
        options: Vec<String>,
        /// What the visitor typed for "other", when they chose it.
        other: Option<String>,
    },
    /// Free text.
    Text(String),
    /// How the visitor may be reached, given with explicit consent; at least one of the two.
    Contact {
        /// An email address.
        email: Option<String>,
        /// A phone number: 3 to 40 digits, spaces and `+ - ( ) . /`.
        phone: Option<String>,
    },
}

/// The page the visitor was on.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Full URL.
    pub url: String,
    /// Document title.
    pub title: String,
    /// Referrer, empty when there is none.
    pub referrer: String,
}

/// The visitor's browser.
#[derive(Clone, Debug, PartialEq)]
pub struct Client {
    /// Language the widget spoke.
    pub locale: String,
    /// Viewport width in CSS pixels.
    pub viewport_width: u32,
    /// Viewport height in CSS pixels.
    pub viewport_height: u32,
    /// The browser's user agent string.
    pub user_agent: String,
}

/// Longest strings the schema allows, in characters.
pub(crate) const MAX_URL: usize = 2048;
const MAX_TITLE: usize = 500;
const MAX_USER_AGENT: usize = 1000;
pub(crate) const MAX_SITE: usize = 200;
const MAX_LOCALE: usize = 35;
/// Longest id of a survey, question or option.
pub(crate) const MAX_ID: usize = 100;
/// Longest free text, "other" text included.
const MAX_TEXT: usize = crate::feedback::MAX_MESSAGE;

impl ToJson for Submission {
    fn write_json(&self, out: &mut String) {
        self.write_fields(&mut Object::new(out));
    }
}

impl Submission {
    /// Writes this submission's fields into `o`, which stays open for what the host page attaches
    /// ([`crate::payload`]).
    pub fn write_fields(&self, o: &mut Object) {
        o.field("schema_version", &SCHEMA_VERSION)
            .field("id", &self.id)
            .field("site", clip(&self.site, MAX_SITE));
        let survey = match &self.kind {
            Kind::Feedback => None,
            Kind::Survey(survey) => Some(survey),
        };
        o.field(
            "kind",
            if survey.is_some() {
                "survey"
            } else {
                "feedback"
            },
        )
        .maybe("survey", survey.map(SurveyId).as_ref())
        .field("trigger", self.trigger.name())
        .field("complete", &self.complete)
        .field("answers", &self.answers)
        .field("page", &self.page)
        .field("client", &self.client)
        .maybe(
            "signals",
            survey.map(|s| Written(s.signals, self.complete)).as_ref(),
        )
        .maybe("failure", self.failure.as_ref())
        .maybe("recovery", self.recovery.as_ref())
        .maybe("config_version", self.config_version.as_ref())
        .field("created_at", &self.created_at);
    }
}

/// A survey's id and version, written as an object.
struct SurveyId<'a>(&'a SurveyRef);

impl ToJson for SurveyId<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", clip(&self.0.id, MAX_ID))
            .field("version", &self.0.version);
    }
}

/// Signals as sent with a response that is complete or not: the time to complete only exists once it is.
struct Written(Signals, bool);

impl ToJson for Written {
    fn write_json(&self, out: &mut String) {
        let Written(signals, complete) = self;
        Object::new(out)
            .field("active_seconds", &signals.active_seconds)
            .field("scroll_depth", &signals.scroll_depth.min(100))
            .maybe(
                "seconds_to_complete",
                signals.seconds_to_complete.filter(|_| *complete).as_ref(),
            );
    }
}

impl Trigger {
    /// The payload's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Trigger::Button => "button",
            Trigger::Api => "api",
            Trigger::ExitIntent => "exit_intent",
            Trigger::Dwell => "dwell",
            Trigger::Scroll => "scroll",
            Trigger::Event => "event",
            Trigger::Click => "click",
            Trigger::Delay => "delay",
            Trigger::RequestFailed => "request_failed",
            Trigger::RageClick => "rage_click",
            Trigger::JsError => "js_error",
            Trigger::FormError => "form_error",
        }
    }
}

impl AnswerValue {
    /// The question type this answers, as the payload's `type` spells it.
    pub fn name(&self) -> &'static str {
        match self {
            AnswerValue::Rating(_) => "rating",
            AnswerValue::Nps(_) => "nps",
            AnswerValue::Csat(_) => "csat",
            AnswerValue::Single { .. } => "single",
            AnswerValue::Multi { .. } => "multi",
            AnswerValue::Text(_) => "text",
            AnswerValue::Contact { .. } => "contact",
        }
    }
}

impl ToJson for Answer {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("question", clip(&self.question, MAX_ID))
            .field("type", self.value.name());
        match &self.value {
            AnswerValue::Rating(n) | AnswerValue::Nps(n) | AnswerValue::Csat(n) => {
                o.field("value", &u32::from(*n))
            }
            AnswerValue::Single { option, other } => o.field(
                "value",
                &Chosen(core::slice::from_ref(option), false, other.as_deref()),
            ),
            AnswerValue::Multi { options, other } => {
                o.field("value", &Chosen(options, true, other.as_deref()))
            }
            AnswerValue::Text(text) => o.field("value", clip(text, MAX_TEXT)),
            AnswerValue::Contact { email, phone } => o.field("value", &Consented(email, phone)),
        };
    }
}

/// A choice value: the chosen option of a single choice (`option`) or the options of a multiple one (`options`),
/// and the "other" text when it was chosen. One writer for both keeps the wasm small.
struct Chosen<'a>(&'a [String], bool, Option<&'a str>);

impl ToJson for Chosen<'_> {
    fn write_json(&self, out: &mut String) {
        let Chosen(options, multiple, other) = *self;
        let mut o = Object::new(out);
        if multiple {
            o.field("options", options);
        } else {
            o.maybe("option", options.first());
        }
        o.maybe("other", other.map(|t| clip(t, MAX_TEXT)));
    }
}

/// A contact value: it only exists with consent, so `consent` is always written as true.
pub(crate) struct Consented<'a>(pub &'a Option<String>, pub &'a Option<String>);

impl ToJson for Consented<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .maybe("email", self.0.as_ref())
            .maybe("phone", self.1.as_ref())
            .field("consent", &true);
    }
}

impl ToJson for Page {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("url", clip(&self.url, MAX_URL))
            .field("title", clip(&self.title, MAX_TITLE))
            .field("referrer", clip(&self.referrer, MAX_URL));
    }
}

impl ToJson for Client {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("locale", clip(&self.locale, MAX_LOCALE))
            .field(
                "viewport",
                &Viewport(self.viewport_width, self.viewport_height),
            )
            .field("user_agent", clip(&self.user_agent, MAX_USER_AGENT));
    }
}

/// Width and height, written as an object.
struct Viewport(u32, u32);

impl ToJson for Viewport {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("width", &self.0)
            .field("height", &self.1);
    }
}

/// Test helpers shared with the tests of [`crate::payload`]: the schema, and a sample submission.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;
    use crate::json::to_string;

    pub(crate) fn schema() -> jsonschema::Validator {
        let text = include_str!("../schema/submission.v1.json");
        let schema: serde_json::Value = serde_json::from_str(text).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    }

    pub(crate) fn sample(answers: Vec<Answer>) -> Submission {
        Submission {
            id: crate::uuid::v4([7; 16]),
            site: "shop".into(),
            kind: Kind::Feedback,
            trigger: Trigger::Button,
            complete: true,
            answers,
            page: Page {
                url: "https://shop.example/checkout?step=2".into(),
                title: "Checkout \"fast\"".into(),
                referrer: String::new(),
            },
            client: Client {
                locale: "en".into(),
                viewport_width: 1280,
                viewport_height: 720,
                user_agent: "Mozilla/5.0".into(),
            },
            created_at: "2026-11-23T09:40:00.123Z".into(),
            failure: None,
            recovery: None,
            config_version: None,
        }
    }

    fn answer(question: &str, value: AnswerValue) -> Answer {
        Answer {
            question: question.into(),
            value,
        }
    }

    fn survey(complete: bool, answers: Vec<Answer>) -> Submission {
        let mut s = sample(answers);
        s.complete = complete;
        s.trigger = Trigger::ExitIntent;
        s.kind = Kind::Survey(SurveyRef {
            id: "checkout-exit".into(),
            version: 3,
            signals: Signals {
                active_seconds: 42,
                scroll_depth: 80,
                seconds_to_complete: Some(9),
            },
        });
        s
    }

    fn single(option: &str, other: Option<&str>) -> AnswerValue {
        AnswerValue::Single {
            option: option.into(),
            other: other.map(Into::into),
        }
    }

    fn multi(options: &[&str], other: Option<&str>) -> AnswerValue {
        AnswerValue::Multi {
            options: options.iter().map(|&o| o.into()).collect(),
            other: other.map(Into::into),
        }
    }

    fn contact(email: Option<&str>, phone: Option<&str>) -> AnswerValue {
        AnswerValue::Contact {
            email: email.map(Into::into),
            phone: phone.map(Into::into),
        }
    }

    /// Serialises, checks it is valid JSON and valid against the schema, and returns the parsed value.
    fn valid(s: &Submission) -> serde_json::Value {
        valid_text(&to_string(s))
    }

    /// Parses `text`, checks it is valid against the schema, and returns the parsed value.
    pub(crate) fn valid_text(text: &str) -> serde_json::Value {
        valid_against(&schema(), text)
    }

    /// Parses `text`, checks it is valid against `schema`, and returns the parsed value.
    pub(crate) fn valid_against(schema: &jsonschema::Validator, text: &str) -> serde_json::Value {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{text}\n{errors:#?}");
        value
    }

    /// Whether the schema refuses the JSON `s` serialises to.
    fn refused(s: &Submission) -> bool {
        let value: serde_json::Value = serde_json::from_str(&to_string(s)).unwrap();
        !schema().is_valid(&value)
    }

    #[test]
    fn every_answer_type_and_trigger_matches_the_schema() {
        let all = vec![
            answer("rating", AnswerValue::Rating(1)),
            answer("message", AnswerValue::Text("It broke\nat \"pay\"".into())),
            answer("contact", contact(Some("a@b.example"), None)),
        ];
        let mut s = sample(all);
        let v = valid(&s);
        assert_eq!(
            v["answers"][0],
            serde_json::json!({"question":"rating","type":"rating","value":1})
        );
        assert_eq!(
            v["answers"][2]["value"],
            serde_json::json!({"email":"a@b.example","consent":true})
        );
        assert_eq!(v["kind"], "feedback");
        assert!(v.get("survey").is_none() && v.get("signals").is_none());
        assert_eq!(v["client"]["viewport"]["width"], 1280);
        s.trigger = Trigger::Api;
        s.complete = false;
        s.answers = vec![answer("rating", AnswerValue::Rating(5))];
        assert_eq!(valid(&s)["trigger"], "api");
        s.answers.clear();
        valid(&s);
    }

    #[test]
    fn the_config_version_goes_with_feedback_and_surveys_alike() {
        for mut s in [
            sample(vec![answer("rating", AnswerValue::Rating(4))]),
            survey(true, vec![]),
        ] {
            s.config_version = Some(7);
            let v = valid(&s);
            assert_eq!(v["config_version"], 7);
            s.config_version = None;
            assert!(valid(&s).get("config_version").is_none());
        }
        let mut s = sample(vec![]);
        s.config_version = Some(0);
        assert!(refused(&s), "versions start at 1");
    }

    #[test]
    fn feedback_json_is_unchanged_by_the_survey_variants() {
        let s = sample(vec![
            answer("rating", AnswerValue::Rating(2)),
            answer("contact", contact(Some("a@b.example"), None)),
        ]);
        assert_eq!(
            to_string(&s),
            concat!(
                r#"{"schema_version":1,"id":"07070707-0707-4707-8707-070707070707","site":"shop","kind":"feedback","#,
                r#""trigger":"button","complete":true,"answers":[{"question":"rating","type":"rating","value":2},"#,
                r#"{"question":"contact","type":"contact","value":{"email":"a@b.example","consent":true}}],"#,
                r#""page":{"url":"https://shop.example/checkout?step=2","title":"Checkout \"fast\"","referrer":""},"#,
                r#""client":{"locale":"en","viewport":{"width":1280,"height":720},"user_agent":"Mozilla/5.0"},"#,
                r#""created_at":"2026-11-23T09:40:00.123Z"}"#
            )
        );
    }

    #[test]
    fn every_recovery_case_matches_the_schema() {
        use crate::recovery::case::Motive;
        use crate::recovery::plan::{Remedy, Severity, Solution};
        use crate::recovery::reference::Reference;
        let mut s = survey(true, vec![answer("stars", AnswerValue::Rating(1))]);
        let mut case = Case {
            rule: "late-order".into(),
            severity: Severity::High,
            reference: Reference::from_random([0xa7; 20]),
            previous_failures: 0,
            motive: None,
            contact: None,
            remedy: None,
        };
        s.recovery = Some(case.clone());
        let v = valid(&s);
        assert_eq!(v["recovery"]["severity"], "high");
        assert!(v["recovery"]["reference"]
            .as_str()
            .unwrap()
            .starts_with("RB-"));
        for (motive, contact, remedy) in [
            (
                Motive::Solution(Solution::Refund),
                (Some("a@b.example".to_owned()), None),
                Remedy::Voucher("SORRY10".into()),
            ),
            (
                Motive::Other("Call me back".into()),
                (None, Some("555 0100".to_owned())),
                Remedy::Link {
                    url: "https://shop.example/chat".into(),
                    label: crate::survey::localized::Localized::one("en", "Chat"),
                },
            ),
        ] {
            case.motive = Some(motive);
            case.contact = Some(contact);
            case.remedy = Some(remedy);
            case.severity = Severity::Urgent;
            case.previous_failures = 3;
            s.recovery = Some(case.clone());
            valid(&s);
        }
        // A reference with a look-alike letter, or a contact without consent, breaks the contract.
        let mut text = to_string(&s);
        let reference = case.reference.short.clone();
        text = text.replace(&reference, "RB-IO0L");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(!schema().is_valid(&value));
    }

    #[test]
    fn every_survey_answer_type_and_trigger_matches_the_schema() {
        let all = vec![
            answer("stars", AnswerValue::Rating(4)),
            answer("nps", AnswerValue::Nps(0)),
            answer("nps-top", AnswerValue::Nps(10)),
            answer("csat", AnswerValue::Csat(5)),
            answer("why", single("price", None)),
            answer("why-else", single("other", Some("No PayPal"))),
            answer("what", multi(&["shipping", "price"], None)),
            answer("what-else", multi(&["price", "other"], Some("Slow site"))),
            answer("details", AnswerValue::Text("Too slow".into())),
            answer("reach", contact(None, Some("+49 (30) 123-45.67/8"))),
            answer("reach-both", contact(Some("a@b.example"), Some("555 0100"))),
        ];
        let mut s = survey(true, all);
        let v = valid(&s);
        assert_eq!(v["kind"], "survey");
        assert_eq!(v["trigger"], "exit_intent");
        assert_eq!(
            v["survey"],
            serde_json::json!({"id": "checkout-exit", "version": 3})
        );
        assert_eq!(
            v["signals"],
            serde_json::json!({"active_seconds": 42, "scroll_depth": 80, "seconds_to_complete": 9})
        );
        let values: Vec<&serde_json::Value> = v["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["value"])
            .collect();
        assert_eq!(values[1], 0);
        assert_eq!(*values[4], serde_json::json!({"option": "price"}));
        assert_eq!(
            *values[5],
            serde_json::json!({"option": "other", "other": "No PayPal"})
        );
        assert_eq!(
            *values[7],
            serde_json::json!({"options": ["price", "other"], "other": "Slow site"})
        );
        assert_eq!(
            *values[9],
            serde_json::json!({"phone": "+49 (30) 123-45.67/8", "consent": true})
        );
        for (trigger, name) in [
            (Trigger::Button, "button"),
            (Trigger::Api, "api"),
            (Trigger::ExitIntent, "exit_intent"),
            (Trigger::Dwell, "dwell"),
            (Trigger::Scroll, "scroll"),
            (Trigger::Event, "event"),
            (Trigger::Click, "click"),
            (Trigger::Delay, "delay"),
            (Trigger::RequestFailed, "request_failed"),
            (Trigger::RageClick, "rage_click"),
            (Trigger::JsError, "js_error"),
            (Trigger::FormError, "form_error"),
        ] {
            s.trigger = trigger;
            assert_eq!(valid(&s)["trigger"], name);
        }
    }

    /// A survey response shown by the failure trigger of `failure`'s kind, carrying it.
    fn failed(failure: Failure) -> Submission {
        let mut s = survey(true, vec![answer("help", AnswerValue::Rating(2))]);
        s.trigger = TRIGGERS_BY_FAILURE
            .iter()
            .find(|(_, kind)| *kind == failure.kind())
            .map(|(t, _)| *t)
            .unwrap();
        s.failure = Some(failure);
        s
    }

    const TRIGGERS_BY_FAILURE: [(Trigger, &str); 4] = [
        (Trigger::RequestFailed, "request_failed"),
        (Trigger::RageClick, "rage_click"),
        (Trigger::JsError, "js_error"),
        (Trigger::FormError, "form_error"),
    ];

    #[test]
    fn every_failure_matches_the_schema() {
        let failures = [
            Failure::request(
                "/api/payment*",
                "https://shop.example/api/payment?card=1",
                Some(502),
                1234.0,
            ),
            Failure::request("/api/*", "https://shop.example/api/cart", Some(0), 30_000.0),
            Failure::request(
                "/api/search",
                "https://shop.example/api/search",
                None,
                4000.0,
            ),
            Failure::rage_click("button.pay#pay-now", 4),
            Failure::script_error("TypeError: x is undefined", "https://shop.example/app.js"),
            Failure::script_error("Script error.", ""),
            Failure::form_error("coupon", 2),
        ];
        for failure in failures {
            let v = valid(&failed(failure.clone()));
            assert_eq!(v["failure"]["kind"], failure.kind());
            assert_eq!(v["trigger"], failure.kind());
        }
        let v = valid(&failed(Failure::request(
            "/api/payment*",
            "https://shop.example/api/payment?card=1",
            Some(502),
            1234.0,
        )));
        assert_eq!(
            v["failure"],
            serde_json::json!({"kind": "request_failed", "rule": "/api/payment*",
                "url": "https://shop.example/api/payment", "status": 502, "duration_ms": 1234})
        );
    }

    #[test]
    fn the_schema_keeps_each_failure_to_its_shape_and_trigger() {
        let edited = |failure: Failure, edit: &dyn Fn(&mut serde_json::Value)| {
            let mut v: serde_json::Value =
                serde_json::from_str(&to_string(&failed(failure))).unwrap();
            edit(&mut v);
            schema().is_valid(&v)
        };
        let request = || Failure::request("/api/*", "https://shop.example/api", Some(500), 10.0);
        assert!(edited(request(), &|_| {}));
        assert!(!edited(request(), &|v| v["trigger"] = "js_error".into()));
        assert!(!edited(request(), &|v| v["trigger"] = "exit_intent".into()));
        assert!(!edited(request(), &|v| v["failure"]["status"] = 1000.into()));
        assert!(!edited(request(), &|v| v["failure"]["clicks"] = 3.into()));
        assert!(!edited(request(), &|v| v["failure"]["kind"] = "timeout".into()));
        assert!(!edited(request(), &|v| {
            v["failure"].as_object_mut().unwrap().remove("url");
        }));
        assert!(!edited(request(), &|v| v["failure"]["body"] = "card=4242".into()));
        let click = || Failure::rage_click("button.pay", 3);
        assert!(!edited(click(), &|v| v["failure"]["text"] = "Pay now".into()));
        assert!(!edited(click(), &|v| v["failure"]["clicks"] = 1.into()));
        assert!(!edited(click(), &|v| v["failure"]["selector"] = "".into()));
        let field = || Failure::form_error("coupon", 2);
        assert!(!edited(field(), &|v| v["failure"]["value"] = "SAVE10".into()));
        assert!(!edited(field(), &|v| v["failure"]["times"] = 0.into()));
        assert!(!edited(Failure::script_error("x", ""), &|v| {
            v["failure"]["message"] = "m".repeat(501).into()
        }));
        // A failure only goes with a survey response.
        let mut feedback = sample(vec![]);
        feedback.failure = Some(click());
        assert!(refused(&feedback));
    }

    #[test]
    fn time_to_complete_is_only_sent_with_a_complete_survey() {
        let partial = survey(false, vec![answer("nps", AnswerValue::Nps(3))]);
        let v = valid(&partial);
        assert_eq!(
            v["signals"],
            serde_json::json!({"active_seconds": 42, "scroll_depth": 80})
        );
        let mut deep = survey(true, vec![]);
        if let Kind::Survey(r) = &mut deep.kind {
            r.signals.scroll_depth = 250;
            r.signals.seconds_to_complete = None;
        }
        let v = valid(&deep);
        assert_eq!(
            v["signals"],
            serde_json::json!({"active_seconds": 42, "scroll_depth": 100})
        );
    }

    #[test]
    fn the_schema_rejects_what_the_widget_must_never_send() {
        let bad = [
            AnswerValue::Rating(6),
            AnswerValue::Rating(0),
            AnswerValue::Nps(11),
            AnswerValue::Csat(0),
            AnswerValue::Csat(6),
            AnswerValue::Text(String::new()),
            contact(Some("nope"), None),
            contact(None, None),
            contact(None, Some("12")),
            contact(None, Some("call me maybe")),
            contact(None, Some(&"1".repeat(41))),
            single("", None),
            single("other", None),
            single("price", Some("and more")),
            single("other", Some("")),
            multi(&[], None),
            multi(&["a", "a"], None),
            multi(&["other"], None),
            multi(&["a"], Some("x")),
        ];
        for value in bad {
            for s in [sample(vec![]), survey(true, vec![])] {
                let mut s = s;
                s.answers = vec![answer("q", value.clone())];
                assert!(refused(&s), "accepted {}", to_string(&s));
            }
        }
        assert!(refused(&sample(vec![answer("", AnswerValue::Rating(1))])));
    }

    #[test]
    fn the_schema_ties_survey_fields_to_the_kind() {
        let survey_json = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut v: serde_json::Value =
                serde_json::from_str(&to_string(&survey(true, vec![]))).unwrap();
            edit(&mut v);
            schema().is_valid(&v)
        };
        assert!(survey_json(&|_| {}));
        assert!(!survey_json(&|v| {
            v.as_object_mut().unwrap().remove("survey");
        }));
        assert!(!survey_json(&|v| {
            v.as_object_mut().unwrap().remove("signals");
        }));
        assert!(!survey_json(&|v| v["kind"] = "feedback".into()));
        assert!(!survey_json(&|v| v["signals"]["scroll_depth"] = 101.into()));
        assert!(!survey_json(&|v| v["survey"]["id"] = "".into()));
        assert!(!survey_json(&|v| v["complete"] = false.into()));
    }

    #[test]
    fn long_context_is_clipped_to_the_schema_limits() {
        let mut s = sample(vec![]);
        s.page.title = "é".repeat(MAX_TITLE + 10);
        s.page.url = "u".repeat(MAX_URL * 2);
        s.client.user_agent = "a".repeat(MAX_USER_AGENT + 1);
        let v = valid(&s);
        assert_eq!(
            v["page"]["title"].as_str().unwrap().chars().count(),
            MAX_TITLE
        );
        assert_eq!(v["page"]["url"].as_str().unwrap().len(), MAX_URL);
    }

    #[test]
    fn the_collectors_example_bodies_are_valid_under_the_schema() {
        // The collector's tests start from these files: they must stay within the contract the widget follows.
        for text in [
            include_str!("../collector/tests/fixtures/submission.json"),
            include_str!("../collector/tests/fixtures/survey.json"),
        ] {
            valid_text(text);
        }
    }
}
