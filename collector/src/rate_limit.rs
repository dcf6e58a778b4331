//! [`RateLimiter`]: how many submissions one client address, or one site, may send per minute.
//!
//! Each key gets the generic cell rate algorithm (GCRA): a steady rate with room for a burst,
//! kept as one instant per key (the "theoretical arrival time") instead of a counter and a
//! window, so there is no reset edge at which twice the rate gets through. Time is passed in,
//! so the tests need no clock.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

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

/// Limits each key to a [`Rate`].
#[derive(Debug)]
pub struct RateLimiter<K> {
    /// Time between two requests at the sustained rate; `None` when the limit is off.
    interval: Option<Duration>,
    /// How far ahead of `now` a key's arrival time may run before it is refused.
    tolerance: Duration,
    arrivals: Mutex<HashMap<K, Instant>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    /// A limiter that allows `rate` per key.
    pub fn new(rate: Rate) -> Self {
        let interval = (rate.per_minute > 0).then(|| Duration::from_secs(60) / rate.per_minute);
        let tolerance = interval.unwrap_or_default() * rate.burst.saturating_sub(1);
        Self {
            interval,
            tolerance,
            arrivals: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request for `key` at `now`; when it is over the rate, returns how long the
    /// client should wait instead (and the request is not counted).
    pub fn check(&self, key: K, now: Instant) -> Result<(), Duration> {
        let Some(interval) = self.interval else {
            return Ok(());
        };
        // A poisoned map only holds instants, none of which can be half written.
        let mut arrivals = self.arrivals.lock().unwrap_or_else(PoisonError::into_inner);
        if arrivals.len() > SWEEP_ABOVE {
            // A key whose arrival time has passed has its whole burst back: forgetting it
            // changes nothing.
            arrivals.retain(|_, arrival| *arrival > now);
        }
        let arrival = arrivals.entry(key).or_insert(now);
        let earliest = (*arrival).max(now);
        let ahead = earliest - now;
        if ahead > self.tolerance {
            return Err(ahead - self.tolerance);
        }
        *arrival = earliest + interval;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32, burst: u32) -> RateLimiter<&'static str> {
        RateLimiter::new(Rate { per_minute, burst })
    }

    #[test]
    fn allows_the_burst_then_refuses_with_the_wait() {
        let limiter = limiter(60, 3);
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check("a", start), Ok(()));
        }
        assert_eq!(limiter.check("a", start), Err(Duration::from_secs(1)));
        // Half a second later the wait is half as long.
        assert_eq!(
            limiter.check("a", start + Duration::from_millis(500)),
            Err(Duration::from_millis(500))
        );
    }

    #[test]
    fn the_sustained_rate_gets_through() {
        let limiter = limiter(60, 1);
        let start = Instant::now();
        for second in 0..10 {
            assert_eq!(
                limiter.check("a", start + Duration::from_secs(second)),
                Ok(())
            );
        }
        assert!(limiter
            .check("a", start + Duration::from_millis(9_500))
            .is_err());
    }

    #[test]
    fn keys_are_limited_separately() {
        let limiter = limiter(60, 1);
        let now = Instant::now();
        assert_eq!(limiter.check("a", now), Ok(()));
        assert!(limiter.check("a", now).is_err());
        assert_eq!(limiter.check("b", now), Ok(()));
    }

    #[test]
    fn zero_per_minute_is_no_limit() {
        let limiter = RateLimiter::new(Rate::OFF);
        let now = Instant::now();
        for _ in 0..1000 {
            assert_eq!(limiter.check("a", now), Ok(()));
        }
    }

    #[test]
    fn idle_keys_are_swept_when_the_map_grows() {
        let limiter = RateLimiter::new(Rate {
            per_minute: 60,
            burst: 1,
        });
        let start = Instant::now();
        for key in 0..=SWEEP_ABOVE {
            limiter.check(key, start).expect("first request");
        }
        limiter
            .check(usize::MAX, start + Duration::from_secs(2))
            .expect("new key");
        let kept = limiter.arrivals.lock().expect("lock").len();
        assert_eq!(kept, 1);
    }
}
