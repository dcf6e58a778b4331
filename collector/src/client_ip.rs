//! Which address a request came from, for the per-address rate limit.
//!
//! Behind a reverse proxy every request comes from the proxy, so the operator can say that the
//! proxy is trusted: the client is then the last address in `X-Forwarded-For`, the one the
//! proxy itself appended (earlier entries are whatever the client claimed). Without that
//! setting the header is ignored, because anyone can send it.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

/// The client's address, or `None` when neither the connection nor a trusted proxy says (as
/// in tests that drive the router without a socket).
pub fn of(
    headers: &HeaderMap,
    connection: Option<SocketAddr>,
    trust_forwarded_for: bool,
) -> Option<IpAddr> {
    let forwarded = trust_forwarded_for
        .then(|| headers.get_all("x-forwarded-for").iter().next_back())
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok());
    forwarded.or(connection.map(|addr| addr.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const PEER: Option<SocketAddr> = Some(SocketAddr::new(
        IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)),
        4000,
    ));

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn uses_the_connection_by_default() {
        let ip = of(&forwarded("203.0.113.9"), PEER, false);
        assert_eq!(ip, Some(IpAddr::from([10, 0, 0, 1])));
    }

    #[test]
    fn a_trusted_proxy_names_the_client_last() {
        let ip = of(&forwarded("198.51.100.1, 203.0.113.9"), PEER, true);
        assert_eq!(ip, Some(IpAddr::from([203, 0, 113, 9])));
    }

    #[test]
    fn a_garbled_header_falls_back_to_the_connection() {
        let ip = of(&forwarded("not an address"), PEER, true);
        assert_eq!(ip, Some(IpAddr::from([10, 0, 0, 1])));
    }

    #[test]
    fn without_a_connection_there_is_no_address() {
        assert_eq!(of(&HeaderMap::new(), None, false), None);
    }
}
