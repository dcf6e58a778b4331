//! Sticky sampling: whether a visitor is among the `samplePercent` of visitors a survey is shown to. The answer is
//! a hash of the visitor's random id and the survey's id, so it stays the same on every trigger and every page
//! load instead of being rolled again each time, and differs from one survey to the next.

/// 32-bit FNV-1a over the bytes of `parts` in turn: tiny, stable across versions and platforms.
fn fnv1a(parts: &[&[u8]]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in parts.iter().flat_map(|part| part.iter()) {
        hash ^= u32::from(*byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

/// Whether the visitor with id `visitor` is in the sample of `percent` (0 to 100) for the survey `survey`.
pub fn in_sample(visitor: &str, survey: &str, percent: f64) -> bool {
    // A zero byte between the ids keeps ("ab", "c") and ("a", "bc") apart.
    let hash = fnv1a(&[visitor.as_bytes(), &[0], survey.as_bytes()]);
    // Buckets of a hundredth of a percent, so fractional percentages work too.
    f64::from(hash % 10_000) < percent * 100.0
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Twenty thousand visitor ids, made the way the browser layer makes them.
    fn visitors() -> impl Iterator<Item = String> {
        (0..20_000u128).map(|i| {
            crate::uuid::v4(
                i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834)
                    .to_le_bytes(),
            )
        })
    }

    #[test]
    fn the_hash_is_standard_fnv1a() {
        assert_eq!(fnv1a(&[]), 0x811c_9dc5);
        assert_eq!(fnv1a(&[b"a"]), 0xe40c_292c);
        assert_eq!(fnv1a(&[b"foo", b"bar"]), 0xbf9c_f968);
    }

    #[test]
    fn the_same_visitor_gets_the_same_answer_every_time() {
        for v in visitors().take(200) {
            let first = in_sample(&v, "checkout-exit", 30.0);
            assert!((0..5).all(|_| in_sample(&v, "checkout-exit", 30.0) == first));
        }
    }

    #[test]
    fn all_and_nothing_are_exact() {
        assert!(visitors().take(2000).all(|v| in_sample(&v, "s", 100.0)));
        assert!(!visitors().take(2000).any(|v| in_sample(&v, "s", 0.0)));
    }

    #[test]
    fn the_share_in_the_sample_is_close_to_the_percentage() {
        for percent in [1.0, 25.0, 50.0, 90.0] {
            let n = visitors()
                .filter(|v| in_sample(v, "nps-q3", percent))
                .count() as f64;
            let share = n / 20_000.0 * 100.0;
            assert!((share - percent).abs() < 1.5, "{percent}%: got {share}%");
        }
    }

    #[test]
    fn surveys_sample_independently() {
        let both = visitors()
            .filter(|v| in_sample(v, "a", 50.0) && in_sample(v, "b", 50.0))
            .count() as f64;
        let share = both / 20_000.0 * 100.0;
        assert!((share - 25.0).abs() < 2.0, "half of half, got {share}%");
        assert_ne!(fnv1a(&[b"ab", &[0], b"c"]), fnv1a(&[b"a", &[0], b"bc"]));
    }
}
