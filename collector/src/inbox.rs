//! The recovery inbox as server-rendered HTML at `/inbox`: sign in with the admin token, then
//! the queue (most urgent and oldest first, overdue cases marked), case pages with the
//! controls to change status, assignee and notes, the trends of unhappy answers as charts
//! (`/inbox/trends`), each survey's results (`/inbox/surveys/{id}`, with its answers as CSV), and
//! the survey studio (`/inbox/surveys`, see [`studio`] and [`preview`]). No JavaScript, except the
//! studio's editor, whose checking while typing and preview need it; readable on a phone.
//!
//! Signing in sets a signed session cookie (`Secure`, `HttpOnly`, `SameSite=Lax`), see
//! [`session`]; every form carries a CSRF token checked before anything changes. Every page is
//! sent with a strict Content Security Policy and is never cached.

mod access;
mod chart;
mod html;
mod pages;
mod preview;
mod reply;
pub mod session;
mod studio;
mod studio_pages;
mod survey_results;

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{FromRef, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::app_state::AppState;
use crate::cases::{CaseChange, CaseQueryText, Status};
use crate::error::ApiError;
use crate::reminders::ReminderDay;
use crate::results::{self, ResultsQuery, ResultsText};
use crate::studio::site_access::SiteAccess;
use crate::trends::{self, PeriodText, Trends};
use crate::trends_api;
use access::{cookie, now, signed_in, LOGIN, SESSION_COOKIE};
use pages::QueueFilters;
use reply::{expired_form, failure, no_randomness, page};
use session::SessionKeys;

/// The cookie that holds the login form's double-submit value.
const LOGIN_COOKIE: &str = "rebound_login";
/// Who the audit trail names for changes made here.
const ACTOR: &str = "inbox";
/// Cases on one page of the queue.
const PER_PAGE: &str = "50";

/// The inbox's routes, for any router state that holds an [`AppState`].
pub fn routes<S>() -> Router<S>
where
    AppState: FromRef<S>,
    ReminderDay: FromRef<S>,
    Arc<SiteAccess>: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/inbox", get(queue))
        .route(LOGIN, get(login_form).post(login))
        .route("/inbox/logout", post(logout))
        .route("/inbox/cases/{id}", get(case).post(change))
        .route("/inbox/trends", get(trends))
        .route("/inbox/trends.csv", get(trends_csv))
        .route("/inbox/surveys/{id}", get(survey_results))
        .route("/inbox/surveys/{id}/answers.csv", get(survey_answers_csv))
        .route(html::STYLESHEET, get(stylesheet))
        .merge(studio::routes())
        .merge(preview::routes())
        .layer(middleware::from_fn(protect))
}

/// Adds the headers every inbox response needs: no script, no framing, no caching; except where
/// a page set its own policy (the studio's editor runs a script, its preview is framed).
async fn protect(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        html::CSS,
    )
}

/// A `Set-Cookie` for the inbox's path; `None` as the value deletes the cookie.
fn set_cookie(name: &str, value: Option<&str>, same_site: &str) -> (HeaderName, HeaderValue) {
    let lifetime = match value {
        Some(_) => format!("Max-Age={}", session::LIFETIME_SECONDS),
        None => "Max-Age=0".to_owned(),
    };
    let cookie = format!(
        "{name}={}; Path=/inbox; {lifetime}; Secure; HttpOnly; SameSite={same_site}",
        value.unwrap_or_default()
    );
    // Cookie values are hex and dots made here.
    let value = HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""));
    (header::SET_COOKIE, value)
}

/// The login page with a fresh double-submit value.
fn login_page(status: StatusCode, problem: Option<&str>) -> Response {
    let Some(csrf) = session::nonce() else {
        return no_randomness();
    };
    let mut response = page(status, pages::login(&csrf, problem));
    let (name, value) = set_cookie(LOGIN_COOKIE, Some(&csrf), "Strict");
    response.headers_mut().insert(name, value);
    response
}

/// The queue's form fields.
#[derive(Debug, Default, Deserialize)]
struct QueueForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    reminder: String,
    #[serde(default)]
    page: String,
}

