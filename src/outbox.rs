//! The outbox: every response waits here until the site's endpoint has confirmed it, through failures, offline
//! periods and page loads. It decides what to send next, how long to wait after a failure (exponential backoff
//! with jitter, or the server's `Retry-After`), which answers are final, and when an item is too old to keep.
//! Time and randomness are passed in, so every rule is tested natively with a fake clock. Each item writes itself
//! as JSON and reads itself back from the parsed [`Value`]: storage keeps one key per item, so tabs that settle
//! different items never overwrite each other's changes.

use crate::prelude::*;

use crate::json::{Object, ToJson};
use crate::value::Value;

/// Storage key prefix of outbox items, followed by the response id; the version changes when their shape does.
pub const STORAGE_PREFIX: &str = "rebound:outbox:v1:";

/// How the endpoint answered one attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// 2xx: the endpoint has it.
    Delivered,
    /// Worth trying again: a network error, 408, 425, 429 or 5xx; `retry_after` in milliseconds when the server
    /// said how long to wait.
    Retry {
        /// The server's `Retry-After`, in milliseconds.
        retry_after: Option<f64>,
    },
    /// Any other status: sending again would give the same answer.
    Rejected,
}

impl Outcome {
    /// Classifies an HTTP status; `None` means the request failed before any status arrived.
    pub fn of(status: Option<u16>, retry_after: Option<f64>) -> Outcome {
        match status {
            Some(200..=299) => Outcome::Delivered,
            None | Some(408 | 425 | 429 | 500..=599) => Outcome::Retry { retry_after },
            Some(_) => Outcome::Rejected,
        }
    }
}

/// One response waiting to be delivered.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The response id; a newer version of the same response replaces the item.
    pub id: String,
    /// The JSON body to post.
    pub body: String,
    /// When the item was first queued, in milliseconds since the epoch.
    pub queued_at: f64,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not to be sent before this time.
    pub not_before: f64,
}

/// First wait after a failure, in milliseconds.
const BASE_DELAY: f64 = 1_000.0;
/// Longest wait between two attempts.
const MAX_DELAY: f64 = 5.0 * 60_000.0;
/// Default age after which an undelivered item is given up: 7 days (the `expiryDays` option changes it).
pub const DEFAULT_MAX_AGE: f64 = max_age(crate::config::DEFAULT_EXPIRY_DAYS);

/// The age in milliseconds after which an item waiting for `days` days is given up.
pub const fn max_age(days: u32) -> f64 {
    days as f64 * 86_400_000.0
}

/// The queue of undelivered responses, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    items: Vec<Item>,
}

impl Outbox {
    /// An outbox holding `items` in any order, e.g. as read back from storage; they are kept oldest first.
    pub fn from_items(items: Vec<Item>) -> Outbox {
        // An insertion sort: outboxes hold a handful of items, and the standard sorts cost kilobytes of wasm.
        let mut sorted: Vec<Item> = Vec::with_capacity(items.len());
        for item in items {
            let at = sorted
                .iter()
                .position(|i| i.queued_at > item.queued_at)
                .unwrap_or(sorted.len());
            sorted.insert(at, item);
        }
        Outbox { items: sorted }
    }

    /// The items, oldest first, e.g. to write them to storage.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Queues a response, due at once. A newer version of a queued response replaces it in place and keeps its age.
    pub fn put(&mut self, id: &str, body: String, now: f64) {
        match self.items.iter_mut().find(|i| i.id == id) {
            Some(item) => {
                item.body = body;
                item.not_before = now;
            }
            None => self.items.push(Item {
                id: id.into(),
                body,
                queued_at: now,
                attempts: 0,
                not_before: now,
            }),
        }
    }

    /// The oldest item that may be sent at `now`.
    pub fn due(&self, now: f64) -> Option<&Item> {
        self.items.iter().find(|i| i.not_before <= now)
    }

    /// When the next item falls due, if any is waiting.
    pub fn next_due(&self) -> Option<f64> {
        self.items.iter().map(|i| i.not_before).reduce(f64::min)
    }

