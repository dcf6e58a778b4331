//! Triggers: when a survey asks to appear. Each kind is a small state machine in its own file, fed with the
//! browser's [`Event`]s and the time in milliseconds, that says when it fires; none reads a clock, the DOM or the
//! network itself. Whether a survey that fired really shows is for the [`scheduler`](super::scheduler).
//!
//! Four kinds fire on a failure the visitor met (`request_failed`, `rage_click`, `js_error`, `form_error`): they
//! share the wait for the failure to settle ([`settle`]), and keep the [`Failure`] they fired for, which the
//! payload carries and which chooses the card's first words ([`Trigger::failure`], [`Trigger::lead`]).

pub mod click;
pub mod delay;
pub mod dwell;
pub mod event;
pub mod exit_intent;
pub mod form_error;
pub mod js_error;
pub mod rage_click;
pub mod request_failed;
pub mod scroll;
pub mod settle;

use super::fields::{fault, Fields, Parsed};
use super::url_rule::RegexMatcher;
use crate::failure::Failure;
use crate::locale::Texts;
use crate::submission;
use crate::value::Value;
use click::Click;
use delay::Delay;
use dwell::Dwell;
use event::Tracked;
use exit_intent::ExitIntent;
use form_error::FormError;
use js_error::JsError;
use rage_click::{RageClick, Spot};
use request_failed::{Request, RequestFailed};
use scroll::ScrollDepth;
use settle::{Settle, Settled};

/// Something that happened in the page, as the browser layer reports it.
pub enum Event<'a> {
    /// The tab became visible (`true`) or hidden (`false`).
    Visibility(bool),
    /// The visitor pressed a key or a pointer button, or touched the screen.
    Activity,
    /// The mouse moved; `y` is its `clientY` in CSS pixels.
    PointerMove {
        /// Distance from the top of the viewport.
        y: f64,
    },
    /// The mouse left the document (`mouseout` on the document element).
    PointerLeave {
        /// Its `clientY`: at or above 0 when it left through the top edge.
        y: f64,
        /// Whether `relatedTarget` was an element: it moved onto something inside the page (an autocomplete list,
        /// say), not out of the window.
        to_element: bool,
    },
    /// The page scrolled.
    Scroll {
        /// `scrollY`, in CSS pixels.
        top: f64,
        /// How far the page can scroll: `scrollHeight - innerHeight`.
        range: f64,
    },
    /// The visitor tried to go back (the browser layer notices it, e.g. through a guard history entry).
    Back,
    /// The host page called `Rebound.track(name, properties)`.
    Track {
        /// The event's name.
        name: &'a str,
        /// Its properties, an object (or `null`).
        properties: &'a Value,
    },
    /// The visitor clicked.
    Click {
        /// Whether the clicked element is inside one matching a CSS selector (the browser answers with `closest`).
        closest: &'a dyn Fn(&str) -> bool,
        /// Where a pointer click landed, for rage clicks; `None` for a click no pointer made (the keyboard's Enter
        /// or Space on a button, a script's `click()`: `detail` is 0).
        spot: Option<Spot<'a>>,
    },
    /// A `fetch` or `XMLHttpRequest` of the page ended.
    Request(Request<'a>),
    /// An uncaught error (`error` on the window) or unhandled rejection (`unhandledrejection`, its reason's
    /// message) on the page.
    ScriptError {
        /// The error's message.
        message: &'a str,
        /// The script it came from (`filename`), empty when the browser does not say.
        script: &'a str,
        /// Runs the regular expressions of `regex` patterns.
        regex: &'a RegexMatcher,
    },
    /// A field of the page became invalid: `aria-invalid="true"` set on it, or `:invalid` after a submit attempt.
    FieldInvalid {
        /// The field's `name`, else its `id`, else its CSS path; never its value.
        field: &'a str,
        /// Whether the field is inside an element matching a CSS selector (the browser answers with `closest`).
        closest: &'a dyn Fn(&str) -> bool,
    },
    /// Time passed: sent at the time [`Trigger::wake_at`] asked for.
    Tick,
}

