//! UTC timestamps as the contract writes them (`2026-11-23T09:40:00.000Z`): the cases API reads its `from` and
//! `to` filters with [`is_utc_timestamp`], so that they compare with the stored `created_at` as text.

/// `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$` and, as the schema's `date-time` format asks,
/// a date and time that exist (RFC 3339 allows a leap second, `:60`).
pub fn is_utc_timestamp(text: &str) -> bool {
    let Some(rest) = text.strip_suffix('Z') else {
        return false;
    };
    let (clock, fraction) = match rest.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (rest, None),
    };
    if fraction
        .is_some_and(|digits| digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let bytes = clock.as_bytes();
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if bytes.len() != 19
        || separators
            .iter()
            .any(|&(index, separator)| bytes[index] != separator)
    {
        return false;
    }
    let fields = [0..4, 5..7, 8..10, 11..13, 14..16, 17..19].map(|range| number(&bytes[range]));
    let [Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)] = fields
    else {
        return false;
    };
    (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60
}

/// The value of a run of ASCII digits, or `None` if anything else is in it.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0, |value: u32, &byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        for text in [
            "2026-11-23T09:40:00.000Z",
            "2026-11-23T09:40:00Z",
            "2024-02-29T23:59:60.123456Z",
        ] {
            assert!(is_utc_timestamp(text), "{text}");
        }
        for text in [
            "",
            "2026-11-23T09:40:00.000",
            "2026-11-23T09:40:00+01:00",
            "2026-11-23 09:40:00Z",
            "2026-11-23T09:40:00.Z",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-11-31T00:00:00Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T09:60:00Z",
            "2026-11-23t09:40:00Z",
            "2026-1é-23T09:40:00Z",
            "+026-11-23T09:40:00Z",
        ] {
            assert!(!is_utc_timestamp(text), "{text}");
        }
    }
}
