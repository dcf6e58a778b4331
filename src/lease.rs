//! A lease in storage: which tab may send an outbox item, for browsers without Web Locks. A tab takes the lease
//! by writing its id and an expiry under the item's lease key, then reads it back; only the tab whose lease is
//! there sends. A lease runs out after [`LEASE_MS`], so an item whose tab was closed is sent by another.

use crate::prelude::*;

/// How long a lease holds, in milliseconds: longer than one attempt at sending takes.
pub const LEASE_MS: f64 = 30_000.0;

/// The stored form of a lease held by `tab` until `until` (milliseconds since the epoch).
pub fn lease(tab: &str, until: f64) -> String {
    let mut text = crate::json::to_string(&(until as u64));
    text.push(' ');
    text.push_str(tab);
    text
}

/// Whether `tab` may take the lease at `now`, given what is stored (`None`: nothing): when no other tab holds it,
/// or its lease ran out. A stored value that cannot be read counts as run out.
pub fn free(stored: Option<&str>, tab: &str, now: f64) -> bool {
    let Some((until, holder)) = stored.and_then(|s| s.split_once(' ')) else {
        return true;
    };
    let until = until.bytes().try_fold(0.0, |n, b| {
        b.is_ascii_digit().then(|| n * 10.0 + f64::from(b - b'0'))
    });
    holder == tab || until.is_none_or(|until| until <= now)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_lease_keeps_other_tabs_out_until_it_runs_out() {
        let held = lease("tab-a", 1_000_030_000.0);
        assert_eq!(held, "1000030000 tab-a");
        assert!(free(None, "tab-b", 1e9));
        assert!(!free(Some(&held), "tab-b", 1e9), "another tab holds it");
        assert!(free(Some(&held), "tab-a", 1e9), "the holder may renew it");
        assert!(free(Some(&held), "tab-b", 1_000_030_000.0), "run out");
    }

    #[test]
    fn an_unreadable_lease_counts_as_run_out() {
        assert!(free(Some("garbage"), "tab-b", 1e9));
        assert!(free(Some("12x4 tab-a"), "tab-b", 1e9));
    }
}
