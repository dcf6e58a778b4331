//! The `request_failed` trigger: a request of the page whose URL the trigger's `url` rule covers ended with a
//! status in `status`, or took longer than `slowerThan` seconds.
//!
//! `url` is a URL rule like those of targeting (a glob string, or an object with one of `exact`, `prefix`,
//! `contains`, `glob`, `regex`), tested against the request's URL without query string and fragment, and without
//! the page's origin when the request goes to it: `/api/payment*` covers `https://shop.example/api/payment` on
//! `shop.example`, and a rule for another origin names it (`https://pay.example/*`). `status` is a list of
//! statuses (`409`) and classes (`"4xx"`, `"5xx"`); it defaults to `[0, "5xx"]`, network errors and server
//! errors, and a list given replaces it whole.
//!
//! The browser layer reports every `fetch` and `XMLHttpRequest` of the page as it ends ([`Request`]), from
//! resource timing as the diagnostics do, without patching the page's `fetch`. What resource timing says about
//! the status decides what the trigger can see:
//! - where the browser's entries have `responseStatus`, its value is the status, and a 0 there is `Some(0)`: no
//!   response came (a network error, a CORS refusal, an aborted request), which counts by default. A page that
//!   aborts its own requests on purpose (search as you type) should leave 0 out of `status`;
//! - where they lack it, the status is unknown (`None`), and an unknown status never counts: on those browsers
//!   only `slowerThan` can fire the trigger, and failed requests go unseen. So does a request that got no
//!   response on a browser that writes no resource-timing entry for it at all.

use crate::prelude::*;

use super::settle::{Detect, KEYS};
use super::Event;
use crate::diagnostics::without_query;
use crate::failure::Failure;
use crate::survey::fields::{fault, item, wrong, Fields, Parsed};
use crate::survey::url_rule::{RegexMatcher, UrlRule};
use crate::value::Value;

/// A request of the page that ended, as the browser layer reports it.
pub struct Request<'a> {
    /// Its URL, absolute, as resource timing's `name` gives it. The widget's own requests (its endpoint, its
    /// config file) are the browser layer's to leave out.
    pub url: &'a str,
    /// The page's origin (`location.origin`), to test same-origin requests by their path.
    pub origin: &'a str,
    /// Its HTTP status, `Some(0)` when no response came, `None` when the browser does not say.
    pub status: Option<u16>,
    /// How long it took, in milliseconds.
    pub duration_ms: f64,
    /// Runs the regular expressions of `regex` rules, as for targeting.
    pub regex: &'a RegexMatcher,
}

/// The request-failed trigger's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestFailed {
    url: UrlRule,
    /// Status ranges that count, each from its first to its last status.
    status: Vec<(u16, u16)>,
    /// A request taking longer counts whatever its status, in milliseconds.
    slower_than: Option<f64>,
}

impl RequestFailed {
    /// Reads `url`, `status` and `slowerThan`.
    pub(crate) fn parse(f: &Fields) -> Parsed<RequestFailed> {
        f.known(&[&KEYS, &["url", "status", "slowerThan"]])?;
        let url = f.get("url").ok_or_else(|| f.missing("url"))?;
        let slower_than = super::millis(
            f,
            "slowerThan",
            600.0,
            "must be a number of seconds from 0 to 600",
        )?;
        let status = match f.get("status") {
            // Network errors and server errors.
            None => vec![(0, 0), (500, 599)],
            Some(_) => {
                let mut status = Vec::new();
                for (i, value) in f.list("status")?.iter().enumerate() {
                    status.push(range(value).ok_or_else(|| {
                        wrong(
                            item(&f.path("status"), i),
                            "must be a status from 0 to 999 or one of \"1xx\" to \"5xx\"",
                            value,
                        )
                    })?);
                }
                if status.is_empty() && slower_than.is_none() {
                    return Err(fault(
                        f.path("status"),
                        "must list at least one status, unless slowerThan is given",
                    ));
                }
                status
            }
        };
        Ok(RequestFailed {
            url: UrlRule::parse(url, &f.path("url"))?,
            status,
            slower_than,
        })
    }
}

/// The statuses one entry of `status` stands for: a whole number, or a class such as `"4xx"`.
fn range(value: &Value) -> Option<(u16, u16)> {
    match value {
        Value::Num(n) if n.fract() == 0.0 && (0.0..=999.0).contains(n) => {
            Some((*n as u16, *n as u16))
        }
        Value::Str(class) => match class.as_bytes() {
            [digit @ b'1'..=b'5', b'x' | b'X', b'x' | b'X'] => {
                let from = u16::from(digit - b'0') * 100;
                Some((from, from + 99))
            }
            _ => None,
        },
        _ => None,
    }
}

