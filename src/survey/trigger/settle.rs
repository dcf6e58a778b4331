//! What the four failure triggers (`request_failed`, `rage_click`, `js_error`, `form_error`) share: a detector
//! that recognises the failure in the browser's events, and the wait for the failed action to settle before the
//! survey asks to appear.
//!
//! A failure on a page view the survey targets starts a wait of `showAfter` seconds (default 1.5); each further
//! failure of the same burst (the visitor still clicking, a retry that fails again) starts it afresh and becomes
//! the failure reported, but never beyond [`LONGEST_HOLD`] after the first (or `showAfter`, if longer), so a page
//! that keeps failing still gets its survey. When the wait is over the trigger fires, once per page view. A page
//! view the survey does not target cancels a wait, and failures there are not even looked at; one it targets
//! keeps it (an SPA that routes to its error page after a failed payment). Whether the survey then shows is for
//! the scheduler, which also holds it while the visitor types, like every survey that appears by itself.
//!
//! `lead` replaces the card's first words for this survey (a text, or an object of texts by locale), which are
//! otherwise the site's `strings` or the built-in text for the kind ([`Failure::lead`]).

use super::{millis, Event, Machine};
use crate::failure::Failure;
use crate::locale::Texts;
use crate::survey::fields::{Fields, Parsed};
use crate::survey::localized::Localized;

/// The settings every failure trigger has, next to `type`.
pub(crate) const KEYS: [&str; 3] = ["type", "showAfter", "lead"];

/// How long after the first failure of a burst the survey waits at most, in milliseconds (or `showAfter`, when
/// that is longer).
pub const LONGEST_HOLD: f64 = 10_000.0;

/// What recognises one kind of failure in the browser's events.
pub(crate) trait Detect {
    /// The failure `event` at `now` shows, if any. Only asked on page views the survey targets, and not after
    /// the trigger fired on this one.
    fn detect(&mut self, event: &Event, now: f64) -> Option<Failure>;
    /// A new page view: what was counted on the last one no longer counts.
    fn forget(&mut self) {}
}

/// A failure trigger: its detector and the wait before the survey shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Settled<D> {
    detector: D,
    settle: Settle,
}

/// A failure waiting for things to settle.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    /// When the survey asks to appear.
    at: f64,
    /// The latest `at` may be pushed to.
    latest: f64,
    /// The time of the last event since the failure.
    last: f64,
    failure: Failure,
}

/// The wait, once per page view, and the failure a trigger fired for.
#[derive(Clone, Debug, PartialEq)]
pub struct Settle {
    /// The wait after the last failure of a burst, in milliseconds.
    after: f64,
    /// The survey's own first words.
    lead: Option<Localized>,
    /// Whether the page view is one the survey targets.
    matching: bool,
    /// The trigger fired on this page view.
    spent: bool,
    pending: Option<Pending>,
    /// The failure the trigger last fired for.
    fired: Option<Failure>,
}

impl<D> Settled<D> {
    /// Reads `showAfter` and `lead` (whose plain text is in `locale`) next to `detector`'s own settings.
    pub(crate) fn parse(f: &Fields, locale: &str, detector: D) -> Parsed<Settled<D>> {
        let after = millis(
            f,
            "showAfter",
            60.0,
            "must be a number of seconds from 0 to 60",
        )?;
        Ok(Settled {
            detector,
            settle: Settle {
                after: after.unwrap_or(1500.0),
                lead: Localized::field(f, "lead", locale)?,
                matching: false,
                spent: false,
                pending: None,
                fired: None,
            },
        })
    }

    /// The detector, whose settings tests read.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn detector(&self) -> &D {
        &self.detector
    }

    /// The wait and what the trigger fired for.
    pub fn settle(&self) -> &Settle {
        &self.settle
    }
}

impl<D: Detect> Machine for Settled<D> {
    fn page(&mut self, matching: bool, _now: f64) {
        let s = &mut self.settle;
        s.matching = matching;
        s.spent = false;
        if !matching {
            s.pending = None;
        }
        self.detector.forget();
    }

    fn on(&mut self, event: &Event, now: f64) -> bool {
        let s = &mut self.settle;
        s.rebase(now);
        if s.matching && !s.spent {
            if let Some(failure) = self.detector.detect(event, now) {
                s.saw(failure, now);
            }
        }
        s.due(now)
    }

