//! The Rebound collector: a reference HTTP endpoint that receives what the widget POSTs
//! (`schema/submission.v1.json`), keeps one response per id, makes each a case in a recovery
//! inbox ([`cases`], [`triage`]), announces new cases through [`webhooks`], and serves the inbox
//! as HTML ([`inbox`]), a JSON admin API and exports.
//!
//! [`app`] builds the whole HTTP surface as a [`Router`], so tests drive it without a socket and
//! the binary only adds the configuration ([`config`]), the listener, the webhook worker and
//! shutdown.

#![deny(missing_docs)]

pub mod admin;
pub mod admin_token;
pub mod admission;
mod app_state;
pub mod cases;
pub mod cases_api;
pub mod client_ip;
pub mod config;
pub mod cors;
pub mod csv;
pub mod deliveries_api;
pub mod demo_api;
pub mod demo_surveys;
pub mod duration;
pub mod error;
pub mod export;
pub mod follow_up;
pub mod follow_up_api;
pub mod health;
pub mod inbox;
pub mod ingest;
pub mod media_type;
pub mod metrics;
pub mod outbox;
pub mod random;
pub mod rate_limit;
pub mod reminders;
pub mod results;
pub mod shutdown;
pub mod sites;
pub mod static_files;
pub mod store;
pub mod studio;
pub mod submission;
mod submission_body;
pub mod trends;
pub mod trends_api;
pub mod triage;
pub mod utc_time;
pub mod views;
pub mod views_api;
pub mod webhooks;
pub mod widget_rule;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use crate::app_state::AppState;

use crate::admission::{Admission, Limits};
use crate::cors::AllowedOrigins;
use crate::follow_up_api::FollowUps;
use crate::ingest::Intake;
use crate::metrics::Metrics;
use crate::reminders::ReminderDay;
use crate::shutdown::Draining;
use crate::sites::Sites;
use crate::studio::site_access::SiteAccess;
use crate::triage::Rules;
use crate::webhooks::Webhooks;

/// How the router is put together around the handlers.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// `allow_origins`: who may POST for the sites without origins of their own, and who gets
    /// CORS headers.
    pub allowed_origins: AllowedOrigins,
    /// Directory served at `/`, for the demo page and the end-to-end tests.
    pub www: Option<PathBuf>,
    /// Directory served at `/pkg/`: the built widget.
    pub pkg: Option<PathBuf>,
    /// Whether the demo shop's pretend API is mounted ([`demo_api`]).
    pub demo: bool,
    /// Rate limits on submissions and follow-up status requests.
    pub limits: Limits,
    /// What each site allows.
    pub sites: Sites,
    /// Whether a reverse proxy in front sets `X-Forwarded-For` (see [`client_ip`]).
    pub trust_forwarded_for: bool,
    /// Priority rules and response-time targets for new cases.
    pub rules: Arc<Rules>,
    /// The webhooks of every site; the same value goes to the delivery worker.
    pub webhooks: Arc<Webhooks>,
    /// The counters; the same value goes to the delivery worker.
    pub metrics: Arc<Metrics>,
    /// Set once shutdown begins, for `GET /readyz`.
    pub draining: Draining,
    /// How long a day of `remind_in_days` is.
    pub reminder_day: ReminderDay,
}

/// Everything the handlers share: the [`AppState`] given to [`app`] and what `app` builds from
/// the options. Handlers take the parts they need as `State<_>`.
#[derive(Clone)]
struct Shared {
    app: AppState,
    intake: Arc<Intake>,
    follow_ups: Arc<FollowUps>,
    site_access: Arc<SiteAccess>,
    metrics: Arc<Metrics>,
    draining: Draining,
    reminder_day: ReminderDay,
}

impl FromRef<Shared> for AppState {
    fn from_ref(shared: &Shared) -> Self {
        shared.app.clone()
    }
}

impl FromRef<Shared> for Arc<Intake> {
    fn from_ref(shared: &Shared) -> Self {
        Arc::clone(&shared.intake)
    }
}

impl FromRef<Shared> for Arc<FollowUps> {
    fn from_ref(shared: &Shared) -> Self {
        Arc::clone(&shared.follow_ups)
    }
}

