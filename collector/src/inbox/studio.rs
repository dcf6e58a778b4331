//! The survey studio in the inbox: `/inbox/surveys` lists a site's surveys (`?site=`, the first
//! configured site by default) with the forms to publish, pause, resume and start from a
//! template; `/inbox/surveys/{id}/edit` is the editor. Every form carries the session's CSRF
//! token. `POST /inbox/studio/check` checks a definition as the team types (JSON, with the CSRF
//! token in `X-CSRF-Token`), with the same widget reader that refuses it on save.
//!
//! The editor page is the only inbox page with a script, `studio.js`, served from here so that
//! its Content Security Policy allows `script-src 'self'` and nothing inline.

use std::sync::Arc;

use axum::extract::rejection::{FormRejection, JsonRejection, QueryRejection};
use axum::extract::{FromRef, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::access::{signed_in, LOGIN};
use super::html::encode;
use super::reply::{expired_form, failure, page};
use super::session::{Session, SessionKeys};
use super::studio_pages::{self, Editor, SurveyList};
use crate::app_state::AppState;
use crate::error::ApiError;
use crate::studio::definition::{check_text, DefinitionError};
use crate::studio::field_line::line_of;
use crate::studio::site_access::SiteAccess;
use crate::studio::{templates, SurveyStatus};

/// The editor's policy: its own script, the check endpoint, the preview frame.
const EDITOR_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
    connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'";

/// The header `studio.js` sends the CSRF token in.
const CSRF_HEADER: &str = "x-csrf-token";

/// The studio's routes, for any router state that holds an [`AppState`] and the sites.
pub fn routes<S>() -> Router<S>
where
    AppState: FromRef<S>,
    Arc<SiteAccess>: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/inbox/surveys", get(list).post(create))
        .route("/inbox/surveys/{id}/edit", get(edit).post(save))
        .route("/inbox/surveys/{id}/status", post(set_status))
        .route("/inbox/studio/publish", post(publish))
        .route("/inbox/studio/check", post(check))
        .route(studio_pages::SCRIPT, get(script))
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("studio.js"),
    )
}

/// `?site=` of the studio's pages.
#[derive(Debug, Default, Deserialize)]
struct SiteQuery {
    #[serde(default)]
    site: String,
    /// The version just published, to say so.
    #[serde(default)]
    published: String,
    /// Set after a save, to say so.
    #[serde(default)]
    saved: String,
}

/// The fields every studio form has.
#[derive(Debug, Deserialize)]
struct SiteForm {
    csrf: String,
    site: String,
}

/// The site a page asks for, or the first configured one; `None` when no site is configured.
fn chosen<'a>(access: &'a SiteAccess, asked: &'a str) -> Result<Option<&'a str>, ApiError> {
    if asked.is_empty() {
        return Ok(access.ids().first().copied());
    }
    access.known(asked)?;
    Ok(Some(asked))
}

/// Why a form may not be acted on, as the page to answer with: not posted by a signed-in
/// session with its CSRF token, or for a site that is not configured. `None` when it may.
fn refusal(
    state: &AppState,
    access: &SiteAccess,
    headers: &HeaderMap,
    form: &SiteForm,
) -> Option<Response> {
    let valid = signed_in(state, headers)
        .is_some_and(|(keys, session)| keys.check_csrf(&session, &form.csrf));
    if !valid {
        return Some(expired_form());
    }
    access
        .known(&form.site)
        .err()
        .map(|error| failure(&error.into()))
}

/// The list page's URL for `site`, with `more` (like `&published=3`).
fn list_url(site: &str, more: &str) -> String {
    format!("/inbox/surveys?site={}{more}", encode(site))
}

/// `GET /inbox/surveys`.
async fn list(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    query: Result<Query<SiteQuery>, QueryRejection>,
) -> Response {
    let Some((keys, session)) = signed_in(&state, &headers) else {
        return Redirect::to(LOGIN).into_response();
    };
    let Query(query) = query.unwrap_or_default();
    let csrf = keys.csrf(&session);
    let site = match chosen(&access, &query.site) {
        Ok(Some(site)) => site,
        Ok(None) => return page(StatusCode::OK, studio_pages::no_sites(&csrf)),
        Err(error) => return failure(&error),
    };
    let notice =
        (!query.published.is_empty()).then(|| format!("Published version {}.", query.published));
    list_page(&state, &access, site, &csrf, notice.as_deref(), &[]).await
}

