//! The inbox's login session and its CSRF tokens, both signed with a key derived from the admin
//! token, so that no session table is needed: any collector instance sharing the token accepts
//! the cookie, and changing the token logs everyone out.
//!
//! A session cookie is `<expiry>.<nonce>.<signature>`; the CSRF token of a session is a second
//! signature over the session's nonce, so a form can only be posted by a page that was rendered
//! for that very session. Before login there is no session yet, so the login form uses a random
//! value that must come back both as a cookie and as a form field (double submit).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::admin_token::AdminToken;
use crate::random::{hex, random_hex};

/// How long a login lasts, in seconds: a working day.
pub const LIFETIME_SECONDS: u64 = 12 * 3600;

/// Random bytes in a nonce.
const NONCE_BYTES: usize = 16;

/// Signs and checks sessions and CSRF tokens.
#[derive(Clone)]
pub struct SessionKeys {
    key: [u8; 32],
}

/// A signed-in session, as read from a valid cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    nonce: String,
}

/// A fresh nonce, or `None` when the system has no randomness to give.
pub fn nonce() -> Option<String> {
    random_hex::<NONCE_BYTES>().ok()
}

/// Compares two secrets in constant time.
pub fn same(a: &str, b: &str) -> bool {
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl SessionKeys {
    /// Keys derived from the admin token (never the token itself, which must not be in cookies).
    pub fn new(token: &AdminToken) -> Self {
        Self {
            key: Self::mac(token.reveal().as_bytes(), b"rebound inbox session key"),
        }
    }

    fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(message);
        mac.finalize().into_bytes().into()
    }

    fn sign(&self, purpose: &str, value: &str) -> String {
        hex(&Self::mac(
            &self.key,
            format!("{purpose}:{value}").as_bytes(),
        ))
    }

    /// A cookie value for a new session that expires `LIFETIME_SECONDS` after `now` (Unix
    /// seconds).
    pub fn issue(&self, now: u64) -> Option<String> {
        let payload = format!("{}.{}", now + LIFETIME_SECONDS, nonce()?);
        let signature = self.sign("session", &payload);
        Some(format!("{payload}.{signature}"))
    }

    /// The session a cookie value stands for, if it is signed by these keys and not expired.
    pub fn verify(&self, cookie: &str, now: u64) -> Option<Session> {
        let (payload, signature) = cookie.rsplit_once('.')?;
        if !same(&self.sign("session", payload), signature) {
            return None;
        }
        let (expiry, nonce) = payload.split_once('.')?;
        let expiry: u64 = expiry.parse().ok()?;
        (now < expiry).then(|| Session {
            nonce: nonce.to_owned(),
        })
    }

    /// The CSRF token that forms of `session` must carry.
    pub fn csrf(&self, session: &Session) -> String {
        self.sign("csrf", &session.nonce)
    }

    /// Whether a form's CSRF token belongs to `session`.
    pub fn check_csrf(&self, session: &Session, token: &str) -> bool {
        same(&self.csrf(session), token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(token: &str) -> SessionKeys {
        SessionKeys::new(&AdminToken::new(token).expect("token"))
    }

    const NOW: u64 = 1_800_000_000;

    #[test]
    fn an_issued_session_verifies_until_it_expires() {
        let keys = keys("s3cret");
        let cookie = keys.issue(NOW).expect("cookie");
        assert!(!cookie.contains("s3cret"));
        assert!(keys.verify(&cookie, NOW).is_some());
        assert!(keys.verify(&cookie, NOW + LIFETIME_SECONDS - 1).is_some());
        assert!(keys.verify(&cookie, NOW + LIFETIME_SECONDS).is_none());
    }

    #[test]
    fn a_tampered_or_foreign_cookie_is_refused() {
        let cookie = keys("s3cret").issue(NOW).expect("cookie");
        assert!(keys("other").verify(&cookie, NOW).is_none());
        // Pushing the expiry out breaks the signature.
        let (_, rest) = cookie.split_once('.').expect("expiry");
        let extended = format!("{}.{rest}", NOW * 2);
        assert!(keys("s3cret").verify(&extended, NOW).is_none());
        assert!(keys("s3cret").verify("garbage", NOW).is_none());
    }

    #[test]
    fn csrf_tokens_belong_to_one_session() {
        let keys = keys("s3cret");
        let first = keys
            .verify(&keys.issue(NOW).expect("cookie"), NOW)
            .expect("session");
        let second = keys
            .verify(&keys.issue(NOW).expect("cookie"), NOW)
            .expect("session");
        let token = keys.csrf(&first);
        assert!(keys.check_csrf(&first, &token));
        assert!(!keys.check_csrf(&second, &token));
        assert!(!keys.check_csrf(&first, ""));
    }
}