/// `GET /inbox`: the queue, or a redirect to the sign-in page.
async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Query<QueueForm>, QueryRejection>,
) -> Response {
    let Some((keys, session)) = signed_in(&state, &headers) else {
        return Redirect::to(LOGIN).into_response();
    };
    let Query(form) = form.unwrap_or_default();
    let status = if form.status.is_empty() {
        "open"
    } else {
        &form.status
    };
    let present = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    let query = CaseQueryText {
        status: (status != "all").then(|| status.to_owned()),
        priority: present(&form.priority),
        q: present(&form.q),
        reminder: present(&form.reminder),
        page: present(&form.page),
        per_page: Some(PER_PAGE.to_owned()),
        ..CaseQueryText::default()
    };
    let cases = match query.check() {
        Ok(query) => state.store.cases(query).await.map_err(ApiError::from),
        Err(error) => Err(error.into()),
    };
    // The warning is an extra: the queue still shows if the count cannot be had.
    let failed = state
        .store
        .outbox_counts()
        .await
        .map_or(0, |counts| counts.failed);
    match cases {
        Ok(cases) => {
            let filters = QueueFilters {
                status,
                priority: &form.priority,
                q: &form.q,
                reminder: &form.reminder,
            };
            page(
                StatusCode::OK,
                pages::queue(&cases, &filters, failed, &keys.csrf(&session)),
            )
        }
        Err(error) => failure(&error),
    }
}

/// The trends of the period the query asks for (the last 7 days by default).
async fn gathered(
    state: &AppState,
    form: Result<Query<PeriodText>, QueryRejection>,
) -> Result<Trends, ApiError> {
    let Query(form) = form.map_err(|rejection| ApiError::InvalidQuery {
        field: "query",
        message: rejection.body_text(),
    })?;
    let period = form.check(SystemTime::now())?;
    Ok(trends::gather(state.store.as_ref(), period).await?)
}

/// `GET /inbox/trends`: what unhappy visitors complained about, as charts.
async fn trends(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Query<PeriodText>, QueryRejection>,
) -> Response {
    let Some((keys, session)) = signed_in(&state, &headers) else {
        return Redirect::to(LOGIN).into_response();
    };
    match gathered(&state, form).await {
        Ok(trends) => page(StatusCode::OK, pages::trends(&trends, &keys.csrf(&session))),
        Err(error) => failure(&error),
    }
}

/// `GET /inbox/trends.csv`: the same as `GET /v1/trends.csv`, for a signed-in browser.
async fn trends_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Query<PeriodText>, QueryRejection>,
) -> Response {
    if signed_in(&state, &headers).is_none() {
        return Redirect::to(LOGIN).into_response();
    }
    match gathered(&state, form).await {
        Ok(trends) => trends_api::as_csv(&trends),
        Err(error) => failure(&error),
    }
}

/// The results query of survey `id` (the last 7 days by default).
fn results_query(
    id: String,
    form: Result<Query<ResultsText>, QueryRejection>,
) -> Result<ResultsQuery, ApiError> {
    let Query(form) = form.map_err(|rejection| ApiError::InvalidQuery {
        field: "query",
        message: rejection.body_text(),
    })?;
    Ok(form.check(id, SystemTime::now())?)
}

/// `GET /inbox/surveys/{id}`: the survey's results over a period.
async fn survey_results(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Query<ResultsText>, QueryRejection>,
) -> Response {
    let Some((keys, session)) = signed_in(&state, &headers) else {
        return Redirect::to(LOGIN).into_response();
    };
    let gathered = match results_query(id, form) {
        Ok(query) => results::gather(state.store.as_ref(), query)
            .await
            .map_err(ApiError::from),
        Err(error) => Err(error),
    };
    match gathered {
        Ok(results) => page(
            StatusCode::OK,
            survey_results::results(&results, &keys.csrf(&session)),
        ),
        Err(error) => failure(&error),
    }
}

/// `GET /inbox/surveys/{id}/answers.csv`: the survey's responses of the period, one row each.
async fn survey_answers_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Query<ResultsText>, QueryRejection>,
) -> Response {
    if signed_in(&state, &headers).is_none() {
        return Redirect::to(LOGIN).into_response();
    }
    let query = match results_query(id, form) {
        Ok(query) => query,
        Err(error) => return failure(&error),
    };
    match results::answers_csv(state.store.as_ref(), &query).await {
        Ok(csv) => {
            let file = format!(
                "attachment; filename=\"rebound-{}-{}-{}.csv\"",
                query
                    .survey
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_"),
                query.period.from,
                query.period.to
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, file),
                ],
                csv,
            )
                .into_response()
        }
        Err(error) => failure(&error.into()),
    }
}

