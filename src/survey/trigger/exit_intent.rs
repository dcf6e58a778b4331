//! The `exit_intent` trigger: the visitor is about to leave.
//!
//! With a mouse, that is the pointer leaving the page through the top edge (towards the tabs, the address bar or
//! the close button) while moving up fast enough. Leaves onto an element inside the page (the browser's
//! autocomplete list), leaves far from the top, and a pointer that never moved inside the page (it was in the
//! address bar at load) do not count.
//!
//! On a touch screen there is no pointer to watch, so three other signs count: a fast fling back up after the
//! visitor scrolled down, an attempt to go back, and the tab being hidden after the visitor engaged with the page.
//! That last one fires when the visitor returns, never while the tab is hidden.
//!
//! Nothing counts until the page has been visible for `armAfter` seconds (default 3), which keeps a visitor who
//! only passes through from being asked why they leave.

use super::{elapsed, millis, Event, Machine};
use crate::survey::fields::{Fields, Parsed};

/// A position in CSS pixels and the time it was seen, in milliseconds.
type Sample = (f64, f64);

/// The exit-intent trigger's settings and what it has seen.
#[derive(Clone, Debug, PartialEq)]
pub struct ExitIntent {
    /// Visible time before anything counts, in milliseconds.
    arm_after: f64,
    /// How close to the top edge a leave must be, in CSS pixels.
    top_margin: f64,
    /// Upward speed of the pointer a leave needs, in pixels per millisecond.
    min_speed: f64,
    /// Upward scrolling speed that counts as a fling, in pixels per millisecond.
    fling_speed: f64,
    /// How far the visitor must have scrolled down for a fling to count, in CSS pixels.
    min_scroll: f64,
    touch: bool,
    visible: bool,
    /// Visible time so far.
    visible_for: f64,
    /// The time of the last event.
    last: f64,
    /// The two latest pointer positions and times, the older first.
    moves: (Option<Sample>, Option<Sample>),
    /// The latest scroll position and time.
    scrolled: Option<Sample>,
    /// Where the current trip down the page started: the top, or the highest point since the last fling.
    trip_from: f64,
    /// The deepest scroll position on the current trip.
    deepest: f64,
    interacted: bool,
    /// Hidden after engagement: fire when visible again.
    away: bool,
}

impl ExitIntent {
    /// Reads the sensitivity settings, all optional.
    pub(crate) fn parse(f: &Fields) -> Parsed<ExitIntent> {
        f.known(&[&[
            "type",
            "armAfter",
            "topMargin",
            "minSpeed",
            "flingSpeed",
            "minScroll",
        ]])?;
        let px = |key, max, reason| f.number(key, 0.0, max, reason);
        let per_ms = |key, default: f64| -> Parsed<f64> {
            Ok(px(
                key,
                100_000.0,
                "must be a speed in pixels per second from 0 to 100000",
            )?
            .unwrap_or(default)
                / 1000.0)
        };
        Ok(ExitIntent {
            arm_after: millis(
                f,
                "armAfter",
                600.0,
                "must be a number of seconds from 0 to 600",
            )?
            .unwrap_or(3000.0),
            top_margin: px(
                "topMargin",
                500.0,
                "must be a number of pixels from 0 to 500",
            )?
            .unwrap_or(10.0),
            min_speed: per_ms("minSpeed", 200.0)?,
            fling_speed: per_ms("flingSpeed", 1500.0)?,
            min_scroll: px(
                "minScroll",
                100_000.0,
                "must be a number of pixels from 0 to 100000",
            )?
            .unwrap_or(400.0),
            touch: false,
            visible: true,
            visible_for: 0.0,
            last: 0.0,
            moves: (None, None),
            scrolled: None,
            trip_from: 0.0,
            deepest: 0.0,
            interacted: false,
            away: false,
        })
    }

    fn armed(&self) -> bool {
        self.visible_for >= self.arm_after
    }

