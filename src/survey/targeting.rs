//! Whether a survey is meant for this visitor on this page: URL rules (`include`, `exclude`), the device, whether
//! the visitor is new or returning, and their locale. It is a pure function of a [`Visit`], so an SPA route change
//! simply asks again with the new path.

use crate::prelude::*;

use super::fields::{fault, item, Fields, Parsed};
use super::localized::{language, same};
use super::url_rule::{RegexMatcher, UrlRule};
use crate::value::Value;

/// The kind of device, as the browser layer classifies it (a coarse pointer without hover is mobile).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Device {
    /// Mouse and keyboard.
    Desktop,
    /// Touch screen.
    Mobile,
}

/// What targeting looks at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Visit<'a> {
    /// The page's path, `location.pathname`.
    pub path: &'a str,
    /// The visitor's device.
    pub device: Device,
    /// Whether the visitor came before, in an earlier visit.
    pub returning: bool,
    /// The visitor's locale (BCP 47), the one the widget speaks.
    pub locale: &'a str,
}

/// Who and where a survey is for; every part left out means "anyone" or "anywhere".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Targeting {
    /// Pages the survey is for; empty means every page.
    pub include: Vec<UrlRule>,
    /// Pages it is never for, even when included.
    pub exclude: Vec<UrlRule>,
    /// Only on this kind of device.
    pub device: Option<Device>,
    /// Only for returning visitors (`true`) or only for new ones (`false`).
    pub returning: Option<bool>,
    /// Only for visitors speaking one of these locales; `de` covers `de-AT` too.
    pub locales: Vec<String>,
}

impl Targeting {
    /// Reads the `targeting` object at `path`; absent means everyone everywhere.
    pub(crate) fn parse(value: Option<&Value>, path: &str) -> Parsed<Targeting> {
        let Some(value) = value else {
            return Ok(Targeting::default());
        };
        let f = Fields::new(value, path)?;
        f.known(&[&["include", "exclude", "device", "visitor", "locales"]])?;
        // A plain loop rather than `collect` into a `Result`, whose adapter costs more wasm than the loop.
        let rules = |key: &str| -> Parsed<Vec<UrlRule>> {
            let path = f.path(key);
            let mut rules = Vec::new();
            for (i, rule) in f.list(key)?.iter().enumerate() {
                rules.push(UrlRule::parse(rule, &item(&path, i))?);
            }
            Ok(rules)
        };
        let mut locales = Vec::new();
        for locale in f.list("locales")? {
            match locale {
                Value::Str(tag) if !tag.trim().is_empty() => locales.push(tag.trim().into()),
                _ => {
                    return Err(fault(
                        f.path("locales"),
                        "must be a list of locale tags such as \"de\" or \"en-GB\"",
                    ))
                }
            }
        }
        let device = f.pick(
            "device",
            &["desktop", "mobile"],
            "must be desktop or mobile",
        )?;
        Ok(Targeting {
            include: rules("include")?,
            exclude: rules("exclude")?,
            device: device.map(|i| {
                if i == 0 {
                    Device::Desktop
                } else {
                    Device::Mobile
                }
            }),
            returning: f
                .pick("visitor", &["new", "returning"], "must be new or returning")?
                .map(|i| i == 1),
            locales,
        })
    }

    /// Whether the survey is meant for `visit`; `regex` runs the regular expressions of URL rules.
    pub fn matches(&self, visit: &Visit, regex: &RegexMatcher) -> bool {
        let covered = |rules: &[UrlRule]| rules.iter().any(|rule| rule.matches(visit.path, regex));
        (self.include.is_empty() || covered(&self.include))
            && !covered(&self.exclude)
            && self.device.is_none_or(|device| device == visit.device)
            && self
                .returning
                .is_none_or(|returning| returning == visit.returning)
            && (self.locales.is_empty()
                || self
                    .locales
                    .iter()
                    .any(|wanted| speaks(visit.locale, wanted)))
    }
}

/// Whether the survey definition `survey` (as written, not yet read in full) could show on the page at `path`
/// before the page or the visitor asks for it: its trigger is not `api`, and its URL rules cover the path. It
/// is what the eager core asks before it fetches the surveys, so it reads nothing else; what it cannot read
/// counts as covered, and the full reader then says what is wrong with it.
pub fn may_show_at(survey: &Value, path: &str, regex: &RegexMatcher) -> bool {
    let trigger = survey.get("trigger").and_then(|t| t.get("type"));
    if trigger.and_then(Value::as_str) == Some("api") {
        return false;
    }
    let targeting = survey.get("targeting");
    let covered = |key: &str| -> Option<bool> {
        match targeting.and_then(|t| t.get(key)) {
            None => Some(false),
            Some(Value::List(rules)) => {
                let mut any = false;
                for rule in rules {
                    any |= UrlRule::read(rule)?.matches(path, regex);
                }
                Some(any)
            }
            Some(_) => None,
        }
    };
    let included =
        targeting.and_then(|t| t.get("include")).is_none() || covered("include") != Some(false);
    included && covered("exclude") != Some(true)
}