/// `GET /inbox/login`: the sign-in form, or the queue for someone signed in already.
async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match signed_in(&state, &headers) {
        Some(_) => Redirect::to("/inbox").into_response(),
        None => login_page(StatusCode::OK, None),
    }
}

#[derive(Deserialize)]
struct LoginForm {
    token: String,
    csrf: String,
}

/// `POST /inbox/login`.
async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return expired_form();
    };
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !session::same(expected, &form.csrf) {
        return expired_form();
    }
    if !state.admin_token.matches(form.token.trim()) {
        tracing::info!("inbox sign-in with a wrong token");
        return login_page(
            StatusCode::UNAUTHORIZED,
            Some("That is not the admin token."),
        );
    }
    let Some(value) = SessionKeys::new(&state.admin_token).issue(now()) else {
        return no_randomness();
    };
    let mut response = Redirect::to("/inbox").into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        set_cookie(SESSION_COOKIE, Some(&value), "Lax"),
        set_cookie(LOGIN_COOKIE, None, "Strict"),
    ] {
        headers.append(name, value);
    }
    response
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// `POST /inbox/logout`.
async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let valid = signed_in(&state, &headers)
        .zip(form.ok())
        .is_some_and(|((keys, session), Form(form))| keys.check_csrf(&session, &form.csrf));
    if !valid {
        return expired_form();
    }
    let mut response = Redirect::to(LOGIN).into_response();
    let (name, value) = set_cookie(SESSION_COOKIE, None, "Lax");
    response.headers_mut().insert(name, value);
    response
}

/// `GET /inbox/cases/{id}`.
async fn case(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some((keys, session)) = signed_in(&state, &headers) else {
        return Redirect::to(LOGIN).into_response();
    };
    match state.store.case(id).await {
        Ok(Some(detail)) => page(StatusCode::OK, pages::case(&detail, &keys.csrf(&session))),
        Ok(None) => failure(&ApiError::NotFound { what: "case" }),
        Err(error) => failure(&error.into()),
    }
}

#[derive(Deserialize)]
struct ChangeForm {
    csrf: String,
    status: String,
    assignee: String,
    notes: String,
    #[serde(default)]
    visitor_note: String,
    #[serde(default)]
    visitor_note_from: String,
    /// Empty leaves the reminder as it is.
    #[serde(default)]
    remind_in_days: String,
}

/// `POST /inbox/cases/{id}`: saves the case form, then shows the case again.
async fn change(
    State(state): State<AppState>,
    State(ReminderDay(day)): State<ReminderDay>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<ChangeForm>, FormRejection>,
) -> Response {
    let Some((keys, session)) = signed_in(&state, &headers) else {
        return expired_form();
    };
    let Ok(Form(form)) = form else {
        return expired_form();
    };
    if !keys.check_csrf(&session, &form.csrf) {
        return expired_form();
    }
    let Some(status) = Status::parse(&form.status) else {
        return failure(&ApiError::InvalidBody {
            field: "status",
            message: "status must be new, acknowledged, waiting_on_customer or resolved".to_owned(),
        });
    };
    let remind_in_days = match form.remind_in_days.trim() {
        "" => None,
        days => match days.parse() {
            Ok(days) => Some(days),
            Err(_) => {
                return failure(&ApiError::InvalidBody {
                    field: "remind_in_days",
                    message: "remind_in_days must be a number of days".to_owned(),
                })
            }
        },
    };
    let change = CaseChange {
        status: Some(status),
        assignee: Some(form.assignee),
        notes: Some(form.notes),
        visitor_note: Some(form.visitor_note),
        visitor_note_from: Some(form.visitor_note_from),
        remind_in_days,
    };
    if let Err(error) = change.check() {
        return failure(&error.into());
    }
    match state
        .store
        .update_case(id.clone(), change, ACTOR, day)
        .await
    {
        Ok(Some(_)) => Redirect::to(&format!("/inbox/cases/{id}")).into_response(),
        Ok(None) => failure(&ApiError::NotFound { what: "case" }),
        Err(error) => failure(&error.into()),
    }
}
