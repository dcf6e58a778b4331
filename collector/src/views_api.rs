//! `POST /v1/views`: a batch of surveys shown and dismissed from the widget (`reportViews`),
//! checked against `schema/views.v1.json` and kept once per batch id, under the same origin
//! rules and rate limits as the answers. Answered `204`: the widget sends it with
//! `navigator.sendBeacon` and never reads the answer.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Extension;

use crate::app_state::AppState;
use crate::error::ApiError;
use crate::ingest::{admitted_body, Intake};
use crate::views::ViewBatch;

/// Stores a batch of views.
pub async fn submit(
    State(state): State<AppState>,
    State(intake): State<Arc<Intake>>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let body = admitted_body(&intake, connection, &headers, body).await?;
    let batch = ViewBatch::parse(&body)?;
    intake
        .admission
        .check_site(&batch.site, headers.get(header::ORIGIN))?;
    let events = batch.rows.len();
    state.store.save_views(batch.rows).await?;
    tracing::info!(site = %batch.site, events, "views received");
    Ok(StatusCode::NO_CONTENT)
}
