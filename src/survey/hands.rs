//! What the visitor's hands are doing on the page, so that a survey that appears by itself never lands in the
//! middle of it: it waits while the visitor types (a key pressed for the page in the last [`TYPING_PAUSE`]), is
//! composing text with an input method, or holds a pointer button down (dragging, selecting). Its trigger stays
//! due meanwhile: the wait is in the display, not in the trigger. Also the rule that an answer is the visitor's
//! own only when it came after the card had been on screen for [`ANSWER_GUARD`].

/// How long after the last key a survey waits, in milliseconds. People typing at 20 to 100 words a minute press a
/// key every 0.1 to 0.6 s, and most pauses between words and between fields are under 2 s; a survey that waits
/// for 2 s without a key therefore comes in a real pause, not between two words.
pub const TYPING_PAUSE: f64 = 2000.0;

/// How long a survey card must have been on screen before a key can answer it, in milliseconds: long enough
/// that typing the visitor began for the page before it appeared cannot answer it.
pub const ANSWER_GUARD: f64 = 500.0;

/// How long a press holds a survey back at most, in milliseconds: a button released outside the window sends the
/// page no `pointerup`, and the survey must not wait for it for ever.
pub const PRESS_LIMIT: f64 = 10_000.0;

/// A signal of the visitor's hands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Hand {
    /// A key was pressed for the page (not inside the widget).
    Key,
    /// An input method composition started (`true`) or ended (`false`).
    Composing(bool),
    /// A pointer button went down (`true`) or up (`false`).
    Pressing(bool),
}

/// What the hands are doing now.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Hands {
    key_at: Option<f64>,
    composing: bool,
    /// When the pointer button went down, while it is down.
    pressed_at: Option<f64>,
}

impl Hands {
    /// Takes in a signal at `now` (milliseconds).
    pub fn on(&mut self, hand: Hand, now: f64) {
        match hand {
            Hand::Key => self.key_at = Some(now),
            Hand::Composing(on) => self.composing = on,
            Hand::Pressing(on) => self.pressed_at = on.then_some(now),
        }
    }

    /// `None` when a survey may appear at `now`; otherwise when to look again (the end of the typing pause, or
    /// `fallback` while a composition or a press lasts, whose end is also a signal).
    pub fn busy(&self, now: f64, fallback: f64) -> Option<f64> {
        let typing = self
            .key_at
            .map(|at| at + TYPING_PAUSE)
            .filter(|until| now < *until);
        let pressing = self.pressed_at.is_some_and(|at| now < at + PRESS_LIMIT);
        match (typing, self.composing || pressing) {
            (Some(until), held) => Some(if held { until.min(fallback) } else { until }),
            (None, true) => Some(fallback),
            (None, false) => None,
        }
    }
}

/// Whether an answer given at `at` can be the visitor's own on a card that appeared at `shown` (milliseconds):
/// the card was on screen for [`ANSWER_GUARD`], or the visitor pressed a pointer on it (`pressed`) after it
/// appeared.
pub fn deliberate(shown: f64, at: f64, pressed: Option<f64>) -> bool {
    at - shown >= ANSWER_GUARD || pressed.is_some_and(|p| p >= shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1.8e12;
    const LATER: f64 = T0 + 10_000.0;

    #[test]
    fn free_hands_let_a_survey_appear() {
        assert_eq!(Hands::default().busy(T0, LATER), None);
    }

    #[test]
    fn a_key_holds_the_survey_until_the_pause_after_it() {
        let mut hands = Hands::default();
        hands.on(Hand::Key, T0);
        assert_eq!(hands.busy(T0 + 100.0, LATER), Some(T0 + TYPING_PAUSE));
        // Each further key moves the end of the pause.
        hands.on(Hand::Key, T0 + 1500.0);
        assert_eq!(
            hands.busy(T0 + 1600.0, LATER),
            Some(T0 + 1500.0 + TYPING_PAUSE)
        );
        assert_eq!(hands.busy(T0 + 1500.0 + TYPING_PAUSE, LATER), None);
    }

    #[test]
    fn a_composition_or_a_press_holds_until_it_ends() {
        for (start, end) in [
            (Hand::Composing(true), Hand::Composing(false)),
            (Hand::Pressing(true), Hand::Pressing(false)),
        ] {
            let mut hands = Hands::default();
            hands.on(start, T0);
            assert_eq!(hands.busy(T0 + 5_000.0, LATER), Some(LATER), "{start:?}");
            hands.on(end, T0 + 5_000.0);
            assert_eq!(hands.busy(T0 + 5_000.0, LATER), None, "{end:?}");
        }
    }

    #[test]
    fn a_press_whose_release_never_came_stops_holding_after_the_limit() {
        let mut hands = Hands::default();
        hands.on(Hand::Pressing(true), T0);
        assert!(hands.busy(T0 + PRESS_LIMIT - 1.0, LATER).is_some());
        assert_eq!(hands.busy(T0 + PRESS_LIMIT, LATER), None);
    }

    #[test]
    fn typing_while_composing_looks_again_at_the_sooner_moment() {
        let mut hands = Hands::default();
        hands.on(Hand::Composing(true), T0);
        hands.on(Hand::Key, T0);
        assert_eq!(hands.busy(T0, T0 + 1000.0), Some(T0 + 1000.0));
        assert_eq!(hands.busy(T0, T0 + 5000.0), Some(T0 + TYPING_PAUSE));
    }

    #[test]
    fn a_key_answers_only_once_the_card_was_on_screen_for_the_guard() {
        assert!(!deliberate(T0, T0, None));
        assert!(!deliberate(T0, T0 + ANSWER_GUARD - 1.0, None));
        assert!(deliberate(T0, T0 + ANSWER_GUARD, None));
        assert!(deliberate(T0, T0 + 60_000.0, None));
    }

    #[test]
    fn a_press_on_the_card_after_it_appeared_answers_at_once() {
        assert!(deliberate(T0, T0 + 80.0, Some(T0 + 40.0)));
        // A press that began before the card was there is the page's.
        assert!(!deliberate(T0, T0 + 80.0, Some(T0 - 10.0)));
    }
}
