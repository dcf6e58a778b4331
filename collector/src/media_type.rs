//! Which `Content-Type`s a submission may arrive with.
//!
//! The widget sends `text/plain;charset=UTF-8` by default: that keeps its POST a CORS "simple
//! request", which a browser sends without a preflight. `application/json` is for sites that
//! configured headers, and no type at all is for clients that set none, such as `fetch` with an
//! untyped `Blob`.

use thiserror::Error;

/// A `Content-Type` that a submission does not come in.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("Content-Type must be text/plain;charset=UTF-8 or application/json")]
pub struct UnsupportedMediaType;

/// Accepts a missing `Content-Type`, `text/plain` or `application/json`, in UTF-8; the header's
/// value comes as its bytes.
pub fn check(content_type: Option<&[u8]>) -> Result<(), UnsupportedMediaType> {
    match content_type {
        None => Ok(()),
        Some(value) if is_accepted(value) => Ok(()),
        Some(_) => Err(UnsupportedMediaType),
    }
}

fn is_accepted(value: &[u8]) -> bool {
    let Ok(value) = std::str::from_utf8(value) else {
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
        check(Some(value.as_bytes())).is_ok()
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
