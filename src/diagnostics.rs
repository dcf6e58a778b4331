//! Optional diagnostics sent with every answer, so a support team sees what went wrong on the visitor's page:
//! the last JavaScript errors and the last failed requests. Each is off unless the `signals` option turns it on
//! ([`Watch`]); the browser layer (`web/signals.rs`) feeds what it sees into [`Diagnostics`], which keeps only
//! the most recent few and nothing a URL's query string or fragment could leak.

use crate::prelude::*;

use crate::json::{clip, Object, ToJson};

/// How many errors, and how many failed requests, are kept: the most recent ones.
pub const KEEP: usize = 5;
/// Longest error message kept, in characters.
pub(crate) const MAX_MESSAGE: usize = 500;
/// Longest URL kept, in characters.
const MAX_URL: usize = 2048;

/// Which diagnostics the widget collects; the `signals` option turns each on.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Watch {
    /// JavaScript errors on the page (`"errors"`).
    pub errors: bool,
    /// Failed `fetch` and `XMLHttpRequest` requests (`"requests"`).
    pub requests: bool,
}

impl Watch {
    /// The signals named in `names`, or the first name that is not a signal.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Watch, &'a str> {
        let mut watch = Watch::default();
        for name in names {
            match name {
                "errors" => watch.errors = true,
                "requests" => watch.requests = true,
                other => return Err(other),
            }
        }
        Ok(watch)
    }

    /// Whether anything is watched at all.
    pub fn any(self) -> bool {
        self.errors || self.requests
    }
}

/// A JavaScript error the page raised.
#[derive(Clone, Debug, PartialEq)]
pub struct PageError {
    /// The error's message.
    pub message: String,
    /// The script it came from, without query string or fragment.
    pub source: String,
    /// When, RFC 3339 in UTC.
    pub at: String,
}

/// A request of the page that failed.
#[derive(Clone, Debug, PartialEq)]
pub struct FailedRequest {
    /// Where it went, without query string or fragment.
    pub url: String,
    /// The HTTP status, or 0 when no response came (network error, CORS, aborted).
    pub status: u16,
}

/// The most recent errors and failed requests, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagnostics {
    /// At most [`KEEP`] errors.
    pub errors: Vec<PageError>,
    /// At most [`KEEP`] failed requests.
    pub failed_requests: Vec<FailedRequest>,
}

impl Diagnostics {
    /// Records an error, forgetting the oldest beyond [`KEEP`].
    pub fn error(&mut self, message: &str, source: &str, at: String) {
        let error = PageError {
            message: clip(message, MAX_MESSAGE).into(),
            source: sendable(source).into(),
            at,
        };
        keep_last(&mut self.errors, error);
    }

    /// Records a finished request with its `status` (0 for none): kept only when it failed, that is when the
    /// status is 0 or 400 and above.
    pub fn request(&mut self, url: &str, status: u16) {
        if status == 0 || status >= 400 {
            let request = FailedRequest {
                url: sendable(url).into(),
                status,
            };
            keep_last(&mut self.failed_requests, request);
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty() && self.failed_requests.is_empty()
    }
}

/// Appends `item`, dropping the oldest so that at most [`KEEP`] remain.
fn keep_last<T>(list: &mut Vec<T>, item: T) {
    if list.len() >= KEEP {
        list.remove(0);
    }
    list.push(item);
}

/// `url` without its query string and fragment, which may hold tokens or personal data.
pub fn without_query(url: &str) -> &str {
    let end = url.bytes().position(|b| b == b'?' || b == b'#');
    end.and_then(|end| url.get(..end)).unwrap_or(url)
}

/// `url` as a payload may carry it: without query string and fragment, and clipped to the schema's limit.
pub(crate) fn sendable(url: &str) -> &str {
    clip(without_query(url), MAX_URL)
}

impl ToJson for Diagnostics {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .maybe("errors", listed(&self.errors))
            .maybe("failed_requests", listed(&self.failed_requests));
    }
}

/// A list to write, or `None` when it is empty and so left out.
fn listed<T>(list: &[T]) -> Option<&[T]> {
    (!list.is_empty()).then_some(list)
}

impl ToJson for PageError {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("message", &self.message)
            .field("source", &self.source)
            .field("at", &self.at);
    }
}

impl ToJson for FailedRequest {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("url", &self.url)
            .field("status", &u32::from(self.status));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::to_string;

    #[test]
    fn only_the_last_five_are_kept_oldest_first() {
        let mut d = Diagnostics::default();
        for i in 0..7u16 {
            d.request("https://api.example/items", 500 + i);
            d.error(&["boom ", &i.to_string()].concat(), "app.js", "t".into());
        }
        let statuses: Vec<u16> = d.failed_requests.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [502, 503, 504, 505, 506]);
        assert_eq!(d.errors.len(), KEEP);
        assert_eq!(d.errors[0].message, "boom 2");
        assert_eq!(d.errors[4].message, "boom 6");
    }

    #[test]
    fn only_failures_count_and_urls_lose_their_query() {
        let mut d = Diagnostics::default();
        d.request("https://shop.example/api/cart?token=x#y", 404);
        d.request("https://shop.example/ok", 200);
        d.request("https://shop.example/redirect", 304);
        d.request("https://other.example/blocked?sig=1", 0);
        d.error(
            "x is undefined",
            "https://shop.example/app.js?v=3",
            "2026-11-23T09:40:00.000Z".into(),
        );
        assert_eq!(
            to_string(&d),
            concat!(
                r#"{"errors":[{"message":"x is undefined","source":"https://shop.example/app.js","#,
                r#""at":"2026-11-23T09:40:00.000Z"}],"failed_requests":[{"url":"https://shop.example/api/cart","#,
                r#""status":404},{"url":"https://other.example/blocked","status":0}]}"#
            )
        );
    }

    #[test]
    fn empty_lists_are_left_out_and_long_messages_clipped() {
        let mut d = Diagnostics::default();
        assert!(d.is_empty());
        assert_eq!(to_string(&d), "{}");
        d.error(&"m".repeat(MAX_MESSAGE + 9), "", "t".into());
        assert!(!d.is_empty());
        assert_eq!(d.errors[0].message.len(), MAX_MESSAGE);
        assert!(!to_string(&d).contains("failed_requests"));
    }

    #[test]
    fn signals_are_named_and_unknown_ones_reported() {
        assert_eq!(Watch::parse([]), Ok(Watch::default()));
        assert!(!Watch::default().any());
        let both = Watch::parse(["requests", "errors"]).unwrap();
        assert!(both.errors && both.requests && both.any());
        assert_eq!(Watch::parse(["errors", "clicks"]), Err("clicks"));
    }
}
