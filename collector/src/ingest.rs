//! `POST /v1/responses`: takes one submission from the widget, checks it against the contract and
//! stores it, idempotently on its `id`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;

use crate::error::ApiError;
use crate::media_type;
use crate::store::{ResponseVersion, Saved};
use crate::submission::Submission;
use crate::AppState;

/// Largest body accepted: far above what a form of 20 answers needs, small enough that a flood
/// of them cannot exhaust memory.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The body of a successful POST.
#[derive(Debug, Serialize)]
pub struct Receipt {
    /// The submission's id.
    pub id: String,
}

/// Stores a submission: `201 Created` the first time its id is seen, `200 OK` after that, so a
/// client that retries gets the same answer whether or not its first attempt arrived.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    media_type::check(headers.get(header::CONTENT_TYPE))?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::UnreadableBody(rejection.body_text())
        }
    })?;
    let submission = Submission::parse(&body)?;
    let version = ResponseVersion {
        // `parse` has checked that the body is UTF-8.
        body: String::from_utf8_lossy(&body).into_owned(),
        id: submission.id,
        site: submission.site,
        kind: submission.kind.as_str().to_owned(),
        complete: submission.complete,
        created_at: submission.created_at,
    };
    let id = version.id.clone();
    let saved = state.store.save(version).await?;
    tracing::info!(%id, ?saved, "submission received");
    let status = match saved {
        Saved::Created => StatusCode::CREATED,
        Saved::Replaced | Saved::Kept => StatusCode::OK,
    };
    Ok((status, Json(Receipt { id })))
}
