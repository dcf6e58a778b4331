//! `GET /v1/cases/status?reference=RB-7KQ2&secret=…`: the follow-up contract,
//! `schema/case-status.v1.json`, for the visitor's browser, without a token.
//!
//! `200` with the case's [`FollowUp`] (`Cache-Control: private, max-age=3600`) when the secret
//! matches; `404 {"error":"not_found"}` (`no-store`) for anything else (an unknown reference, a
//! wrong secret, a missing or malformed parameter), the same answer whatever the reason, so
//! nothing is told. Rate limited per client address. Readable (CORS) by the pages that may post
//! for the case's site; a 404 or 429, which must not tell the site, by the pages that may post
//! for any site. It is a simple GET, so browsers send no preflight; `OPTIONS` is answered
//! anyway.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::json;

use crate::app_state::AppState;
use crate::client_ip;
use crate::cors::AllowedOrigins;
use crate::error::{ApiError, LimitScope};
use crate::follow_up::{matching, CaseKey, FollowUp};
use crate::rate_limit::{Rate, RateLimiter};
use crate::sites::Sites;

/// How long a browser may keep an answer: the widget asks at most once a day anyway.
const CACHE_FOUND: &str = "private, max-age=3600";
/// Refusals are not kept, so that a case the widget asked about too early is found next time.
const CACHE_REFUSED: &str = "no-store";

/// What the status handler uses besides the store: its rate limit, and who may read answers.
#[derive(Debug)]
pub struct FollowUps {
    per_ip: RateLimiter<IpAddr>,
    sites: Sites,
    default_origins: AllowedOrigins,
    trust_forwarded_for: bool,
}

impl FollowUps {
    /// Status requests limited to `rate` per address, readable by the origins of `sites` (and
    /// `default_origins` for sites without origins of their own).
    pub fn new(
        rate: Rate,
        sites: Sites,
        default_origins: AllowedOrigins,
        trust_forwarded_for: bool,
    ) -> Self {
        Self {
            per_ip: RateLimiter::new(rate),
            sites,
            default_origins,
            trust_forwarded_for,
        }
    }

    /// The `Access-Control-Allow-Origin` for a page on `origin`: about a case of `site`, or
    /// (`None`) about no case in particular.
    fn allow_origin(&self, headers: &HeaderMap, site: Option<&str>) -> Option<HeaderValue> {
        let origin = headers.get(header::ORIGIN)?;
        let allowed = match site {
            Some(site) => self.sites.may_read(site, origin, &self.default_origins),
            None => self.sites.may_read_any(origin, &self.default_origins),
        };
        allowed.then(|| origin.clone())
    }
}

/// The query string as sent; anything else in it is ignored.
#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    reference: Option<String>,
    secret: Option<String>,
}

/// Adds the headers every answer of this route has.
fn with_headers(
    mut response: Response,
    cache: &'static str,
    allow_origin: Option<HeaderValue>,
) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The answer depends on the page that asks.
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allow_origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response
}

fn not_found(follow_ups: &FollowUps, headers: &HeaderMap) -> Response {
    let response = (StatusCode::NOT_FOUND, Json(json!({"error": "not_found"}))).into_response();
    with_headers(
        response,
        CACHE_REFUSED,
        follow_ups.allow_origin(headers, None),
    )
}

/// `GET /v1/cases/status`.
pub async fn status(
    State(state): State<AppState>,
    State(follow_ups): State<Arc<FollowUps>>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Response {
    let connection = connection.map(|Extension(ConnectInfo(addr))| addr);
    // A request whose address is unknown (no socket, as in tests) is not limited by it.
    if let Some(ip) = client_ip::of(&headers, connection, follow_ups.trust_forwarded_for) {
        if let Err(retry_after) = follow_ups.per_ip.check(ip) {
            let refusal = ApiError::RateLimited {
                scope: LimitScope::Address,
                retry_after,
            };
            return with_headers(
                refusal.into_response(),
                CACHE_REFUSED,
                follow_ups.allow_origin(&headers, None),
            );
        }
    }
    let key = query.ok().and_then(|Query(query)| {
        CaseKey::parse(query.reference.as_deref()?, query.secret.as_deref()?)
    });
    let Some(key) = key else {
        return not_found(&follow_ups, &headers);
    };
    let candidates = match state.store.with_reference(key.reference.clone()).await {
        Ok(candidates) => candidates,
        Err(error) => {
            let response = ApiError::Storage(error).into_response();
            return with_headers(
                response,
                CACHE_REFUSED,
                follow_ups.allow_origin(&headers, None),
            );
        }
    };
    let Some(case) = matching(candidates, &key.secret) else {
        return not_found(&follow_ups, &headers);
    };
    let allow_origin = follow_ups.allow_origin(&headers, Some(&case.site));
    let response = Json(FollowUp::of(key.reference, case)).into_response();
    with_headers(response, CACHE_FOUND, allow_origin)
}

/// `OPTIONS /v1/cases/status`: a browser sends none for this simple GET, but a client that asks
/// hears that GET is allowed, from the pages that may read some site's answers.
pub async fn preflight(State(follow_ups): State<Arc<FollowUps>>, headers: HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let allowed = response.headers_mut();
    allowed.insert(header::ALLOW, HeaderValue::from_static("GET, OPTIONS"));
    allowed.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET"),
    );
    allowed.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    with_headers(
        response,
        CACHE_REFUSED,
        follow_ups.allow_origin(&headers, None),
    )
}