    /// Records how an attempt to send `id` with `body` ended; `random` is in `[0, 1)` and spreads retries so
    /// that many visitors do not come back at once. Returns the item when it leaves the outbox (delivered or
    /// rejected). An item replaced by a newer version while in flight stays, so the newer version is sent too.
    pub fn settle(
        &mut self,
        id: &str,
        body: &str,
        outcome: Outcome,
        now: f64,
        random: f64,
    ) -> Option<Item> {
        let index = self.items.iter().position(|i| i.id == id)?;
        let item = &mut self.items[index];
        match outcome {
            Outcome::Delivered | Outcome::Rejected if item.body == body => {
                Some(self.items.remove(index))
            }
            Outcome::Delivered | Outcome::Rejected => None,
            Outcome::Retry { retry_after } => {
                item.attempts += 1;
                let backoff = (BASE_DELAY * 2f64.powi(item.attempts as i32 - 1)).min(MAX_DELAY);
                let jittered = backoff * (0.5 + random / 2.0);
                item.not_before = now + retry_after.map_or(jittered, |r| r.max(jittered));
                None
            }
        }
    }

    /// Removes and returns the items queued longer ago than `max_age`.
    pub fn expire(&mut self, now: f64, max_age: f64) -> Vec<Item> {
        let (old, keep) = self
            .items
            .drain(..)
            .partition(|i| now - i.queued_at > max_age);
        self.items = keep;
        old
    }
}

impl ToJson for Item {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("id", &self.id)
            .field("body", &self.body)
            .field("queued_at", &(self.queued_at as u64))
            .field("attempts", &self.attempts)
            .field("not_before", &(self.not_before as u64));
    }
}

