//! The `rage_click` trigger: `clicks` clicks (default 3) within `within` seconds (default 1) on the same element or
//! the same spot (within `radius` CSS pixels, default 30), as a visitor clicks a button that does not respond.
//!
//! Only pointer clicks count ([`Spot`]): a click made with the keyboard or by a script has none. Controls where
//! repeated clicks are normal (inputs, selects, number steppers, `role="spinbutton"`, anything the site marks
//! with `data-rebound-ignore`) are the browser layer's to flag as `ignored`, and they never count; so are the
//! widget's own button and card, which it should not report at all. With a `selector`, only clicks inside an
//! element matching it count.

use crate::prelude::*;

use super::settle::{Detect, KEYS};
use super::Event;
use crate::failure::Failure;
use crate::survey::fields::{Fields, Parsed};

/// Where a pointer click landed, as the browser layer reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spot<'a> {
    /// `clientX`, in CSS pixels.
    pub x: f64,
    /// `clientY`, in CSS pixels.
    pub y: f64,
    /// The clicked element, by an id the browser layer gives each element it sees clicked.
    pub target: u32,
    /// The element is a control where repeated clicks are normal, or marked `data-rebound-ignore`.
    pub ignored: bool,
    /// The element's CSS path for the payload: tag, id and classes, never its text or value (`button.pay`).
    pub selector: &'a str,
}

/// The most clicks remembered: more than any sensible `clicks`.
const REMEMBERED: usize = 20;

/// A click counted towards a burst: where, on what, and when.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Seen {
    x: f64,
    y: f64,
    target: u32,
    at: f64,
}

/// The rage-click trigger's settings and the recent clicks.
#[derive(Clone, Debug, PartialEq)]
pub struct RageClick {
    clicks: u32,
    /// The burst's window, in milliseconds.
    within: f64,
    /// How close two clicks must land to be on the same spot, in CSS pixels.
    radius: f64,
    selector: Option<String>,
    /// The clicks of the last `within` milliseconds, oldest first.
    recent: Vec<Seen>,
}

impl RageClick {
    /// Reads `clicks`, `within`, `radius` and `selector`.
    pub(crate) fn parse(f: &Fields) -> Parsed<RageClick> {
        f.known(&[&KEYS, &["clicks", "within", "radius", "selector"]])?;
        Ok(RageClick {
            clicks: f
                .whole("clicks", 2, 20, "must be a whole number from 2 to 20")?
                .unwrap_or(3),
            within: super::millis(
                f,
                "within",
                10.0,
                "must be a number of seconds from 0 to 10",
            )?
            .unwrap_or(1000.0),
            radius: f
                .number(
                    "radius",
                    0.0,
                    500.0,
                    "must be a number of pixels from 0 to 500",
                )?
                .unwrap_or(30.0),
            selector: f.text("selector")?.map(Into::into),
            recent: Vec::new(),
        })
    }
}

impl Detect for RageClick {
    fn detect(&mut self, event: &Event, now: f64) -> Option<Failure> {
        let Event::Click {
            closest,
            spot: Some(spot),
        } = event
        else {
            return None;
        };
        if spot.ignored || self.selector.as_deref().is_some_and(|s| !closest(s)) {
            return None;
        }
        // A click from before a clock set back is as stale as one from long ago.
        let within = self.within;
        self.recent.retain(|c| c.at <= now && now - c.at <= within);
        let near = |c: &&Seen| {
            let (dx, dy) = (c.x - spot.x, c.y - spot.y);
            c.target == spot.target || dx * dx + dy * dy <= self.radius * self.radius
        };
        let clicks = 1 + self.recent.iter().filter(near).count() as u32;
        if self.recent.len() >= REMEMBERED {
            self.recent.remove(0);
        }
        self.recent.push(Seen {
            x: spot.x,
            y: spot.y,
            target: spot.target,
            at: now,
        });
        (clicks >= self.clicks).then(|| Failure::rage_click(spot.selector, clicks))
    }