impl FromRef<Shared> for Arc<SiteAccess> {
    fn from_ref(shared: &Shared) -> Self {
        Arc::clone(&shared.site_access)
    }
}

impl FromRef<Shared> for ReminderDay {
    fn from_ref(shared: &Shared) -> Self {
        shared.reminder_day
    }
}

impl FromRef<Shared> for Draining {
    fn from_ref(shared: &Shared) -> Self {
        shared.draining.clone()
    }
}

impl FromRef<Shared> for Arc<Metrics> {
    fn from_ref(shared: &Shared) -> Self {
        Arc::clone(&shared.metrics)
    }
}

/// The collector's HTTP routes: `/v1/responses` (POST to submit, GET to list), `/v1/views`
/// (the surveys shown and dismissed), the cases API
/// under `/v1/cases`, the visitor's follow-up at `/v1/cases/status`, the trends under
/// `/v1/trends`, the webhook outbox at `/v1/webhooks/deliveries`, exports under
/// `/v1/export.*`, the HTML inbox under `/inbox`, `/healthz`, `/readyz`,
/// `/metrics` and, when asked for, the static files.
pub fn app(state: AppState, options: &AppOptions) -> Router {
    submission::compile_contract();
    let shared = Shared {
        app: state,
        intake: Arc::new(Intake {
            admission: Admission::new(
                options.limits,
                options.sites.clone(),
                options.allowed_origins.clone(),
                options.trust_forwarded_for,
            ),
            rules: Arc::clone(&options.rules),
            webhooks: Arc::clone(&options.webhooks),
            metrics: Arc::clone(&options.metrics),
        }),
        follow_ups: Arc::new(FollowUps::new(
            options.limits.status_per_ip,
            options.sites.clone(),
            options.allowed_origins.clone(),
            options.trust_forwarded_for,
        )),
        site_access: Arc::new(SiteAccess::new(
            options.sites.clone(),
            options.allowed_origins.clone(),
        )),
        metrics: Arc::clone(&options.metrics),
        draining: options.draining.clone(),
        reminder_day: options.reminder_day,
    };
    let cors = options.allowed_origins.and(options.sites.origins());
    // The follow-up answers CORS itself, per case, and so does the published configuration, per
    // site, so they are outside the shared CORS layer.
    let per_site_cors = Router::new()
        .route(
            "/v1/cases/status",
            get(follow_up_api::status).options(follow_up_api::preflight),
        )
        .route(
            "/v1/sites/{site}/config.json",
            get(studio::config_json::serve),
        )
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&shared.metrics),
            metrics::track,
        ));
    let api = Router::new()
        .route(
            "/v1/responses",
            post(ingest::submit).get(admin::list_responses),
        )
        .route("/v1/views", post(views_api::submit))
        .route("/v1/cases", get(cases_api::list))
        .route(
            "/v1/cases/{id}",
            get(cases_api::get).patch(cases_api::update),
        )
        .route("/v1/webhooks/deliveries", get(deliveries_api::list))
        .route("/v1/trends", get(trends_api::json))
        .route("/v1/trends.csv", get(trends_api::csv))
        .route("/v1/sites/{site}/surveys", get(studio::api::list))
        .route(
            "/v1/sites/{site}/surveys/{id}",
            get(studio::api::get).put(studio::api::put),
        )
        .route("/v1/sites/{site}/publish", post(studio::api::publish))
        .route("/v1/sites/{site}/versions", get(studio::api::versions))
        .route(
            "/v1/sites/{site}/versions/{n}/restore",
            post(studio::api::restore),
        )
        .route("/v1/export.csv", get(export::csv))
        .route("/v1/export.jsonl", get(export::json_lines))
        .route("/healthz", get(health::check))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::serve))
        .merge(inbox::routes())
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&shared.metrics),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(submission::MAX_BODY_BYTES))
        // Outside the handlers, so that rejections carry the CORS headers too: a browser hides
        // the status of a response without them, and the widget could not tell a 400 from an
        // outage.
        .layer(cors.layer())
        .merge(per_site_cors)
        .with_state(shared);
    let api = if options.demo {
        api.merge(demo_api::routes())
    } else {
        api
    };
    static_files::mount(api, options.www.as_deref(), options.pkg.as_deref()).layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
            .on_response(DefaultOnResponse::new().level(Level::INFO)),
    )
}
