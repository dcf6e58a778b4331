//! [`Unhappy`]: which responses the trends count. A response is unhappy when the widget's
//! recovery opened a case for it (it carries a `recovery` block), or when one of its answers is
//! an unhappy score ([`crate::triage::unhappy`]: the widget's own definition, which the default
//! priority rules use too: a rating or CSAT of at most 2, an NPS of at most 6).

use serde_json::Value;

use crate::triage::{self, Condition};

/// The conditions, parsed once.
#[derive(Debug)]
pub struct Unhappy(Vec<Condition>);

impl Default for Unhappy {
    fn default() -> Self {
        let conditions = std::iter::once("recovery".to_owned())
            .chain(triage::unhappy())
            // Text made from fixed data, which the tests parse.
            .map(|text| Condition::parse(&text).unwrap_or_else(|error| panic!("{error}")))
            .collect();
        Self(conditions)
    }
}

impl Unhappy {
    /// Whether `response` is unhappy.
    pub fn holds(&self, response: &Value) -> bool {
        self.0
            .iter()
            .any(|condition| condition.explain(response).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scored(kind: &str, value: u8) -> Value {
        json!({"answers": [{"question": "q", "type": kind, "value": value}]})
    }

    #[test]
    fn low_scores_and_recovery_cases_are_unhappy() {
        let unhappy = Unhappy::default();
        for (kind, low, high) in [("rating", 2, 3), ("csat", 2, 3), ("nps", 6, 7)] {
            assert!(unhappy.holds(&scored(kind, low)), "{kind} {low}");
            assert!(!unhappy.holds(&scored(kind, high)), "{kind} {high}");
        }
        assert!(unhappy.holds(&json!({"answers": [], "recovery": {"rule": "late"}})));
        assert!(
            !unhappy.holds(&json!({"answers": [{"question": "m", "type": "text", "value": "hi"}]}))
        );
    }
}
