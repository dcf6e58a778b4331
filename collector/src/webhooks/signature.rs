//! Signing per the Standard Webhooks scheme (<https://www.standardwebhooks.com/>): each request
//! carries `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, which is
//! `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under the endpoint's secret.
//! Secrets are written `whsec_` followed by the base64 key, as receivers' libraries expect.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The prefix of a secret as written in the config.
const PREFIX: &str = "whsec_";

/// A webhook's signing key.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Secret(..)")
    }
}

impl Secret {
    /// Reads `whsec_<base64>`; the prefix may be left out.
    pub fn parse(text: &str) -> Option<Self> {
        let key = STANDARD
            .decode(text.strip_prefix(PREFIX).unwrap_or(text))
            .ok()?;
        (!key.is_empty()).then_some(Self(key))
    }

    /// The `webhook-signature` header value for one message.
    pub fn sign(&self, id: &str, timestamp: u64, body: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_webhooks_reference_vector() {
        // The example from the Standard Webhooks specification's reference libraries.
        let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        let signature = secret.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            "{\"test\": 2432232314}",
        );
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn refuses_keys_that_are_not_base64() {
        assert!(Secret::parse("whsec_not base64!").is_none());
        assert!(Secret::parse("whsec_").is_none());
        assert!(Secret::parse("c2VjcmV0").is_some());
    }
}
