//! [`Priority`]: how urgent a case is, and [`Targets`]: how soon each priority should get a
//! first answer (the reply time a site promises) before the case is flagged overdue, with a
//! site's own promises ([`ReplyWithin`]) over the collector's.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::duration;

/// How urgent a case is, lowest first (the derived order is the urgency order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Can wait.
    Low,
    /// The usual.
    Normal,
    /// A customer at risk.
    High,
    /// Drop everything.
    Urgent,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Self; 4] = [Self::Low, Self::Normal, Self::High, Self::Urgent];

    /// The name used in the config, the API and the inbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Urgent => "urgent",
        }
    }

    /// The number stored in the database, which sorts like the priority.
    pub fn rank(self) -> i64 {
        match self {
            Self::Low => 0,
            Self::Normal => 1,
            Self::High => 2,
            Self::Urgent => 3,
        }
    }

    /// The priority a stored number stands for; unknown numbers read as `Normal`.
    pub fn from_rank(rank: i64) -> Self {
        Self::ALL
            .into_iter()
            .find(|priority| priority.rank() == rank)
            .unwrap_or(Self::Normal)
    }

    /// Reads a name as in the API's `priority` filter.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|priority| priority.as_str() == name)
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// The response-time target for each priority, as in `[inbox.targets]`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Targets {
    /// For urgent cases.
    #[serde(deserialize_with = "duration::one")]
    pub urgent: Duration,
    /// For high-priority cases.
    #[serde(deserialize_with = "duration::one")]
    pub high: Duration,
    /// For normal cases.
    #[serde(deserialize_with = "duration::one")]
    pub normal: Duration,
    /// For low-priority cases.
    #[serde(deserialize_with = "duration::one")]
    pub low: Duration,
}

impl Default for Targets {
    fn default() -> Self {
        const HOUR: u64 = 3600;
        Self {
            urgent: Duration::from_secs(HOUR / 4),
            high: Duration::from_secs(HOUR),
            normal: Duration::from_secs(24 * HOUR),
            low: Duration::from_secs(72 * HOUR),
        }
    }
}

/// A site's `[sites.<id>.reply_within]`: the reply time it promises for some priorities; the
/// others keep `[inbox.targets]`.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ReplyWithin {
    /// For urgent cases.
    #[serde(deserialize_with = "duration::optional")]
    pub urgent: Option<Duration>,
    /// For high-priority cases.
    #[serde(deserialize_with = "duration::optional")]
    pub high: Option<Duration>,
    /// For normal cases.
    #[serde(deserialize_with = "duration::optional")]
    pub normal: Option<Duration>,
    /// For low-priority cases.
    #[serde(deserialize_with = "duration::optional")]
    pub low: Option<Duration>,
}

impl ReplyWithin {
    /// These promises, and `targets` for the priorities they leave out.
    pub fn over(&self, targets: Targets) -> Targets {
        Targets {
            urgent: self.urgent.unwrap_or(targets.urgent),
            high: self.high.unwrap_or(targets.high),
            normal: self.normal.unwrap_or(targets.normal),
            low: self.low.unwrap_or(targets.low),
        }
    }
}

impl Targets {
    /// The target for `priority`.
    pub fn of(&self, priority: Priority) -> Duration {
        match priority {
            Priority::Low => self.low,
            Priority::Normal => self.normal,
            Priority::High => self.high,
            Priority::Urgent => self.urgent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_order_by_urgency_and_round_trip_through_ranks() {
        assert!(Priority::Urgent > Priority::High && Priority::Normal > Priority::Low);
        for priority in Priority::ALL {
            assert_eq!(Priority::from_rank(priority.rank()), priority);
            assert_eq!(Priority::parse(priority.as_str()), Some(priority));
        }
        assert_eq!(Priority::parse("HIGH"), None);
    }

    #[test]
    fn targets_read_from_toml_with_defaults() {
        let targets: Targets = toml::from_str("high = \"2h\"").expect("targets");
        assert_eq!(targets.of(Priority::High), Duration::from_secs(7200));
        assert_eq!(targets.of(Priority::Urgent), Duration::from_secs(900));
        assert!(toml::from_str::<Targets>("high = \"soon\"").is_err());
    }

    #[test]
    fn a_sites_promises_replace_the_targets_they_name() {
        let promised: ReplyWithin =
            toml::from_str("urgent = \"1h\"\nhigh = \"4h\"").expect("promises");
        let targets = promised.over(Targets::default());
        assert_eq!(targets.of(Priority::Urgent), Duration::from_secs(3600));
        assert_eq!(targets.of(Priority::High), Duration::from_secs(4 * 3600));
        assert_eq!(targets.of(Priority::Normal), Targets::default().normal);
        assert!(toml::from_str::<ReplyWithin>("normal = \"tomorrow\"").is_err());
        assert!(toml::from_str::<ReplyWithin>("sometimes = \"1h\"").is_err());
    }
}
