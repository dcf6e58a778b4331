//! The rule across surveys (`surveyCooldownDays`, 14 days by default) as the eager core reads it: when the last
//! survey appeared, straight from the stored visitor state's text ([`super::visitor_state`]) without parsing it,
//! so that a page view inside the gap fetches no survey code at all. The full reader decides everything else;
//! this only has to agree with it on the last display, which a test holds them to.

use super::policy::DAY;

/// How each survey's last display is written in the stored state.
const KEY: &[u8] = b"\"shownAt\":";

/// The latest `shownAt` (seconds since the epoch) in the stored state's JSON `text`, 0 when there is none. A key
/// inside a string cannot match: there its quotes are escaped.
pub fn last_shown(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut last = 0;
    let mut at = 0;
    while at + KEY.len() <= bytes.len() {
        if bytes[at..].starts_with(KEY) {
            at += KEY.len();
            let mut n: u32 = 0;
            while let Some(digit) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
                n = n.saturating_mul(10).saturating_add(u32::from(digit - b'0'));
                at += 1;
            }
            last = last.max(n);
        } else {
            at += 1;
        }
    }
    last
}

/// Whether, at `now` (seconds), the gap of `days` after the last survey in the stored state `text` still runs,
/// so that no survey may appear on this page view (0 days: there is no gap).
pub fn running(text: &str, days: u32, now: u32) -> bool {
    let last = last_shown(text);
    days > 0 && last > 0 && f64::from(now) < f64::from(last) + f64::from(days) * DAY
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::to_string;
    use crate::survey::visitor_state::VisitorState;

    const T: u32 = 1_800_000_000;

    #[test]
    fn the_last_display_is_the_stored_states_own() {
        let mut state = VisitorState::new("v-1".into());
        assert_eq!(last_shown(&to_string(&state)), 0);
        state.shown("nps", "tab-a", T + 5);
        state.shown("exit \"shownAt\":9999999999", "tab-a", T + 9);
        state.shown("nps", "tab-b", T + 7);
        let text = to_string(&state);
        assert_eq!(last_shown(&text), state.last_shown());
        assert_eq!(last_shown(&text), T + 9);
    }

    #[test]
    fn the_gap_runs_for_its_days_after_the_last_display() {
        let text = [r#"{"surveys":[{"id":"a","shownAt":"#, &T.to_string(), "}]}"].concat();
        let day = DAY as u32;
        assert!(running(&text, 14, T + 13 * day));
        assert!(!running(&text, 14, T + 14 * day));
        assert!(!running(&text, 0, T + 1), "0 days: no gap");
        assert!(!running(r#"{"surveys":[]}"#, 14, T));
        assert!(!running("not json", 14, T));
    }
}
