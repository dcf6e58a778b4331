//! The webhooks' HTTP client: one `POST` with a time limit, answering the status code, sent with
//! reqwest. Redirects are not followed and no proxy is taken from the environment: a delivery goes
//! to the configured URL or fails.
//!
//! `https://` targets go through rustls on the `ring` provider, verified against the Mozilla
//! roots (`webpki-roots`, so the host's certificate store does not matter) plus any extra
//! certificate authorities from `[webhook_delivery] extra_ca`, for receivers on a private CA.

use std::error::Error as _;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{header, redirect, Url};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

/// A checked `http[s]://host[:port]/path` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target(Url);

impl Target {
    /// Reads an `http://` or `https://` URL; the message says why another is refused.
    pub fn parse(url: &str) -> Result<Self, String> {
        let parsed = Url::parse(url).map_err(|error| format!("`{url}`: {error}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "`{url}`: only http:// and https:// URLs are supported"
            ));
        }
        if parsed.host_str().is_none_or(str::is_empty)
            || !parsed.username().is_empty()
            || parsed.password().is_some()
        {
            return Err(format!("`{url}`: expected http[s]://host[:port]/path"));
        }
        Ok(Self(parsed))
    }
}

/// The client every hook is sent with: one rustls configuration, one connection pool.
#[derive(Clone)]
pub struct Client(reqwest::Client);

impl Client {
    /// Trusts the Mozilla roots and the certificates in the PEM file `extra_ca`, if any; the
    /// message says why that file cannot be used.
    pub fn new(extra_ca: Option<&Path>) -> Result<Self, String> {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        if let Some(path) = extra_ca {
            let shown = path.display();
            let pem =
                std::fs::read(path).map_err(|error| format!("extra_ca `{shown}`: {error}"))?;
            let mut added = 0;
            for certificate in CertificateDer::pem_slice_iter(&pem) {
                let certificate =
                    certificate.map_err(|error| format!("extra_ca `{shown}`: {error}"))?;
                roots
                    .add(certificate)
                    .map_err(|error| format!("extra_ca `{shown}`: {error}"))?;
                added += 1;
            }
            if added == 0 {
                return Err(format!("extra_ca `{shown}`: no PEM certificate in it"));
            }
        }
        // The provider is named rather than taken from the process default, so that another
        // crate enabling aws-lc-rs cannot change which one is used.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| format!("TLS: {error}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .redirect(redirect::Policy::none())
            .no_proxy()
            .user_agent("rebound-collector")
            .build()
            .map_err(|error| format!("HTTP client: {}", chain(&error)))?;
        Ok(Self(client))
    }
}

impl Default for Client {
    /// The Mozilla roots only.
    fn default() -> Self {
        Self::new(None).expect("the ring provider supports the default TLS versions")
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Client")
    }
}

/// POSTs `body` as JSON with `headers` and answers the status code, or why there is none.
pub async fn post(
    client: &Client,
    target: &Target,
    headers: &[(&'static str, String)],
    body: String,
    limit: Duration,
) -> Result<u16, String> {
    let mut request = client
        .0
        .post(target.0.clone())
        .header(header::CONTENT_TYPE, "application/json")
        .timeout(limit)
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let failed = |error: reqwest::Error| {
        if error.is_timeout() {
            format!("no answer within {} s", limit.as_secs())
        } else {
            chain(&error)
        }
    };
    let response = request.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    // Reading the answer to its end lets the connection be used again; its content is unused.
    let _ = response.bytes().await;
    Ok(status)
}

/// The error and its causes, `send: connect: refused`: reqwest's own message names only the
/// URL, and the cause (a refused connection, an untrusted certificate) is what an operator needs.
fn chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(url: &str) -> String {
        Target::parse(url).expect("valid").0.to_string()
    }

    #[test]
    fn parses_http_and_https_urls() {
        assert_eq!(
            parsed("http://127.0.0.1:9000/hook?x=1"),
            "http://127.0.0.1:9000/hook?x=1"
        );
        assert_eq!(parsed("http://hooks.internal"), "http://hooks.internal/");
        assert_eq!(parsed("http://[::1]:8080/h"), "http://[::1]:8080/h");
        assert_eq!(
            parsed("https://hooks.slack.com/services/x"),
            "https://hooks.slack.com/services/x"
        );
    }

    #[test]
    fn an_extra_ca_file_must_hold_a_certificate() {
        let missing = Client::new(Some(Path::new("/nonexistent/rebound-ca.pem")));
        assert!(missing.is_err_and(|error| error.starts_with("extra_ca `")));
        let path =
            std::env::temp_dir().join(format!("rebound-empty-ca-{}.pem", std::process::id()));
        std::fs::write(&path, "not a certificate\n").expect("write");
        let empty = Client::new(Some(&path));
        let _ = std::fs::remove_file(&path);
        assert!(empty.is_err_and(|error| error.contains("no PEM certificate")));
    }

    #[test]
    fn refuses_what_it_cannot_deliver_to() {
        for url in [
            "ftp://x",
            "http://",
            "https://",
            "http://host:port/",
            "http://user@host/",
        ] {
            assert!(Target::parse(url).is_err(), "{url}");
        }
    }
}