/// The list page of `site`, with a notice or the mistakes of the last new survey.
async fn list_page(
    state: &AppState,
    access: &SiteAccess,
    site: &str,
    csrf: &str,
    notice: Option<&str>,
    problems: &[DefinitionError],
) -> Response {
    let surveys = match state.store.surveys(site.to_owned()).await {
        Ok(surveys) => surveys,
        Err(error) => return failure(&error.into()),
    };
    let versions = match state.store.versions(site.to_owned()).await {
        Ok(versions) => versions,
        Err(error) => return failure(&error.into()),
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let list = SurveyList {
        site,
        sites: &access.ids(),
        surveys: &surveys,
        latest: versions.first(),
        notice,
        problems,
    };
    page(status, studio_pages::list(&list, csrf))
}

#[derive(Debug, Deserialize)]
struct CreateForm {
    #[serde(flatten)]
    site: SiteForm,
    template: String,
    id: String,
}

/// `POST /inbox/surveys`: a new draft from a template, then its editor.
async fn create(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    form: Result<Form<CreateForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return expired_form();
    };
    if let Some(refusal) = refusal(&state, &access, &headers, &form.site) {
        return refusal;
    }
    let site = &form.site.site;
    let id = form.id.trim();
    let Some(template) = templates::find(&form.template) else {
        return failure(&ApiError::InvalidBody {
            field: "template",
            message: "there is no such template".to_owned(),
        });
    };
    let existing = state.store.survey(site.clone(), id.to_owned()).await;
    let made = match existing {
        Ok(Some(_)) => Err(vec![DefinitionError {
            field: "id".to_owned(),
            message: format!("site {site} already has a survey \"{id}\""),
        }]),
        Ok(None) => template.instantiate(id),
        Err(error) => return failure(&error.into()),
    };
    match made {
        Ok(text) => {
            let stored = state
                .store
                .put_survey(site.clone(), id.to_owned(), SurveyStatus::Draft, text)
                .await;
            match stored {
                Ok(_) => Redirect::to(&edit_url(site, id, "")).into_response(),
                Err(error) => failure(&error.into()),
            }
        }
        Err(problems) => list_page(&state, &access, site, &form.site.csrf, None, &problems).await,
    }
}

/// The editor's URL of survey `id` of `site`, with `more` (like `&saved=1`).
fn edit_url(site: &str, id: &str, more: &str) -> String {
    format!(
        "/inbox/surveys/{}/edit?site={}{more}",
        encode(id),
        encode(site)
    )
}

/// An editor page, with the editor's Content Security Policy.
fn editor_page(
    status: StatusCode,
    editor: &Editor<'_>,
    keys: &SessionKeys,
    session: &Session,
) -> Response {
    let mut response = page(status, studio_pages::editor(editor, &keys.csrf(session)));
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(EDITOR_POLICY),
    );
    response
}

/// `GET /inbox/surveys/{id}/edit`.
async fn edit(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    query: Result<Query<SiteQuery>, QueryRejection>,
) -> Response {
    let Some((keys, session)) = signed_in(&state, &headers) else {
        return Redirect::to(LOGIN).into_response();
    };
    let Query(query) = query.unwrap_or_default();
    let site = match chosen(&access, &query.site) {
        Ok(Some(site)) => site,
        Ok(None) => return page(StatusCode::OK, studio_pages::no_sites(&keys.csrf(&session))),
        Err(error) => return failure(&error),
    };
    let survey = match state.store.survey(site.to_owned(), id).await {
        Ok(Some(survey)) => survey,
        Ok(None) => return failure(&ApiError::NotFound { what: "survey" }),
        Err(error) => return failure(&error.into()),
    };
    let text = survey.definition.get();
    let notice = (!query.saved.is_empty()).then_some("Saved.");
    let editor = Editor {
        site,
        summary: &survey.summary,
        text,
        problems: &[],
        notice,
    };
    editor_page(StatusCode::OK, &editor, &keys, &session)
}

#[derive(Debug, Deserialize)]
struct SaveForm {
    #[serde(flatten)]
    site: SiteForm,
    definition: String,
}

