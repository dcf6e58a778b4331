//! The string formats the contract describes with patterns: UUID v4, e-mail address, phone number and UTC
//! timestamp. Written by hand because each is a few lines, where a regex engine would be a large
//! dependency.

/// `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
pub(super) fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, &byte)| match index {
            8 | 13 | 18 | 23 => byte == b'-',
            14 => byte == b'4',
            19 => matches!(byte, b'8' | b'9' | b'a' | b'b'),
            _ => matches!(byte, b'0'..=b'9' | b'a'..=b'f'),
        })
}

/// `^[^@\s]+@[^@\s]+$`: one `@` with something on both sides and no white space anywhere.
pub(super) fn is_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && !text.chars().any(char::is_whitespace)
    })
}

/// `^[0-9 +()./-]{3,40}$`: a phone number as people write it, with nothing that is not part of one.
pub(super) fn is_phone(text: &str) -> bool {
    (3..=40).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b" +()./-".contains(&b))
}

/// `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$` and, as the schema's `date-time` format asks,
/// a date and time that exist (RFC 3339 allows a leap second, `:60`).
pub(crate) fn is_utc_timestamp(text: &str) -> bool {
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
    fn uuid_v4_lowercase_only() {
        assert!(is_uuid_v4("0b6a2c1e-7d4f-4a8b-9c3d-2e1f0a9b8c7d"));
        assert!(!is_uuid_v4("0B6A2C1E-7D4F-4A8B-9C3D-2E1F0A9B8C7D"));
        // Version 1, and a variant outside 8..b.
        assert!(!is_uuid_v4("0b6a2c1e-7d4f-1a8b-9c3d-2e1f0a9b8c7d"));
        assert!(!is_uuid_v4("0b6a2c1e-7d4f-4a8b-cc3d-2e1f0a9b8c7d"));
        assert!(!is_uuid_v4("0b6a2c1e7d4f4a8b9c3d2e1f0a9b8c7d"));
        assert!(!is_uuid_v4("0b6a2c1e-7d4f-4a8b-9c3d-2e1f0a9b8c7"));
        assert!(!is_uuid_v4(""));
    }

    #[test]
    fn email_is_something_at_something() {
        assert!(is_email("a@b.example"));
        assert!(is_email("a+tag@b"));
        for text in ["", "a", "@b", "a@", "a@b@c", "a b@c", "a@b\tc"] {
            assert!(!is_email(text), "{text}");
        }
    }

    #[test]
    fn phones_are_digits_and_the_usual_separators() {
        assert!(is_phone("+49 (30) 123-45.67/8"));
        assert!(is_phone("555"));
        for text in ["", "12", "12a", "555\t1", "☎ 555", &"1".repeat(41)] {
            assert!(!is_phone(text), "{text}");
        }
    }

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
