//! The studio's live preview: a page for a sandboxed frame (`sandbox="allow-scripts
//! allow-forms"`, without `allow-same-origin`, so its origin is opaque: it cannot read the inbox's
//! cookies, storage or DOM; the forms are the survey card's, whose submit the widget handles) that
//! runs the real widget from `/pkg/` with the draft the editor sends it by `postMessage`, and an
//! endpoint that takes the preview's answers and throws them away.
//!
//! The preview's widget posts to `POST /inbox/studio/preview/responses`, never to
//! `/v1/responses`, so trying a survey out cannot open a case, fire a webhook or count in the
//! trends. Its storage consent is `denied`, so it keeps nothing between previews, and follow-ups
//! are off. The page needs no session: it holds no data until the editor sends a draft.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use maud::{html, DOCTYPE};

use super::html::STYLESHEET;

/// Where the preview page is; [`super::studio_pages::PREVIEW`] frames it.
const PAGE: &str = super::studio_pages::PREVIEW;
/// The preview page's script.
const SCRIPT: &str = "/inbox/studio/preview.js";
/// Where the preview's widget sends answers.
const RESPONSES: &str = "/inbox/studio/preview/responses";

/// The preview page's policy: the widget from this collector (which compiles WebAssembly), its
/// requests to this collector, framed only by the studio.
const POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'none'; \
    frame-ancestors 'self'; base-uri 'none'";

/// The preview's routes.
pub fn routes<S>() -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route(PAGE, get(preview_page))
        .route(SCRIPT, get(script))
        .route(RESPONSES, post(discard))
}

/// The page in the frame: a stand-in for a site's page, and the script that starts the widget.
async fn preview_page() -> Response {
    let body = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { "Survey preview" }
                link rel="stylesheet" href=(STYLESHEET);
                script src=(SCRIPT) data-endpoint=(RESPONSES) defer {}
            }
            body.preview-page {
                main {
                    h1 { "Your page" }
                    p { "The survey appears here as a visitor sees it. Answers are not kept." }
                }
            }
        }
    };
    let mut response = (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body.into_string(),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    response
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("preview.js"),
    )
}

/// `POST /inbox/studio/preview/responses`: answers from the preview, read and dropped. The
/// frame's origin is opaque, so the widget can only read the reply with a `*` CORS header.
async fn discard() -> Response {
    (
        StatusCode::OK,
        [
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::CONTENT_TYPE, "application/json"),
        ],
        r#"{"preview":true,"stored":false}"#,
    )
        .into_response()
}
