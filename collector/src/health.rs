//! `GET /healthz` and `GET /readyz`: whether this instance can serve, for a load balancer or an
//! orchestrator. It is healthy when its database answers; nothing else it does can fail on its
//! own. It is ready when it is healthy and not shutting down ([`Draining`]).

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::app_state::AppState;
use crate::error::ApiError;
use crate::shutdown::Draining;

/// `200 {"status":"ok"}`, or `503` with `storage_unavailable` when the database does not answer.
pub async fn check(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.store.ping().await.map_err(ApiError::Unavailable)?;
    Ok(Json(json!({"status": "ok"})))
}

/// As [`check`], but `503` with `draining` once shutdown has begun, so that a balancer stops
/// sending requests while those in flight finish.
pub async fn ready(
    State(draining): State<Draining>,
    state: State<AppState>,
) -> Result<Json<Value>, ApiError> {
    if draining.has_begun() {
        return Err(ApiError::Draining);
    }
    check(state).await
}
