//! How often one survey may appear to one visitor: `show` (`once`, `until_answered`, or at most a number of times),
//! `recontactDays` after an answer, `dismissCooldownDays` after a dismissal, and `samplePercent`. The rule across
//! all surveys (at most one survey every so many days) belongs to the [`scheduler`](super::scheduler), which sees
//! every survey.

use super::fields::{wrong, Fields, Parsed};
use super::visitor_state::Record;
use crate::value::Value;

/// Seconds in a day: the state keeps times in seconds.
pub const DAY: f64 = 86_400.0;

/// How many times a survey may appear before it is answered.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Repeat {
    /// Once, answered or not.
    Once,
    /// Again and again (each time subject to the cool-downs) until answered.
    UntilAnswered,
    /// At most this many times, and never after an answer.
    Times(u32),
}

/// A survey's display policy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// How many times it may appear.
    pub repeat: Repeat,
    /// Days after an answer when it may appear again, counted afresh; `None`: never again once answered.
    pub recontact_days: Option<f64>,
    /// Days after a dismissal during which it does not appear.
    pub dismiss_cooldown_days: f64,
    /// Share of visitors who see it at all, 0 to 100.
    pub sample_percent: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            repeat: Repeat::Once,
            recontact_days: None,
            dismiss_cooldown_days: 7.0,
            sample_percent: 100.0,
        }
    }
}

impl Policy {
    /// Reads the `display` object at `path`; absent means the defaults.
    pub(crate) fn parse(value: Option<&Value>, path: &str) -> Parsed<Policy> {
        const SHOW: &str = "must be once, until_answered or a whole number of times from 1 to 100";
        const DAYS: &str = "must be a number of days from 0 to 3650";
        let Some(value) = value else {
            return Ok(Policy::default());
        };
        let f = Fields::new(value, path)?;
        f.known(&[&[
            "show",
            "recontactDays",
            "dismissCooldownDays",
            "samplePercent",
        ]])?;
        let repeat = match f.get("show") {
            None => Repeat::Once,
            Some(Value::Num(_)) => Repeat::Times(f.whole("show", 1, 100, SHOW)?.unwrap_or(1)),
            Some(Value::Str(_)) => match f.pick("show", &["once", "until_answered"], SHOW)? {
                Some(1) => Repeat::UntilAnswered,
                _ => Repeat::Once,
            },
            Some(other) => return Err(wrong(f.path("show"), SHOW, other)),
        };
        let defaults = Policy::default();
        Ok(Policy {
            repeat,
            recontact_days: f.number("recontactDays", 0.0, 3650.0, DAYS)?,
            dismiss_cooldown_days: f
                .number("dismissCooldownDays", 0.0, 3650.0, DAYS)?
                .unwrap_or(defaults.dismiss_cooldown_days),
            sample_percent: f
                .number(
                    "samplePercent",
                    0.0,
                    100.0,
                    "must be a number from 0 to 100",
                )?
                .unwrap_or(defaults.sample_percent),
        })
    }

    /// Whether the survey counts as answered at `now` (seconds): answered, and not yet due to be asked again.
    pub fn answered(&self, record: &Record, now: u32) -> bool {
        record.answered_at != 0
            && !self
                .recontact_days
                .is_some_and(|days| after(now, record.answered_at, days))
    }

    /// Whether the survey may appear at `now` (seconds) to a visitor with this `record` of it.
    pub fn allows(&self, record: &Record, now: u32) -> bool {
        let room = match self.repeat {
            Repeat::Once => record.shown < 1,
            Repeat::UntilAnswered => true,
            Repeat::Times(n) => record.shown < n,
        };
        room && !self.answered(record, now)
            && (record.dismissed_at == 0
                || after(now, record.dismissed_at, self.dismiss_cooldown_days))
    }
}

