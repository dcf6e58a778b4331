//! The `delay` trigger: fires `seconds` after a page view the survey targets. Every page view starts the wait
//! afresh and a page the survey does not target cancels it, so after an SPA route change a delayed survey never
//! appears on the wrong page. The wait is wall-clock time; if it ends in a background tab, the scheduler holds the
//! survey until the tab is visible again.

use super::{elapsed, millis, Event, Machine};
use crate::survey::fields::{Fields, Parsed};

/// The delay trigger's settings and wait.
#[derive(Clone, Debug, PartialEq)]
pub struct Delay {
    /// The wait, in milliseconds.
    wait: f64,
    /// Time waited since the last matching page view; `None` when not waiting.
    waited: Option<f64>,
    /// The time of the last event.
    last: f64,
}

impl Delay {
    /// Reads `seconds`.
    pub(crate) fn parse(f: &Fields) -> Parsed<Delay> {
        f.known(&[&["type", "seconds"]])?;
        let wait = millis(
            f,
            "seconds",
            3600.0,
            "must be a number of seconds from 0 to 3600",
        )?;
        Ok(Delay {
            wait: wait.ok_or_else(|| f.missing("seconds"))?,
            waited: None,
            last: 0.0,
        })
    }
}

impl Machine for Delay {
    fn start(&mut self, now: f64, _touch: bool) {
        self.last = now;
    }

    fn page(&mut self, matching: bool, now: f64) {
        elapsed(&mut self.last, now);
        self.waited = matching.then_some(0.0);
    }

    fn on(&mut self, _event: &Event, now: f64) -> bool {
        let step = elapsed(&mut self.last, now);
        let Some(waited) = &mut self.waited else {
            return false;
        };
        *waited += step;
        // To the millisecond, which absorbs rounding in `wake_at`.
        let fire = self.wait - *waited < 1.0;
        if fire {
            self.waited = None;
        }
        fire
    }

    fn wake_at(&self) -> Option<f64> {
        self.waited.map(|waited| self.last + (self.wait - waited))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    const T0: f64 = 1.8e12;

    fn delay(seconds: f64) -> Delay {
        let text = [
            "{\"type\":\"delay\",\"seconds\":",
            &seconds.to_string(),
            "}",
        ]
        .concat();
        match trigger(&text) {
            Ok(Trigger::Delay(mut d)) => {
                d.start(T0, false);
                d
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fires_once_after_the_wait() {
        let mut d = delay(10.0);
        d.page(true, T0 + 1000.0);
        assert_eq!(d.wake_at(), Some(T0 + 11_000.0));
        assert!(!d.on(&Event::Tick, T0 + 10_000.0));
        assert!(d.on(&Event::Tick, T0 + 11_000.0));
        assert!(!d.on(&Event::Tick, T0 + 20_000.0), "once per page view");
        assert_eq!(d.wake_at(), None);
    }

    #[test]
    fn any_event_past_the_time_fires_it() {
        let mut d = delay(2.5);
        d.page(true, T0);
        assert!(d.on(&Event::Activity, T0 + 9000.0));
    }

    #[test]
    fn zero_fires_on_the_first_event_after_the_page_view() {
        let mut d = delay(0.0);
        d.page(true, T0);
        assert_eq!(d.wake_at(), Some(T0));
        assert!(d.on(&Event::Tick, T0));
    }

    #[test]
    fn each_page_view_restarts_and_other_pages_cancel() {
        let mut d = delay(10.0);
        d.page(true, T0);
        assert!(!d.on(&Event::Tick, T0 + 8000.0));
        d.page(true, T0 + 8000.0);
        assert!(!d.on(&Event::Tick, T0 + 12_000.0), "restarted at 8 s");
        d.page(false, T0 + 13_000.0);
        assert_eq!(d.wake_at(), None);
        assert!(
            !d.on(&Event::Tick, T0 + 60_000.0),
            "never on a page the survey does not target"
        );
        assert!(!d.on(&Event::Tick, T0 + 60_000.0));
    }

    #[test]
    fn clock_jumps_neither_fire_early_nor_stall() {
        let mut d = delay(10.0);
        d.page(true, T0);
        assert!(!d.on(&Event::Tick, T0 + 4000.0));
        assert!(
            !d.on(&Event::Tick, T0 - 50_000.0),
            "set back: nothing counted"
        );
        assert_eq!(
            d.wake_at(),
            Some(T0 - 44_000.0),
            "the remaining 6 s from the new reading"
        );
        assert!(d.on(&Event::Tick, T0 - 44_000.0));
        let mut d = delay(10.0);
        d.page(true, T0);
        assert!(
            d.on(&Event::Tick, T0 + 86_400_000.0),
            "a jump forward is time waited"
        );
    }

    #[test]
    fn seconds_are_required_and_bounded() {
        assert_eq!(
            trigger(r#"{"type":"delay"}"#).unwrap_err().field,
            "trigger.seconds"
        );
        assert!(trigger(r#"{"type":"delay","seconds":3601}"#).is_err());
        assert!(trigger(r#"{"type":"delay","seconds":5,"percent":1}"#).is_err());
    }
}
