//! The webhook outbox: deliveries written in the same transaction as the response that caused
//! them, so that an acknowledged response is never without its notification, and handed to the
//! [`worker`](crate::webhooks::worker) until the receiver accepts them (at least once).
//!
//! A delivery keeps one id (the `webhook-id` header) across all its attempts, so a receiver can
//! drop the repeats that at-least-once delivery sometimes makes. After a failed attempt it
//! waits the next step of the retry schedule; when the schedule is used up it is marked
//! `failed`, which the admin API, the inbox and `/metrics` show.

use std::time::Duration;

use serde::Serialize;

/// A delivery to make, as the ingest (or a due reminder) decides it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    /// The hook, as `site/name`.
    pub hook: String,
    /// What it announces, once per hook and case: [`OPENED`], or a reminder's
    /// [`crate::reminders::event_key`].
    pub event: String,
    /// The body to send.
    pub payload: String,
}

/// The event of a case's first announcement.
pub const OPENED: &str = "case.opened";

/// A delivery the worker claimed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The `webhook-id`, the same on every attempt.
    pub id: String,
    /// The hook, as `site/name`.
    pub hook: String,
    /// The body to send.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// How an attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered 2xx.
    Delivered,
    /// It failed; try again after the wait.
    Retry {
        /// How long to wait.
        after: Duration,
        /// What went wrong.
        error: String,
    },
    /// It failed and the schedule is used up.
    Failed {
        /// What went wrong the last time.
        error: String,
    },
}

impl Outcome {
    /// What follows a failed attempt, the `attempts`-th (from 1), under `schedule`: the next
    /// wait in it, or `Failed` when there is none.
    pub fn after_failure(attempts: u32, schedule: &[Duration], error: String) -> Self {
        let index = usize::try_from(attempts.saturating_sub(1)).unwrap_or(usize::MAX);
        match schedule.get(index) {
            Some(after) => Self::Retry {
                after: *after,
                error,
            },
            None => Self::Failed { error },
        }
    }
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// Accepted by the receiver.
    Delivered,
    /// Given up on.
    Failed,
}

impl DeliveryStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// Reads a stored or requested name.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|status| status.as_str() == name)
    }
}

/// A delivery as the admin API and the inbox show it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DeliveryInfo {
    /// The `webhook-id`.
    pub id: String,
    /// The hook, as `site/name`.
    pub hook: String,
    /// The case it is about.
    pub case_id: String,
    /// What it announces: `case.opened`, or `case.reminder` and when the reminder was due.
    pub event: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// What went wrong last, if anything.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: String,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: String,
}

/// How many deliveries wait and how many failed, for `/metrics` and the inbox.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Deliveries still to make.
    pub pending: u64,
    /// Deliveries given up on.
    pub failed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_follow_the_schedule_then_give_up() {
        let schedule = [Duration::from_secs(10), Duration::from_secs(60)];
        let outcome = |attempts| Outcome::after_failure(attempts, &schedule, "503".to_owned());
        assert_eq!(
            outcome(1),
            Outcome::Retry {
                after: Duration::from_secs(10),
                error: "503".to_owned()
            }
        );
        assert_eq!(
            outcome(2),
            Outcome::Retry {
                after: Duration::from_secs(60),
                error: "503".to_owned()
            }
        );
        assert_eq!(
            outcome(3),
            Outcome::Failed {
                error: "503".to_owned()
            }
        );
    }

    #[test]
    fn statuses_round_trip() {
        for status in [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ] {
            assert_eq!(DeliveryStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(DeliveryStatus::parse("sent"), None);
    }
}
