//! [`ApiError`]: every way a request can fail, and the JSON body it answers with, so that a client
//! can always read `error` (a stable code), `message` (for people) and, for a bad submission,
//! `field` (the path of the offending field).

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use thiserror::Error;

use crate::cases::CaseInputError;
use crate::media_type::UnsupportedMediaType;
use crate::sites::SiteRefusal;
use crate::store::StoreError;
use crate::studio::site_access::UnknownSite;
use crate::submission::{SubmissionError, MAX_BODY_BYTES};
use crate::trends::PeriodError;

/// Set on an error response by [`ApiError`], so that the metrics can count rejections by the
/// reason the client was given.
#[derive(Clone, Copy, Debug)]
pub struct Rejection(pub &'static str);

/// A request the collector refuses or cannot serve.
#[derive(Debug, Error)]
pub enum ApiError {
    /// The body is not a valid submission.
    #[error(transparent)]
    Submission(#[from] SubmissionError),
    /// The body is larger than [`MAX_BODY_BYTES`].
    #[error("the body must be at most {MAX_BODY_BYTES} bytes")]
    PayloadTooLarge,
    /// The body's `Content-Type` is not one a submission comes in.
    #[error(transparent)]
    UnsupportedMediaType(#[from] UnsupportedMediaType),
    /// The body could not be read, for example because the client went away.
    #[error("the body could not be read: {0}")]
    UnreadableBody(String),
    /// A query parameter is not valid.
    #[error("{message}")]
    InvalidQuery {
        /// Name of the parameter.
        field: &'static str,
        /// What is expected of it.
        message: String,
    },
    /// A JSON request body (other than a submission) is not valid.
    #[error("{message}")]
    InvalidBody {
        /// The field at fault.
        field: &'static str,
        /// What is expected of it.
        message: String,
    },
    /// Nothing has that id.
    #[error("there is no {what} with that id")]
    NotFound {
        /// What was looked for, like `case`.
        what: &'static str,
    },
    /// The admin token is missing or wrong.
    #[error("this needs the header Authorization: Bearer <admin token>")]
    Unauthorized,
    /// Too many requests from one address or submissions for one site.
    #[error("too many requests {}; retry in {} s", scope.phrase(), retry_after_seconds(*retry_after))]
    RateLimited {
        /// Which limit was hit.
        scope: LimitScope,
        /// How long until one more submission would be let in.
        retry_after: Duration,
    },
    /// The site does not take responses from this origin, or is not configured.
    #[error(transparent)]
    Site(#[from] SiteRefusal),
    /// The studio was asked about a site that is not configured.
    #[error(transparent)]
    UnknownSite(#[from] UnknownSite),
    /// The database does not answer a health check.
    #[error("the database does not answer: {0}")]
    Unavailable(StoreError),
    /// The collector is shutting down, for `GET /readyz`.
    #[error("the collector is shutting down")]
    Draining,
    /// Storage failed; the details are logged, not sent.
    #[error("storage failed: {0}")]
    Storage(#[from] StoreError),
}

impl From<PeriodError> for ApiError {
    fn from(error: PeriodError) -> Self {
        Self::InvalidQuery {
            field: error.field,
            message: error.message,
        }
    }
}

impl From<CaseInputError> for ApiError {
    fn from(error: CaseInputError) -> Self {
        match error {
            CaseInputError::Query { field, message } => Self::InvalidQuery { field, message },
            CaseInputError::Change { field, message } => Self::InvalidBody { field, message },
        }
    }
}

/// Which rate limit a request hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitScope {
    /// The client's address.
    Address,
    /// The site named in the body.
    Site,
}

impl LimitScope {
    fn phrase(self) -> &'static str {
        match self {
            Self::Address => "from this address",
            Self::Site => "for this site",
        }
    }
}

/// Whole seconds to wait, rounded up so that a client that waits exactly that long gets in.
fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

/// The JSON body of every error response.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    message: String,
}

impl ApiError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Submission(_)
            | Self::UnreadableBody(_)
            | Self::InvalidQuery { .. }
            | Self::InvalidBody { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound { .. } | Self::UnknownSite(_) => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Site(_) => StatusCode::FORBIDDEN,
            Self::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unavailable(_) | Self::Draining => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn body(&self) -> ErrorBody<'_> {
        let (error, field) = match self {
            Self::Submission(SubmissionError::Json { .. }) => ("invalid_json", None),
            Self::Submission(SubmissionError::Field { field, .. }) => {
                ("invalid_field", Some(field.as_str()))
            }
            Self::PayloadTooLarge => ("payload_too_large", None),
            Self::UnsupportedMediaType(_) => ("unsupported_media_type", None),
            Self::UnreadableBody(_) => ("unreadable_body", None),
            Self::InvalidQuery { field, .. } => ("invalid_query", Some(*field)),
            Self::InvalidBody { field, .. } => ("invalid_body", Some(*field)),
            Self::NotFound { .. } => ("not_found", None),
            Self::Unauthorized => ("unauthorized", None),
            Self::RateLimited {
                scope: LimitScope::Address,
                ..
            } => ("ip_rate_limited", None),
            Self::RateLimited {
                scope: LimitScope::Site,
                ..
            } => ("site_rate_limited", Some("site")),
            Self::Site(SiteRefusal::OriginNotAllowed { .. }) => {
                ("origin_not_allowed", Some("site"))
            }
            Self::Site(SiteRefusal::UnknownSite { .. }) | Self::UnknownSite(_) => {
                ("unknown_site", Some("site"))
            }
            Self::Storage(_) => ("storage_failed", None),
            Self::Unavailable(_) => ("storage_unavailable", None),
            Self::Draining => ("draining", None),
        };
        let message = match self {
            Self::Submission(SubmissionError::Field { message, .. }) => message.clone(),
            // What went wrong inside is for the operator's log, not for whoever sent the request.
            Self::Storage(_) | Self::Unavailable(_) => {
                "the collector could not reach its storage".to_owned()
            }
            _ => self.to_string(),
        };
        ErrorBody {
            error,
            field,
            message,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(error = %self, "request refused");
        }
        let body = self.body();
        let reason = body.error;
        let mut response = (status, Json(body)).into_response();
        response.extensions_mut().insert(Rejection(reason));
        match self {
            Self::Unauthorized => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            // The client may still be sending the rest of the body: the connection is not
            // kept for another request behind it.
            Self::PayloadTooLarge => {
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Self::RateLimited { retry_after, .. } => {
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_seconds(retry_after)),
                );
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_seconds(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_seconds(Duration::from_millis(2_001)), 3);
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
    }
}