impl Detect for RequestFailed {
    fn detect(&mut self, event: &Event, _now: f64) -> Option<Failure> {
        let Event::Request(request) = event else {
            return None;
        };
        let failed = request.status.is_some_and(|s| {
            self.status
                .iter()
                .any(|(from, to)| (*from..=*to).contains(&s))
        });
        let slow = self.slower_than.is_some_and(|t| request.duration_ms > t);
        let url = without_query(request.url);
        let path = url
            .strip_prefix(request.origin)
            .filter(|path| path.starts_with('/') && !request.origin.is_empty())
            .unwrap_or(url);
        ((failed || slow) && self.url.matches(path, request.regex))
            .then(|| Failure::request(self.url.pattern(), url, request.status, request.duration_ms))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::{Machine, Trigger};

    const T0: f64 = 1.8e12;
    const SHOP: &str = "https://shop.example";

    fn regex(pattern: &str, path: &str) -> bool {
        regex::Regex::new(pattern).is_ok_and(|r| r.is_match(path))
    }

    fn watching(settings: &str) -> Trigger {
        let mut t = trigger(&[r#"{"type":"request_failed","#, settings, "}"].concat()).unwrap();
        t.start(T0, false);
        t.page(true, T0);
        t
    }

    /// Whether a request to `url` with `status`, taking `duration` ms, is a failure the trigger counts.
    fn counts(settings: &str, url: &str, status: Option<u16>, duration_ms: f64) -> bool {
        let Trigger::RequestFailed(mut t) = watching(settings) else {
            panic!()
        };
        let request = Request {
            url,
            origin: SHOP,
            status,
            duration_ms,
            regex: &regex,
        };
        t.on(&Event::Request(request), T0 + 10.0);
        t.wake_at().is_some()
    }

    fn end(t: &mut Trigger, url: &str, status: Option<u16>, now: f64) -> bool {
        let request = Request {
            url,
            origin: SHOP,
            status,
            duration_ms: 300.0,
            regex: &regex,
        };
        t.on(&Event::Request(request), now)
    }

    #[test]
    fn server_and_network_errors_count_by_default() {
        let pay = r#""url":"/api/payment*""#;
        let url = "https://shop.example/api/payment/confirm?card=1";
        for status in [500, 502, 599, 0] {
            assert!(counts(pay, url, Some(status), 100.0), "{status}");
        }
        for status in [200, 204, 301, 404, 409, 600] {
            assert!(!counts(pay, url, Some(status), 100.0), "{status}");
        }
        assert!(
            !counts(pay, url, None, 100.0),
            "an unknown status is never a failure"
        );
    }

    #[test]
    fn a_status_list_replaces_the_default() {
        let url = "https://shop.example/api/cart";
        let only_409 = r#""url":"/api/*","status":[409]"#;
        assert!(counts(only_409, url, Some(409), 1.0));
        assert!(!counts(only_409, url, Some(500), 1.0));
        assert!(!counts(only_409, url, Some(0), 1.0));
        let mixed = r#""url":"/api/*","status":["5xx",409,"4XX"]"#;
        for status in [400, 404, 409, 499, 503] {
            assert!(counts(mixed, url, Some(status), 1.0), "{status}");
        }
        assert!(!counts(mixed, url, Some(0), 1.0));
    }

    #[test]
    fn a_slow_request_counts_whatever_its_status() {
        let slow = r#""url":"/api/search","slowerThan":2.5"#;
        let url = "https://shop.example/api/search?q=shoes";
        assert!(counts(slow, url, Some(200), 2501.0));
        assert!(
            counts(slow, url, None, 2501.0),
            "also where the status is unknown"
        );
        assert!(!counts(slow, url, Some(200), 2500.0));
        assert!(counts(slow, url, Some(503), 10.0), "failures still count");
        let only_slow = r#""url":"/api/search","status":[],"slowerThan":1"#;
        assert!(!counts(only_slow, url, Some(503), 10.0));
        assert!(counts(only_slow, url, Some(200), 1500.0));
    }

    #[test]
    fn the_rule_sees_same_origin_requests_by_their_path() {
        let pay = r#""url":"/api/payment""#;
        assert!(counts(
            pay,
            "https://shop.example/api/payment#x",
            Some(502),
            1.0
        ));
        assert!(
            !counts(pay, "https://other.example/api/payment", Some(502), 1.0),
            "another origin keeps its origin"
        );
        assert!(
            !counts(pay, "https://shop.example.evil/api/payment", Some(502), 1.0),
            "an origin is only a prefix up to the path"
        );
        let other = r#""url":"https://pay.example/v1/*""#;
        assert!(counts(other, "https://pay.example/v1/charge", Some(0), 1.0));
        let by_regex = r#""url":{"regex":"^/api/(pay|cart)"}"#;
        assert!(counts(
            by_regex,
            "https://shop.example/api/cart/1",
            Some(500),
            1.0
        ));
        assert!(!counts(
            by_regex,
            "https://shop.example/api/user",
            Some(500),
            1.0
        ));
    }

    #[test]
    fn the_failure_names_the_rule_the_request_and_the_status() {
        let mut t = watching(r#""url":"/api/payment*","showAfter":0"#);
        assert!(end(
            &mut t,
            "https://shop.example/api/payment?token=x",
            Some(502),
            T0 + 5.0
        ));
        assert_eq!(
            t.failure(),
            Some(&Failure::Request {
                rule: "/api/payment*".into(),
                url: "https://shop.example/api/payment".into(),
                status: Some(502),
                duration_ms: 300,
            })
        );
    }

    #[test]
    fn retries_that_fail_too_show_one_survey_after_the_last() {
        let mut t = watching(r#""url":"/api/*""#);
        assert!(!end(
            &mut t,
            "https://shop.example/api/pay",
            Some(502),
            T0 + 100.0
        ));
        assert!(!end(
            &mut t,
            "https://shop.example/api/pay",
            Some(503),
            T0 + 900.0
        ));
        assert!(!end(
            &mut t,
            "https://shop.example/api/ok",
            Some(200),
            T0 + 1000.0
        ));
        assert_eq!(t.wake_at(), Some(T0 + 2400.0));
        assert!(t.on(&Event::Tick, T0 + 2400.0));
        assert!(matches!(
            t.failure(),
            Some(Failure::Request {
                status: Some(503),
                ..
            })
        ));
        assert!(!end(
            &mut t,
            "https://shop.example/api/pay",
            Some(500),
            T0 + 3000.0
        ));
        assert_eq!(t.wake_at(), None, "once per page view");
    }

    #[test]
    fn overlapping_rules_each_see_their_requests() {
        let mut pay = watching(r#""url":"/api/payment*","showAfter":0"#);
        let mut api = watching(r#""url":"/api/*","status":["4xx"],"showAfter":0"#);
        let mut both = |url: &str, status: u16| {
            (
                end(&mut pay, url, Some(status), T0 + 1.0),
                end(&mut api, url, Some(status), T0 + 1.0),
            )
        };
        assert_eq!(both("https://shop.example/api/payment", 409), (false, true));
        assert_eq!(
            both("https://shop.example/api/payment", 502),
            (true, false),
            "the broader rule already fired on this page view"
        );
    }

    #[test]
    fn not_on_a_page_the_survey_does_not_target() {
        let mut t = watching(r#""url":"/api/*","showAfter":0"#);
        t.page(false, T0 + 1.0);
        assert!(!end(
            &mut t,
            "https://shop.example/api/pay",
            Some(500),
            T0 + 2.0
        ));
        assert_eq!(t.failure(), None);
    }

    #[test]
    fn settings_are_checked() {
        let err = |text: &str| {
            let e = trigger(text).unwrap_err();
            (e.field, e.reason)
        };
        assert_eq!(
            err(r#"{"type":"request_failed"}"#),
            ("trigger.url".into(), "is required")
        );
        assert_eq!(
            err(r#"{"type":"request_failed","url":""}"#),
            ("trigger.url".into(), "must not be an empty pattern")
        );
        let status = "must be a status from 0 to 999 or one of \"1xx\" to \"5xx\"";
        for bad in [r#""6xx""#, "1000", "4.5", r#""409""#, "null"] {
            assert_eq!(
                err(&[
                    r#"{"type":"request_failed","url":"/a","status":[500,"#,
                    bad,
                    "]}"
                ]
                .concat()),
                ("trigger.status[1]".into(), status),
                "{bad}"
            );
        }
        assert_eq!(
            err(r#"{"type":"request_failed","url":"/a","status":[]}"#),
            (
                "trigger.status".into(),
                "must list at least one status, unless slowerThan is given"
            )
        );
        assert_eq!(
            err(r#"{"type":"request_failed","url":"/a","slowerThan":-1}"#).0,
            "trigger.slowerThan"
        );
        assert_eq!(
            err(r#"{"type":"request_failed","url":"/a","selector":"b"}"#),
            ("trigger.selector".into(), "is not a known field")
        );
        let Ok(Trigger::RequestFailed(t)) = trigger(r#"{"type":"request_failed","url":"/a"}"#)
        else {
            panic!()
        };
        assert_eq!(t.detector().status, [(0, 0), (500, 599)]);
        assert_eq!(t.detector().slower_than, None);
    }
}
