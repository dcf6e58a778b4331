//! Following a case up on the page. With the visitor's storage consent the widget keeps each case it opened,
//! asks the site's status URL about it at most once a day for 30 days, and once the support team has resolved it
//! with a note for the visitor, shows that note once and forgets the case. This is the pure part: how a case is
//! kept in storage, when it is due, the request, and what a status answer says. The contract is
//! `schema/case-status.v1.json`.
//!
//! Each case is one storage entry, `rebound:case:<next>:<reference>` = `<secret> <since>` (the times in whole
//! minutes since 1970): when it is next due is in the key, so the eager core, which already goes through the
//! storage keys for the outbox, can tell whether one is due without reading a value.

use crate::prelude::*;

use crate::value::Value;

/// Start of the storage key of every case kept.
pub const PREFIX: &str = "rebound:case:";

/// Minutes between two questions about one case.
const DAY: u32 = 24 * 60;
/// Minutes a case is followed up after it was opened.
const KEPT: u32 = 30 * DAY;
/// Most cases kept; the oldest goes first.
pub const MOST: usize = 10;
/// Longest note and signature shown, in characters.
const MAX_NOTE: usize = 1000;

/// A case the widget follows up.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    /// The short reference, `RB-7KQ2`.
    pub reference: String,
    /// Its secret part.
    pub secret: String,
    /// When it was opened, in minutes.
    pub since: u32,
    /// When to ask about it next, in minutes.
    next: u32,
}

/// `ms` since 1970 (`Date.now()`) in whole minutes.
pub fn minutes(ms: f64) -> u32 {
    (ms / 60_000.0) as u32
}

impl Kept {
    /// A case opened `now`: first asked about a day later.
    pub fn open(reference: &str, secret: &str, now: u32) -> Kept {
        Kept {
            reference: reference.into(),
            secret: secret.into(),
            since: now,
            next: now + DAY,
        }
    }

    /// The case stored under `key` as `value`; `None` when they are not one.
    pub fn read(key: &str, value: &str) -> Option<Kept> {
        let (next, reference) = key.strip_prefix(PREFIX)?.split_once(':')?;
        let (secret, since) = value.split_once(' ')?;
        Some(Kept {
            reference: reference.into(),
            secret: secret.into(),
            since: number(since.as_bytes())?,
            next: number(next.as_bytes())?,
        })
    }

    /// Its storage key.
    pub fn key(&self) -> String {
        [
            PREFIX,
            &crate::json::to_string(&self.next),
            ":",
            &self.reference,
        ]
        .concat()
    }

    /// Its stored value.
    pub fn value(&self) -> String {
        [
            self.secret.as_str(),
            " ",
            &crate::json::to_string(&self.since),
        ]
        .concat()
    }

    /// Whether it is more than 30 days old at `now`, and no longer followed up.
    pub fn expired(&self, now: u32) -> bool {
        now >= self.since.saturating_add(KEPT)
    }

    /// Whether it is due to be asked about at `now`.
    pub fn due(&self, now: u32) -> bool {
        self.next <= now
    }

    /// Asked about at `now`: not again for a day, whatever the answer, so that a failing status URL is not asked
    /// on every page view.
    pub fn asked(&mut self, now: u32) {
        self.next = now + DAY;
    }

    /// The status request for this case at `url`, the site's status URL.
    pub fn request(&self, url: &str) -> String {
        let joint = if url.contains('?') { "&" } else { "?" };
        [
            url,
            joint,
            "reference=",
            &self.reference,
            "&secret=",
            &self.secret,
        ]
        .concat()
    }
}

/// Whether the storage `key` is a case due to be asked about at `now`: what the eager core checks.
pub fn due(key: &str, now: u32) -> bool {
    let next = key
        .as_bytes()
        .get(PREFIX.len()..)
        .filter(|_| key.starts_with(PREFIX));
    let digits = next.and_then(|n| n.split(|b| *b == b':').next());
    digits.and_then(number).is_some_and(|n| n <= now)
}

/// A whole number written in decimal digits; a loop smaller in the wasm than `str::parse`.
fn number(word: &[u8]) -> Option<u32> {
    let mut n: u32 = 0;
    for &b in word {
        let digit = b.checked_sub(b'0').filter(|d| *d < 10)?;
        n = n.checked_mul(10)?.checked_add(u32::from(digit))?;
    }
    (!word.is_empty()).then_some(n)
}

/// What a status answer says.
#[derive(Debug, PartialEq)]
pub enum Status {
    /// Not resolved yet: ask again tomorrow.
    Open,
    /// Resolved; the note for the visitor, if the team wrote one.
    Resolved(Option<Note>),
}