    fn forget(&mut self) {
        self.recent.clear();
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    const T0: f64 = 1.8e12;

    fn watching(settings: &str) -> Trigger {
        let mut t = trigger(&[r#"{"type":"rage_click""#, settings, "}"].concat()).unwrap();
        t.start(T0, false);
        t.page(true, T0);
        t
    }

    fn on_pay(selector: &str) -> bool {
        selector == ".checkout"
    }

    /// A click on element `target` at (`x`, `y`), `at` ms after T0; true when the trigger fires.
    fn click(t: &mut Trigger, target: u32, (x, y): (f64, f64), at: f64) -> bool {
        let spot = Spot {
            x,
            y,
            target,
            ignored: false,
            selector: "button.pay",
        };
        press(t, spot, at)
    }

    fn press(t: &mut Trigger, spot: Spot, at: f64) -> bool {
        t.on(
            &Event::Click {
                closest: &on_pay,
                spot: Some(spot),
            },
            T0 + at,
        )
    }

    /// Whether the clicks make a burst: the trigger waits to show.
    fn burst(t: &Trigger) -> bool {
        t.wake_at().is_some()
    }

    #[test]
    fn three_clicks_within_a_second_on_one_element() {
        let mut t = watching("");
        click(&mut t, 1, (10.0, 10.0), 0.0);
        click(&mut t, 1, (200.0, 10.0), 400.0);
        assert!(!burst(&t));
        click(&mut t, 1, (400.0, 10.0), 900.0);
        assert!(burst(&t), "the same element, wherever on it");
        assert_eq!(t.wake_at(), Some(T0 + 900.0 + 1500.0));
        assert!(t.on(&Event::Tick, T0 + 2400.0));
        assert_eq!(t.failure(), Some(&Failure::rage_click("button.pay", 3)));
    }

    #[test]
    fn the_same_spot_counts_across_elements() {
        let mut t = watching("");
        click(&mut t, 1, (100.0, 100.0), 0.0);
        click(&mut t, 2, (110.0, 95.0), 100.0);
        click(&mut t, 3, (120.0, 120.0), 200.0);
        assert!(burst(&t), "an icon inside a button, the button, its label");
    }

    #[test]
    fn clicks_spread_out_in_space_or_time_do_not() {
        let mut t = watching("");
        click(&mut t, 1, (0.0, 0.0), 0.0);
        click(&mut t, 2, (100.0, 0.0), 100.0);
        click(&mut t, 3, (200.0, 0.0), 200.0);
        assert!(!burst(&t), "three different buttons");
        click(&mut t, 4, (500.0, 0.0), 2000.0);
        click(&mut t, 4, (500.0, 0.0), 2600.0);
        click(&mut t, 4, (500.0, 0.0), 3700.0);
        assert!(!burst(&t), "too slow: the first left the window");
        click(&mut t, 4, (500.0, 0.0), 4000.0);
        assert!(!burst(&t), "the second left it too");
        click(&mut t, 4, (500.0, 0.0), 4300.0);
        assert!(burst(&t));
    }

    #[test]
    fn a_longer_burst_reports_every_click_after_the_last() {
        let mut t = watching("");
        for i in 0..5 {
            click(&mut t, 7, (50.0, 50.0), f64::from(i) * 150.0);
        }
        assert_eq!(t.wake_at(), Some(T0 + 600.0 + 1500.0));
        assert!(t.on(&Event::Tick, T0 + 2100.0));
        assert_eq!(t.failure(), Some(&Failure::rage_click("button.pay", 5)));
        assert!(!click(&mut t, 7, (50.0, 50.0), 2200.0));
        assert!(!burst(&t), "once per page view");
    }

    #[test]
    fn steppers_keyboard_clicks_and_other_elements_never_count() {
        let mut t = watching(r#","selector":".checkout""#);
        let stepper = Spot {
            x: 5.0,
            y: 5.0,
            target: 9,
            ignored: true,
            selector: "input.qty",
        };
        for i in 0..10 {
            press(&mut t, stepper, f64::from(i) * 50.0);
        }
        assert!(!burst(&t), "fast clicks on a quantity stepper");
        for i in 0..5 {
            t.on(
                &Event::Click {
                    closest: &on_pay,
                    spot: None,
                },
                T0 + 600.0 + f64::from(i),
            );
        }
        assert!(!burst(&t), "Enter held on a button");
        let elsewhere = |_: &str| false;
        for i in 0..5 {
            let spot = Spot {
                x: 1.0,
                y: 1.0,
                target: 3,
                ignored: false,
                selector: "a.logo",
            };
            t.on(
                &Event::Click {
                    closest: &elsewhere,
                    spot: Some(spot),
                },
                T0 + 700.0 + f64::from(i),
            );
        }
        assert!(!burst(&t), "outside the selector");
        for i in 0..3 {
            click(&mut t, 1, (1.0, 1.0), 800.0 + f64::from(i));
        }
        assert!(burst(&t));
    }

    #[test]
    fn settings_change_the_burst() {
        let mut t = watching(r#","clicks":4,"within":2,"radius":0"#);
        click(&mut t, 1, (0.0, 0.0), 0.0);
        click(&mut t, 2, (1.0, 0.0), 10.0);
        click(&mut t, 1, (0.0, 0.0), 1500.0);
        click(&mut t, 1, (0.0, 0.0), 1900.0);
        assert!(
            !burst(&t),
            "the second was one pixel off, on another element"
        );
        click(&mut t, 1, (0.0, 0.0), 1950.0);
        assert!(burst(&t));
    }

    #[test]
    fn a_new_page_view_or_a_clock_set_back_forgets_the_clicks() {
        let mut t = watching("");
        click(&mut t, 1, (0.0, 0.0), 0.0);
        click(&mut t, 1, (0.0, 0.0), 100.0);
        t.page(true, T0 + 150.0);
        click(&mut t, 1, (0.0, 0.0), 200.0);
        assert!(!burst(&t));
        click(&mut t, 1, (0.0, 0.0), -50_000.0);
        click(&mut t, 1, (0.0, 0.0), -49_900.0);
        assert!(
            !burst(&t),
            "the clicks after the future one do not add up with it"
        );
        click(&mut t, 1, (0.0, 0.0), -49_800.0);
        assert!(burst(&t));
    }

    #[test]
    fn settings_are_checked() {
        let Trigger::RageClick(t) = watching("") else {
            panic!()
        };
        let d = t.detector();
        assert_eq!((d.clicks, d.within, d.radius), (3, 1000.0, 30.0));
        for (bad, field) in [
            (r#","clicks":1"#, "trigger.clicks"),
            (r#","clicks":2.5"#, "trigger.clicks"),
            (r#","within":11"#, "trigger.within"),
            (r#","radius":-1"#, "trigger.radius"),
            (r#","selector":"""#, "trigger.selector"),
            (r#","seconds":1"#, "trigger.seconds"),
        ] {
            let e = trigger(&[r#"{"type":"rage_click""#, bad, "}"].concat()).unwrap_err();
            assert_eq!(e.field, field, "{bad}");
        }
    }
}
