//! How the inbox answers a browser: an HTML page, and the error pages a person reads instead of
//! JSON (a failure, an expired form, no randomness for a token).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::pages;
use crate::error::ApiError;

/// `body`, a whole HTML document, with `status`.
pub fn page(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// An error as a page rather than JSON, since a person is reading it.
pub fn failure(error: &ApiError) -> Response {
    let status = error.status();
    if status.is_server_error() {
        tracing::error!(%error, "inbox request failed");
    }
    let message = if status.is_server_error() {
        "The collector could not reach its storage; try again.".to_owned()
    } else {
        error.to_string()
    };
    page(
        status,
        pages::error(status.canonical_reason().unwrap_or("Error"), &message),
    )
}

/// The operating system gave no random bytes for a session or form token.
pub fn no_randomness() -> Response {
    tracing::error!("no random bytes for an inbox token");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        pages::error(
            "Internal error",
            "The collector cannot make a secure token right now.",
        ),
    )
}

/// A form whose CSRF token, or session, is not valid (any more).
pub fn expired_form() -> Response {
    page(
        StatusCode::FORBIDDEN,
        pages::error(
            "Form expired",
            "This form is no longer valid (signed out, or opened in another session). \
             Go back, reload the page and try again.",
        ),
    )
}
