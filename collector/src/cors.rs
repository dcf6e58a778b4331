//! Which other origins may POST submissions for the sites without a list of their own, and the
//! CORS layer that tells browsers so.
//!
//! The widget runs on the site's pages, which are often on another origin than the collector.
//! Only the submit route needs CORS: its preflight allows `POST` with a `Content-Type` header, so
//! a site that configured `application/json` works too. Listing responses is not offered to
//! other origins, since it needs an `Authorization` header that the preflight does not allow.

use axum::http::{header, HeaderValue, Method};
use thiserror::Error;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Why an `--allow-origin` value was refused.
#[derive(Debug, Error)]
#[error("`{0}` is not an origin: expected scheme://host[:port], like https://shop.example, or *")]
pub struct OriginError(String);

/// The collector's `allow_origins`: the origins whose pages may POST for a site without an
/// `origins` list of its own, and that get CORS headers for every site.
#[derive(Clone, Debug)]
pub enum AllowedOrigins {
    /// Exactly these origins, in their serialized form (`https://shop.example:8443`).
    List(Vec<HeaderValue>),
    /// Every origin, for a collector shared by many sites.
    Any,
}

impl Default for AllowedOrigins {
    /// Same-origin only: such requests need no CORS headers at all.
    fn default() -> Self {
        Self::List(Vec::new())
    }
}

impl AllowedOrigins {
    /// Reads origins as an operator writes them: a trailing `/` and capitals are forgiven, empty
    /// entries (from `a,,b` in an environment variable) are skipped, and `*` allows every origin.
    pub fn parse<'a>(origins: impl IntoIterator<Item = &'a str>) -> Result<Self, OriginError> {
        let mut list = Vec::new();
        for origin in origins {
            let origin = origin.trim();
            if origin == "*" {
                return Ok(Self::Any);
            }
            if !origin.is_empty() {
                list.push(parse_origin(origin)?);
            }
        }
        Ok(Self::List(list))
    }

    /// Whether a page on `origin` may post for a site that has no origins of its own: any
    /// origin, or none, when the list is empty or `*`.
    pub(crate) fn admits(&self, origin: Option<&HeaderValue>) -> bool {
        match self {
            Self::Any => true,
            Self::List(list) => list.is_empty() || origin.is_some_and(|o| list.contains(o)),
        }
    }

    /// These origins and `more`: the CORS layer must also let through every origin that some
    /// site allows, or a browser would hide the answer from the widget.
    pub(crate) fn and(&self, more: impl IntoIterator<Item = HeaderValue>) -> Self {
        match self {
            Self::Any => Self::Any,
            Self::List(list) => {
                let mut list = list.clone();
                for origin in more {
                    if !list.contains(&origin) {
                        list.push(origin);
                    }
                }
                Self::List(list)
            }
        }
    }

    /// The layer that answers preflights and adds `Access-Control-Allow-Origin` for these
    /// origins.
    pub(crate) fn layer(&self) -> CorsLayer {
        let allow_origin = match self {
            Self::List(origins) => AllowOrigin::list(origins.iter().cloned()),
            Self::Any => AllowOrigin::any(),
        };
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::POST])
            .allow_headers([header::CONTENT_TYPE])
    }
}

/// The origin as browsers send it in the `Origin` header, which is compared byte for byte.
pub(crate) fn parse_origin(origin: &str) -> Result<HeaderValue, OriginError> {
    let refuse = || OriginError(origin.to_owned());
    let normalized = origin
        .strip_suffix('/')
        .unwrap_or(origin)
        .to_ascii_lowercase();
    let (scheme, authority) = normalized.split_once("://").ok_or_else(refuse)?;
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let authority_ok = !authority.is_empty()
        && !authority
            .chars()
            .any(|c| matches!(c, '/' | '?' | '#' | '@') || c.is_whitespace() || c.is_control());
    if !(scheme_ok && authority_ok) {
        return Err(refuse());
    }
    HeaderValue::from_str(&normalized).map_err(|_| refuse())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(origins: &[&str]) -> Vec<String> {
        match AllowedOrigins::parse(origins.iter().copied()) {
            Ok(AllowedOrigins::List(list)) => list
                .iter()
                .map(|value| value.to_str().expect("ascii").to_owned())
                .collect(),
            other => panic!("expected a list, got {other:?}"),
        }
    }

    #[test]
    fn normalizes_origins() {
        assert_eq!(
            listed(&["https://Shop.Example/", "", " http://127.0.0.1:8080 "]),
            ["https://shop.example", "http://127.0.0.1:8080"]
        );
    }

    #[test]
    fn adding_origins_skips_duplicates_and_keeps_any() {
        let shop = HeaderValue::from_static("https://shop.example");
        let blog = HeaderValue::from_static("https://blog.example");
        let list = AllowedOrigins::parse(["https://shop.example"]).expect("origins");
        match list.and([shop, blog.clone()]) {
            AllowedOrigins::List(list) => assert_eq!(list.len(), 2),
            AllowedOrigins::Any => panic!("expected a list"),
        }
        assert!(matches!(
            AllowedOrigins::Any.and([blog]),
            AllowedOrigins::Any
        ));
    }

    #[test]
    fn star_allows_every_origin() {
        assert!(matches!(
            AllowedOrigins::parse(["https://a.example", "*"]),
            Ok(AllowedOrigins::Any)
        ));
    }

    #[test]
    fn refuses_what_is_not_an_origin() {
        for origin in [
            "shop.example",
            "https://",
            "https://shop.example/path",
            "https://user@shop.example",
            "://shop.example",
            "1http://shop.example",
        ] {
            assert!(AllowedOrigins::parse([origin]).is_err(), "{origin}");
        }
    }
}
