//! Webhooks from ingest to receiver: a matching case queues one delivery, the worker sends it
//! signed per Standard Webhooks, retries keep its id, and a hook that keeps failing is shown in
//! the admin API, the inbox and `/metrics`. HTTPS receivers use certificates made at test time:
//! one whose CA is configured as `extra_ca` is delivered to, any other is refused.

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::post as post_route;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rebound_collector::metrics::Metrics;
use rebound_collector::triage::Priority;
use rebound_collector::webhooks::payload::Format;
use rebound_collector::webhooks::{worker, DeliveryConfig, WebhookConfig, Webhooks};
use rebound_collector::AppOptions;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use crate::support::{admin_json, post, router_and_store, submission, TempDir, ID_A, ID_B};

/// The signing key of the test hook.
const KEY: &[u8] = b"rebound-test-key";

pub fn secret() -> String {
    format!("whsec_{}", STANDARD.encode(KEY))
}

/// One call the receiver got.
#[derive(Clone, Debug)]
pub struct Call {
    headers: HeaderMap,
    pub body: String,
}

/// A webhook receiver on a loopback port that fails its first `failures` calls with 500.
#[derive(Clone)]
pub struct Receiver {
    calls: Arc<Mutex<Vec<Call>>>,
    failures: usize,
}

impl Receiver {
    fn new(failures: usize) -> (Self, Router) {
        let receiver = Self {
            calls: Arc::default(),
            failures,
        };
        let app = Router::new()
            .route("/hook", post_route(Self::receive))
            .with_state(receiver.clone());
        (receiver, app)
    }

