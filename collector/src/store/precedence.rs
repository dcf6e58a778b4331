//! Which version of a response wins when the same `id` arrives more than once.
//!
//! The widget may send a partial response, then more answers, then the finished one, and it
//! retries each until it sees a 2xx; on a bad network the requests can arrive in any order. The
//! payload's `created_at` is when the response *started*, the same for every version, so it
//! cannot order them. What does is progress, which only grows while a visitor answers:
//!
//! 1. a complete version beats an incomplete one;
//! 2. between two that are both complete or both incomplete, more answers beat fewer (and so do more
//!    steps of the recovery a complete survey response goes on with: a fair solution chosen, a contact given);
//! 3. on a tie the stored version stays: it is the same progress, most often the very same
//!    body retried, and a late duplicate must not move the response back to the top.
//!
//! So a version replaces the stored one only when its [`Rank`] is strictly higher, and an older
//! version arriving late never overwrites a newer one.

/// How far a version of a response got; versions compare by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// Whether the visitor finished. Declared first, so it decides before `answers`.
    pub complete: bool,
    /// How many answers the version carries.
    pub answers: u32,
}

/// What [`Store::save`](super::Store::save) did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// The id was new.
    Created,
    /// The version ranked higher than the stored one and replaced it.
    Replaced,
    /// The stored version ranked as high or higher, so it was kept.
    Kept,
}

impl Saved {
    /// The rule every store applies, given the stored version's rank (if any) and the new one.
    pub fn decide(stored: Option<Rank>, new: Rank) -> Self {
        match stored {
            None => Self::Created,
            Some(stored) if new > stored => Self::Replaced,
            Some(_) => Self::Kept,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn rank(complete: bool, answers: u32) -> Rank {
        Rank { complete, answers }
    }

    #[test]
    fn a_new_id_is_created() {
        assert_eq!(Saved::decide(None, rank(false, 0)), Saved::Created);
        assert_eq!(Saved::decide(None, rank(true, 3)), Saved::Created);
    }

    #[test]
    fn complete_beats_incomplete_whatever_the_answer_count() {
        assert_eq!(
            Saved::decide(Some(rank(false, 5)), rank(true, 1)),
            Saved::Replaced
        );
        assert_eq!(
            Saved::decide(Some(rank(true, 1)), rank(false, 5)),
            Saved::Kept
        );
    }

    #[test]
    fn more_answers_beat_fewer() {
        assert_eq!(
            Saved::decide(Some(rank(false, 1)), rank(false, 2)),
            Saved::Replaced
        );
        assert_eq!(
            Saved::decide(Some(rank(true, 2)), rank(true, 3)),
            Saved::Replaced
        );
        // The partial version that was overtaken arrives late.
        assert_eq!(
            Saved::decide(Some(rank(false, 2)), rank(false, 1)),
            Saved::Kept
        );
    }

    #[test]
    fn a_tie_keeps_what_is_stored() {
        assert_eq!(
            Saved::decide(Some(rank(true, 3)), rank(true, 3)),
            Saved::Kept
        );
        assert_eq!(
            Saved::decide(Some(rank(false, 0)), rank(false, 0)),
            Saved::Kept
        );
    }
}
