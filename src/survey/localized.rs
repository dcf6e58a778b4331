//! Texts written per language. A question, option or label is either one string, in the survey's default
//! language, or an object of texts by locale (`{ "en": "Why?", "de": "Warum?" }`) that must include the default
//! language. A survey speaks the visitor's language when its texts have it and its default language otherwise, so
//! a missing translation never makes a survey disappear.

use crate::prelude::*;

use super::fields::{fault, join, wrong, Fields, Parsed};
use crate::value::Value;

/// One text in one or more languages; the first entry is in the survey's default language.
#[derive(Clone, Debug, PartialEq)]
pub struct Localized(Vec<(String, String)>);

impl Localized {
    /// Reads the text at `path`; a plain string is taken to be in `default`, the survey's default locale.
    pub(crate) fn parse(value: &Value, path: &str, default: &str) -> Parsed<Localized> {
        const REASON: &str = "must be a non-empty string or an object of texts by locale";
        match value {
            Value::Str(s) if !s.trim().is_empty() => {
                Ok(Localized(vec![(default.into(), s.trim().into())]))
            }
            Value::Map(entries) if !entries.is_empty() => {
                let mut texts = Vec::with_capacity(entries.len());
                for (locale, text) in entries {
                    let text = match text {
                        Value::Str(s) if !s.trim().is_empty() => (locale.clone(), s.trim().into()),
                        other => {
                            return Err(wrong(
                                join(path, locale),
                                "must be a non-empty string",
                                other,
                            ))
                        }
                    };
                    // The default language goes first: it is the fallback for every other.
                    if same(locale, default) {
                        texts.insert(0, text);
                    } else {
                        texts.push(text);
                    }
                }
                match texts.first() {
                    Some((first, _)) if same(first, default) => Ok(Localized(texts)),
                    _ => Err(fault(
                        path.into(),
                        "must have a text for the survey's defaultLocale",
                    )),
                }
            }
            other => Err(wrong(path.into(), REASON, other)),
        }
    }

    /// One text in one language, made by the widget itself (recovery's steps, in the language it speaks).
    pub fn one(locale: &str, text: &str) -> Localized {
        Localized(vec![(locale.into(), text.into())])
    }

    /// Reads the text at `key` of `f`, if there is one.
    pub(crate) fn field(f: &Fields, key: &str, default: &str) -> Parsed<Option<Localized>> {
        f.get(key)
            .map(|value| Localized::parse(value, &f.path(key), default))
            .transpose()
    }

    /// The text in `locale`, or in the default language when there is none in `locale`.
    pub fn get(&self, locale: &str) -> &str {
        self.0
            .iter()
            .find(|(l, _)| same(l, locale))
            .or(self.0.first())
            .map_or("", |(_, text)| text)
    }

    /// The locales this text is written in, the default first.
    pub fn locales(&self) -> impl Iterator<Item = &str> + Clone {
        self.0.iter().map(|(locale, _)| locale.as_str())
    }
}

/// Locale tags compare without regard to case: `en-GB` and `en-gb` are the same language.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The language of a tag without its region: `de` for `de-AT`.
pub(crate) fn language(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// The first of `preferences` found in `available`, trying each tag whole and then its language alone (`de-AT`
/// then `de`); `None` when none is available.
pub fn choose<'a>(
    available: impl Iterator<Item = &'a str> + Clone,
    preferences: &[&str],
) -> Option<&'a str> {
    preferences.iter().find_map(|tag| {
        [*tag, language(tag)]
            .into_iter()
            .find_map(|candidate| available.clone().find(|a| same(a, candidate)))
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn parse(text: &str) -> Parsed<Localized> {
        Localized::parse(&json(text), "questions[0].text", "en")
    }

    #[test]
    fn a_string_is_in_the_default_language() {
        let t = parse(r#"" How was it? ""#).unwrap();
        assert_eq!(t.get("en"), "How was it?");
        assert_eq!(
            t.get("de"),
            "How was it?",
            "other languages fall back to the default"
        );
        assert_eq!(t.locales().collect::<Vec<_>>(), ["en"]);
    }

    #[test]
    fn an_object_gives_texts_by_locale_with_the_default_first() {
        // Written with "de" first: the default still comes first.
        let t = parse(r#"{"de":"Wie war es?","en":"How was it?"}"#).unwrap();
        assert_eq!(t.get("de"), "Wie war es?");
        assert_eq!(t.get("DE"), "Wie war es?");
        assert_eq!(t.get("fr"), "How was it?");
        assert_eq!(t.locales().collect::<Vec<_>>(), ["en", "de"]);
        assert_eq!(
            Localized::parse(&json(r#"{"EN":"Hi"}"#), "t", "en")
                .unwrap()
                .get("en"),
            "Hi"
        );
    }

    #[test]
    fn the_default_language_is_required() {
        let err = parse(r#"{"de":"Wie war es?"}"#).unwrap_err();
        assert_eq!(err.field, "questions[0].text");
        assert_eq!(
            err.reason,
            "must have a text for the survey's defaultLocale"
        );
    }

    #[test]
    fn empty_or_wrong_texts_are_refused() {
        assert_eq!(
            parse(r#"{"en":"ok","de":""}"#).unwrap_err().field,
            "questions[0].text.de"
        );
        assert_eq!(parse(r#"{"en":5}"#).unwrap_err().got, Some("a number"));
        assert_eq!(parse(r#""  ""#).unwrap_err().got, Some("a string"));
        assert_eq!(parse("{}").unwrap_err().got, Some("an object"));
        assert_eq!(parse("[]").unwrap_err().got, Some("a list"));
    }

    #[test]
    fn the_first_preference_available_wins_whole_or_by_language() {
        let available = ["en", "de", "fr-CA"];
        let pick = |prefs: &[&str]| choose(available.iter().copied(), prefs);
        assert_eq!(pick(&["de-AT", "en"]), Some("de"));
        assert_eq!(pick(&["fr-CA"]), Some("fr-CA"));
        assert_eq!(
            pick(&["fr-FR", "en"]),
            Some("en"),
            "fr-CA is not a fallback for fr"
        );
        assert_eq!(pick(&["EN_us"]), Some("en"));
        assert_eq!(pick(&["it"]), None);
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn languages_drop_the_region() {
        assert_eq!(language("de-AT"), "de");
        assert_eq!(language("pt_BR"), "pt");
        assert_eq!(language("en"), "en");
    }
}
