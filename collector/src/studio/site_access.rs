//! [`SiteAccess`]: which sites the studio keeps surveys for (those configured under
//! `[sites.<id>]`), and which pages may read a site's published configuration: the pages that
//! may post for it ([`Sites::may_read`]), so that one list of origins decides both.

use axum::http::{header, HeaderMap, HeaderValue};
use thiserror::Error;

use crate::cors::AllowedOrigins;
use crate::sites::Sites;

/// A site the studio was asked about that is not configured.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("site `{site}` is not configured on this collector (add [sites.{site}] to its config)")]
pub struct UnknownSite {
    /// The site as it was named.
    pub site: String,
}

/// The configured sites and the collector's `allow_origins`.
#[derive(Clone, Debug, Default)]
pub struct SiteAccess {
    sites: Sites,
    default_origins: AllowedOrigins,
}

impl SiteAccess {
    /// Access to the sites of `sites`, readable by their origins, or by `default_origins` for
    /// sites without origins of their own.
    pub fn new(sites: Sites, default_origins: AllowedOrigins) -> Self {
        Self {
            sites,
            default_origins,
        }
    }

    /// Passes when `site` is configured.
    pub fn known(&self, site: &str) -> Result<(), UnknownSite> {
        if self.sites.sites.contains_key(site) {
            Ok(())
        } else {
            Err(UnknownSite {
                site: site.to_owned(),
            })
        }
    }

    /// The configured sites, by id.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.sites.sites.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }

    /// The `Access-Control-Allow-Origin` for the request's page reading `site`'s
    /// configuration, if it may.
    pub fn allow_origin(&self, site: &str, headers: &HeaderMap) -> Option<HeaderValue> {
        let origin = headers.get(header::ORIGIN)?;
        self.sites
            .may_read(site, origin, &self.default_origins)
            .then(|| origin.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::SitePolicy;

    fn access() -> SiteAccess {
        let mut sites = Sites::default();
        sites.sites.insert(
            "shop".to_owned(),
            SitePolicy {
                origins: vec![HeaderValue::from_static("https://shop.example")],
            },
        );
        sites.sites.insert("blog".to_owned(), SitePolicy::default());
        let default = AllowedOrigins::parse(["https://blog.example"]).expect("origins");
        SiteAccess::new(sites, default)
    }

    fn from(origin: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ORIGIN, HeaderValue::from_static(origin));
        headers
    }

    #[test]
    fn only_configured_sites_are_known() {
        assert_eq!(access().ids(), ["blog", "shop"]);
        assert!(access().known("shop").is_ok());
        assert_eq!(
            access().known("nope"),
            Err(UnknownSite {
                site: "nope".to_owned()
            })
        );
    }

    #[test]
    fn each_site_is_readable_by_its_own_origins() {
        let access = access();
        let allowed = |site, origin| access.allow_origin(site, &from(origin));
        assert!(allowed("shop", "https://shop.example").is_some());
        assert!(allowed("shop", "https://blog.example").is_none());
        assert!(allowed("blog", "https://blog.example").is_some());
        assert!(allowed("blog", "https://shop.example").is_none());
        assert!(access.allow_origin("shop", &HeaderMap::new()).is_none());
    }
}
