//! The studio's admin JSON API under `/v1/sites/{site}/`, for teams that keep surveys in their
//! repository: list, read and write surveys (checked by [`super::definition`]), publish the
//! live ones, list the versions and restore one. Every route needs the admin token, and answers
//! 404 `unknown_site` (field `site`) for a site that is not configured.

use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;

use super::definition::check_text;
use super::site_access::SiteAccess;
use super::{Survey, SurveyStatus, SurveySummary, VersionInfo};
use crate::app_state::AppState;
use crate::error::ApiError;

/// The body of `PUT /v1/sites/{site}/surveys/{id}`.
#[derive(Debug, Deserialize)]
pub struct SurveyPut {
    /// `draft`, `live` or `paused`.
    pub status: SurveyStatus,
    /// The survey, in the widget's format, kept as it was written.
    pub definition: Box<RawValue>,
}

/// `GET /v1/sites/{site}/surveys`: the site's surveys with their status.
pub async fn list(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path(site): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.admin_token.authorize(&headers)?;
    access.known(&site)?;
    let surveys: Vec<SurveySummary> = state.store.surveys(site).await?;
    Ok(Json(json!({ "surveys": surveys })))
}

/// `GET /v1/sites/{site}/surveys/{id}`.
pub async fn get(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path((site, id)): Path<(String, String)>,
) -> Result<Json<Survey>, ApiError> {
    state.admin_token.authorize(&headers)?;
    access.known(&site)?;
    state
        .store
        .survey(site, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound { what: "survey" })
}

/// `PUT /v1/sites/{site}/surveys/{id}`: creates (201) or replaces (200) a survey the widget's
/// checker accepts; refuses any other with 400 `invalid_definition`, its field and message.
pub async fn put(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path((site, id)): Path<(String, String)>,
    body: Result<Json<SurveyPut>, JsonRejection>,
) -> Result<Response, ApiError> {
    state.admin_token.authorize(&headers)?;
    access.known(&site)?;
    let Json(body) = body.map_err(|rejection| ApiError::InvalidBody {
        field: "body",
        message: rejection.body_text(),
    })?;
    let errors = check_text(&id, body.definition.get()).err();
    if let Some(error) = errors.into_iter().flatten().next() {
        let refusal = json!({
            "error": "invalid_definition",
            "field": error.field,
            "message": error.message,
        });
        return Ok((StatusCode::BAD_REQUEST, Json(refusal)).into_response());
    }
    let created = state
        .store
        .put_survey(site, id, body.status, body.definition.get().to_owned())
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({ "status": body.status }))).into_response())
}

/// `POST /v1/sites/{site}/publish`: a new version from the site's live surveys.
pub async fn publish(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path(site): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.admin_token.authorize(&headers)?;
    access.known(&site)?;
    let published = state.store.publish(site).await?;
    Ok(Json(json!({ "version": published.version })))
}

/// `GET /v1/sites/{site}/versions`, newest first.
pub async fn versions(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path(site): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.admin_token.authorize(&headers)?;
    access.known(&site)?;
    let versions: Vec<VersionInfo> = state.store.versions(site).await?;
    Ok(Json(json!({ "versions": versions })))
}

/// `POST /v1/sites/{site}/versions/{n}/restore`: publishes version `n` again as a new version.
pub async fn restore(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path((site, number)): Path<(String, i64)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.admin_token.authorize(&headers)?;
    access.known(&site)?;
    let published = state
        .store
        .restore(site, number)
        .await?
        .ok_or(ApiError::NotFound { what: "version" })?;
    Ok(Json(json!({ "version": published.version })))
}
