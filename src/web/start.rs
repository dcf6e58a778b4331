//! Start-up: gathers the configuration from the script tag, `window.ReboundConfig` and the optional config file,
//! reports every problem on its own console line, and mounts the widget when an endpoint is known.

use super::{context, convert::to_value, report, widget::Widget};
use crate::config::{Draft, Source};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// Starts the widget. `script` is the loader's `<script>` element (its `data-*` attributes and `nonce` are read)
/// or `null`; `config` is an options object such as `window.ReboundConfig`, or `undefined`. Resolves to the widget,
/// or to `undefined` when it stays off (the reason is on the console). Never rejects.
#[wasm_bindgen]
pub async fn start(script: JsValue, config: JsValue) -> Option<Widget> {
    let window = web_sys::window()?;
    let prop = |name: &str| {
        Reflect::get(&script, &name.into())
            .ok()
            .filter(|v| !v.is_undefined())
    };
    let mut draft = Draft::default();
    let mut errors = Vec::new();
    if let Some(dataset) = prop("dataset") {
        errors.extend(draft.apply_layer(Source::Attribute, &to_value(&dataset)));
    }
    errors.extend(draft.apply_layer(Source::Global, &to_value(&config)));
    if let Some(url) = draft.config_url().map(String::from) {
        match fetch_json(&window, &url).await {
            Ok(file) => errors.extend(draft.apply_layer(Source::File, &to_value(&file))),
            Err(why) => {
                report(&["rebound: could not load the config file ", &url, ": ", why].concat())
            }
        }
    }
    for error in errors {
        report(&error.message());
    }
    let mut config = draft.finish().map_err(|e| report(&e.message())).ok()?;
    let Some(endpoint) = context::resolve(&window, &config.endpoint) else {
        report("rebound: endpoint must be an http or https URL; the widget is off");
        return None;
    };
    config.endpoint = endpoint;
    if config.nonce.is_none() {
        config.nonce = prop("nonce")
            .and_then(|n| n.as_string())
            .filter(|n| !n.is_empty());
    }
    Widget::mount(&window, config)
}

/// Fetches and parses a JSON file, or says why not in a few words.
async fn fetch_json(window: &web_sys::Window, url: &str) -> Result<JsValue, &'static str> {
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| "the request failed")?;
    let response: Response = response.dyn_into().map_err(|_| "the request failed")?;
    if !response.ok() {
        return Err("the server did not answer 2xx");
    }
    let json = response.json().map_err(|_| "the file is not JSON")?;
    JsFuture::from(json)
        .await
        .map_err(|_| "the file is not JSON")
}
