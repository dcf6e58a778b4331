//! [`AppState`]: what every request handler may use, given to [`crate::app`] by whoever builds the
//! router (the binary, the tests, the benchmark). Its own module, so that the handlers and the
//! metrics take it without importing the crate root that imports them.

use std::sync::Arc;

use crate::admin_token::AdminToken;
use crate::store::Store;

/// What the request handlers share.
#[derive(Clone)]
pub struct AppState {
    /// Where submissions are kept.
    pub store: Arc<dyn Store>,
    /// The secret that `GET /v1/responses` asks for.
    pub admin_token: AdminToken,
}
