//! Durations as operators write them in the config file, read by `humantime`: a number and a
//! unit, `90s`, `15m`, `1h` or `3d`, or several, `1h 30m`.

use std::time::Duration;

use serde::{Deserialize, Deserializer};

fn checked<E: serde::de::Error>(text: &str) -> Result<Duration, E> {
    humantime::parse_duration(text.trim()).map_err(|error| {
        E::custom(format!(
            "`{text}` is not a duration ({error}): expected a number and a unit, like 90s, 1h or 1h 30m"
        ))
    })
}

/// For `#[serde(deserialize_with = "duration::one")]`.
pub fn one<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    checked(&String::deserialize(deserializer)?)
}

/// For `#[serde(default, deserialize_with = "duration::optional")]`: absent is `None`.
pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    checked(&String::deserialize(deserializer)?).map(Some)
}

/// For `#[serde(deserialize_with = "duration::list")]`.
pub fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Duration>, D::Error> {
    Vec::<String>::deserialize(deserializer)?
        .iter()
        .map(|text| checked(text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<Duration> {
        checked::<serde::de::value::Error>(text).ok()
    }

    #[test]
    fn reads_each_unit_and_their_sums() {
        assert_eq!(parse("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse(" 1h "), Some(Duration::from_secs(3600)));
        assert_eq!(parse("3d"), Some(Duration::from_secs(259_200)));
        assert_eq!(parse("1h 30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse("0s"), Some(Duration::ZERO));
    }

    #[test]
    fn refuses_anything_else() {
        for bad in ["1", "h", "1x", "-1h", "soon", ""] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn lists_read_from_toml() {
        #[derive(Deserialize)]
        struct Schedule {
            #[serde(deserialize_with = "list")]
            retry_after: Vec<Duration>,
        }
        let schedule: Schedule = toml::from_str("retry_after = [\"1s\", \"2m\"]").expect("list");
        assert_eq!(
            schedule.retry_after,
            [Duration::from_secs(1), Duration::from_secs(120)]
        );
        assert!(toml::from_str::<Schedule>("retry_after = [\"soon\"]").is_err());
    }
}