    /// A mouse leave at `y`: through the top, fast enough upwards since the older of the last two moves.
    fn leaves_upwards(&mut self, y: f64, to_element: bool, now: f64) -> bool {
        // The moves before a leave never count for the next one: the pointer has to come back in first.
        let from = self.moves.0.or(self.moves.1);
        self.moves = (None, None);
        let Some((from_y, at)) = from else {
            return false;
        };
        // A clock that went back makes the speed meaningless: better to miss one exit than to invent one.
        self.armed()
            && !to_element
            && y <= self.top_margin
            && now >= at
            && (from_y - y) / (now - at).max(1.0) >= self.min_speed
    }

    /// A scroll to `top` on a touch screen: a fling up, fast enough, after a trip far enough down.
    fn flings_up(&mut self, top: f64, now: f64) -> bool {
        let speed = match self.scrolled {
            Some((from, at)) if now >= at => (from - top) / (now - at).max(1.0),
            _ => 0.0,
        };
        self.scrolled = Some((top, now));
        self.deepest = self.deepest.max(top);
        let fire = self.armed()
            && self.deepest - self.trip_from >= self.min_scroll
            && speed >= self.fling_speed;
        // One fling per trip: the next one needs another trip down, from here or from higher up.
        if fire || top < self.trip_from {
            self.trip_from = top;
            self.deepest = top;
        }
        fire
    }
}

impl Machine for ExitIntent {
    fn start(&mut self, now: f64, touch: bool) {
        self.last = now;
        self.touch = touch;
    }

    fn page(&mut self, _matching: bool, _now: f64) {
        // A new page starts at the top, and the pointer history belongs to the old one.
        self.moves = (None, None);
        self.scrolled = None;
        self.trip_from = 0.0;
        self.deepest = 0.0;
    }