/// Whether a visitor with locale `tag` is one `wanted` covers: the same tag, or `wanted` is its language.
fn speaks(tag: &str, wanted: &str) -> bool {
    same(tag, wanted) || same(language(tag), wanted)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    const VISIT: Visit = Visit {
        path: "/checkout/pay",
        device: Device::Desktop,
        returning: false,
        locale: "de-AT",
    };

    #[test]
    fn the_core_fetches_surveys_only_where_one_may_show() {
        let may = |survey: &str, path: &str| may_show_at(&json(survey), path, &regex);
        assert!(may(r#"{"trigger": {"type": "exit_intent"}}"#, "/"));
        assert!(
            !may(r#"{"trigger": {"type": "api"}}"#, "/"),
            "api surveys wait for Rebound.show"
        );
        // A failure trigger watches the page from the start: the full widget must be there to see the failure.
        for kind in ["request_failed", "rage_click", "js_error", "form_error"] {
            let text = [r#"{"trigger": {"type": ""#, kind, r#""}}"#].concat();
            assert!(may(&text, "/"), "{kind}");
        }
        let checkout = r#"{"trigger": {"type": "dwell"}, "targeting": {"include": ["/checkout*"], "exclude": [{"prefix": "/checkout/done"}]}}"#;
        assert!(may(checkout, "/checkout/pay"));
        assert!(!may(checkout, "/"));
        assert!(!may(checkout, "/checkout/done"));
        assert!(may(
            r#"{"targeting": {"include": [{"regex": "^/help"}]}}"#,
            "/help/faq"
        ));
        assert!(!may(
            r#"{"targeting": {"include": [{"regex": "^/help"}]}}"#,
            "/shop"
        ));
        // What the core cannot read, the full reader reports: it counts as covered.
        assert!(may(r#"{"targeting": {"include": [42]}}"#, "/"));
        assert!(may(r#"{"targeting": {"include": "/checkout*"}}"#, "/"));
        assert!(may(
            r#"{"targeting": {"exclude": [{"prefix": "/"}, 7]}}"#,
            "/"
        ));
    }

    fn targeting(text: &str) -> Targeting {
        Targeting::parse(Some(&json(text)), "targeting").unwrap()
    }

    fn regex(pattern: &str, path: &str) -> bool {
        regex::Regex::new(pattern).is_ok_and(|r| r.is_match(path))
    }

    fn matches(text: &str, visit: Visit) -> bool {
        targeting(text).matches(&visit, &regex)
    }

    #[test]
    fn nothing_set_means_everyone_everywhere() {
        assert_eq!(
            Targeting::parse(None, "targeting"),
            Ok(Targeting::default())
        );
        assert!(Targeting::default().matches(&VISIT, &regex));
        assert!(matches(
            "{}",
            Visit {
                path: "/",
                device: Device::Mobile,
                returning: true,
                locale: "ja"
            }
        ));
    }

    #[test]
    fn include_narrows_and_exclude_wins() {
        let t = r#"{"include":["/checkout/*",{"prefix":"/cart"}],"exclude":[{"regex":"^/checkout/done"}]}"#;
        assert!(matches(t, VISIT));
        assert!(matches(
            t,
            Visit {
                path: "/cart/edit",
                ..VISIT
            }
        ));
        assert!(
            !matches(
                t,
                Visit {
                    path: "/checkout/done",
                    ..VISIT
                }
            ),
            "excluded although included"
        );
        assert!(!matches(
            t,
            Visit {
                path: "/account",
                ..VISIT
            }
        ));
        assert!(!matches(r#"{"exclude":["/checkout/*"]}"#, VISIT));
        assert!(matches(
            r#"{"exclude":["/checkout/*"]}"#,
            Visit { path: "/", ..VISIT }
        ));
    }

    #[test]
    fn overlapping_rules_are_fine() {
        let t = r#"{"include":["/checkout/*",{"contains":"pay"},{"exact":"/checkout/pay"}]}"#;
        assert!(matches(t, VISIT));
        assert_eq!(targeting(t).include.len(), 3);
    }

    #[test]
    fn device_and_visitor_kind() {
        assert!(matches(r#"{"device":"desktop"}"#, VISIT));
        assert!(!matches(r#"{"device":"mobile"}"#, VISIT));
        assert!(matches(
            r#"{"device":"mobile"}"#,
            Visit {
                device: Device::Mobile,
                ..VISIT
            }
        ));
        assert!(matches(r#"{"visitor":"new"}"#, VISIT));
        assert!(!matches(r#"{"visitor":"returning"}"#, VISIT));
        assert!(matches(
            r#"{"visitor":"returning"}"#,
            Visit {
                returning: true,
                ..VISIT
            }
        ));
    }

    #[test]
    fn a_language_covers_its_regions_but_not_the_reverse() {
        assert!(matches(r#"{"locales":["fr","de"]}"#, VISIT));
        assert!(matches(r#"{"locales":["DE-at"]}"#, VISIT));
        assert!(!matches(r#"{"locales":["de-CH"]}"#, VISIT));
        assert!(!matches(
            r#"{"locales":["de-AT"]}"#,
            Visit {
                locale: "de",
                ..VISIT
            }
        ));
        assert!(!matches(r#"{"locales":["en"]}"#, VISIT));
    }

    #[test]
    fn mistakes_name_their_field() {
        let err = |text: &str| Targeting::parse(Some(&json(text)), "targeting").unwrap_err();
        assert_eq!(
            err(r#"{"include":["/a",{"exact":""}]}"#).field,
            "targeting.include[1]"
        );
        assert_eq!(err(r#"{"exclude":"/a"}"#).got, Some("a string"));
        assert_eq!(
            err(r#"{"device":"tablet"}"#).reason,
            "must be desktop or mobile"
        );
        assert_eq!(
            err(r#"{"visitor":"old"}"#).reason,
            "must be new or returning"
        );
        assert_eq!(err(r#"{"locales":["de",""]}"#).field, "targeting.locales");
        assert_eq!(err(r#"{"pages":[]}"#).reason, "is not a known field");
        assert_eq!(err("[]").reason, "must be an object");
    }
}
