//! The recovery inbox's admin JSON API, behind the admin bearer token:
//!
//! - `GET /v1/cases`: filtered, paginated list (see [`CaseQueryText`] for the parameters);
//! - `GET /v1/cases/{id}`: one case with its history;
//! - `PATCH /v1/cases/{id}`: change `status`, `assignee`, `notes`, the note to the visitor and
//!   its signature, and set a reminder; each change is recorded.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;

use crate::app_state::AppState;
use crate::cases::{CaseChange, CaseDetail, CasePage, CaseQueryText};
use crate::error::ApiError;
use crate::reminders::ReminderDay;

/// Who the audit trail names for changes made through this API.
const ACTOR: &str = "api";

/// `GET /v1/cases`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<CaseQueryText>, QueryRejection>,
) -> Result<Json<CasePage>, ApiError> {
    state.admin_token.authorize(&headers)?;
    let Query(query) = query.map_err(|rejection| ApiError::InvalidQuery {
        field: "query",
        message: rejection.body_text(),
    })?;
    Ok(Json(state.store.cases(query.check()?).await?))
}

/// `GET /v1/cases/{id}`.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<CaseDetail>, ApiError> {
    state.admin_token.authorize(&headers)?;
    let detail = state.store.case(id).await?;
    detail.map(Json).ok_or(ApiError::NotFound { what: "case" })
}

/// `PATCH /v1/cases/{id}`.
pub async fn update(
    State(state): State<AppState>,
    State(ReminderDay(day)): State<ReminderDay>,
    headers: HeaderMap,
    Path(id): Path<String>,
    change: Result<Json<CaseChange>, JsonRejection>,
) -> Result<Json<CaseDetail>, ApiError> {
    state.admin_token.authorize(&headers)?;
    let Json(change) = change.map_err(|rejection| ApiError::InvalidBody {
        field: "body",
        message: rejection.body_text(),
    })?;
    change.check()?;
    let detail = state.store.update_case(id, change, ACTOR, day).await?;
    detail.map(Json).ok_or(ApiError::NotFound { what: "case" })
}
