//! The trends of unhappy responses ([`crate::trends`]) for scripts and spreadsheets, behind the
//! admin token:
//!
//! - `GET /v1/trends?from=YYYY-MM-DD&to=YYYY-MM-DD&site=…`: JSON, [`Trends`];
//! - `GET /v1/trends.csv` with the same parameters: one row per count, `dimension,key,count`.

use std::time::SystemTime;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::app_state::AppState;
use crate::csv;
use crate::error::ApiError;
use crate::trends::{self, PeriodText, Trends};

/// The period asked for, checked, and its trends.
async fn gathered(
    state: &AppState,
    headers: &HeaderMap,
    query: Result<Query<PeriodText>, QueryRejection>,
) -> Result<Trends, ApiError> {
    state.admin_token.authorize(headers)?;
    let Query(query) = query.map_err(|rejection| ApiError::InvalidQuery {
        field: "query",
        message: rejection.body_text(),
    })?;
    let period = query.check(SystemTime::now())?;
    Ok(trends::gather(state.store.as_ref(), period).await?)
}

/// `GET /v1/trends`.
pub async fn json(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PeriodText>, QueryRejection>,
) -> Result<Json<Trends>, ApiError> {
    Ok(Json(gathered(&state, &headers, query).await?))
}

/// `GET /v1/trends.csv`.
pub async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PeriodText>, QueryRejection>,
) -> Result<Response, ApiError> {
    Ok(as_csv(&gathered(&state, &headers, query).await?))
}

/// `trends` as a CSV download, `dimension,key,count`, for this API and the inbox.
pub fn as_csv(trends: &Trends) -> Response {
    let mut out = String::new();
    csv::row(&mut out, &["dimension", "key", "count"].map(str::to_owned));
    for (dimension, counts) in trends.by.named() {
        for count in counts {
            csv::row(
                &mut out,
                &[
                    dimension.to_owned(),
                    count.key.clone(),
                    count.count.to_string(),
                ],
            );
        }
    }
    let file = format!(
        "attachment; filename=\"rebound-trends-{}-{}.csv\"",
        trends.period.from, trends.period.to
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        out,
    )
        .into_response()
}
