//! `GET /v1/webhooks/deliveries`: the webhook outbox for the admin, newest first, filtered by
//! `status` (`pending`, `delivered`, `failed`) and `case`, at most `limit` (default 100). A
//! hook that keeps failing shows up here as `failed` deliveries with the last error.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::app_state::AppState;
use crate::error::ApiError;
use crate::outbox::{DeliveryInfo, DeliveryStatus, OutboxCounts};

/// Deliveries listed when `limit` is not given.
const DEFAULT_LIMIT: u32 = 100;
/// Most deliveries one request may list.
const MAX_LIMIT: u32 = 1000;

/// The query string.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// Only deliveries in this state.
    pub status: Option<String>,
    /// Only deliveries about this case.
    pub case: Option<String>,
    /// How many to list.
    pub limit: Option<u32>,
}

/// The answer.
#[derive(Debug, Serialize)]
pub struct DeliveryList {
    /// How many are pending and failed in all.
    pub counts: OutboxCounts,
    /// The deliveries, newest first.
    pub deliveries: Vec<DeliveryInfo>,
}

/// `GET /v1/webhooks/deliveries`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<DeliveryQuery>, QueryRejection>,
) -> Result<Json<DeliveryList>, ApiError> {
    state.admin_token.authorize(&headers)?;
    let Query(query) = query.map_err(|rejection| ApiError::InvalidQuery {
        field: "query",
        message: rejection.body_text(),
    })?;
    let status = query
        .status
        .map(|name| {
            DeliveryStatus::parse(&name).ok_or(ApiError::InvalidQuery {
                field: "status",
                message: "status must be pending, delivered or failed".to_owned(),
            })
        })
        .transpose()?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::InvalidQuery {
            field: "limit",
            message: format!("limit must be from 1 to {MAX_LIMIT}"),
        });
    }
    let deliveries = state.store.deliveries(status, query.case, limit).await?;
    let counts = state.store.outbox_counts().await?;
    Ok(Json(DeliveryList { counts, deliveries }))
}
