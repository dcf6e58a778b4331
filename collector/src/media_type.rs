//! Which `Content-Type`s a submission may arrive with.
//!
//! The widget sends `text/plain;charset=UTF-8` by default: that keeps its POST a CORS "simple
//! request", which a browser sends without a preflight. `application/json` is for sites that
//! configured headers, and no type at all is for clients that set none, such as `fetch` with an
//! untyped `Blob`.

use axum::http::HeaderValue;

use crate::error::ApiError;

/// Accepts a missing `Content-Type`, `text/plain` or `application/json`, in UTF-8.
pub fn check(content_type: Option<&HeaderValue>) -> Result<(), ApiError> {
    match content_type {
        None => Ok(()),
        Some(value) if is_accepted(value) => Ok(()),
        Some(_) => Err(ApiError::UnsupportedMediaType),
    }
}

fn is_accepted(value: &HeaderValue) -> bool {
    let Ok(value) = value.to_str() else {
        return false;
    };
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    let known = essence.eq_ignore_ascii_case("text/plain")
        || essence.eq_ignore_ascii_case("application/json");
    // Any other parameter is harmless, but a charset other than UTF-8 would be misread.
    known
        && parts.all(|parameter| match parameter.split_once('=') {
            Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => charset
                .trim()
                .trim_matches('"')
                .eq_ignore_ascii_case("utf-8"),
            _ => true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(value: &'static str) -> bool {
        check(Some(&HeaderValue::from_static(value))).is_ok()
    }

    #[test]
    fn accepts_what_browsers_and_clients_send() {
        assert!(check(None).is_ok());
        assert!(accepts("text/plain;charset=UTF-8"));
        assert!(accepts("text/plain"));
        assert!(accepts("Text/Plain; charset=\"utf-8\""));
        assert!(accepts("application/json"));
        assert!(accepts("application/json; charset=utf-8"));
    }

    #[test]
    fn refuses_other_types_and_charsets() {
        assert!(!accepts("image/png"));
        assert!(!accepts("application/x-www-form-urlencoded"));
        assert!(!accepts("multipart/form-data; boundary=x"));
        assert!(!accepts("text/plain;charset=ISO-8859-1"));
        assert!(!accepts(""));
    }
}
