//! The `scroll` trigger: fires when the visitor has scrolled `percent` of the way down a page the survey targets,
//! once per page view. A page too short to scroll counts as seen to the bottom.

use super::{Event, Machine};
use crate::survey::fields::{Fields, Parsed};

/// The scroll trigger's depth and whether it may still fire on this page.
#[derive(Clone, Debug, PartialEq)]
pub struct ScrollDepth {
    /// Depth to reach, 1 to 100 percent of the scrollable height.
    percent: f64,
    /// True on a matching page until the depth is reached.
    armed: bool,
}

impl ScrollDepth {
    /// Reads `percent`.
    pub(crate) fn parse(f: &Fields) -> Parsed<ScrollDepth> {
        f.known(&[&["type", "percent"]])?;
        let percent = f.number("percent", 1.0, 100.0, "must be a number from 1 to 100")?;
        Ok(ScrollDepth {
            percent: percent.ok_or_else(|| f.missing("percent"))?,
            armed: false,
        })
    }
}

impl Machine for ScrollDepth {
    fn page(&mut self, matching: bool, _now: f64) {
        self.armed = matching;
    }

    fn on(&mut self, event: &Event, _now: f64) -> bool {
        let Event::Scroll { top, range } = event else {
            return false;
        };
        // One pixel of slack: zoomed and high-density screens stop a fraction short of the bottom.
        let fire = self.armed && top + 1.0 >= range * self.percent / 100.0;
        self.armed &= !fire;
        fire
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    fn depth(percent: &str) -> ScrollDepth {
        match trigger(&[r#"{"type":"scroll","percent":"#, percent, "}"].concat()) {
            Ok(Trigger::Scroll(s)) => s,
            other => panic!("{other:?}"),
        }
    }

    fn scroll(s: &mut ScrollDepth, top: f64, range: f64) -> bool {
        s.on(&Event::Scroll { top, range }, 0.0)
    }

    #[test]
    fn fires_once_at_the_depth() {
        let mut s = depth("50");
        s.page(true, 0.0);
        assert!(!scroll(&mut s, 100.0, 1000.0));
        assert!(!scroll(&mut s, 498.0, 1000.0));
        assert!(scroll(&mut s, 520.0, 1000.0));
        assert!(!scroll(&mut s, 900.0, 1000.0), "once per page view");
        s.page(true, 0.0);
        assert!(
            scroll(&mut s, 900.0, 1000.0),
            "a new page view arms it again"
        );
    }

    #[test]
    fn the_bottom_counts_despite_fractional_positions() {
        let mut s = depth("100");
        s.page(true, 0.0);
        assert!(!scroll(&mut s, 990.0, 1000.0));
        assert!(scroll(&mut s, 999.4, 1000.0));
    }

    #[test]
    fn a_short_page_is_seen_whole() {
        let mut s = depth("80");
        s.page(true, 0.0);
        assert!(scroll(&mut s, 0.0, 0.0));
    }

    #[test]
    fn only_on_matching_pages_and_only_scroll_events() {
        let mut s = depth("10");
        assert!(!scroll(&mut s, 900.0, 1000.0), "no page view yet");
        s.page(false, 0.0);
        assert!(!scroll(&mut s, 900.0, 1000.0));
        s.page(true, 0.0);
        assert!(!s.on(&Event::Tick, 0.0));
        assert!(scroll(&mut s, 900.0, 1000.0));
    }

    #[test]
    fn percent_is_required_and_bounded() {
        assert_eq!(
            trigger(r#"{"type":"scroll"}"#).unwrap_err().field,
            "trigger.percent"
        );
        assert_eq!(
            trigger(r#"{"type":"scroll","percent":0}"#)
                .unwrap_err()
                .reason,
            "must be a number from 1 to 100"
        );
        assert!(trigger(r#"{"type":"scroll","percent":101}"#).is_err());
    }
}
