//! The smallest HTTP client the webhooks need: one `POST` over HTTP/1.1 on a fresh connection,
//! with a time limit, answering the status code. Built on hyper, which the server already
//! compiles, rather than a full client library.
//!
//! `https://` targets go through rustls on the `ring` provider, verified against the Mozilla
//! roots (`webpki-roots`, so the host's certificate store does not matter) plus any extra
//! certificate authorities from `[webhook_delivery] extra_ca`, for receivers on a private CA.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, Request};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, RootCertStore};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// A parsed `http[s]://host[:port]/path` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Whether to speak TLS (`https://`).
    tls: bool,
    host: String,
    port: u16,
    /// The path and query, starting with `/`.
    path: String,
}

impl Target {
    /// Reads an `http://` or `https://` URL; the message says why another is refused.
    pub fn parse(url: &str) -> Result<Self, String> {
        let (tls, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(format!(
                "`{url}`: only http:// and https:// URLs are supported"
            ));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(at) => (&rest[..at], rest[at..].to_owned()),
            None => (rest, "/".to_owned()),
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
                let port = port
                    .parse()
                    .map_err(|_| format!("`{url}`: the port is not a number"))?;
                (host, port)
            }
            _ => (authority, if tls { 443 } else { 80 }),
        };
        if host.is_empty() || authority.contains('@') {
            return Err(format!("`{url}`: expected http[s]://host[:port]/path"));
        }
        Ok(Self {
            tls,
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            path,
        })
    }

    /// The `Host` header: the port is left out when it is the scheme's own, as browsers do.
    fn authority(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == if self.tls { 443 } else { 80 } {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// How connections to `https://` targets are secured: one rustls configuration for every hook.
#[derive(Clone)]
pub struct Connector {
    tls: TlsConnector,
}

impl Connector {
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
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| format!("TLS: {error}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Self {
            tls: TlsConnector::from(Arc::new(config)),
        })
    }
}

impl Default for Connector {
    /// The Mozilla roots only.
    fn default() -> Self {
        Self::new(None).expect("the ring provider supports the default TLS versions")
    }
}

impl fmt::Debug for Connector {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Connector")
    }
}

/// POSTs `body` as JSON with `headers` and answers the status code, or why there is none.
pub async fn post(
    connector: &Connector,
    target: &Target,
    headers: &[(&'static str, String)],
    body: String,
    limit: Duration,
) -> Result<u16, String> {
    let attempt = async {
        let stream = TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|error| format!("connect: {error}"))?;
        if !target.tls {
            return exchange(stream, target, headers, body).await;
        }
        let name = ServerName::try_from(target.host.clone())
            .map_err(|error| format!("TLS: `{}`: {error}", target.host))?;
        let stream = connector
            .tls
            .connect(name, stream)
            .await
            .map_err(|error| format!("TLS: {error}"))?;
        exchange(stream, target, headers, body).await
    };
    tokio::time::timeout(limit, attempt)
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} s", limit.as_secs())))
}

/// The HTTP/1.1 request and response over an open connection, plain or TLS.
async fn exchange<Io>(
    io: Io,
    target: &Target,
    headers: &[(&'static str, String)],
    body: String,
) -> Result<u16, String>
where
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|error| format!("handshake: {error}"))?;
    // The connection drives the exchange; it ends with the request.
    tokio::spawn(connection);
    let mut request = Request::post(target.path.as_str())
        .header(header::HOST, target.authority())
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, "rebound-collector");
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let request = request
        .body(Full::new(Bytes::from(body)))
        .map_err(|error| format!("request: {error}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|error| format!("send: {error}"))?;
    let status = response.status().as_u16();
    // Reading the answer to its end lets the receiver finish cleanly; its content is unused.
    let _ = response.into_body().collect().await;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(host: &str, port: u16, path: &str) -> Target {
        Target {
            tls: false,
            host: host.to_owned(),
            port,
            path: path.to_owned(),
        }
    }

    #[test]
    fn parses_http_urls() {
        assert_eq!(
            Target::parse("http://127.0.0.1:9000/hook?x=1"),
            Ok(target("127.0.0.1", 9000, "/hook?x=1"))
        );
        assert_eq!(
            Target::parse("http://hooks.internal"),
            Ok(target("hooks.internal", 80, "/"))
        );
        assert_eq!(
            Target::parse("http://[::1]:8080/h"),
            Ok(target("::1", 8080, "/h"))
        );
    }

    #[test]
    fn parses_https_urls() {
        let slack = Target::parse("https://hooks.slack.com/services/x").expect("https");
        assert_eq!(
            slack,
            Target {
                tls: true,
                ..target("hooks.slack.com", 443, "/services/x")
            }
        );
        assert_eq!(slack.authority(), "hooks.slack.com");
        let local = Target::parse("https://[::1]:8443/h").expect("https");
        assert_eq!(
            (local.tls, local.authority()),
            (true, "[::1]:8443".to_owned())
        );
    }

    #[test]
    fn an_extra_ca_file_must_hold_a_certificate() {
        let missing = Connector::new(Some(Path::new("/nonexistent/rebound-ca.pem")));
        assert!(missing.is_err_and(|error| error.starts_with("extra_ca `")));
        let path =
            std::env::temp_dir().join(format!("rebound-empty-ca-{}.pem", std::process::id()));
        std::fs::write(&path, "not a certificate\n").expect("write");
        let empty = Connector::new(Some(&path));
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
