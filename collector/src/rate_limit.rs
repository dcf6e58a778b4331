//! [`RateLimiter`]: how many submissions one client address, or one site, may send per minute.
//!
//! Each key gets `governor`'s generic cell rate algorithm (GCRA): a steady rate with room for a
//! burst, kept as one instant per key (the "theoretical arrival time") instead of a counter and a
//! window, so there is no reset edge at which twice the rate gets through. The clock is a type
//! parameter, so the tests run on a fake one.

use std::fmt;
use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::Quota;
use serde::Deserialize;

/// Keys kept before idle ones are swept out, so that a flood of addresses cannot grow the map
/// without bound.
const SWEEP_ABOVE: usize = 10_000;

/// A rate as an operator writes it in the config file.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// Sustained requests per minute; 0 turns the limit off.
    pub per_minute: u32,
    /// Requests that may arrive at once before the rate applies; at least 1.
    pub burst: u32,
}

impl Rate {
    /// No limit at all.
    pub const OFF: Self = Self {
        per_minute: 0,
        burst: 1,
    };
}

/// governor's limiter with one state per key, on the clock `C`.
type Keyed<K, C> =
    governor::RateLimiter<K, DefaultKeyedStateStore<K>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// Limits each key to a [`Rate`].
pub struct RateLimiter<K: Hash + Eq + Clone, C: Clock = DefaultClock> {
    /// `None` when the limit is off.
    limiter: Option<Keyed<K, C>>,
}

impl<K: Hash + Eq + Clone, C: Clock + Default> RateLimiter<K, C> {
    /// A limiter that allows `rate` per key.
    pub fn new(rate: Rate) -> Self {
        let quota = (rate.per_minute > 0)
            .then(|| Quota::with_period(Duration::from_secs(60) / rate.per_minute))
            .flatten()
            .map(|quota| quota.allow_burst(NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN)));
        Self {
            limiter: quota
                .map(|quota| governor::RateLimiter::dashmap_with_clock(quota, C::default())),
        }
    }

    /// Counts one request for `key`; when it is over the rate, returns how long the client
    /// should wait instead (and the request is not counted).
    pub fn check(&self, key: K) -> Result<(), Duration> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        if limiter.len() > SWEEP_ABOVE {
            // A key whose arrival time has passed has its whole burst back: forgetting it
            // changes nothing.
            limiter.retain_recent();
        }
        limiter
            .check_key(&key)
            .map_err(|refused| refused.wait_time_from(limiter.clock().now()))
    }
}

impl<K: Hash + Eq + Clone, C: Clock> fmt::Debug for RateLimiter<K, C> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("RateLimiter")
            .field("on", &self.limiter.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    type Limiter<K> = RateLimiter<K, FakeRelativeClock>;

    fn limiter(per_minute: u32, burst: u32) -> Limiter<&'static str> {
        RateLimiter::new(Rate { per_minute, burst })
    }

    /// Moves the limiter's clock on.
    fn advance<K: Hash + Eq + Clone>(limiter: &Limiter<K>, by: Duration) {
        limiter.limiter.as_ref().expect("on").clock().advance(by);
    }

    #[test]
    fn allows_the_burst_then_refuses_with_the_wait() {
        let limiter = limiter(60, 3);
        for _ in 0..3 {
            assert_eq!(limiter.check("a"), Ok(()));
        }
        assert_eq!(limiter.check("a"), Err(Duration::from_secs(1)));
        // Half a second later the wait is half as long.
        advance(&limiter, Duration::from_millis(500));
        assert_eq!(limiter.check("a"), Err(Duration::from_millis(500)));
    }

    #[test]
    fn the_sustained_rate_gets_through() {
        let limiter = limiter(60, 1);
        for second in 0..10 {
            if second > 0 {
                advance(&limiter, Duration::from_secs(1));
            }
            assert_eq!(limiter.check("a"), Ok(()));
        }
        advance(&limiter, Duration::from_millis(500));
        assert!(limiter.check("a").is_err());
    }

    #[test]
    fn keys_are_limited_separately() {
        let limiter = limiter(60, 1);
        assert_eq!(limiter.check("a"), Ok(()));
        assert!(limiter.check("a").is_err());
        assert_eq!(limiter.check("b"), Ok(()));
    }

    #[test]
    fn zero_per_minute_is_no_limit() {
        let limiter: Limiter<&str> = RateLimiter::new(Rate::OFF);
        for _ in 0..1000 {
            assert_eq!(limiter.check("a"), Ok(()));
        }
    }

    #[test]
    fn idle_keys_are_swept_when_the_map_grows() {
        let limiter: Limiter<usize> = RateLimiter::new(Rate {
            per_minute: 60,
            burst: 1,
        });
        for key in 0..=SWEEP_ABOVE {
            limiter.check(key).expect("first request");
        }
        advance(&limiter, Duration::from_secs(2));
        limiter.check(usize::MAX).expect("new key");
        assert_eq!(limiter.limiter.as_ref().expect("on").len(), 1);
    }
}