/// What every trigger does; the parts a kind does not need do nothing.
pub(crate) trait Machine {
    /// Starts counting time at `now`; `touch` tells a touch screen from a mouse.
    fn start(&mut self, _now: f64, _touch: bool) {}
    /// A page view at `now`, on a page the survey is (`matching`) or is not meant for.
    fn page(&mut self, _matching: bool, _now: f64) {}
    /// Takes in `event` at `now`; true when the trigger fires.
    fn on(&mut self, event: &Event, now: f64) -> bool;
    /// When the trigger would fire if nothing else happened, for the browser to send a [`Event::Tick`] then.
    fn wake_at(&self) -> Option<f64> {
        None
    }
}

/// A survey's trigger: its settings and the little state it keeps.
#[derive(Clone, Debug, PartialEq)]
pub enum Trigger {
    /// The visitor is about to leave.
    ExitIntent(ExitIntent),
    /// Seconds of active time on matching pages.
    Dwell(Dwell),
    /// A scroll depth reached on a matching page.
    Scroll(ScrollDepth),
    /// An event the host page tracks.
    Event(Tracked),
    /// A click on an element matching a CSS selector.
    Click(Click),
    /// Seconds after a matching page view.
    Delay(Delay),
    /// Only when the host page calls `Rebound.show(id)`.
    Api,
    /// A request of the page failed or was slow.
    RequestFailed(Settled<RequestFailed>),
    /// Clicks in anger on the same element or spot.
    RageClick(Settled<RageClick>),
    /// A JavaScript error on the page.
    JsError(Settled<JsError>),
    /// A form field refused again and again.
    FormError(Settled<FormError>),
}

/// The trigger types, in the order of [`Trigger`]'s variants.
const TYPES: [&str; 11] = [
    "exit_intent",
    "dwell",
    "scroll",
    "event",
    "click",
    "delay",
    "api",
    "request_failed",
    "rage_click",
    "js_error",
    "form_error",
];

impl Trigger {
    /// Reads the `trigger` object at `path` of a survey whose plain texts are in `locale`.
    pub(crate) fn parse(value: Option<&Value>, path: &str, locale: &str) -> Parsed<Trigger> {
        let value = value.ok_or_else(|| fault(path.into(), "is required"))?;
        let f = Fields::new(value, path)?;
        let reason = "must be one of exit_intent, dwell, scroll, event, click, delay, api, \
            request_failed, rage_click, js_error, form_error";
        Ok(
            match f
                .pick("type", &TYPES, reason)?
                .ok_or_else(|| f.missing("type"))?
            {
                0 => Trigger::ExitIntent(ExitIntent::parse(&f)?),
                1 => Trigger::Dwell(Dwell::parse(&f)?),
                2 => Trigger::Scroll(ScrollDepth::parse(&f)?),
                3 => Trigger::Event(Tracked::parse(&f)?),
                4 => Trigger::Click(Click::parse(&f)?),
                5 => Trigger::Delay(Delay::parse(&f)?),
                7 => Trigger::RequestFailed(Settled::parse(&f, locale, RequestFailed::parse(&f)?)?),
                8 => Trigger::RageClick(Settled::parse(&f, locale, RageClick::parse(&f)?)?),
                9 => Trigger::JsError(Settled::parse(&f, locale, JsError::parse(&f)?)?),
                10 => Trigger::FormError(Settled::parse(&f, locale, FormError::parse(&f)?)?),
                _ => {
                    f.known(&[&["type"]])?;
                    Trigger::Api
                }
            },
        )
    }

    /// What the payload's `trigger` calls this one.
    pub fn reported(&self) -> submission::Trigger {
        use submission::Trigger as T;
        match self {
            Trigger::ExitIntent(_) => T::ExitIntent,
            Trigger::Dwell(_) => T::Dwell,
            Trigger::Scroll(_) => T::Scroll,
            Trigger::Event(_) => T::Event,
            Trigger::Click(_) => T::Click,
            Trigger::Delay(_) => T::Delay,
            Trigger::Api => T::Api,
            Trigger::RequestFailed(_) => T::RequestFailed,
            Trigger::RageClick(_) => T::RageClick,
            Trigger::JsError(_) => T::JsError,
            Trigger::FormError(_) => T::FormError,
        }
    }

