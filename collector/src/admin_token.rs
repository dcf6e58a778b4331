//! [`AdminToken`]: the secret that guards reading responses back, and the bearer check that
//! compares it in constant time.

use std::fmt;
use std::sync::Arc;

use axum::http::{header, HeaderMap};
use subtle::ConstantTimeEq;
use thiserror::Error;

use crate::error::ApiError;
use crate::random::random_hex;

/// Random bytes in a generated token: 128 bits cannot be guessed.
const GENERATED_BYTES: usize = 16;

/// Why a token cannot be used.
#[derive(Debug, Error)]
pub enum TokenError {
    /// An empty token would let anyone in who sends `Bearer ` with nothing after it.
    #[error("the admin token must not be empty")]
    Empty,
    /// The token could not be sent in an HTTP header.
    #[error("the admin token must be printable ASCII without spaces")]
    NotHeaderSafe,
    /// The operating system gave no random bytes.
    #[error("could not generate an admin token: {0}")]
    Random(getrandom::Error),
}

/// The admin secret. Its `Debug` output hides the value, so it cannot leak into logs.
#[derive(Clone)]
pub struct AdminToken(Arc<str>);

impl AdminToken {
    /// A token chosen by the operator.
    pub fn new(token: &str) -> Result<Self, TokenError> {
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if !token.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(TokenError::NotHeaderSafe);
        }
        Ok(Self(token.into()))
    }

    /// A fresh random token, as lowercase hex.
    pub fn generate() -> Result<Self, TokenError> {
        let hex = random_hex::<GENERATED_BYTES>().map_err(TokenError::Random)?;
        Ok(Self(hex.into()))
    }

    /// The token, to show the operator once at start-up.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// Passes when the request carries `Authorization: Bearer <this token>`.
    pub fn authorize(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            // The scheme name is case-insensitive (RFC 9110, section 11.1).
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        match presented {
            Some(token) if self.matches(token) => Ok(()),
            _ => Err(ApiError::Unauthorized),
        }
    }

    /// Whether `presented` is this token, compared in constant time: response timing must not
    /// reveal how much of a guess was right. Only the length can leak, and a generated token's
    /// length is public anyway.
    pub fn matches(&self, presented: &str) -> bool {
        bool::from(presented.as_bytes().ct_eq(self.0.as_bytes()))
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("AdminToken(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_authorization(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn accepts_only_the_exact_bearer_token() {
        let token = AdminToken::new("s3cret").expect("token");
        assert!(token
            .authorize(&with_authorization("Bearer s3cret"))
            .is_ok());
        assert!(token
            .authorize(&with_authorization("bearer s3cret"))
            .is_ok());
        for wrong in [
            "Bearer s3cre",
            "Bearer s3cret2",
            "Bearer ",
            "Basic s3cret",
            "s3cret",
        ] {
            assert!(
                token.authorize(&with_authorization(wrong)).is_err(),
                "{wrong}"
            );
        }
        assert!(token.authorize(&HeaderMap::new()).is_err());
    }

    #[test]
    fn refuses_unusable_tokens() {
        assert!(matches!(AdminToken::new(""), Err(TokenError::Empty)));
        assert!(matches!(
            AdminToken::new("two words"),
            Err(TokenError::NotHeaderSafe)
        ));
    }

    #[test]
    fn generates_distinct_hex_tokens() {
        let first = AdminToken::generate().expect("token");
        let second = AdminToken::generate().expect("token");
        assert_eq!(first.reveal().len(), GENERATED_BYTES * 2);
        assert!(first.reveal().bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert_ne!(first.reveal(), second.reveal());
    }

    #[test]
    fn debug_output_hides_the_token() {
        let token = AdminToken::new("s3cret").expect("token");
        assert!(!format!("{token:?}").contains("s3cret"));
    }
}