/// `POST /inbox/surveys/{id}/edit`: keeps a definition the widget accepts, with its status;
/// shows the editor again with every mistake otherwise.
async fn save(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<SaveForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return expired_form();
    };
    if let Some(refusal) = refusal(&state, &access, &headers, &form.site) {
        return refusal;
    }
    let site = form.site.site.clone();
    let survey = match state.store.survey(site.clone(), id.clone()).await {
        Ok(Some(survey)) => survey,
        Ok(None) => return failure(&ApiError::NotFound { what: "survey" }),
        Err(error) => return failure(&error.into()),
    };
    // Kept as the team wrote it, with the line breaks a textarea sends (CR LF) made plain.
    let text = form.definition.replace("\r\n", "\n");
    match check_text(&id, &text) {
        Ok(_) => {
            let status = survey.summary.status;
            match state
                .store
                .put_survey(site.clone(), id.clone(), status, text)
                .await
            {
                Ok(_) => Redirect::to(&edit_url(&site, &id, "&saved=1")).into_response(),
                Err(error) => failure(&error.into()),
            }
        }
        Err(problems) => {
            let Some((keys, session)) = signed_in(&state, &headers) else {
                return expired_form();
            };
            let editor = Editor {
                site: &site,
                summary: &survey.summary,
                text: &text,
                problems: &problems,
                notice: Some("Not saved: the widget would leave this survey out."),
            };
            editor_page(StatusCode::BAD_REQUEST, &editor, &keys, &session)
        }
    }
}

#[derive(Debug, Deserialize)]
struct StatusForm {
    #[serde(flatten)]
    site: SiteForm,
    status: String,
}

/// `POST /inbox/surveys/{id}/status`: pauses, resumes or makes live; it reaches pages with the
/// next publish.
async fn set_status(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<StatusForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return expired_form();
    };
    if let Some(refusal) = refusal(&state, &access, &headers, &form.site) {
        return refusal;
    }
    let Some(status) = SurveyStatus::parse(&form.status) else {
        return failure(&ApiError::InvalidBody {
            field: "status",
            message: "status must be draft, live or paused".to_owned(),
        });
    };
    let site = form.site.site;
    let survey = match state.store.survey(site.clone(), id.clone()).await {
        Ok(Some(survey)) => survey,
        Ok(None) => return failure(&ApiError::NotFound { what: "survey" }),
        Err(error) => return failure(&error.into()),
    };
    let text = survey.definition.get().to_owned();
    match state.store.put_survey(site.clone(), id, status, text).await {
        Ok(_) => Redirect::to(&list_url(&site, "")).into_response(),
        Err(error) => failure(&error.into()),
    }
}

/// `POST /inbox/studio/publish`: a new version from the site's live surveys.
async fn publish(
    State(state): State<AppState>,
    State(access): State<Arc<SiteAccess>>,
    headers: HeaderMap,
    form: Result<Form<SiteForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return expired_form();
    };
    if let Some(refusal) = refusal(&state, &access, &headers, &form) {
        return refusal;
    }
    match state.store.publish(form.site.clone()).await {
        Ok(published) => {
            let more = format!("&published={}", published.version);
            Redirect::to(&list_url(&form.site, &more)).into_response()
        }
        Err(error) => failure(&error.into()),
    }
}

/// The body of `POST /inbox/studio/check`.
#[derive(Debug, Deserialize)]
struct CheckBody {
    /// The survey's id, which the definition's `id` must be.
    id: String,
    /// The definition's text, as typed.
    definition: String,
}

/// `POST /inbox/studio/check`: `{"errors": [{"field", "line", "message"}]}`, empty when the
/// widget accepts the definition; `line` is `null` for a mistake of the text as a whole.
async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<CheckBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let token = headers
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let valid =
        signed_in(&state, &headers).is_some_and(|(keys, session)| keys.check_csrf(&session, token));
    if !valid {
        return Err(ApiError::Unauthorized);
    }
    let Json(body) = body.map_err(|rejection| ApiError::InvalidBody {
        field: "body",
        message: rejection.body_text(),
    })?;
    let errors: Vec<serde_json::Value> = check_text(&body.id, &body.definition)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|error| {
            let line = line_of(&body.definition, &error.field);
            json!({"field": error.field, "line": line, "message": error.message})
        })
        .collect();
    Ok(Json(json!({ "errors": errors })).into_response())
}
