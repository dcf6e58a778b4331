//! Triggers: when a survey asks to appear. Each kind is a small state machine in its own file, fed with the
//! browser's [`Event`]s and the time in milliseconds, that says when it fires; none reads a clock, the DOM or the
//! network itself. Whether a survey that fired really shows is for the [`scheduler`](super::scheduler).

pub mod click;
pub mod delay;
pub mod dwell;
pub mod event;
pub mod exit_intent;
pub mod scroll;

use super::fields::{fault, Fields, Parsed};
use crate::value::Value;
use click::Click;
use delay::Delay;
use dwell::Dwell;
use event::Tracked;
use exit_intent::ExitIntent;
use scroll::ScrollDepth;

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
    /// The visitor clicked; the callback says whether the clicked element is inside one matching a CSS selector
    /// (the browser answers with `closest`).
    Click(&'a dyn Fn(&str) -> bool),
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
}

/// The trigger types, in the order of [`Trigger`]'s variants.
const TYPES: [&str; 7] = [
    "exit_intent",
    "dwell",
    "scroll",
    "event",
    "click",
    "delay",
    "api",
];

impl Trigger {
    /// Reads the `trigger` object at `path`.
    pub(crate) fn parse(value: Option<&Value>, path: &str) -> Parsed<Trigger> {
        let value = value.ok_or_else(|| fault(path.into(), "is required"))?;
        let f = Fields::new(value, path)?;
        let reason = "must be one of exit_intent, dwell, scroll, event, click, delay, api";
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
                _ => {
                    f.known(&[&["type"]])?;
                    Trigger::Api
                }
            },
        )
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
        Trigger::parse(Some(&json(text)), "trigger")
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
    }

    #[test]
    fn mistakes_name_the_field() {
        let err = trigger(r#"{"type":"hover"}"#).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.reason),
            (
                "trigger.type",
                "must be one of exit_intent, dwell, scroll, event, click, delay, api"
            )
        );
        assert_eq!(trigger("{}").unwrap_err().reason, "is required");
        assert_eq!(
            Trigger::parse(None, "trigger").unwrap_err().field,
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
