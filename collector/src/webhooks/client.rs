//! The smallest HTTP client the webhooks need: one `POST` over HTTP/1.1 on a fresh connection,
//! with a time limit, answering the status code. Built on hyper, which the server already
//! compiles, rather than a full client library.
//!
//! Only `http://` targets are supported: TLS would double the collector's build. Deliver to an
//! HTTPS endpoint such as Slack through a local forwarding proxy.

use std::time::Duration;

use axum::http::{header, Request};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A parsed `http://host[:port]/path` URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    host: String,
    port: u16,
    /// The path and query, starting with `/`.
    path: String,
}

impl Target {
    /// Reads an `http://` URL; the message says why another is refused.
    pub fn parse(url: &str) -> Result<Self, String> {
        let Some(rest) = url.strip_prefix("http://") else {
            return Err(format!(
                "`{url}`: only http:// URLs are supported (use a local proxy for https)"
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
            _ => (authority, 80),
        };
        if host.is_empty() || authority.contains('@') {
            return Err(format!("`{url}`: expected http://host[:port]/path"));
        }
        Ok(Self {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            path,
        })
    }

    fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// POSTs `body` as JSON with `headers` and answers the status code, or why there is none.
pub async fn post(
    target: &Target,
    headers: &[(&'static str, String)],
    body: String,
    limit: Duration,
) -> Result<u16, String> {
    let attempt = async {
        let stream = TcpStream::connect((target.host.as_str(), target.port))
            .await
            .map_err(|error| format!("connect: {error}"))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
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
    };
    tokio::time::timeout(limit, attempt)
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} s", limit.as_secs())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(host: &str, port: u16, path: &str) -> Target {
        Target {
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
    fn refuses_what_it_cannot_deliver_to() {
        for url in [
            "https://hooks.slack.com/services/x",
            "ftp://x",
            "http://",
            "http://host:port/",
            "http://user@host/",
        ] {
            assert!(Target::parse(url).is_err(), "{url}");
        }
    }
}