/// The support team's note for the visitor.
#[derive(Debug, PartialEq)]
pub struct Note {
    /// What was done.
    pub text: String,
    /// Who wrote it, e.g. "Ana, Fernwood support".
    pub from: Option<String>,
}

/// Reads a status answer about `reference`; `None` when it is not one (another reference, no status).
pub fn status(answer: &Value, reference: &str) -> Option<Status> {
    if answer.get("reference")?.as_str()? != reference {
        return None;
    }
    match answer.get("status")?.as_str()? {
        "open" => Some(Status::Open),
        "resolved" => Some(Status::Resolved(text(answer, "note").map(|note| Note {
            text: note,
            from: text(answer, "from"),
        }))),
        _ => None,
    }
}

/// The text at `key` of a status answer, shortened; `None` when there is none.
fn text(answer: &Value, key: &str) -> Option<String> {
    let text = answer.get(key)?.as_str().filter(|t| !t.is_empty())?;
    Some(crate::json::clip(text, MAX_NOTE).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(pairs: &[(&str, &str)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), Value::Str((*v).into())))
                .collect(),
        )
    }

    #[test]
    fn a_case_is_asked_about_once_a_day_for_thirty_days() {
        let mut kept = Kept::open("RB-7KQ2", "S3CRET", 1000);
        assert!(!kept.due(1000 + DAY - 1));
        assert!(kept.due(1000 + DAY));
        assert!(!due(&kept.key(), 1000 + DAY - 1));
        assert!(due(&kept.key(), 1000 + DAY));
        kept.asked(1000 + DAY + 5);
        assert!(!kept.due(1000 + 2 * DAY));
        assert!(kept.due(1000 + 2 * DAY + 5));
        assert!(!kept.expired(1000 + KEPT - 1));
        assert!(kept.expired(1000 + KEPT));
    }

    #[test]
    fn a_case_survives_storage_and_what_is_not_one_is_left_alone() {
        let kept = Kept::open("RB-7KQ2", "S3CRET", 10);
        assert_eq!(kept.key(), "rebound:case:1450:RB-7KQ2");
        assert_eq!(kept.value(), "S3CRET 10");
        assert_eq!(Kept::read(&kept.key(), &kept.value()), Some(kept));
        for (key, value) in [
            ("rebound:case:1450", "S 10"),
            ("rebound:case:14x0:RB-1", "S 10"),
            ("rebound:outbox:v1:1", "S 10"),
            ("rebound:case:1450:RB-1", "S"),
            ("rebound:case:1450:RB-1", "S ten"),
        ] {
            assert_eq!(Kept::read(key, value), None, "{key} {value}");
        }
        assert!(!due("rebound:case::RB-1", 1000));
        assert!(!due("rebound:case:99999999999:RB-1", 1000));
        assert!(!due("rebound:outbox:v1:5", 1000));
        assert!(!due("rebound:cas", 1000));
    }

    #[test]
    fn the_request_carries_reference_and_secret() {
        let kept = Kept::open("RB-7KQ2", "S3CRET", 0);
        assert_eq!(
            kept.request("https://c.example/v1/cases/status"),
            "https://c.example/v1/cases/status?reference=RB-7KQ2&secret=S3CRET"
        );
        assert_eq!(
            kept.request("/status?site=shop"),
            "/status?site=shop&reference=RB-7KQ2&secret=S3CRET"
        );
    }

    #[test]
    fn status_answers_are_read_for_their_reference_only() {
        let open = answer(&[("reference", "RB-7KQ2"), ("status", "open")]);
        assert_eq!(status(&open, "RB-7KQ2"), Some(Status::Open));
        assert_eq!(status(&open, "RB-0000"), None);
        let bare = answer(&[
            ("reference", "RB-7KQ2"),
            ("status", "resolved"),
            ("note", ""),
        ]);
        assert_eq!(status(&bare, "RB-7KQ2"), Some(Status::Resolved(None)));
        let noted = answer(&[
            ("reference", "RB-7KQ2"),
            ("status", "resolved"),
            ("note", "We fixed the discount code you reported."),
            ("from", "Ana, Fernwood support"),
        ]);
        assert_eq!(
            status(&noted, "RB-7KQ2"),
            Some(Status::Resolved(Some(Note {
                text: "We fixed the discount code you reported.".into(),
                from: Some("Ana, Fernwood support".into()),
            })))
        );
        assert_eq!(
            status(
                &answer(&[("reference", "RB-7KQ2"), ("status", "lost")]),
                "RB-7KQ2"
            ),
            None
        );
        assert_eq!(status(&Value::Null, "RB-7KQ2"), None);
    }
}
