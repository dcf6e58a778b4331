//! The one definition of an unhappy answer: a rating or CSAT of at most 2, an NPS of at most 6 (a detractor).
//! The widget's recovery reads it (the rule `{ "unhappy": true }`, the feedback form's default), and so do the
//! collector's default priority rules and its trends, which build their conditions from [`AT_MOST`], so that
//! "unhappy" cannot mean one thing in the browser and another in the inbox.

use crate::submission::AnswerValue;

/// Each score by its payload type, and the highest value of it that is unhappy.
pub const AT_MOST: [(&str, u8); 3] = [("rating", 2), ("nps", 6), ("csat", 2)];

/// Whether `value` is an unhappy score.
pub fn unhappy(value: &AnswerValue) -> bool {
    let (kind, n) = match value {
        AnswerValue::Rating(n) => (0, n),
        AnswerValue::Nps(n) => (1, n),
        AnswerValue::Csat(n) => (2, n),
        _ => return false,
    };
    *n <= AT_MOST[kind].1
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn low_scores_are_unhappy_and_nothing_else_is() {
        for (make, low, high) in [
            (AnswerValue::Rating as fn(u8) -> AnswerValue, 2, 3),
            (AnswerValue::Nps, 6, 7),
            (AnswerValue::Csat, 2, 3),
        ] {
            assert!(unhappy(&make(low)) && unhappy(&make(0)));
            assert!(!unhappy(&make(high)));
        }
        assert!(!unhappy(&AnswerValue::Text("awful".into())));
    }
}