/// Whether `now` is at least `days` after `then`, all times in seconds. A clock set back before `then` is not.
fn after(now: u32, then: u32, days: f64) -> bool {
    f64::from(now) >= f64::from(then) + days * DAY
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    const T: u32 = 1_800_000_000;
    const D: u32 = 86_400;

    fn policy(text: &str) -> Policy {
        Policy::parse(Some(&json(text)), "display").unwrap()
    }

    fn record(shown: u32, answered_at: u32, dismissed_at: u32) -> Record {
        Record {
            shown,
            shown_at: if shown > 0 { T } else { 0 },
            answered_at,
            dismissed_at,
        }
    }

    #[test]
    fn defaults_are_once_for_everyone() {
        assert_eq!(Policy::parse(None, "display"), Ok(Policy::default()));
        assert_eq!(policy("{}"), Policy::default());
        let p = Policy::default();
        assert!(p.allows(&Record::default(), T));
        assert!(!p.allows(&record(1, 0, 0), T), "shown once, never again");
    }

    #[test]
    fn show_takes_a_name_or_a_count() {
        assert_eq!(policy(r#"{"show":"once"}"#).repeat, Repeat::Once);
        assert_eq!(
            policy(r#"{"show":"until_answered"}"#).repeat,
            Repeat::UntilAnswered
        );
        assert_eq!(policy(r#"{"show":3}"#).repeat, Repeat::Times(3));
        let reason = "must be once, until_answered or a whole number of times from 1 to 100";
        for bad in [
            r#"{"show":"twice"}"#,
            r#"{"show":0}"#,
            r#"{"show":2.5}"#,
            r#"{"show":true}"#,
        ] {
            let err = Policy::parse(Some(&json(bad)), "display").unwrap_err();
            assert_eq!(
                (err.field.as_str(), err.reason),
                ("display.show", reason),
                "{bad}"
            );
        }
    }

    #[test]
    fn numbers_are_checked() {
        let p = policy(r#"{"recontactDays":90,"dismissCooldownDays":0,"samplePercent":12.5}"#);
        assert_eq!(
            (p.recontact_days, p.dismiss_cooldown_days, p.sample_percent),
            (Some(90.0), 0.0, 12.5)
        );
        let err = |text: &str| Policy::parse(Some(&json(text)), "display").unwrap_err();
        assert_eq!(
            err(r#"{"samplePercent":101}"#).reason,
            "must be a number from 0 to 100"
        );
        assert_eq!(
            err(r#"{"recontactDays":-1}"#).field,
            "display.recontactDays"
        );
        assert_eq!(err(r#"{"dismissCooldownDays":"7"}"#).got, Some("a string"));
        assert_eq!(
            err(r#"{"frequency":"once"}"#).reason,
            "is not a known field"
        );
    }

    #[test]
    fn until_answered_repeats_until_an_answer() {
        let p = policy(r#"{"show":"until_answered","dismissCooldownDays":0}"#);
        assert!(p.allows(&record(5, 0, 0), T));
        assert!(!p.allows(&record(0, T - 1, 0), T));
        assert!(
            !p.allows(&record(0, T - 1000 * D, 0), T),
            "answered is answered for good"
        );
    }

    #[test]
    fn a_count_caps_the_displays() {
        let p = policy(r#"{"show":2}"#);
        assert!(p.allows(&record(1, 0, 0), T));
        assert!(!p.allows(&record(2, 0, 0), T));
        assert!(
            !p.allows(&record(1, T - D, 0), T),
            "an answer ends it early"
        );
    }

    #[test]
    fn recontact_days_reopen_a_survey_after_an_answer() {
        let p = policy(r#"{"show":"once","recontactDays":30}"#);
        // After an answer the count starts afresh (the state resets it), so `once` means once per period.
        let answered = record(0, T, 0);
        assert!(p.answered(&answered, T + 29 * D));
        assert!(!p.allows(&answered, T + 29 * D));
        assert!(!p.answered(&answered, T + 30 * D));
        assert!(p.allows(&answered, T + 30 * D));
        assert!(
            !p.allows(&answered, T - D),
            "a clock set back does not reopen it"
        );
    }

    #[test]
    fn a_dismissal_cools_down() {
        let p = policy(r#"{"show":"until_answered","dismissCooldownDays":7}"#);
        let dismissed = record(1, 0, T);
        assert!(!p.allows(&dismissed, T + 7 * D - 1));
        assert!(p.allows(&dismissed, T + 7 * D));
        assert!(!p.answered(&dismissed, T + 7 * D));
    }
}
