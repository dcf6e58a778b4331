//! `POST /v1/responses`: takes one submission from the widget, checks it against the contract and
//! stores it, idempotently on its `id`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::{Extension, Json};
use serde::Serialize;

use crate::admission::Admission;
use crate::app_state::AppState;
use crate::error::ApiError;
use crate::follow_up::{self, CaseKey};
use crate::media_type;
use crate::metrics::Metrics;
use crate::store::{Rank, ResponseVersion, Saved};
use crate::submission::Submission;
use crate::submission_body;
use crate::triage::{self, Rules};
use crate::webhooks::Webhooks;

/// What the submit handler uses besides the store: the checks before storing, triage, the
/// webhooks a new case calls for, and the counters.
#[derive(Debug)]
pub struct Intake {
    /// Rate limits and site policies.
    pub admission: Admission,
    /// Priority rules.
    pub rules: Arc<Rules>,
    /// Webhooks by site.
    pub webhooks: Arc<Webhooks>,
    /// Counters.
    pub metrics: Arc<Metrics>,
}

/// The body of a successful POST.
#[derive(Debug, Serialize)]
pub struct Receipt {
    /// The submission's id.
    pub id: String,
}

/// The body of a POST from the widget (an answer or a batch of views), once the checks before
/// reading it passed, cheapest first: the per-address limit, the media type, the declared length.
pub(crate) async fn admitted_body(
    intake: &Intake,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Bytes, ApiError> {
    let connection = connection.map(|Extension(ConnectInfo(addr))| addr);
    intake.admission.check_address(headers, connection)?;
    media_type::check(headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes))?;
    submission_body::read(headers, body).await
}

/// Stores a submission: `201 Created` the first time its id is seen, `200 OK` after that, so a
/// client that retries gets the same answer whether or not its first attempt arrived.
///
/// The checks run cheapest first: the per-address limit, the media type and the declared length
/// before the body is read, the site's policy and limit once the body says which site it is
/// for.
pub async fn submit(
    State(state): State<AppState>,
    State(intake): State<Arc<Intake>>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let body = admitted_body(&intake, connection, &headers, body).await?;
    let submission = Submission::parse(&body)?;
    intake
        .admission
        .check_site(&submission.site, headers.get(header::ORIGIN))?;
    let facts = &submission.response;
    let visitor = triage::visitor(facts);
    let earlier_cases = match &visitor {
        Some(visitor) => {
            let (site, id) = (submission.site.clone(), submission.id.clone());
            state.store.earlier_cases(site, visitor.clone(), id).await?
        }
        None => 0,
    };
    let triage = intake.rules.triage(facts, earlier_cases);
    let outgoing = intake
        .webhooks
        .outgoing(&submission.id, &submission.site, facts, &triage);
    let queued = !outgoing.is_empty();
    let version = ResponseVersion {
        // `parse` has checked that the body is UTF-8. The case's secret is not kept.
        body: follow_up::stored_body(String::from_utf8_lossy(&body).into_owned(), facts),
        id: submission.id,
        site: submission.site,
        kind: submission.kind,
        rank: Rank {
            complete: submission.complete,
            answers: submission.answers,
        },
        created_at: submission.created_at,
        visitor,
        case_key: CaseKey::of(facts),
    };
    let id = version.id.clone();
    let saved = state.store.save(version, triage, outgoing).await?;
    if queued && saved != Saved::Kept {
        intake.webhooks.wake();
    }
    intake.metrics.saved(saved);
    tracing::info!(%id, ?saved, "submission received");
    let status = match saved {
        Saved::Created => StatusCode::CREATED,
        Saved::Replaced | Saved::Kept => StatusCode::OK,
    };
    Ok((status, Json(Receipt { id })))
}
