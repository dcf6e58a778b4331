//! `GET /v1/responses`: lists the stored responses, newest first, to whoever holds the admin
//! token.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::app_state::AppState;
use crate::error::ApiError;
use crate::store::StoredResponse;

/// Responses listed when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 100;
/// Most responses one request may list.
pub const MAX_LIMIT: u32 = 1000;

/// The query string of a list request.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// How many responses to list, 1 to [`MAX_LIMIT`].
    pub limit: Option<u32>,
}

/// The body of a list response.
#[derive(Debug, Serialize)]
pub struct ResponseList {
    /// The responses, newest first.
    pub responses: Vec<StoredResponse>,
}

/// Lists the most recently received responses.
pub async fn list_responses(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<ResponseList>, ApiError> {
    state.admin_token.authorize(&headers)?;
    let limit_error = || ApiError::InvalidQuery {
        field: "limit",
        message: format!("limit must be an integer from 1 to {MAX_LIMIT}"),
    };
    let Query(query) = query.map_err(|_| limit_error())?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(limit_error());
    }
    let responses = state.store.list(limit).await?;
    Ok(Json(ResponseList { responses }))
}
