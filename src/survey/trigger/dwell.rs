//! The `dwell` trigger: fires after `seconds` of active time on the pages a survey targets. Time counts only
//! while the tab is visible, the page matches, and the visitor interacted within the last `idleAfter` seconds
//! (default 30), so a background tab or a visitor who walked away adds nothing. The count survives SPA
//! navigation: it pauses on pages the survey does not target and goes on on the next one it does.

use super::{elapsed, millis, Event, Machine};
use crate::survey::fields::{Fields, Parsed};

/// The dwell trigger's settings and count.
#[derive(Clone, Debug, PartialEq)]
pub struct Dwell {
    /// Active time needed, in milliseconds.
    need: f64,
    /// How long after an interaction the visitor still counts as active, in milliseconds.
    idle: f64,
    /// Active time counted so far.
    counted: f64,
    /// The time of the last event.
    last: f64,
    /// The visitor counts as active until this time.
    active_until: f64,
    visible: bool,
    matching: bool,
    fired: bool,
}

impl Dwell {
    /// Reads `seconds` and `idleAfter`.
    pub(crate) fn parse(f: &Fields) -> Parsed<Dwell> {
        f.known(&[&["type", "seconds", "idleAfter"]])?;
        let need = millis(
            f,
            "seconds",
            3600.0,
            "must be a number of seconds from 0 to 3600",
        )?;
        let idle = millis(
            f,
            "idleAfter",
            600.0,
            "must be a number of seconds from 0 to 600",
        )?;
        Ok(Dwell {
            need: need.ok_or_else(|| f.missing("seconds"))?,
            idle: idle.unwrap_or(30_000.0),
            counted: 0.0,
            last: 0.0,
            active_until: 0.0,
            visible: true,
            matching: false,
            fired: false,
        })
    }

    /// A meter of active time that never fires: the `active_seconds` signal sent with survey answers.
    pub fn meter(now: f64) -> Dwell {
        Dwell {
            need: f64::INFINITY,
            idle: 30_000.0,
            counted: 0.0,
            last: now,
            active_until: now + 30_000.0,
            visible: true,
            matching: true,
            fired: false,
        }
    }

    /// Active time counted up to `now`, in whole seconds.
    pub fn seconds(&mut self, now: f64) -> u32 {
        self.advance(now);
        (self.counted / 1000.0) as u32
    }

    /// Adds the active time since the last event, under the conditions that held since then.
    fn advance(&mut self, now: f64) {
        if now < self.last {
            // The clock went back: an activity window reaching further than `idle` from now would be stale.
            self.active_until = self.active_until.min(now + self.idle);
        }
        let from = self.last;
        let step = elapsed(&mut self.last, now);
        if self.visible && self.matching {
            self.counted += step.min(self.active_until - from).max(0.0);
        }
    }

    /// Fires once, when the count is reached (to the millisecond, which absorbs rounding in [`Machine::wake_at`]).
    fn check(&mut self) -> bool {
        let fire = !self.fired && self.need - self.counted < 1.0;
        self.fired |= fire;
        fire
    }
}

impl Machine for Dwell {
    fn start(&mut self, now: f64, _touch: bool) {
        self.last = now;
    }

    fn page(&mut self, matching: bool, now: f64) {
        self.advance(now);
        self.matching = matching;
        // Following a link is an interaction.
        self.active_until = now + self.idle;
    }

    fn on(&mut self, event: &Event, now: f64) -> bool {
        self.advance(now);
        match event {
            Event::Visibility(visible) => {
                self.visible = *visible;
                // Coming back to the tab is an interaction too.
                if *visible {
                    self.active_until = now + self.idle;
                }
            }
            Event::Activity
            | Event::PointerMove { .. }
            | Event::Scroll { .. }
            | Event::Click { .. } => {
                self.active_until = now + self.idle;
            }
            _ => {}
        }
        self.check()
    }

