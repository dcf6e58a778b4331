//! The `js_error` trigger: an uncaught error or unhandled rejection on the page whose `message` and `script` match
//! the trigger's. Each is optional: a text is found anywhere in the message (or in the script's URL, without its
//! query string), ignoring ASCII case, and `{ "regex": "…" }` is a regular expression the browser runs. Left out,
//! any error counts. The trigger fires at most once per page view, however many errors follow.
//!
//! Errors from scripts of another origin that the page loads without CORS reach the page as `Script error.` with
//! no script: only a trigger without `script`, whose `message` (if any) matches that, sees them.

use crate::prelude::*;

use super::settle::{Detect, KEYS};
use super::Event;
use crate::diagnostics::without_query;
use crate::failure::Failure;
use crate::survey::fields::{wrong, Fields, Parsed};
use crate::survey::url_rule::RegexMatcher;
use crate::value::Value;

/// What a message or script must hold.
#[derive(Clone, Debug, PartialEq)]
enum Pattern {
    /// This text, anywhere, ignoring ASCII case.
    Contains(String),
    /// This regular expression (JavaScript syntax).
    Regex(String),
}

/// The JS-error trigger's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct JsError {
    message: Option<Pattern>,
    script: Option<Pattern>,
}

impl JsError {
    /// Reads `message` and `script`.
    pub(crate) fn parse(f: &Fields) -> Parsed<JsError> {
        f.known(&[&KEYS, &["message", "script"]])?;
        Ok(JsError {
            message: pattern(f, "message")?,
            script: pattern(f, "script")?,
        })
    }
}

/// What a wrong `message` or `script` must be.
const REASON: &str = "must be a text to look for, or an object with a regex";

/// The pattern at `key`: a text to look for, or an object with a `regex`.
fn pattern(f: &Fields, key: &str) -> Parsed<Option<Pattern>> {
    let Some(value) = f.get(key) else {
        return Ok(None);
    };
    match value {
        Value::Str(text) if !text.trim().is_empty() => {
            Ok(Some(Pattern::Contains(text.trim().into())))
        }
        Value::Map(entries) => match entries.as_slice() {
            [(kind, Value::Str(regex))] if kind == "regex" && !regex.is_empty() => {
                Ok(Some(Pattern::Regex(regex.clone())))
            }
            _ => Err(wrong(f.path(key), REASON, value)),
        },
        _ => Err(wrong(f.path(key), REASON, value)),
    }
}

impl Pattern {
    /// Whether `text` holds this pattern; `regex` runs regular expressions.
    fn matches(&self, text: &str, regex: &RegexMatcher) -> bool {
        match self {
            Pattern::Contains(needle) => contains_folded(text, needle),
            Pattern::Regex(pattern) => regex(pattern, text),
        }
    }
}

/// Whether `text` holds `pattern`, or there is no pattern.
fn holds(pattern: &Option<Pattern>, text: &str, regex: &RegexMatcher) -> bool {
    pattern.as_ref().is_none_or(|p| p.matches(text, regex))
}

/// Whether `needle` occurs in `text`, ignoring ASCII case: a loop over bytes, with no Unicode case tables.
fn contains_folded(text: &str, needle: &str) -> bool {
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    let Some(last) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    (0..=last).any(|i| {
        hay.get(i..i + needle.len())
            .is_some_and(|part| part.eq_ignore_ascii_case(needle))
    })
}

impl Detect for JsError {
    fn detect(&mut self, event: &Event, _now: f64) -> Option<Failure> {
        let Event::ScriptError {
            message,
            script,
            regex,
        } = event
        else {
            return None;
        };
        let source = without_query(script);
        (holds(&self.message, message, *regex) && holds(&self.script, source, *regex))
            .then(|| Failure::script_error(message, script))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    const T0: f64 = 1.8e12;
    const APP: &str = "https://shop.example/static/app.js?v=7";

    fn regex(pattern: &str, text: &str) -> bool {
        regex::Regex::new(pattern).is_ok_and(|r| r.is_match(text))
    }

    fn watching(settings: &str) -> Trigger {
        let mut t =
            trigger(&[r#"{"type":"js_error","showAfter":0"#, settings, "}"].concat()).unwrap();
        t.start(T0, false);
        t.page(true, T0);
        t
    }

    fn error(t: &mut Trigger, message: &str, script: &str) -> bool {
        let event = Event::ScriptError {
            message,
            script,
            regex: &regex,
        };
        t.on(&event, T0 + 1.0)
    }

    /// Whether a fresh trigger with `settings` fires on `message` from `script`.
    fn fires(settings: &str, message: &str, script: &str) -> bool {
        error(&mut watching(settings), message, script)
    }

    #[test]
    fn any_error_without_settings() {
        assert!(fires("", "Uncaught TypeError: x is undefined", APP));
        assert!(fires("", "Script error.", ""));
    }

    #[test]
    fn texts_are_found_anywhere_ignoring_ascii_case() {
        let pay = r#","message":"payment""#;
        assert!(fires(pay, "Uncaught Error: Payment widget failed", APP));
        assert!(!fires(pay, "Uncaught Error: pay failed", APP));
        let app = r#","script":"/STATIC/app.js""#;
        assert!(fires(app, "x", APP));
        assert!(
            !fires(r#","script":"v=7""#, "x", APP),
            "the query string is not part of the script"
        );
        assert!(!fires(app, "x", "https://cdn.example/lib.js"));
        assert!(fires(r#","message":"é""#, "Erreur é", ""));
    }

    #[test]
    fn both_must_match_when_both_are_given() {
        let both = r#","message":"undefined","script":"app.js""#;
        assert!(fires(both, "x is undefined", APP));
        assert!(!fires(both, "x is undefined", "https://cdn.example/lib.js"));
        assert!(!fires(both, "Network down", APP));
    }

    #[test]
    fn regexes_go_to_the_browser() {
        let r = r#","message":{"regex":"^(TypeError|RangeError):"}"#;
        assert!(fires(r, "TypeError: cannot read properties of null", ""));
        assert!(!fires(r, "Uncaught TypeError: x", ""));
    }

    #[test]
    fn fires_once_per_page_view_with_the_first_error() {
        let mut t = watching("");
        assert!(error(&mut t, "first", APP));
        assert!(!error(&mut t, "second", APP));
        assert_eq!(
            t.failure(),
            Some(&Failure::ScriptError {
                message: "first".into(),
                script: "https://shop.example/static/app.js".into()
            })
        );
        t.page(true, T0 + 10.0);
        assert!(error(&mut t, "third", APP));
    }

    #[test]
    fn patterns_are_checked() {
        for bad in [
            r#""message":"""#,
            r#""message":3"#,
            r#""message":{"contains":"x"}"#,
            r#""message":{"regex":""}"#,
        ] {
            let e = trigger(&[r#"{"type":"js_error","#, bad, "}"].concat()).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.reason),
                ("trigger.message", REASON),
                "{bad}"
            );
        }
        assert_eq!(
            trigger(r#"{"type":"js_error","source":"x"}"#)
                .unwrap_err()
                .field,
            "trigger.source"
        );
    }

    #[test]
    fn folding_is_ascii_only_and_never_out_of_bounds() {
        assert!(contains_folded("ABC", "b"));
        assert!(contains_folded("abc", "ABC"));
        assert!(!contains_folded("ab", "abc"));
        assert!(!contains_folded("É", "é"), "no Unicode tables");
        assert!(contains_folded("x", ""));
    }
}