impl Item {
    /// Reads back what [`ToJson`] wrote; `None` when it is not that shape, e.g. written by a future version.
    pub fn parse(stored: &Value) -> Option<Item> {
        Some(Item {
            id: stored.get("id")?.as_str()?.into(),
            body: stored.get("body")?.as_str()?.into(),
            queued_at: stored.get("queued_at")?.as_num()?,
            attempts: stored.get("attempts")?.as_num()? as u32,
            not_before: stored.get("not_before")?.as_num()?,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_as_the_issue_says() {
        assert_eq!(Outcome::of(Some(200), None), Outcome::Delivered);
        assert_eq!(Outcome::of(Some(204), None), Outcome::Delivered);
        for retry in [
            None,
            Some(408),
            Some(425),
            Some(429),
            Some(500),
            Some(503),
            Some(599),
        ] {
            assert_eq!(
                Outcome::of(retry, Some(5.0)),
                Outcome::Retry {
                    retry_after: Some(5.0)
                },
                "{retry:?}"
            );
        }
        for final_ in [400, 401, 403, 404, 413, 415, 422, 302] {
            assert_eq!(
                Outcome::of(Some(final_), None),
                Outcome::Rejected,
                "{final_}"
            );
        }
    }

    #[test]
    fn failures_back_off_exponentially_with_jitter_and_a_cap() {
        let mut o = Outbox::default();
        o.put("a", "v1".into(), 0.0);
        let retry = Outcome::Retry { retry_after: None };
        let mut waits = Vec::new();
        let mut now = 0.0;
        for _ in 0..12 {
            assert!(o.settle("a", "v1", retry, now, 1.0).is_none());
            let next = o.next_due().unwrap();
            waits.push(next - now);
            now = next;
        }
        assert_eq!(&waits[..4], &[1_000.0, 2_000.0, 4_000.0, 8_000.0]);
        assert_eq!(*waits.last().unwrap(), MAX_DELAY);
        // With the lowest jitter the wait halves; it never drops below half.
        o.settle("a", "v1", retry, now, 0.0);
        assert_eq!(o.next_due().unwrap() - now, MAX_DELAY / 2.0);
    }

    #[test]
    fn retry_after_is_honoured_but_never_shortens_the_backoff() {
        let mut o = Outbox::default();
        o.put("a", "v1".into(), 0.0);
        o.settle(
            "a",
            "v1",
            Outcome::Retry {
                retry_after: Some(30_000.0),
            },
            0.0,
            1.0,
        );
        assert_eq!(o.next_due(), Some(30_000.0));
        assert!(o.due(29_999.0).is_none());
        assert_eq!(o.due(30_000.0).map(|i| i.id.as_str()), Some("a"));
        o.settle(
            "a",
            "v1",
            Outcome::Retry {
                retry_after: Some(10.0),
            },
            30_000.0,
            1.0,
        );
        assert_eq!(o.next_due(), Some(32_000.0));
    }

    #[test]
    fn delivered_and_rejected_items_leave_unless_a_newer_version_arrived_meanwhile() {
        let mut o = Outbox::default();
        o.put("a", "partial".into(), 0.0);
        o.put("b", "other".into(), 1.0);
        assert_eq!(o.due(5.0).unwrap().id, "a", "oldest first");
        // While "partial" was in flight the visitor finished: the complete version replaces it.
        o.put("a", "complete".into(), 2.0);
        assert!(o
            .settle("a", "partial", Outcome::Delivered, 3.0, 0.5)
            .is_none());
        assert_eq!(o.items().len(), 2);
        assert_eq!(o.items()[0].body, "complete");
        assert_eq!(o.items()[0].queued_at, 0.0, "replacing keeps the age");
        let gone = o
            .settle("a", "complete", Outcome::Delivered, 4.0, 0.5)
            .unwrap();
        assert_eq!(gone.id, "a");
        assert_eq!(
            o.settle("b", "other", Outcome::Rejected, 4.0, 0.5)
                .unwrap()
                .id,
            "b"
        );
        assert!(o.items().is_empty());
        assert_eq!(o.next_due(), None);
        assert!(o.settle("zzz", "x", Outcome::Delivered, 5.0, 0.5).is_none());
    }

    #[test]
    fn old_items_expire() {
        let mut o = Outbox::default();
        o.put("old", "x".into(), 0.0);
        o.put("new", "y".into(), DEFAULT_MAX_AGE);
        o.settle(
            "old",
            "x",
            Outcome::Retry {
                retry_after: Some(1e9),
            },
            10.0,
            0.0,
        );
        assert_eq!(
            o.next_due(),
            Some(DEFAULT_MAX_AGE),
            "the new item is due, the old one waits"
        );
        let expired = o.expire(DEFAULT_MAX_AGE + 1.0, DEFAULT_MAX_AGE);
        assert_eq!(
            expired.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["old"]
        );
        assert_eq!(o.items().len(), 1);
        // A longer configured expiry keeps what the default would drop.
        assert_eq!(DEFAULT_MAX_AGE, max_age(7));
        o.put("older", "z".into(), 0.0);
        assert!(o.expire(max_age(8), max_age(30)).is_empty());
        assert_eq!(o.expire(max_age(38), max_age(30)).len(), 2);
    }

    #[test]
    fn items_survive_a_round_trip_through_storage_and_corruption_is_refused() {
        let mut o = Outbox::default();
        o.put("b", "two".into(), 1_795_000_000_300.0);
        o.put("a", r#"{"x":"é\n"}"#.into(), 1_795_000_000_123.0);
        o.settle(
            "a",
            r#"{"x":"é\n"}"#,
            Outcome::Retry { retry_after: None },
            1_795_000_000_200.0,
            1.0,
        );
        let back: Vec<Item> = o
            .items()
            .iter()
            .map(|i| {
                Item::parse(&from_json(
                    &serde_json::from_str(&crate::json::to_string(i)).unwrap(),
                ))
                .unwrap()
            })
            .collect();
        assert_eq!(back, o.items());
        // Read back in any order, the outbox is oldest first again.
        let reordered = Outbox::from_items(back.into_iter().rev().collect());
        assert_eq!(
            reordered
                .items()
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        for corrupt in [
            r#"[1]"#,
            r#"{"id":"a"}"#,
            r#"{"id":1,"body":"b","queued_at":1,"attempts":0,"not_before":1}"#,
        ] {
            assert_eq!(
                Item::parse(&from_json(&serde_json::from_str(corrupt).unwrap())),
                None,
                "{corrupt}"
            );
        }
    }

    /// What the browser's `JSON.parse` turns into, for tests.
    fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap()),
            serde_json::Value::String(s) => Value::Str(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::Map(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
            }
        }
    }
}
