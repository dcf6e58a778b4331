//! The Rebound collector: a reference HTTP endpoint that receives what the widget POSTs
//! (`schema/submission.v1.json`), stores it, and lists it for the site's owner.
//!
//! [`app`] builds the whole HTTP surface as a [`Router`], so tests drive it without a socket and
//! the binary only adds the command line, the listener and shutdown.

#![deny(missing_docs)]

pub mod admin;
pub mod admin_token;
pub mod cors;
pub mod error;
pub mod ingest;
pub mod media_type;
pub mod static_files;
pub mod store;
pub mod submission;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::post;
use axum::Router;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::admin_token::AdminToken;
use crate::cors::AllowedOrigins;
use crate::store::Store;

/// What the request handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Where submissions are kept.
    pub store: Arc<dyn Store>,
    /// The secret that `GET /v1/responses` asks for.
    pub admin_token: AdminToken,
}

/// How the router is put together around the handlers.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// Origins of pages that may POST from another origin.
    pub allowed_origins: AllowedOrigins,
    /// Directory served at `/`, for the demo page and the end-to-end tests.
    pub www: Option<PathBuf>,
    /// Directory served at `/pkg/`: the built widget.
    pub pkg: Option<PathBuf>,
}

/// The collector's HTTP routes: `/v1/responses` (POST to submit, GET to list) and, when asked
/// for, the static files.
pub fn app(state: AppState, options: &AppOptions) -> Router {
    let api = Router::new()
        .route(
            "/v1/responses",
            post(ingest::submit).get(admin::list_responses),
        )
        .layer(DefaultBodyLimit::max(ingest::MAX_BODY_BYTES))
        // Outside the handlers, so that rejections carry the CORS headers too: a browser hides
        // the status of a response without them, and the widget could not tell a 400 from an
        // outage.
        .layer(options.allowed_origins.layer())
        .with_state(state);
    static_files::mount(api, options.www.as_deref(), options.pkg.as_deref()).layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
            .on_response(DefaultOnResponse::new().level(Level::INFO)),
    )
}
