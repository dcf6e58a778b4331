//! `GET /healthz`: whether this instance can serve, for a load balancer or an orchestrator.
//! It is healthy when its database answers; nothing else it does can fail on its own.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::app_state::AppState;
use crate::error::ApiError;

/// `200 {"status":"ok"}`, or `503` with `storage_unavailable` when the database does not answer.
pub async fn check(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.store.ping().await.map_err(ApiError::Unavailable)?;
    Ok(Json(json!({"status": "ok"})))
}