    fn on(&mut self, event: &Event, now: f64) -> bool {
        let step = elapsed(&mut self.last, now);
        if self.visible {
            self.visible_for += step;
        }
        match *event {
            Event::Visibility(visible) => {
                self.visible = visible;
                if !visible {
                    self.away |= self.touch && self.armed() && self.interacted;
                    false
                } else {
                    core::mem::take(&mut self.away)
                }
            }
            Event::PointerMove { y } => {
                self.moves = (self.moves.1, Some((y, now)));
                false
            }
            Event::PointerLeave { y, to_element } => self.leaves_upwards(y, to_element, now),
            Event::Scroll { top, .. } if self.touch => {
                self.interacted = true;
                self.flings_up(top, now)
            }
            Event::Activity => {
                self.interacted = true;
                false
            }
            Event::Back => self.armed(),
            _ => false,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    const T0: f64 = 1.8e12;

    fn exit(settings: &str, touch: bool) -> ExitIntent {
        match trigger(&[r#"{"type":"exit_intent""#, settings, "}"].concat()) {
            Ok(Trigger::ExitIntent(mut e)) => {
                e.start(T0, touch);
                e.page(true, T0);
                e
            }
            other => panic!("{other:?}"),
        }
    }

    /// Moves the mouse up from `y` to the top over `ms` milliseconds ending at `at` (ms after T0), then leaves.
    fn dash_out(e: &mut ExitIntent, y: f64, ms: f64, at: f64) -> bool {
        e.on(&Event::PointerMove { y }, T0 + at - ms);
        e.on(&Event::PointerMove { y: y / 2.0 }, T0 + at - ms / 2.0);
        e.on(
            &Event::PointerLeave {
                y: -1.0,
                to_element: false,
            },
            T0 + at,
        )
    }

    fn scroll(e: &mut ExitIntent, top: f64, at: f64) -> bool {
        e.on(&Event::Scroll { top, range: 5000.0 }, T0 + at)
    }

    #[test]
    fn a_fast_leave_through_the_top_fires_once_armed() {
        let mut e = exit("", false);
        assert!(
            !dash_out(&mut e, 300.0, 100.0, 2000.0),
            "not armed before 3 s"
        );
        assert!(dash_out(&mut e, 300.0, 100.0, 3500.0));
        assert!(
            dash_out(&mut e, 300.0, 100.0, 9000.0),
            "every exit counts; the policy limits displays"
        );
    }

    #[test]
    fn arming_counts_visible_time_only() {
        let mut e = exit("", false);
        e.on(&Event::Visibility(false), T0 + 1000.0);
        e.on(&Event::Visibility(true), T0 + 100_000.0);
        assert!(!dash_out(&mut e, 300.0, 100.0, 101_500.0), "2.5 s visible");
        assert!(dash_out(&mut e, 300.0, 100.0, 102_100.0));
    }

    #[test]
    fn leaves_into_the_page_or_far_from_the_top_do_not_count() {
        let mut e = exit("", false);
        e.on(&Event::PointerMove { y: 200.0 }, T0 + 4000.0);
        e.on(&Event::PointerMove { y: 20.0 }, T0 + 4050.0);
        assert!(
            !e.on(
                &Event::PointerLeave {
                    y: 5.0,
                    to_element: true
                },
                T0 + 4100.0
            ),
            "into an autocomplete list"
        );
        e.on(&Event::PointerMove { y: 200.0 }, T0 + 5000.0);
        e.on(&Event::PointerMove { y: 100.0 }, T0 + 5050.0);
        assert!(
            !e.on(
                &Event::PointerLeave {
                    y: 40.0,
                    to_element: false
                },
                T0 + 5100.0
            ),
            "out through the side"
        );
    }

    #[test]
    fn a_pointer_that_never_moved_in_the_page_does_not_count() {
        // The cursor was in the address bar at load and wanders off again.
        let mut e = exit("", false);
        assert!(!e.on(
            &Event::PointerLeave {
                y: -5.0,
                to_element: false
            },
            T0 + 10_000.0
        ));
        // A leave forgets the moves before it: coming back in and out needs moves of its own.
        assert!(dash_out(&mut e, 300.0, 100.0, 11_000.0));
        assert!(!e.on(
            &Event::PointerLeave {
                y: -5.0,
                to_element: false
            },
            T0 + 11_500.0
        ));
    }

    #[test]
    fn a_slow_drift_upwards_does_not_count() {
        let mut e = exit("", false);
        assert!(!dash_out(&mut e, 100.0, 2000.0, 10_000.0), "50 px/s");
        assert!(dash_out(&mut e, 100.0, 200.0, 20_000.0), "500 px/s");
    }

    #[test]
    fn a_final_move_at_the_edge_still_has_its_speed() {
        // The last move and the leave report the same position: the older move gives the speed.
        let mut e = exit("", false);
        e.on(&Event::PointerMove { y: 200.0 }, T0 + 5000.0);
        e.on(&Event::PointerMove { y: 0.0 }, T0 + 5100.0);
        assert!(e.on(
            &Event::PointerLeave {
                y: 0.0,
                to_element: false
            },
            T0 + 5100.0
        ));
    }

    #[test]
    fn sensitivity_is_configurable() {
        let mut e = exit(r#","armAfter":0,"topMargin":60,"minSpeed":50"#, false);
        e.on(&Event::PointerMove { y: 150.0 }, T0);
        e.on(&Event::PointerMove { y: 100.0 }, T0 + 500.0);
        assert!(
            e.on(
                &Event::PointerLeave {
                    y: 50.0,
                    to_element: false
                },
                T0 + 1000.0
            ),
            "100 px/s, 50 px from the top"
        );
        let mut strict = exit(r#","minSpeed":2000"#, false);
        assert!(
            !dash_out(&mut strict, 300.0, 300.0, 10_000.0),
            "1000 px/s is not enough"
        );
    }

    #[test]
    fn a_clock_going_back_between_move_and_leave_does_not_fire() {
        let mut e = exit("", false);
        e.on(&Event::PointerMove { y: 300.0 }, T0 + 10_000.0);
        assert!(!e.on(
            &Event::PointerLeave {
                y: -1.0,
                to_element: false
            },
            T0 + 9_000.0
        ));
        assert!(e.armed(), "visible time already counted stays counted");
    }

    #[test]
    fn a_fling_up_after_scrolling_down_fires_on_touch_screens() {
        let mut e = exit("", true);
        assert!(!scroll(&mut e, 800.0, 4000.0));
        assert!(!scroll(&mut e, 1200.0, 5000.0));
        assert!(
            !scroll(&mut e, 1100.0, 6000.0),
            "100 px/s up is reading, not leaving"
        );
        assert!(scroll(&mut e, 700.0, 6100.0), "4000 px/s up");
        assert!(!scroll(&mut e, 300.0, 6200.0), "one fling per trip down");
        assert!(!scroll(&mut e, 100.0, 6300.0));
        assert!(!scroll(&mut e, 400.0, 7000.0));
        assert!(
            !scroll(&mut e, 0.0, 7100.0),
            "300 px down from 100 is too short a trip"
        );
        assert!(!scroll(&mut e, 500.0, 8000.0));
        assert!(
            scroll(&mut e, 0.0, 8200.0),
            "the trip counts from the highest point, not from where the fling ended"
        );
    }

    #[test]
    fn a_fling_needs_a_scroll_down_first_and_an_armed_trigger() {
        let mut e = exit("", true);
        assert!(!scroll(&mut e, 300.0, 4000.0));
        assert!(!scroll(&mut e, 0.0, 4100.0), "300 px down is not enough");
        let mut early = exit("", true);
        assert!(!scroll(&mut early, 2000.0, 500.0));
        assert!(!scroll(&mut early, 0.0, 600.0), "not armed yet");
        assert!(!scroll(&mut early, 2000.0, 3500.0));
        assert!(
            scroll(&mut early, 0.0, 3600.0),
            "a fling before arming did not use up the trip"
        );
        assert!(!scroll(&mut e, 2000.0, 5000.0));
        e.page(true, T0 + 5000.0);
        assert!(!scroll(&mut e, 300.0, 5100.0));
        assert!(
            !scroll(&mut e, 0.0, 5200.0),
            "the depth of the previous page does not carry over"
        );
    }

    #[test]
    fn mouse_users_scrolling_up_fast_are_not_leaving() {
        let mut e = exit("", false);
        scroll(&mut e, 3000.0, 4000.0);
        assert!(!scroll(&mut e, 0.0, 4100.0));
    }

    #[test]
    fn going_back_fires_once_armed() {
        let mut e = exit("", true);
        assert!(!e.on(&Event::Back, T0 + 1000.0));
        assert!(e.on(&Event::Back, T0 + 3000.0));
    }

    #[test]
    fn hiding_the_tab_after_engaging_fires_on_return_only() {
        let mut e = exit("", true);
        e.on(&Event::Activity, T0 + 4000.0);
        assert!(
            !e.on(&Event::Visibility(false), T0 + 5000.0),
            "never while hidden"
        );
        assert!(e.on(&Event::Visibility(true), T0 + 60_000.0), "on return");
        assert!(
            !e.on(&Event::Visibility(true), T0 + 61_000.0),
            "once per return"
        );
    }

    #[test]
    fn hiding_the_tab_without_engaging_or_on_desktop_does_not_count() {
        let mut e = exit("", true);
        e.on(&Event::Visibility(false), T0 + 5000.0);
        assert!(
            !e.on(&Event::Visibility(true), T0 + 6000.0),
            "never interacted"
        );
        let mut early = exit("", true);
        early.on(&Event::Activity, T0 + 500.0);
        early.on(&Event::Visibility(false), T0 + 1000.0);
        assert!(
            !early.on(&Event::Visibility(true), T0 + 9000.0),
            "hidden before it was armed"
        );
        let mut desktop = exit("", false);
        desktop.on(&Event::Activity, T0 + 4000.0);
        desktop.on(&Event::Visibility(false), T0 + 5000.0);
        assert!(!desktop.on(&Event::Visibility(true), T0 + 6000.0));
    }

    #[test]
    fn settings_have_defaults_and_bounds() {
        let e = exit("", false);
        assert_eq!(
            (
                e.arm_after,
                e.top_margin,
                e.min_speed,
                e.fling_speed,
                e.min_scroll
            ),
            (3000.0, 10.0, 0.2, 1.5, 400.0)
        );
        assert_eq!(
            trigger(r#"{"type":"exit_intent","topMargin":-1}"#)
                .unwrap_err()
                .field,
            "trigger.topMargin"
        );
        assert_eq!(
            trigger(r#"{"type":"exit_intent","armAfter":"3s"}"#)
                .unwrap_err()
                .got,
            Some("a string")
        );
        assert_eq!(
            trigger(r#"{"type":"exit_intent","sensitivity":1}"#)
                .unwrap_err()
                .reason,
            "is not a known field"
        );
    }
}