    fn wake_at(&self) -> Option<f64> {
        let at = self.last + (self.need - self.counted);
        (!self.fired && self.visible && self.matching && at <= self.active_until).then_some(at)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    const S: f64 = 1000.0;
    /// A wall clock far from zero, as `Date.now()` gives.
    const T0: f64 = 1.8e12;

    fn dwell(text: &str) -> Dwell {
        match trigger(text) {
            Ok(Trigger::Dwell(mut d)) => {
                d.start(T0, false);
                d
            }
            other => panic!("{other:?}"),
        }
    }

    /// A visitor on a matching page who moves the mouse every `every` seconds; returns when it fired.
    fn active(d: &mut Dwell, from: f64, to: f64, every: f64) -> Option<f64> {
        let mut t = from;
        while t <= to {
            if d.on(&Event::PointerMove { y: 100.0 }, T0 + t * S) {
                return Some(t);
            }
            t += every;
        }
        None
    }

    #[test]
    fn active_visible_time_on_a_matching_page_fires_once() {
        let mut d = dwell(r#"{"type":"dwell","seconds":60}"#);
        d.page(true, T0);
        assert_eq!(active(&mut d, 1.0, 100.0, 1.0), Some(60.0));
        assert!(!d.on(&Event::Activity, T0 + 200.0 * S), "once only");
        assert_eq!(d.wake_at(), None);
    }

    #[test]
    fn a_visitor_who_stops_interacting_stops_counting() {
        let mut d = dwell(r#"{"type":"dwell","seconds":40,"idleAfter":10}"#);
        d.page(true, T0);
        assert!(!d.on(&Event::Activity, T0 + 5.0 * S));
        // Silence for a minute: only the 10 s after the last activity count, 15 s in all.
        assert!(!d.on(&Event::Tick, T0 + 65.0 * S));
        assert_eq!(d.counted, 15.0 * S);
        assert_eq!(
            d.wake_at(),
            None,
            "nothing to wait for until the visitor is back"
        );
        assert!(!d.on(&Event::Activity, T0 + 70.0 * S));
        assert_eq!(
            d.wake_at(),
            None,
            "the window closes before the count is reached"
        );
        assert!(!d.on(&Event::Tick, T0 + 80.0 * S));
        assert_eq!(d.counted, 25.0 * S);
        assert!(!d.on(&Event::Activity, T0 + 81.0 * S));
        assert_eq!(active(&mut d, 82.0, 200.0, 5.0), Some(97.0));
    }

    #[test]
    fn the_meter_counts_active_visible_time_and_never_fires() {
        let mut m = Dwell::meter(T0);
        assert!(!m.on(&Event::Activity, T0 + 10.0 * S));
        assert!(!m.on(&Event::Visibility(false), T0 + 20.0 * S));
        assert!(!m.on(&Event::Visibility(true), T0 + 500.0 * S));
        // 20 s before the tab was hidden, then 30 s of activity window after coming back.
        assert_eq!(m.seconds(T0 + 900.0 * S), 50);
        assert_eq!(m.wake_at(), None);
    }

    #[test]
    fn a_hidden_tab_counts_nothing() {
        let mut d = dwell(r#"{"type":"dwell","seconds":30}"#);
        d.page(true, T0);
        assert!(!d.on(&Event::Activity, T0 + 10.0 * S));
        assert!(!d.on(&Event::Visibility(false), T0 + 20.0 * S));
        assert_eq!(d.wake_at(), None);
        // An hour in the background, with activity events still arriving (they should not, but may).
        assert!(!d.on(&Event::Activity, T0 + 1000.0 * S));
        assert!(!d.on(&Event::Visibility(true), T0 + 3600.0 * S));
        assert_eq!(d.counted, 20.0 * S);
        assert_eq!(d.wake_at(), Some(T0 + 3610.0 * S));
        assert!(d.on(&Event::Tick, T0 + 3610.0 * S));
    }

    #[test]
    fn spa_navigation_pauses_on_other_pages_and_resumes() {
        let mut d = dwell(r#"{"type":"dwell","seconds":30}"#);
        d.page(true, T0);
        assert_eq!(active(&mut d, 1.0, 20.0, 1.0), None);
        d.page(false, T0 + 20.0 * S);
        assert_eq!(
            active(&mut d, 21.0, 100.0, 1.0),
            None,
            "not on a page the survey targets"
        );
        assert_eq!(d.wake_at(), None);
        d.page(true, T0 + 100.0 * S);
        assert_eq!(
            active(&mut d, 101.0, 200.0, 1.0),
            Some(110.0),
            "20 s before plus 10 s now"
        );
    }

    #[test]
    fn a_page_that_never_matched_never_counts() {
        let mut d = dwell(r#"{"type":"dwell","seconds":1}"#);
        assert_eq!(active(&mut d, 0.0, 100.0, 1.0), None);
        d.page(false, T0 + 100.0 * S);
        assert_eq!(active(&mut d, 100.0, 200.0, 1.0), None);
    }

    #[test]
    fn the_wake_up_time_fires_exactly() {
        let mut d = dwell(r#"{"type":"dwell","seconds":12.345}"#);
        d.page(true, T0 + 0.1);
        assert!(!d.on(&Event::Activity, T0 + 3.3));
        let at = d.wake_at().unwrap();
        assert!((at - (T0 + 0.1 + 12_345.0)).abs() < 1e-3, "{at}");
        assert!(!d.on(&Event::Tick, at - 2.0));
        assert!(d.on(&Event::Tick, d.wake_at().unwrap()));
    }

    #[test]
    fn a_clock_jumping_back_neither_subtracts_nor_stalls() {
        let mut d = dwell(r#"{"type":"dwell","seconds":30}"#);
        d.page(true, T0);
        assert_eq!(active(&mut d, 1.0, 20.0, 1.0), None);
        // The clock is set back an hour.
        assert!(!d.on(&Event::Activity, T0 - 3600.0 * S));
        assert_eq!(d.counted, 20.0 * S);
        let mut t = -3599.0;
        while !d.on(&Event::Activity, T0 + t * S) {
            t += 1.0;
        }
        assert_eq!(
            t, -3590.0,
            "the ten missing seconds count from the new reading"
        );
    }

    #[test]
    fn a_clock_set_back_does_not_leave_the_visitor_active_for_long() {
        let mut d = dwell(r#"{"type":"dwell","seconds":100,"idleAfter":10}"#);
        d.page(true, T0);
        assert!(!d.on(&Event::Activity, T0 + 5.0 * S));
        assert!(!d.on(&Event::Tick, T0 - 3600.0 * S));
        // Without the clamp, the stale window would run until T0 + 15 s, an hour and more away.
        assert!(!d.on(&Event::Tick, T0 - 3000.0 * S));
        assert_eq!(d.counted, 5.0 * S + 10.0 * S);
    }

    #[test]
    fn a_clock_jumping_forward_counts_at_most_the_idle_window() {
        let mut d = dwell(r#"{"type":"dwell","seconds":100}"#);
        d.page(true, T0);
        assert!(!d.on(&Event::Activity, T0 + 10.0 * S));
        // The laptop slept for a day with the page visible.
        assert!(!d.on(&Event::Activity, T0 + 86_400.0 * S));
        assert_eq!(d.counted, 40.0 * S);
    }

    #[test]
    fn settings_are_checked() {
        assert_eq!(dwell(r#"{"type":"dwell","seconds":5}"#).idle, 30_000.0);
        assert_eq!(
            dwell(r#"{"type":"dwell","seconds":5,"idleAfter":60}"#).idle,
            60_000.0
        );
        assert_eq!(
            trigger(r#"{"type":"dwell"}"#).unwrap_err().field,
            "trigger.seconds"
        );
        assert_eq!(
            trigger(r#"{"type":"dwell","seconds":-1}"#)
                .unwrap_err()
                .reason,
            "must be a number of seconds from 0 to 3600"
        );
        assert_eq!(
            trigger(r#"{"type":"dwell","seconds":1,"idle":5}"#)
                .unwrap_err()
                .field,
            "trigger.idle"
        );
    }
}
