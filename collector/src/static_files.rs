//! Static files for the demo page and the end-to-end tests: `--www` at `/` and `--pkg` (the
//! built widget) at `/pkg/`, so one process serves the page, the widget and the endpoint.
//!
//! Media types come from the file extension; the browser insists on `application/wasm` for
//! `WebAssembly.instantiateStreaming` and on a JavaScript type for module scripts, and
//! `tower-http` maps `.wasm` and `.js` to exactly those.

use std::path::Path;

use axum::Router;
use tower_http::services::ServeDir;

/// Adds the static directories that were given to `router`; `/` answers with `index.html`.
pub fn mount(router: Router, www: Option<&Path>, pkg: Option<&Path>) -> Router {
    let router = match pkg {
        Some(dir) => router.nest_service("/pkg", ServeDir::new(dir)),
        None => router,
    };
    match www {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => router,
    }
}
