//! Which pages a rule covers. A rule tests the page's path (`location.pathname`, e.g. `/checkout/pay`) in one of
//! five ways: `exact`, `prefix`, `contains`, `glob` (`*` stands for any run of characters, `/` included) or
//! `regex`. A plain string is a glob, so `"/cart"` covers exactly that page and `"/checkout/*"` every page under
//! it. Regular expressions are run by the browser's `RegExp` through a callback, so the wasm carries no regex
//! engine of its own.

use crate::prelude::*;

use super::fields::{fault, wrong, Parsed};
use crate::value::Value;

/// Runs a regular expression: `(pattern, path)`, true when the pattern matches the path. The browser layer
/// passes JavaScript's `RegExp`; a pattern that does not compile should match nothing.
pub type RegexMatcher = dyn Fn(&str, &str) -> bool;

/// One rule about the page's path.
#[derive(Clone, Debug, PartialEq)]
pub enum UrlRule {
    /// The path is exactly this.
    Exact(String),
    /// The path starts with this.
    Prefix(String),
    /// The path contains this.
    Contains(String),
    /// The path matches this pattern, where `*` is any run of characters.
    Glob(String),
    /// The path matches this regular expression (JavaScript syntax).
    Regex(String),
}

/// The kinds of rule, in the order of [`UrlRule`]'s variants.
const KINDS: [&str; 5] = ["exact", "prefix", "contains", "glob", "regex"];

impl UrlRule {
    /// The rule `value` is: a string (a glob) or an object with one key naming the kind; `None` when it is not
    /// one. It says nothing about why, which keeps it small for the eager core ([`super::targeting::may_show_at`]).
    pub fn read(value: &Value) -> Option<UrlRule> {
        let (kind, pattern) = match value {
            Value::Str(pattern) => (3, pattern),
            Value::Map(entries) => match entries.as_slice() {
                [(key, Value::Str(pattern))] => (KINDS.iter().position(|k| k == key)?, pattern),
                _ => return None,
            },
            _ => return None,
        };
        if pattern.is_empty() {
            return None;
        }
        let pattern = pattern.clone();
        Some(match kind {
            0 => UrlRule::Exact(pattern),
            1 => UrlRule::Prefix(pattern),
            2 => UrlRule::Contains(pattern),
            3 => UrlRule::Glob(pattern),
            _ => UrlRule::Regex(pattern),
        })
    }

    /// Reads the rule at `path`, saying what is wrong when it is not one.
    pub(crate) fn parse(value: &Value, path: &str) -> Parsed<UrlRule> {
        const REASON: &str =
            "must be a path pattern, or an object with one of exact, prefix, contains, glob, regex";
        UrlRule::read(value).ok_or_else(|| match value {
            Value::Str(_) => fault(path.into(), "must not be an empty pattern"),
            Value::Map(entries) if matches!(entries.as_slice(), [(_, Value::Str(p))] if p.is_empty()) => {
                fault(path.into(), "must not be an empty pattern")
            }
            Value::Map(_) => fault(path.into(), REASON),
            other => wrong(path.into(), REASON, other),
        })
    }

    /// The pattern as the survey wrote it, without its kind.
    pub fn pattern(&self) -> &str {
        match self {
            UrlRule::Exact(p)
            | UrlRule::Prefix(p)
            | UrlRule::Contains(p)
            | UrlRule::Glob(p)
            | UrlRule::Regex(p) => p,
        }
    }

    /// Whether the page at `path` is covered; `regex` runs regular expressions.
    pub fn matches(&self, path: &str, regex: &RegexMatcher) -> bool {
        match self {
            UrlRule::Exact(p) => path == p,
            UrlRule::Prefix(p) => path.starts_with(p.as_str()),
            UrlRule::Contains(p) => after(path, p).is_some(),
            UrlRule::Glob(p) => glob(p, path),
            UrlRule::Regex(p) => regex(p, path),
        }
    }
}

/// Whether `text` matches `pattern`, where each `*` stands for any run of characters. The pieces between stars
/// are found left to right, each as early as possible, which is enough when `*` is the only wildcard.
fn glob(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(mut rest) = text.strip_prefix(pieces.next().unwrap_or_default()) else {
        return false;
    };
    let Some(mut last) = pieces.next() else {
        return rest.is_empty();
    };
    for piece in pieces {
        // `last` was not the final piece: it must occur somewhere in what is left.
        match after(rest, last) {
            Some(tail) => rest = tail,
            None => return false,
        }
        last = piece;
    }
    rest.ends_with(last)
}

