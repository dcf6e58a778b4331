//! Posts a payload to the site's endpoint. The body is JSON sent as `text/plain;charset=UTF-8`, which keeps the
//! request a CORS "simple" one: no preflight that a strict endpoint or a page unload could break.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

/// Posts `body` to `endpoint`; true only when the endpoint answered 2xx.
pub async fn post(endpoint: &str, body: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&body.into());
    if let Ok(headers) = Headers::new() {
        let _ = headers.set("Content-Type", "text/plain;charset=UTF-8");
        init.set_headers(&headers);
    }
    match JsFuture::from(window.fetch_with_str_and_init(endpoint, &init)).await {
        Ok(response) => response.dyn_into::<Response>().is_ok_and(|r| r.ok()),
        Err(_) => false,
    }
}
