//! [`Sites`]: what each site the collector serves allows, starting with which origins may post
//! its responses.
//!
//! The `site` field is chosen by whoever sends the body, so on its own it proves nothing. Where an
//! origin list applies (the site's own `origins`, or else the collector's `allow_origins`), a
//! browser's `Origin` header must be on it: a page on another origin cannot make a browser lie
//! about that header, so a hostile page cannot post into the site's inbox. A request without an
//! `Origin` is refused there too, since every browser sends one with a POST. (A script outside a
//! browser can send any `Origin`, which is what the rate limits are for.)

use std::collections::HashMap;

use axum::http::HeaderValue;
use thiserror::Error;

use crate::cors::AllowedOrigins;

/// Why a site does not take a response.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SiteRefusal {
    /// An origin list applies to the site and the request's `Origin` is not on it.
    #[error("site `{site}` does not accept responses from {}", origin.as_deref().unwrap_or("a request without an Origin header"))]
    OriginNotAllowed {
        /// The site the body named.
        site: String,
        /// The `Origin` header, if any.
        origin: Option<String>,
    },
    /// The collector only accepts configured sites, and this is not one.
    #[error("site `{site}` is not configured on this collector")]
    UnknownSite {
        /// The site the body named.
        site: String,
    },
}

/// What one site allows.
#[derive(Clone, Debug, Default)]
pub struct SitePolicy {
    /// Origins whose pages may post for this site; empty leaves it to the collector's
    /// `allow_origins`.
    pub origins: Vec<HeaderValue>,
}

/// The configured sites, and whether sites that are not configured are accepted at all.
#[derive(Clone, Debug, Default)]
pub struct Sites {
    /// Policies by site id.
    pub sites: HashMap<String, SitePolicy>,
    /// Refuse responses for a site that is not in `sites`.
    pub known_only: bool,
}

impl Sites {
    /// Passes when a response for `site` may come from a page on `origin`: the site's own
    /// origins decide when it has some, `default` (the collector's `allow_origins`) otherwise.
    pub fn admit(
        &self,
        site: &str,
        origin: Option<&HeaderValue>,
        default: &AllowedOrigins,
    ) -> Result<(), SiteRefusal> {
        let policy = self.sites.get(site);
        if policy.is_none() && self.known_only {
            return Err(SiteRefusal::UnknownSite {
                site: site.to_owned(),
            });
        }
        if Self::allows(policy, origin, default) {
            return Ok(());
        }
        Err(SiteRefusal::OriginNotAllowed {
            site: site.to_owned(),
            origin: origin.map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned()),
        })
    }

    /// Whether pages on `origin` may post for, and read the follow-ups of, a site with `policy`
    /// (`None` for a site that is not configured).
    fn allows(
        policy: Option<&SitePolicy>,
        origin: Option<&HeaderValue>,
        default: &AllowedOrigins,
    ) -> bool {
        match policy {
            Some(policy) if !policy.origins.is_empty() => {
                origin.is_some_and(|origin| policy.origins.contains(origin))
            }
            _ => default.admits(origin),
        }
    }

    /// Whether a page on `origin` may read what the collector says about a case of `site`:
    /// the same origins that may post for it.
    pub fn may_read(&self, site: &str, origin: &HeaderValue, default: &AllowedOrigins) -> bool {
        Self::allows(self.sites.get(site), Some(origin), default)
    }

    /// Whether a page on `origin` may read what the collector says about a case of some site,
    /// for answers that must not tell which site (or whether any) a case is of.
    pub fn may_read_any(&self, origin: &HeaderValue, default: &AllowedOrigins) -> bool {
        default.admits(Some(origin)) || self.origins().any(|allowed| allowed == origin)
    }

    /// Every origin some site allows, for the CORS layer.
    pub fn origins(&self) -> impl Iterator<Item = HeaderValue> + '_ {
        self.sites
            .values()
            .flat_map(|policy| policy.origins.iter().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: HeaderValue = HeaderValue::from_static("https://shop.example");
    const EVIL: HeaderValue = HeaderValue::from_static("https://evil.example");
    const BLOG: HeaderValue = HeaderValue::from_static("https://blog.example");
    const NO_LIST: AllowedOrigins = AllowedOrigins::List(Vec::new());

    fn only_blog() -> AllowedOrigins {
        AllowedOrigins::List(vec![BLOG])
    }

    fn sites(known_only: bool) -> Sites {
        let mut sites = Sites {
            known_only,
            ..Sites::default()
        };
        sites.sites.insert(
            "shop".to_owned(),
            SitePolicy {
                origins: vec![SHOP],
            },
        );
        sites.sites.insert("open".to_owned(), SitePolicy::default());
        sites
    }

    #[test]
    fn a_listed_origin_is_admitted() {
        assert!(sites(false).admit("shop", Some(&SHOP), &NO_LIST).is_ok());
    }

    #[test]
    fn another_or_no_origin_is_refused_for_a_site_with_a_list() {
        for origin in [Some(&EVIL), None] {
            assert!(matches!(
                sites(false).admit("shop", origin, &NO_LIST),
                Err(SiteRefusal::OriginNotAllowed { .. })
            ));
        }
    }

    #[test]
    fn a_site_without_a_list_admits_any_origin() {
        assert!(sites(true).admit("open", Some(&EVIL), &NO_LIST).is_ok());
        assert!(sites(true).admit("open", None, &NO_LIST).is_ok());
    }

    #[test]
    fn unknown_sites_are_refused_only_when_asked() {
        assert!(sites(false).admit("blog", None, &NO_LIST).is_ok());
        assert!(matches!(
            sites(true).admit("blog", None, &NO_LIST),
            Err(SiteRefusal::UnknownSite { .. })
        ));
    }

    #[test]
    fn allow_origins_decides_for_sites_without_a_list_of_their_own() {
        for site in ["open", "blog"] {
            assert!(sites(false).admit(site, Some(&BLOG), &only_blog()).is_ok());
            for origin in [Some(&EVIL), None] {
                assert!(matches!(
                    sites(false).admit(site, origin, &only_blog()),
                    Err(SiteRefusal::OriginNotAllowed { .. })
                ));
            }
            assert!(sites(false).admit(site, None, &AllowedOrigins::Any).is_ok());
        }
    }

    #[test]
    fn a_site_list_replaces_allow_origins() {
        assert!(sites(false)
            .admit("shop", Some(&SHOP), &only_blog())
            .is_ok());
        assert!(matches!(
            sites(false).admit("shop", Some(&BLOG), &only_blog()),
            Err(SiteRefusal::OriginNotAllowed { .. })
        ));
    }
}
