//! `POST /v1/views`: a batch of surveys shown and dismissed from the widget (`reportViews`),
//! checked against `schema/views.v1.json` and kept once per batch id, under the same origin
//! rules and rate limits as the answers. Answered `204`: the widget sends it with
//! `navigator.sendBeacon` and never reads the answer.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::Extension;

use crate::app_state::AppState;
use crate::error::ApiError;
use crate::ingest::Intake;
use crate::media_type;
use crate::submission_body;
use crate::views::ViewBatch;

/// Stores a batch of views.
pub async fn submit(
    State(state): State<AppState>,
    State(intake): State<Arc<Intake>>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let connection = connection.map(|Extension(ConnectInfo(addr))| addr);
    intake.admission.check_address(&headers, connection)?;
    media_type::check(headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes))?;
    let body = submission_body::read(&headers, body).await?;
    let batch = ViewBatch::parse(&body)?;
    intake
        .admission
        .check_site(&batch.site, headers.get(header::ORIGIN))?;
    let events = batch.rows.len();
    state.store.save_views(batch.rows).await?;
    tracing::info!(site = %batch.site, events, "views received");
    Ok(StatusCode::NO_CONTENT)
}