    /// The wait of a failure trigger; `None` for the other kinds.
    fn settle(&self) -> Option<&Settle> {
        match self {
            Trigger::RequestFailed(t) => Some(t.settle()),
            Trigger::RageClick(t) => Some(t.settle()),
            Trigger::JsError(t) => Some(t.settle()),
            Trigger::FormError(t) => Some(t.settle()),
            _ => None,
        }
    }

    /// The failure a failure trigger last fired for on this page load, for the payload's `failure`; `None` for the
    /// other kinds and before it fired (a survey the page asked for with `Rebound.show` has none unless its
    /// trigger fired too).
    pub fn failure(&self) -> Option<&Failure> {
        self.settle()?.failure()
    }

    /// The survey card's first words, naming the failure the trigger fired for, in the language of `texts`:
    /// the trigger's `lead` when the survey gave one, else the site's or the built-in text for the kind; `None`
    /// when there is no failure to name.
    pub fn lead<'a>(&'a self, texts: &'a Texts) -> Option<&'a str> {
        self.settle()?.lead(texts)
    }

    /// The state machine behind this trigger; `api` has none.
    fn machine(&mut self) -> Option<&mut dyn Machine> {
        match self {
            Trigger::ExitIntent(t) => Some(t),
            Trigger::Dwell(t) => Some(t),
            Trigger::Scroll(t) => Some(t),
            Trigger::Event(t) => Some(t),
            Trigger::Click(t) => Some(t),
            Trigger::Delay(t) => Some(t),
            Trigger::Api => None,
            Trigger::RequestFailed(t) => Some(t),
            Trigger::RageClick(t) => Some(t),
            Trigger::JsError(t) => Some(t),
            Trigger::FormError(t) => Some(t),
        }
    }

    /// Starts counting time at `now`, on a touch screen or not; called once, when the page loads.
    pub fn start(&mut self, now: f64, touch: bool) {
        if let Some(m) = self.machine() {
            m.start(now, touch);
        }
    }

    /// A page view (the first, or an SPA route change) at `now`; `matching` says whether the survey targets it.
    pub fn page(&mut self, matching: bool, now: f64) {
        if let Some(m) = self.machine() {
            m.page(matching, now);
        }
    }

    /// Takes in `event` at `now`; true when the survey should appear.
    pub fn on(&mut self, event: &Event, now: f64) -> bool {
        self.machine().is_some_and(|m| m.on(event, now))
    }

    /// When to send [`Event::Tick`] so that a timed trigger fires on time; `None` when nothing is pending.
    pub fn wake_at(&self) -> Option<f64> {
        match self {
            Trigger::Dwell(t) => t.wake_at(),
            Trigger::Delay(t) => t.wake_at(),
            Trigger::RequestFailed(t) => t.wake_at(),
            Trigger::RageClick(t) => t.wake_at(),
            Trigger::JsError(t) => t.wake_at(),
            Trigger::FormError(t) => t.wake_at(),
            _ => None,
        }
    }
}

/// Milliseconds from `last` to `now`, moving `last` on. A clock that went backwards gives 0 rather than a
/// negative time, and counting goes on from the new reading.
pub(crate) fn elapsed(last: &mut f64, now: f64) -> f64 {
    let step = (now - *last).max(0.0);
    *last = now;
    step
}