    fn wake_at(&self) -> Option<f64> {
        self.settle.pending.as_ref().map(|p| p.at)
    }
}

impl Settle {
    /// Moves a wait back with a clock set back, so that it neither stalls nor fires early; a jump forward is
    /// time waited, as for the `delay` trigger.
    fn rebase(&mut self, now: f64) {
        if let Some(p) = &mut self.pending {
            let back = (p.last - now).max(0.0);
            p.at -= back;
            p.latest -= back;
            p.last = now;
        }
    }

    /// Starts or restarts the wait for `failure`, seen at `now`.
    fn saw(&mut self, failure: Failure, now: f64) {
        let latest = match &self.pending {
            Some(p) => p.latest,
            None => now + self.after.max(LONGEST_HOLD),
        };
        self.pending = Some(Pending {
            at: (now + self.after).min(latest),
            latest,
            last: now,
            failure,
        });
    }

    /// Whether the wait is over at `now`: then the trigger fires and is spent for this page view.
    fn due(&mut self, now: f64) -> bool {
        // To the millisecond, which absorbs rounding in `wake_at`, as in the delay trigger.
        match self.pending.take() {
            Some(p) if p.at - now < 1.0 => {
                self.fired = Some(p.failure);
                self.spent = true;
                true
            }
            other => {
                self.pending = other;
                false
            }
        }
    }

    /// The failure the trigger last fired for, to send with the survey's answers; `None` before it fired.
    pub fn failure(&self) -> Option<&Failure> {
        self.fired.as_ref()
    }

