//! Posts a payload to the site's endpoint. The body is JSON sent as `text/plain;charset=UTF-8`, which keeps the
//! request a CORS "simple" one: no preflight that a strict endpoint or a page unload could break. Sites that
//! configure extra `headers` give that up, and their endpoint must answer the preflight.

use crate::prelude::*;

use super::promise::settled;
use crate::outbox::Outcome;
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Headers, RequestInit, Response};

/// Longest server message kept for the `error` event.
const MAX_MESSAGE: usize = 300;

/// How the endpoint answered, and for a final rejection what it said.
pub struct Reply {
    /// Delivered, worth retrying, or rejected.
    pub outcome: Outcome,
    /// The HTTP status, `None` when no response arrived.
    pub status: Option<u16>,
    /// The server's explanation of a rejection: its JSON `message`, or its text.
    pub message: String,
}

/// What hears the endpoint's reply.
pub type Done = Box<dyn FnOnce(Reply)>;

/// Posts `body` to `endpoint` with the site's extra `headers`; `keepalive` lets the request outlive the page.
/// `done` hears the reply; the promise returned settles after it did.
pub fn post(
    endpoint: &str,
    body: &str,
    headers: &[(String, String)],
    keepalive: bool,
    done: Done,
) -> Promise {
    let Some(window) = web_sys::window() else {
        done(failed());
        return Promise::resolve(&JsValue::UNDEFINED);
    };
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    // web-sys has no setter for `keepalive`; the init is a plain object.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &keepalive.into());
    if let Ok(h) = Headers::new() {
        let _ = h.set("Content-Type", "text/plain;charset=UTF-8");
        for (name, value) in headers {
            let _ = h.set(name, value);
        }
        init.set_headers(&h);
    }
    settled(
        &window.fetch_with_str_and_init(endpoint, &init),
        move |response| {
            let Some(response) = response.and_then(|r| r.dyn_into::<Response>().ok()) else {
                done(failed());
                return JsValue::UNDEFINED;
            };
            let status = response.status();
            let retry_after = response
                .headers()
                .get("Retry-After")
                .ok()
                .flatten()
                .and_then(|r| retry_after_ms(&r));
            let outcome = Outcome::of(Some(status), retry_after);
            let reply = move |message: String| Reply {
                outcome,
                status: Some(status),
                message,
            };
            if outcome == Outcome::Rejected {
                if let Ok(text) = response.text() {
                    return settled(&text, move |text| {
                        let message = text
                            .map(|t| explain(&t.as_string().unwrap_or_default()))
                            .unwrap_or_default();
                        done(reply(message));
                        JsValue::UNDEFINED
                    })
                    .into();
                }
            }
            done(reply(String::new()));
            JsValue::UNDEFINED
        },
    )
}

/// The reply when no response arrived.
fn failed() -> Reply {
    Reply {
        outcome: Outcome::of(None, None),
        status: None,
        message: String::new(),
    }
}

/// `Retry-After` in milliseconds: either seconds, or an HTTP date.
fn retry_after_ms(value: &str) -> Option<f64> {
    let seconds = js_sys::Number::parse_float(value);
    if seconds.is_finite() && seconds >= 0.0 {
        return Some(seconds * 1000.0);
    }
    let at = js_sys::Date::parse(value);
    at.is_finite().then(|| (at - js_sys::Date::now()).max(0.0))
}

/// The `message` of a JSON error body, or the body's text, shortened.
fn explain(body: &str) -> String {
    let from_json = js_sys::JSON::parse(body)
        .ok()
        .and_then(|json| js_sys::Reflect::get(&json, &"message".into()).ok())
        .and_then(|m| m.as_string());
    from_json
        .unwrap_or_else(|| body.into())
        .chars()
        .take(MAX_MESSAGE)
        .collect()
}