    pub async fn start(failures: usize) -> (Self, String) {
        let (receiver, app) = Self::new(failures);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    /// The receiver over HTTPS, presenting `certificate` for 127.0.0.1.
    async fn start_https(certificate: &ServerCertificate) -> (Self, String) {
        let (receiver, app) = Self::new(0);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(certificate.chain.clone(), certificate.key.clone_key())
            .expect("certificate");
        let listener = TlsListener {
            tcp: TcpListener::bind("127.0.0.1:0").await.expect("bind"),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        };
        let url = format!("https://{}/hook", listener.tcp.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    async fn receive(State(receiver): State<Self>, headers: HeaderMap, body: String) -> StatusCode {
        let mut calls = receiver.calls.lock().expect("calls");
        calls.push(Call { headers, body });
        if calls.len() <= receiver.failures {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::NO_CONTENT
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("calls").clone()
    }

    /// Waits until `count` calls arrived (or fails the test after ten seconds).
    pub async fn wait_for(&self, count: usize) -> Vec<Call> {
        for _ in 0..1000 {
            if self.calls().len() >= count {
                return self.calls();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("only {} of {count} calls arrived", self.calls().len());
    }
}

/// Accepts TLS connections for `axum::serve`.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, address)) = self.tcp.accept().await else {
                continue;
            };
            // A client that does not trust the certificate ends the handshake here; such a
            // connection never reaches the router, so it is not a call.
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, address);
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// A certificate authority made for one test, with the PEM file a collector trusts it from.
struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
    dir: TempDir,
}

/// A server certificate for 127.0.0.1 and its key.
struct ServerCertificate {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl TestCa {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("CA key");
        let issuer = CertifiedIssuer::self_signed(params, key).expect("CA certificate");
        let dir = TempDir::new();
        std::fs::write(dir.path().join("ca.pem"), issuer.pem()).expect("write CA");
        Self { issuer, dir }
    }

    /// The PEM file holding the CA's certificate.
    fn pem_file(&self) -> std::path::PathBuf {
        self.dir.path().join("ca.pem")
    }

    fn issue_for_loopback(&self) -> ServerCertificate {
        let key = KeyPair::generate().expect("server key");
        let params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("params");
        let certificate = params
            .signed_by(&key, &*self.issuer)
            .expect("server certificate");
        ServerCertificate {
            chain: vec![certificate.der().clone(), self.issuer.der().clone()],
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }
}

/// A router whose site `demo-shop` has one hook to `url` for high priority and up, and a
/// worker running on its database; `extra_ca` is the `[webhook_delivery]` setting.
fn collector(url: &str, retries: usize, extra_ca: Option<&Path>) -> (Router, Arc<Metrics>) {
    let site = "demo-shop".to_owned();
    let hook = WebhookConfig {
        name: "team".to_owned(),
        url: url.to_owned(),
        format: Format::Json,
        secret: Some(secret()),
        min_priority: Some(Priority::High),
        surveys: Vec::new(),
    };
    let delivery = DeliveryConfig {
        retry_after: vec![Duration::ZERO; retries],
        timeout: Duration::from_secs(5),
        extra_ca: extra_ca.map(Path::to_path_buf),
        ..DeliveryConfig::default()
    };
    let webhooks = Webhooks::new([(&site, &[hook][..])], delivery, None).expect("hooks");
    let options = AppOptions {
        webhooks: Arc::new(webhooks),
        ..AppOptions::default()
    };
    let (router, store) = router_and_store(options.clone());
    tokio::spawn(worker::run(
        store,
        Arc::clone(&options.webhooks),
        Arc::clone(&options.metrics),
        // Never stopped: the worker ends with the test's runtime.
        tokio_util::sync::CancellationToken::new(),
    ));
    (router, options.metrics)
}

pub fn header<'a>(call: &'a Call, name: &str) -> &'a str {
    call.headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .expect("text")
}

/// Checks the Standard Webhooks signature the way a receiver would.
pub fn assert_signed(call: &Call) {
    let id = header(call, "webhook-id");
    let timestamp = header(call, "webhook-timestamp");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(KEY).expect("key");
    mac.update(format!("{id}.{timestamp}.{}", call.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    assert_eq!(header(call, "webhook-signature"), expected);
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_one_delivery_id_three_times() {
    let (receiver, url) = Receiver::start(2).await;
    let (router, metrics) = collector(&url, 3, None);
    // Rating 2 with contact: high.
    assert_eq!(
        post(&router, &submission(ID_A, true)).await.status,
        StatusCode::CREATED
    );

    let calls = receiver.wait_for(3).await;
    let ids: Vec<&str> = calls
        .iter()
        .map(|call| header(call, "webhook-id"))
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0] && id.starts_with("msg_")),
        "{ids:?}"
    );
    for call in &calls {
        assert_signed(call);
        let body: Value = serde_json::from_str(&call.body).expect("JSON");
        assert_eq!(body["type"], "case.opened");
        assert_eq!(body["data"]["id"], ID_A);
        assert_eq!(body["data"]["priority"], "high");
    }

    // The same id again is kept, not re-announced.
    post(&router, &submission(ID_A, true)).await;
    let mut delivered = Value::Null;
    for _ in 0..500 {
        delivered = admin_json(&router, "/v1/webhooks/deliveries").await;
        if delivered["deliveries"][0]["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(delivered["deliveries"].as_array().map(Vec::len), Some(1));
    assert_eq!(delivered["deliveries"][0]["status"], "delivered");
    assert_eq!(delivered["deliveries"][0]["attempts"], 3);
    assert_eq!(delivered["deliveries"][0]["id"], ids[0]);
    assert_eq!(receiver.calls().len(), 3);
    let text = metrics.render(None);
    assert!(
        text.contains("rebound_webhook_attempts_total{result=\"retry\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("rebound_webhook_attempts_total{result=\"delivered\"} 1"),
        "{text}"
    );
}

#[tokio::test]
async fn a_case_below_the_hooks_priority_is_not_sent() {
    let (receiver, url) = Receiver::start(0).await;
    let (router, _) = collector(&url, 0, None);
    let mut happy = submission(ID_A, true);
    happy["answers"] = json!([{"question": "rating", "type": "rating", "value": 5}]);
    post(&router, &happy).await;
    // A high case after it proves the worker ran; only that one arrives.
    post(&router, &submission(ID_B, true)).await;
    let calls = receiver.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(receiver.calls().len(), 1);
    let body: Value = serde_json::from_str(&calls[0].body).expect("JSON");
    assert_eq!(body["data"]["id"], ID_B);
}

#[tokio::test]
async fn a_hook_that_keeps_failing_is_visible() {
    let (receiver, url) = Receiver::start(usize::MAX).await;
    let (router, _) = collector(&url, 1, None);
    post(&router, &submission(ID_A, true)).await;
    receiver.wait_for(2).await;

    let mut failed = Value::Null;
    for _ in 0..500 {
        failed = admin_json(&router, "/v1/webhooks/deliveries?status=failed").await;
        // The list is read before the counts, so it is what to wait for: a delivery that fails
        // between the two reads is counted but not yet listed.
        if failed["deliveries"]
            .as_array()
            .is_some_and(|list| list.len() == 1)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(failed["counts"]["failed"], 1, "{failed}");
    let delivery = &failed["deliveries"][0];
    assert_eq!(delivery["case_id"], ID_A);
    assert_eq!(delivery["hook"], "demo-shop/team");
    assert_eq!(delivery["attempts"], 2);
    assert_eq!(delivery["last_error"], "the receiver answered HTTP 500");

    let case = admin_json(&router, &format!("/v1/cases/{ID_A}")).await;
    assert_eq!(case["deliveries"][0]["status"], "failed");

    let metrics = crate::support::send(
        &router,
        axum::http::Request::builder()
            .uri("/metrics")
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await;
    let text = String::from_utf8(metrics.body).expect("text");
    assert!(text.contains("\nrebound_webhook_failed 1\n"), "{text}");
    assert!(text.contains("\nrebound_webhook_queue_depth 0\n"), "{text}");

    let bad = crate::support::admin(
        &router,
        Method::GET,
        "/v1/webhooks/deliveries?status=lost",
        None,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["field"], "status");
}

/// Polls the deliveries API until `count` deliveries have `status` (or ten seconds pass).
async fn deliveries_with(router: &Router, status: &str, count: usize) -> Value {
    let mut listed = Value::Null;
    for _ in 0..1000 {
        listed = admin_json(router, &format!("/v1/webhooks/deliveries?status={status}")).await;
        if listed["deliveries"].as_array().map(Vec::len) == Some(count) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    listed
}

#[tokio::test]
async fn an_https_receiver_whose_ca_is_configured_gets_one_signed_call() {
    let ca = TestCa::new("Rebound test CA");
    let (receiver, url) = Receiver::start_https(&ca.issue_for_loopback()).await;
    let (router, _) = collector(&url, 2, Some(&ca.pem_file()));
    // Rating 2 with contact: high.
    assert_eq!(
        post(&router, &submission(ID_A, true)).await.status,
        StatusCode::CREATED
    );

    let calls = receiver.wait_for(1).await;
    assert_signed(&calls[0]);
    let body: Value = serde_json::from_str(&calls[0].body).expect("JSON");
    assert_eq!(body["data"]["id"], ID_A);
    let delivered = deliveries_with(&router, "delivered", 1).await;
    assert_eq!(
        delivered["deliveries"][0]["status"], "delivered",
        "{delivered}"
    );
    assert_eq!(delivered["deliveries"][0]["attempts"], 1);
    assert_eq!(delivered["deliveries"][0]["last_error"], Value::Null);
    assert_eq!(receiver.calls().len(), 1);
}

#[tokio::test]
async fn an_https_receiver_with_an_untrusted_certificate_is_not_delivered_to() {
    // The receiver's CA is neither a Mozilla root nor the configured extra one.
    let unknown = TestCa::new("Unknown CA");
    let trusted = TestCa::new("Rebound test CA");
    let (receiver, url) = Receiver::start_https(&unknown.issue_for_loopback()).await;
    let (router, _) = collector(&url, 1, Some(&trusted.pem_file()));
    post(&router, &submission(ID_A, true)).await;

    let failed = deliveries_with(&router, "failed", 1).await;
    assert_eq!(failed["counts"]["failed"], 1, "{failed}");
    let delivery = &failed["deliveries"][0];
    assert_eq!(delivery["attempts"], 2, "retried once, then failed");
    let error = delivery["last_error"].as_str().unwrap_or_default();
    assert!(error.contains("invalid peer certificate"), "{error}");
    assert!(receiver.calls().is_empty());
}
