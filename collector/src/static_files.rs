//! Static files for the demo page and the end-to-end tests: `--www` at `/` and `--pkg` (the
//! built widget) at `/pkg/`, so one process serves the page, the widget and the endpoint.
//!
//! Media types come from the file extension; the browser insists on `application/wasm` for
//! `WebAssembly.instantiateStreaming` and on a JavaScript type for module scripts, and
//! `tower-http` maps `.wasm` and `.js` to exactly those.
//!
//! `/pkg/` is readable by any origin (`Access-Control-Allow-Origin: *`), as a CDN serves it: the
//! widget's loader imports its module and fetches its WebAssembly and language files with CORS,
//! from a shop on another origin and from the studio's sandboxed preview, whose origin is opaque.

use std::path::Path;

use axum::Router;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

/// Adds the static directories that were given to `router`; `/` answers with `index.html`.
pub fn mount(router: Router, www: Option<&Path>, pkg: Option<&Path>) -> Router {
    let router = match pkg {
        Some(dir) => router.nest_service(
            "/pkg",
            Router::new()
                .fallback_service(ServeDir::new(dir))
                .layer(CorsLayer::new().allow_origin(Any)),
        ),
        None => router,
    };
    match www {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => router,
    }
}