/// A value in seconds read from `key` of `f`, in milliseconds.
pub(crate) fn millis(f: &Fields, key: &str, max: f64, reason: &'static str) -> Parsed<Option<f64>> {
    Ok(f.number(key, 0.0, max, reason)?.map(|s| s * 1000.0))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    pub(crate) fn trigger(text: &str) -> Parsed<Trigger> {
        Trigger::parse(Some(&json(text)), "trigger", "en")
    }

    #[test]
    fn the_type_picks_the_kind() {
        assert!(matches!(
            trigger(r#"{"type":"exit_intent"}"#),
            Ok(Trigger::ExitIntent(_))
        ));
        assert!(matches!(
            trigger(r#"{"type":"dwell","seconds":5}"#),
            Ok(Trigger::Dwell(_))
        ));
        assert!(matches!(
            trigger(r#"{"type":"scroll","percent":50}"#),
            Ok(Trigger::Scroll(_))
        ));
        assert!(matches!(
            trigger(r#"{"type":"event","name":"x"}"#),
            Ok(Trigger::Event(_))
        ));
        assert!(matches!(
            trigger(r##"{"type":"click","selector":"#x"}"##),
            Ok(Trigger::Click(_))
        ));
        assert!(matches!(
            trigger(r#"{"type":"delay","seconds":0}"#),
            Ok(Trigger::Delay(_))
        ));
        assert_eq!(trigger(r#"{"type":"api"}"#), Ok(Trigger::Api));
        assert!(matches!(
            trigger(r#"{"type":"request_failed","url":"/api/*"}"#),
            Ok(Trigger::RequestFailed(_))
        ));
        assert!(matches!(
            trigger(r#"{"type":"rage_click"}"#),
            Ok(Trigger::RageClick(_))
        ));
        assert!(matches!(
            trigger(r#"{"type":"js_error"}"#),
            Ok(Trigger::JsError(_))
        ));
        assert!(matches!(
            trigger(r#"{"type":"form_error"}"#),
            Ok(Trigger::FormError(_))
        ));
    }

    #[test]
    fn every_kind_has_its_payload_name() {
        let names: Vec<&str> = TYPES
            .iter()
            .map(|t| {
                let settings = match *t {
                    "dwell" | "delay" => r#","seconds":1"#,
                    "scroll" => r#","percent":1"#,
                    "event" => r#","name":"x""#,
                    "click" => r#","selector":"x""#,
                    "request_failed" => r#","url":"/x""#,
                    _ => "",
                };
                let text = [r#"{"type":""#, t, "\"", settings, "}"].concat();
                trigger(&text).unwrap().reported().name()
            })
            .collect();
        assert_eq!(names, TYPES);
    }

    #[test]
    fn only_failure_triggers_have_a_failure_and_a_lead() {
        let texts = crate::locale::texts(["en"], Vec::new());
        let mut delay = trigger(r#"{"type":"delay","seconds":0}"#).unwrap();
        delay.page(true, 0.0);
        assert!(delay.on(&Event::Tick, 0.0));
        assert_eq!((delay.failure(), delay.lead(&texts)), (None, None));
        let mut js = trigger(r#"{"type":"js_error","showAfter":1}"#).unwrap();
        js.page(true, 0.0);
        let regex = |_: &str, _: &str| false;
        let error = Event::ScriptError {
            message: "boom",
            script: "",
            regex: &regex,
        };
        assert!(!js.on(&error, 0.0));
        assert_eq!(js.failure(), None, "not before it fired");
        assert_eq!(js.wake_at(), Some(1000.0));
        assert!(js.on(&Event::Tick, 1000.0));
        assert_eq!(js.failure(), Some(&Failure::script_error("boom", "")));
        assert_eq!(
            js.lead(&texts),
            Some("Something on this page did not work as it should. I'm sorry: can I help?")
        );
    }

    #[test]
    fn mistakes_name_the_field() {
        let err = trigger(r#"{"type":"hover"}"#).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.reason),
            (
                "trigger.type",
                "must be one of exit_intent, dwell, scroll, event, click, delay, api, \
                request_failed, rage_click, js_error, form_error"
            )
        );
        assert_eq!(trigger("{}").unwrap_err().reason, "is required");
        assert_eq!(
            Trigger::parse(None, "trigger", "en").unwrap_err().field,
            "trigger"
        );
        assert_eq!(
            trigger(r#"{"type":"api","seconds":3}"#).unwrap_err().field,
            "trigger.seconds"
        );
        assert_eq!(
            trigger(r#""exit_intent""#).unwrap_err().got,
            Some("a string")
        );
    }

    #[test]
    fn api_never_fires_on_its_own() {
        let mut t = Trigger::Api;
        t.start(0.0, false);
        t.page(true, 0.0);
        assert!(!t.on(&Event::Back, 1e9));
        assert_eq!(t.wake_at(), None);
    }

    #[test]
    fn elapsed_time_never_runs_backwards() {
        let mut last = 1000.0;
        assert_eq!(elapsed(&mut last, 1500.0), 500.0);
        assert_eq!(elapsed(&mut last, 200.0), 0.0);
        assert_eq!(
            elapsed(&mut last, 300.0),
            100.0,
            "counting resumes from the new reading"
        );
    }
}
