//! What the eager core reads from the stored visitor state ([`super::visitor_state`]) straight from its text,
//! without parsing it, so that a page view where no survey may appear fetches no survey code at all: when the
//! last survey appeared (the rule across surveys, `surveyCooldownDays`), whether a survey with the default
//! display policy (shown once, never again after an answer) was already shown or answered, and whether the
//! visitor is outside a survey's `samplePercent`. The full reader decides everything else; this only has to
//! agree with it, which the tests hold it to.

use super::policy::DAY;
use super::sampling::in_sample;
use crate::value::Value;

/// The largest number written after `key` in `bytes` (`"shownAt":1800000000`), 0 when there is none. A key inside a string cannot match: there its
/// quotes are escaped.
fn largest(bytes: &[u8], key: &[u8]) -> u32 {
    let mut most = 0;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(key) {
            at += key.len();
            let mut n: u32 = 0;
            while at < bytes.len() && bytes[at].is_ascii_digit() {
                n = n
                    .saturating_mul(10)
                    .saturating_add(u32::from(bytes[at] - b'0'));
                at += 1;
            }
            most = most.max(n);
        } else {
            at += 1;
        }
    }
    most
}

/// The latest display of any survey (seconds since the epoch) in the stored state's JSON `text`, 0 for none.
pub fn last_shown(text: &str) -> u32 {
    largest(text.as_bytes(), b"\"shownAt\":")
}

/// Whether, at `now` (seconds), the gap of `days` after the last survey in the stored state `text` still runs,
/// so that no survey may appear on this page view (0 days: there is no gap).
pub fn gap_runs(text: &str, days: u32, now: u32) -> bool {
    let last = last_shown(text);
    days > 0 && last > 0 && f64::from(now) < f64::from(last) + f64::from(days) * DAY
}

/// The visitor's random id in the stored state's JSON `text` (`"visitor":"…"`), if it has one.
fn visitor(text: &str) -> Option<&str> {
    const KEY: &[u8] = b"\"visitor\":\"";
    let bytes = text.as_bytes();
    let mut start = 0;
    while !bytes.get(start..)?.starts_with(KEY) {
        start += 1;
    }
    start += KEY.len();
    let mut end = start;
    while *bytes.get(end)? != b'"' {
        end += 1;
    }
    text.get(start..end)
}

/// Whether the survey definition `survey` (as written) cannot appear to the visitor whose stored state is
/// `text`: the visitor is outside its `samplePercent` (sampling is sticky, by the visitor's id), or it keeps the
/// default display policy (no `display`: shown once, never again once answered) and the state records a display
/// or an answer of its id. An id that JSON would escape counts as never shown.
pub fn done(survey: &Value, text: &str) -> bool {
    let Some(id) = survey.get("id").and_then(Value::as_str) else {
        return false;
    };
    let display = survey.get("display");
    let percent = display
        .and_then(|d| d.get("samplePercent"))
        .and_then(Value::as_num);
    if let (Some(percent), Some(visitor)) = (percent, visitor(text)) {
        if !in_sample(visitor, id, percent) {
            return true;
        }
    }
    if display.is_some() {
        return false;
    }
    let id = id.as_bytes();
    if id.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20) {
        return false;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        let entry = rest
            .strip_prefix(b"\"id\":\"")
            .and_then(|r| r.strip_prefix(id))
            .and_then(|r| r.strip_prefix(b"\","));
        if let Some(record) = entry {
            let end = record
                .iter()
                .position(|&b| b == b'}')
                .unwrap_or(record.len());
            let record = &record[..end];
            return largest(record, b"\"shown\":") > 0 || largest(record, b"\"answeredAt\":") > 0;
        }
        at += 1;
    }
    false
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::to_string;
    use crate::survey::policy::Policy;
    use crate::survey::tests::json;
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
        assert!(gap_runs(&text, 14, T + 13 * day));
        assert!(!gap_runs(&text, 14, T + 14 * day));
        assert!(!gap_runs(&text, 0, T + 1), "0 days: no gap");
        assert!(!gap_runs(r#"{"surveys":[]}"#, 14, T));
        assert!(!gap_runs("not json", 14, T));
    }

    #[test]
    fn a_survey_shown_once_is_done_when_the_full_policy_says_so() {
        let mut state = VisitorState::new("v-1".into());
        state.shown("nps", "tab-a", T);
        state.shown("nps-2", "tab-a", T);
        let text = to_string(&state);
        let default = Policy::default();
        for id in ["nps", "nps-2", "other", "np"] {
            let survey = json(&[r#"{"id": ""#, id, r#""}"#].concat());
            let allowed = default.allows(&state.record(id), T + 400 * DAY as u32);
            assert_eq!(done(&survey, &text), !allowed, "{id}");
        }
        // Any display policy of its own: the full widget decides.
        assert!(!done(
            &json(r#"{"id": "nps", "display": {"show": "until_answered"}}"#),
            &text
        ));
    }

    #[test]
    fn a_visitor_outside_the_sample_is_done_as_the_full_sampling_says() {
        let text = to_string(&VisitorState::new("v-42".into()));
        assert_eq!(visitor(&text), Some("v-42"));
        let mut outside = 0;
        for n in 0..40 {
            let id = ["s-", &n.to_string()].concat();
            let survey = json(
                &[
                    r#"{"id": ""#,
                    &id,
                    r#"", "display": {"samplePercent": 30}}"#,
                ]
                .concat(),
            );
            let sampled_out = !in_sample("v-42", &id, 30.0);
            assert_eq!(done(&survey, &text), sampled_out, "{id}");
            outside += usize::from(sampled_out);
        }
        assert!(outside > 10, "some surveys leave this visitor out");
        // Without a stored visitor id (a first page view) the full widget decides.
        let survey = json(r#"{"id": "s-1", "display": {"samplePercent": 0}}"#);
        assert!(!done(&survey, r#"{"v":1}"#));
    }
}
