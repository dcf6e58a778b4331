//! `GET /v1/sites/{site}/config.json`: the site's newest published configuration, in the format
//! the widget's `data-config` option reads, for any page (no token), with its version as
//! `configVersion`.
//!
//! It carries a strong `ETag` (a hash of the exact bytes), answers `304` to a matching
//! `If-None-Match`, and may be cached for 60 seconds: long enough that a busy shop does not ask
//! on every page view, short enough that pausing a survey and publishing takes effect within a
//! minute.
//!
//! It answers CORS itself, per site, outside the router's shared layer: a page may read a site's
//! configuration when it may post for that site ([`SiteAccess`]), so one shop's origin cannot
//! read another's. It is a simple `GET`, so browsers send no preflight. A site that is not
//! configured is `404 unknown_site`; one that never published, `404 not_found`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::site_access::SiteAccess;
use crate::app_state::AppState;
use crate::error::ApiError;

/// How long browsers and proxies may keep the configuration.
const CACHE_CONTROL: &str = "public, max-age=60";

/// The strong entity tag of `config`: the first 16 bytes of its SHA-256, in hex.
fn entity_tag(config: &str) -> String {
    let digest = Sha256::digest(config.as_bytes());
    let hex: String = digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// `config` (a JSON object, as published) with `configVersion` first: the widget reports it in
/// every answer, so results can tell which published version an answer came from.
fn with_version(config: &str, version: i64) -> String {
    match config.trim_start().strip_prefix('{') {
        Some(rest) if rest.trim_start().starts_with('}') => {
            format!("{{\"configVersion\":{version}}}")
        }
        Some(rest) => format!("{{\"configVersion\":{version},{rest}"),
        None => config.to_owned(),
    }
}

/// Serves the configuration, or `304` when the client has it, or `404` when the site is not
/// configured or never published; with CORS for the site's pages.
pub async fn serve(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path(site): Path<String>,
) -> Result<Response, ApiError> {
    access.known(&site)?;
    let allow_origin = access.allow_origin(&site, &headers);
    let mut response = match current(&state, site, &headers).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    };
    let response_headers = response.headers_mut();
    // The answer depends on the page that asks.
    response_headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allow_origin {
        response_headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    Ok(response)
}

/// The newest configuration of a configured site, or `304`, or `404`.
async fn current(
    state: &AppState,
    site: String,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let published = state
        .store
        .published(site)
        .await?
        .ok_or(ApiError::NotFound {
            what: "published configuration",
        })?;
    let config = with_version(&published.config, published.version);
    let tag = entity_tag(&config);
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|candidate| candidate.trim() == tag || candidate.trim() == "*");
    let tag = HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("\"\""));
    let cache = HeaderValue::from_static(CACHE_CONTROL);
    if matches {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, tag), (header::CACHE_CONTROL, cache)],
        )
            .into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, tag),
            (header::CACHE_CONTROL, cache),
        ],
        config,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_goes_first() {
        assert_eq!(
            with_version(r#"{"surveys":[]}"#, 3),
            r#"{"configVersion":3,"surveys":[]}"#
        );
        assert_eq!(with_version("{}", 1), r#"{"configVersion":1}"#);
    }
}
