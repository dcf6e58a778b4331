//! [`ApiError`]: every way a request can fail, and the JSON body it answers with, so that a client
//! can always read `error` (a stable code), `message` (for people) and, for a bad submission,
//! `field` (the path of the offending field).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use thiserror::Error;

use crate::ingest::MAX_BODY_BYTES;
use crate::store::StoreError;
use crate::submission::SubmissionError;

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
    #[error("Content-Type must be text/plain;charset=UTF-8 or application/json")]
    UnsupportedMediaType,
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
    /// The admin token is missing or wrong.
    #[error("this needs the header Authorization: Bearer <admin token>")]
    Unauthorized,
    /// Storage failed; the details are logged, not sent.
    #[error("storage failed: {0}")]
    Storage(#[from] StoreError),
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
    fn status(&self) -> StatusCode {
        match self {
            Self::Submission(_) | Self::UnreadableBody(_) | Self::InvalidQuery { .. } => {
                StatusCode::BAD_REQUEST
            }
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody<'_> {
        let (error, field) = match self {
            Self::Submission(SubmissionError::Json { .. }) => ("invalid_json", None),
            Self::Submission(SubmissionError::Field { field, .. }) => {
                ("invalid_field", Some(field.as_str()))
            }
            Self::PayloadTooLarge => ("payload_too_large", None),
            Self::UnsupportedMediaType => ("unsupported_media_type", None),
            Self::UnreadableBody(_) => ("unreadable_body", None),
            Self::InvalidQuery { field, .. } => ("invalid_query", Some(*field)),
            Self::Unauthorized => ("unauthorized", None),
            Self::Storage(_) => ("storage_failed", None),
        };
        let message = match self {
            Self::Submission(SubmissionError::Field { message, .. }) => message.clone(),
            // What went wrong inside is for the operator's log, not for whoever sent the request.
            Self::Storage(_) => "the collector could not reach its storage".to_owned(),
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
        let mut response = (status, Json(self.body())).into_response();
        if matches!(self, Self::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
