//! Who is signed in to the inbox: the session cookie read and checked with
//! [`SessionKeys`](super::session::SessionKeys), for every page and form of the inbox and the
//! studio.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{header, HeaderMap};

use super::session::{Session, SessionKeys};
use crate::app_state::AppState;

/// The cookie that holds the session.
pub const SESSION_COOKIE: &str = "rebound_session";
/// The sign-in page, where every inbox page sends a browser without a session.
pub const LOGIN: &str = "/inbox/login";

/// The time now, in Unix seconds.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The value of cookie `name`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// The keys and the session of a request signed in with a valid, unexpired cookie.
pub fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<(SessionKeys, Session)> {
    let keys = SessionKeys::new(&state.admin_token);
    let session = keys.verify(cookie(headers, SESSION_COOKIE)?, now())?;
    Some((keys, session))
}
