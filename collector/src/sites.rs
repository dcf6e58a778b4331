//! [`Sites`]: what each site the collector serves allows, starting with which origins may post
//! its responses.
//!
//! The `site` field is chosen by whoever sends the body, so on its own it proves nothing. For a
//! site with an origin allow-list, a browser's `Origin` header must be on it: a page on another
//! origin cannot make a browser lie about that header, so a hostile page cannot post into the
//! site's inbox. (A script outside a browser can, which is what the rate limits are for.)

use std::collections::HashMap;

use axum::http::HeaderValue;

use crate::error::ApiError;

/// What one site allows.
#[derive(Clone, Debug, Default)]
pub struct SitePolicy {
    /// Origins whose pages may post for this site; empty allows any.
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
    /// Passes when a response for `site` may come from a page on `origin`.
    pub fn admit(&self, site: &str, origin: Option<&HeaderValue>) -> Result<(), ApiError> {
        let Some(policy) = self.sites.get(site) else {
            return if self.known_only {
                Err(ApiError::UnknownSite {
                    site: site.to_owned(),
                })
            } else {
                Ok(())
            };
        };
        if policy.origins.is_empty() || origin.is_some_and(|o| policy.origins.contains(o)) {
            return Ok(());
        }
        Err(ApiError::OriginNotAllowed {
            site: site.to_owned(),
            origin: origin.map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned()),
        })
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
        assert!(sites(false).admit("shop", Some(&SHOP)).is_ok());
    }

    #[test]
    fn another_or_no_origin_is_refused_for_a_site_with_a_list() {
        for origin in [Some(&EVIL), None] {
            assert!(matches!(
                sites(false).admit("shop", origin),
                Err(ApiError::OriginNotAllowed { .. })
            ));
        }
    }

    #[test]
    fn a_site_without_a_list_admits_any_origin() {
        assert!(sites(true).admit("open", Some(&EVIL)).is_ok());
        assert!(sites(true).admit("open", None).is_ok());
    }

    #[test]
    fn unknown_sites_are_refused_only_when_asked() {
        assert!(sites(false).admit("blog", None).is_ok());
        assert!(matches!(
            sites(true).admit("blog", None),
            Err(ApiError::UnknownSite { .. })
        ));
    }
}