/// What follows the first occurrence of `needle` in `text`, if it occurs. Written over bytes rather than with
/// `str::split_once`, whose searcher brings kilobytes of panic formatting into the wasm; a match of a whole UTF-8
/// needle always starts and ends on character boundaries, so `get` never fails where a match was found.
fn after<'a>(text: &'a str, needle: &str) -> Option<&'a str> {
    let (hay, needle) = (text.as_bytes(), needle.as_bytes());
    let last_start = hay.len().checked_sub(needle.len())?;
    let start = (0..=last_start).find(|&i| hay.get(i..i + needle.len()) == Some(needle))?;
    text.get(start + needle.len()..)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn rule(text: &str) -> UrlRule {
        UrlRule::parse(&json(text), "targeting.include[0]").unwrap()
    }

    fn real_regex(pattern: &str, path: &str) -> bool {
        regex::Regex::new(pattern).is_ok_and(|r| r.is_match(path))
    }

    fn no_regex(_: &str, _: &str) -> bool {
        panic!("only regex rules run the matcher")
    }

    #[test]
    fn globs_star_any_run_of_characters() {
        for (pattern, path, expected) in [
            ("/cart", "/cart", true),
            ("/cart", "/cart/", false),
            ("/checkout/*", "/checkout/pay", true),
            ("/checkout/*", "/checkout/", true),
            ("/checkout/*", "/checkout/pay/card", true),
            ("/checkout/*", "/checkout", false),
            ("*/edit", "/posts/7/edit", true),
            ("*/edit", "/posts/7/edit/x", false),
            ("/a*b*c", "/aXbYc", true),
            ("/a*b*c", "/acb", false),
            ("/a*a", "/a", false),
            ("/ab*b", "/ab", false),
            ("*", "", true),
            ("**", "/x", true),
            ("/x*", "/y", false),
            ("/é*ü", "/é-ü", true),
        ] {
            assert_eq!(glob(pattern, path), expected, "{pattern} on {path}");
        }
    }

    #[test]
    fn after_finds_the_first_occurrence() {
        assert_eq!(after("/a/b/a/c", "/a"), Some("/b/a/c"));
        assert_eq!(after("/a/b", "b"), Some(""));
        assert_eq!(after("/a/b", ""), Some("/a/b"));
        assert_eq!(after("/a", "/a/b"), None);
        assert_eq!(after("/café/x", "é/"), Some("x"));
        assert_eq!(after("", "x"), None);
    }

    #[test]
    fn a_plain_string_is_a_glob() {
        assert_eq!(
            rule(r#""/checkout/*""#),
            UrlRule::Glob("/checkout/*".into())
        );
        assert!(rule(r#""/checkout/*""#).matches("/checkout/pay", &no_regex));
    }

    #[test]
    fn each_kind_matches_its_way() {
        let page = "/shop/checkout/pay";
        assert!(rule(r#"{"exact":"/shop/checkout/pay"}"#).matches(page, &no_regex));
        assert!(!rule(r#"{"exact":"/shop/checkout"}"#).matches(page, &no_regex));
        assert!(rule(r#"{"prefix":"/shop/"}"#).matches(page, &no_regex));
        assert!(!rule(r#"{"prefix":"/checkout"}"#).matches(page, &no_regex));
        assert!(rule(r#"{"contains":"checkout"}"#).matches(page, &no_regex));
        assert!(!rule(r#"{"contains":"cart"}"#).matches(page, &no_regex));
        assert!(rule(r#"{"glob":"/shop/*/pay"}"#).matches(page, &no_regex));
    }

    #[test]
    fn the_pattern_is_kept_as_written() {
        assert_eq!(rule(r#""/api/pay*""#).pattern(), "/api/pay*");
        assert_eq!(
            rule(r#"{"regex":"^/api/(pay|cart)"}"#).pattern(),
            "^/api/(pay|cart)"
        );
    }

    #[test]
    fn regexes_go_to_the_callback() {
        let r = rule(r#"{"regex":"^/shop/(cart|checkout)/"}"#);
        assert!(r.matches("/shop/checkout/pay", &real_regex));
        assert!(!r.matches("/shop/account/", &real_regex));
        assert!(
            !rule(r#"{"regex":"(unclosed"}"#).matches("/(unclosed", &real_regex),
            "a bad pattern matches nothing"
        );
    }

    #[test]
    fn malformed_rules_are_refused() {
        let reason =
            "must be a path pattern, or an object with one of exact, prefix, contains, glob, regex";
        for bad in [
            r#"{"starts":"/a"}"#,
            r#"{"exact":"/a","prefix":"/b"}"#,
            r#"{"exact":3}"#,
            "{}",
        ] {
            let err = UrlRule::parse(&json(bad), "targeting.include[2]").unwrap_err();
            assert_eq!(
                (err.field.as_str(), err.reason),
                ("targeting.include[2]", reason),
                "{bad}"
            );
        }
        assert_eq!(
            UrlRule::parse(&json("7"), "p").unwrap_err().got,
            Some("a number")
        );
        assert_eq!(
            UrlRule::parse(&json(r#""""#), "p").unwrap_err().reason,
            "must not be an empty pattern"
        );
        assert!(UrlRule::parse(&json(r#"{"regex":""}"#), "p").is_err());
    }
}
