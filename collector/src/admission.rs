//! [`Admission`]: whether a submission is let in before it is stored: the per-address and
//! per-site rate limits and the site's own policy ([`Sites`]).

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, HeaderValue};
use serde::Deserialize;

use crate::client_ip;
use crate::cors::AllowedOrigins;
use crate::error::{ApiError, LimitScope};
use crate::rate_limit::{Rate, RateLimiter};
use crate::sites::Sites;

/// The two rate limits on submissions, and the one on follow-up status requests.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Per client address: generous, since a whole office can share one address.
    pub per_ip: Rate,
    /// Per site, whatever the address: caps what a botnet can pour into one inbox.
    pub per_site: Rate,
    /// Status requests (`GET /v1/cases/status`) per client address: a browser asks at most once
    /// a day per case, so this only slows down whoever guesses secrets.
    pub status_per_ip: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_ip: Rate {
                per_minute: 120,
                burst: 60,
            },
            per_site: Rate {
                per_minute: 12_000,
                burst: 2_000,
            },
            status_per_ip: Rate {
                per_minute: 30,
                burst: 10,
            },
        }
    }
}

/// Decides whether a submission may be stored.
#[derive(Debug)]
pub struct Admission {
    per_ip: RateLimiter<IpAddr>,
    per_site: RateLimiter<String>,
    sites: Sites,
    default_origins: AllowedOrigins,
    trust_forwarded_for: bool,
}

impl Admission {
    /// Admission under these limits and site policies, with `default_origins` (the collector's
    /// `allow_origins`) for the sites without origins of their own.
    pub fn new(
        limits: Limits,
        sites: Sites,
        default_origins: AllowedOrigins,
        trust_forwarded_for: bool,
    ) -> Self {
        Self {
            per_ip: RateLimiter::new(limits.per_ip),
            per_site: RateLimiter::new(limits.per_site),
            sites,
            default_origins,
            trust_forwarded_for,
        }
    }

    /// The per-address limit, checked before the body is even read.
    pub fn check_address(
        &self,
        headers: &HeaderMap,
        connection: Option<SocketAddr>,
    ) -> Result<(), ApiError> {
        // A request whose address is unknown (no socket, as in tests) is not limited by it.
        let Some(ip) = client_ip::of(headers, connection, self.trust_forwarded_for) else {
            return Ok(());
        };
        self.per_ip
            .check(ip)
            .map_err(|retry_after| ApiError::RateLimited {
                scope: LimitScope::Address,
                retry_after,
            })
    }

    /// The site's policy and the per-site limit, once the body says which site it is for.
    pub fn check_site(&self, site: &str, origin: Option<&HeaderValue>) -> Result<(), ApiError> {
        self.sites.admit(site, origin, &self.default_origins)?;
        self.per_site
            .check(site.to_owned())
            .map_err(|retry_after| ApiError::RateLimited {
                scope: LimitScope::Site,
                retry_after,
            })
    }
}
