//! The demo shop's pretend API, so that `cargo xtask demo` and the end-to-end tests can show the failure
//! triggers on real failed requests: `POST /demo/api/payment` fails with 502 on a client's first call and
//! succeeds after, and `POST /demo/api/coupon` refuses every code but `WELCOME10` with 400. Mounted only with
//! `serve --demo`; a collector in production never has it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// Clients remembered before the list starts again, so that a long-running demo stays small.
const CLIENTS: usize = 10_000;

/// What the demo page sends.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Call {
    /// A random id the page keeps for its tab, to fail each visitor's first payment.
    client: String,
    /// The coupon code typed.
    code: String,
}

/// The clients whose first payment failed already.
type Paid = Arc<Mutex<HashSet<String>>>;

/// The demo API's routes.
pub fn routes() -> Router {
    let paid = Paid::default();
    Router::new()
        .route("/demo/api/payment", post(payment))
        .route("/demo/api/coupon", post(coupon))
        .with_state(paid)
}

/// Fails a client's first payment with 502 and accepts the next.
async fn payment(State(paid): State<Paid>, Json(call): Json<Call>) -> (StatusCode, Json<Value>) {
    let first = match paid.lock() {
        Ok(mut paid) => {
            if paid.len() >= CLIENTS {
                paid.clear();
            }
            paid.insert(call.client)
        }
        Err(_) => false,
    };
    if first {
        (
            StatusCode::BAD_GATEWAY,
            Json(json!({ "error": "payment provider unavailable" })),
        )
    } else {
        (StatusCode::OK, Json(json!({ "paid": true })))
    }
}

/// Accepts `WELCOME10` and refuses every other code.
async fn coupon(Json(call): Json<Call>) -> (StatusCode, Json<Value>) {
    if call.code.trim() == "WELCOME10" {
        (StatusCode::OK, Json(json!({ "discount": 10 })))
    } else {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "unknown code" })),
        )
    }
}
