//! Export of cases for spreadsheets and scripts, behind the admin token and with the filters of
//! `GET /v1/cases` (`page` and `per_page` are ignored: everything that matches is exported):
//!
//! - `GET /v1/export.csv`: one row per case with the columns in [`CSV_COLUMNS`] (`survey` is the
//!   survey's id, or `feedback` for the feedback form);
//! - `GET /v1/export.jsonl`: one case per line, as the cases API shows it.
//!
//! The body is streamed a page of cases at a time, so a large inbox is never held in memory.
//! A case changed while the export runs may be missed or appear twice, as with any paging.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde_json::Value;

use crate::app_state::AppState;
use crate::cases::{Case, CaseQuery, CaseQueryText, MAX_PER_PAGE};
use crate::csv::row as csv_row;
use crate::error::ApiError;
use crate::store::{Store, StoreError};
use crate::submission::survey_of;

/// The CSV header row.
pub const CSV_COLUMNS: [&str; 15] = [
    "id",
    "site",
    "survey",
    "opened_at",
    "status",
    "priority",
    "priority_reason",
    "overdue",
    "assignee",
    "due_at",
    "page_url",
    "rating",
    "text",
    "contact_email",
    "notes",
];

/// The two export formats.
#[derive(Clone, Copy)]
enum Format {
    Csv,
    JsonLines,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::JsonLines => "application/x-ndjson",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Self::Csv => "attachment; filename=\"rebound-cases.csv\"",
            Self::JsonLines => "attachment; filename=\"rebound-cases.jsonl\"",
        }
    }

    fn write(self, out: &mut String, case: &Case) {
        match self {
            Self::Csv => csv_row(out, &csv_cells(case)),
            Self::JsonLines => {
                // A case is plain data: it always serializes.
                out.push_str(&serde_json::to_string(case).unwrap_or_default());
                out.push('\n');
            }
        }
    }
}

/// `GET /v1/export.csv`.
pub async fn csv(
    state: State<AppState>,
    headers: HeaderMap,
    query: Result<Query<CaseQueryText>, QueryRejection>,
) -> Result<Response, ApiError> {
    export(state, &headers, query, Format::Csv)
}

/// `GET /v1/export.jsonl`.
pub async fn json_lines(
    state: State<AppState>,
    headers: HeaderMap,
    query: Result<Query<CaseQueryText>, QueryRejection>,
) -> Result<Response, ApiError> {
    export(state, &headers, query, Format::JsonLines)
}

fn export(
    State(state): State<AppState>,
    headers: &HeaderMap,
    query: Result<Query<CaseQueryText>, QueryRejection>,
    format: Format,
) -> Result<Response, ApiError> {
    state.admin_token.authorize(headers)?;
    let Query(query) = query.map_err(|rejection| ApiError::InvalidQuery {
        field: "query",
        message: rejection.body_text(),
    })?;
    let mut query = query.check()?;
    query.page = 1;
    query.per_page = MAX_PER_PAGE;
    let first = match format {
        Format::Csv => {
            let mut header = String::new();
            csv_row(&mut header, &CSV_COLUMNS.map(str::to_owned));
            Some(header)
        }
        Format::JsonLines => None,
    };
    let pages = stream::unfold(
        (Some(state.store), query, first),
        move |(store, query, first)| next_chunk(store, query, first, format),
    );
    let headers = [
        (header::CONTENT_TYPE, format.content_type()),
        (header::CONTENT_DISPOSITION, format.file_name()),
    ];
    Ok((headers, Body::from_stream(pages)).into_response())
}

type Chunk = Result<Bytes, StoreError>;
type ExportState = (Option<Arc<dyn Store>>, CaseQuery, Option<String>);

/// The next piece of the body: the header row first, then a page of cases at a time. The store
/// is dropped after the last page, which ends the stream.
async fn next_chunk(
    store: Option<Arc<dyn Store>>,
    mut query: CaseQuery,
    first: Option<String>,
    format: Format,
) -> Option<(Chunk, ExportState)> {
    if let Some(header) = first {
        return Some((Ok(Bytes::from(header)), (store, query, None)));
    }
    let store = store?;
    let page = match store.cases(query.clone()).await {
        Ok(page) => page,
        // The status line is already sent; a failed stream makes the client see a cut body.
        Err(error) => {
            tracing::error!(%error, "export failed");
            return Some((Err(error), (None, query, None)));
        }
    };
    let mut text = String::new();
    for case in &page.cases {
        format.write(&mut text, case);
    }
    let more = u64::from(query.page) * u64::from(query.per_page) < page.total;
    query.page += 1;
    let store = more.then_some(store);
    Some((Ok(Bytes::from(text)), (store, query, None)))
}

/// The CSV cells of a case, in the order of [`CSV_COLUMNS`].
fn csv_cells(case: &Case) -> [String; 15] {
    let response: Value = serde_json::from_str(case.response.get()).unwrap_or_default();
    let answers = response["answers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let of_type = |kind: &'static str| answers.iter().filter(move |answer| answer["type"] == kind);
    let rating = of_type("rating")
        .next()
        .map(|answer| answer["value"].to_string())
        .unwrap_or_default();
    let text: Vec<&str> = of_type("text")
        .filter_map(|answer| answer["value"].as_str())
        .collect();
    let email = of_type("contact")
        .find_map(|answer| answer["value"]["email"].as_str())
        .unwrap_or_default();
    [
        case.id.clone(),
        case.site.clone(),
        survey_of(&response).to_owned(),
        case.opened_at.clone(),
        case.status.as_str().to_owned(),
        case.priority.as_str().to_owned(),
        case.priority_reason.clone(),
        case.overdue.to_string(),
        case.assignee.clone().unwrap_or_default(),
        case.due_at.clone(),
        response["page"]["url"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        rating,
        text.join("\n"),
        email.to_owned(),
        case.notes.clone(),
    ]
}
