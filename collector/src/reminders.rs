//! Reminders: "check back on this case in N days". A change to a case (`remind_in_days`)
//! schedules one; once it is due the inbox flags the case (and `reminder=due` lists it), and the
//! webhook worker announces it (`case.reminder`) exactly once, however many collectors share the
//! database: the one that claims it, with one atomic `UPDATE … WHERE` it has not been claimed
//! yet, queues its deliveries in the same transaction.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::outbox::Outgoing;
use crate::triage::Priority;

/// Most days a reminder may be set ahead.
pub const MAX_DAYS: u32 = 365;
/// Reminders claimed at once.
pub const BATCH: u32 = 64;
/// How long one of `remind_in_days` lasts: a day, except in tests, which cannot wait for one
/// and set [`crate::AppOptions::reminder_day`] to zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderDay(pub Duration);

impl Default for ReminderDay {
    fn default() -> Self {
        Self(Duration::from_secs(24 * 3600))
    }
}

/// A reminder that came due, as the worker announces it.
#[derive(Clone, Debug)]
pub struct DueReminder {
    /// The case.
    pub id: String,
    /// Its site.
    pub site: String,
    /// Its priority.
    pub priority: Priority,
    /// Why it has that priority.
    pub priority_reason: String,
    /// When the reminder was due, RFC 3339 UTC; with the case, what makes it one reminder.
    pub remind_at: String,
    /// The case's response.
    pub response: Value,
}

/// The webhook deliveries a due reminder calls for, for the store to queue with its claim.
pub type Announce = Arc<dyn Fn(&DueReminder) -> Vec<Outgoing> + Send + Sync>;

/// What the outbox calls the reminder of a case due at `remind_at`: the event `case.reminder`,
/// once per time it was due.
pub fn event_key(remind_at: &str) -> String {
    format!("case.reminder {remind_at}")
}