    /// The card's first words for the failure the trigger fired for, in the language of `texts`
    /// ([`Failure::lead`]); `None` before it fired.
    pub fn lead<'a>(&'a self, texts: &'a Texts) -> Option<&'a str> {
        Some(self.fired.as_ref()?.lead(self.lead.as_ref(), texts))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::locale::{texts, Key};
    use crate::survey::tests::json;

    const T0: f64 = 1.8e12;

    /// Sees a form error in every `Activity` event, numbered in order.
    #[derive(Debug, Default)]
    struct Every(u32);

    impl Detect for Every {
        fn detect(&mut self, event: &Event, _now: f64) -> Option<Failure> {
            matches!(event, Event::Activity).then(|| {
                self.0 += 1;
                Failure::form_error("f", self.0)
            })
        }

        fn forget(&mut self) {
            self.0 = 0;
        }
    }

    fn settled(settings: &str) -> Settled<Every> {
        let value = json(&["{\"type\":\"form_error\"", settings, "}"].concat());
        let f = Fields::new(&value, "trigger").unwrap();
        let mut s = Settled::parse(&f, "en", Every::default()).unwrap();
        s.page(true, T0);
        s
    }

    fn times(s: &Settled<Every>) -> Option<u32> {
        match s.settle().failure()? {
            Failure::FormError { times, .. } => Some(*times),
            _ => None,
        }
    }

    #[test]
    fn fires_once_the_failure_settled_and_once_per_page_view() {
        let mut s = settled("");
        assert_eq!(s.wake_at(), None);
        assert!(!s.on(&Event::Activity, T0 + 100.0));
        assert_eq!(s.wake_at(), Some(T0 + 1600.0), "1.5 s by default");
        assert!(!s.on(&Event::Tick, T0 + 1500.0));
        assert_eq!(s.settle().failure(), None, "nothing fired yet");
        assert!(s.on(&Event::Tick, T0 + 1600.0));
        assert_eq!(times(&s), Some(1));
        assert!(!s.on(&Event::Activity, T0 + 2000.0), "spent");
        assert_eq!(s.wake_at(), None);
        s.page(true, T0 + 5000.0);
        assert!(!s.on(&Event::Activity, T0 + 5000.0));
        assert!(s.on(&Event::Tick, T0 + 6500.0), "a new page view");
        assert_eq!(times(&s), Some(1), "counted afresh");
    }

    #[test]
    fn a_burst_restarts_the_wait_and_reports_its_last_failure() {
        let mut s = settled(r#","showAfter":2"#);
        for t in [0.0, 1000.0, 2500.0] {
            assert!(!s.on(&Event::Activity, T0 + t));
        }
        assert!(!s.on(&Event::Tick, T0 + 4000.0));
        assert_eq!(s.wake_at(), Some(T0 + 4500.0));
        assert!(s.on(&Event::Tick, T0 + 4500.0));
        assert_eq!(times(&s), Some(3));
    }

    #[test]
    fn a_page_that_keeps_failing_still_gets_its_survey() {
        let mut s = settled(r#","showAfter":1"#);
        let mut t = 0.0;
        let fired = loop {
            if s.on(&Event::Activity, T0 + t) {
                break t;
            }
            t += 500.0;
        };
        assert_eq!(fired, LONGEST_HOLD);
    }

    #[test]
    fn a_clock_set_back_neither_stalls_nor_fires_early() {
        let mut s = settled(r#","showAfter":2"#);
        assert!(!s.on(&Event::Activity, T0));
        assert!(!s.on(&Event::Tick, T0 + 500.0));
        assert!(!s.on(&Event::Tick, T0 - 3_600_000.0), "set back an hour");
        assert_eq!(
            s.wake_at(),
            Some(T0 - 3_600_000.0 + 1500.0),
            "the remaining 1.5 s from the new reading"
        );
        assert!(s.on(&Event::Tick, T0 - 3_600_000.0 + 1500.0));
        let mut s = settled(r#","showAfter":2"#);
        assert!(!s.on(&Event::Activity, T0));
        assert!(
            s.on(&Event::Tick, T0 + 86_400_000.0),
            "a jump forward is time waited"
        );
    }

    #[test]
    fn zero_fires_on_the_failure_itself() {
        let mut s = settled(r#","showAfter":0"#);
        assert!(s.on(&Event::Activity, T0));
        assert_eq!(times(&s), Some(1));
    }

    #[test]
    fn other_pages_are_not_watched_and_cancel_the_wait() {
        let mut s = settled("");
        s.page(false, T0);
        assert!(!s.on(&Event::Activity, T0 + 10.0));
        assert_eq!(
            s.wake_at(),
            None,
            "a failure on a page the survey does not target"
        );
        assert_eq!(s.detector().0, 0, "not even counted");
        s.page(true, T0 + 100.0);
        assert!(!s.on(&Event::Activity, T0 + 200.0));
        s.page(false, T0 + 300.0);
        assert!(!s.on(&Event::Tick, T0 + 60_000.0));
        assert_eq!(s.settle().failure(), None);
        // A route change to another page the survey targets keeps the wait.
        s.page(true, T0 + 70_000.0);
        assert!(!s.on(&Event::Activity, T0 + 70_000.0));
        s.page(true, T0 + 70_500.0);
        assert!(s.on(&Event::Tick, T0 + 71_500.0));
    }

    #[test]
    fn the_lead_is_the_surveys_own_or_the_kinds() {
        let en = texts(["en"], Vec::new());
        let mut s = settled("");
        assert_eq!(s.settle().lead(&en), None, "nothing happened yet");
        assert!(!s.on(&Event::Activity, T0));
        assert!(s.on(&Event::Tick, T0 + 1500.0));
        assert_eq!(s.settle().lead(&en), Some(en.get(Key::LeadFormError)));
        let mut own = settled(r#","lead":{"en":"Coupon trouble?","nl":"Problemen met de code?"}"#);
        assert!(!own.on(&Event::Activity, T0));
        assert!(own.on(&Event::Tick, T0 + 1500.0));
        let nl = texts(["nl"], Vec::new());
        assert_eq!(own.settle().lead(&nl), Some("Problemen met de code?"));
        assert_eq!(own.settle().lead(&en), Some("Coupon trouble?"));
    }

    #[test]
    fn settings_are_checked() {
        let read = |settings: &str| {
            let value = json(&["{", settings, "}"].concat());
            let f = Fields::new(&value, "trigger").unwrap();
            Settled::parse(&f, "en", Every::default()).map(|_| ())
        };
        let err = read(r#""showAfter":61"#).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.reason),
            (
                "trigger.showAfter",
                "must be a number of seconds from 0 to 60"
            )
        );
        let err = read(r#""lead":{"de":"Hallo"}"#).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.reason),
            (
                "trigger.lead",
                "must have a text for the survey's defaultLocale"
            )
        );
    }
}
