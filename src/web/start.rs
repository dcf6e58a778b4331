//! Start-up: gathers the configuration from the script tag, `window.ReboundConfig` and the optional config file,
//! reports every problem on its own console line, and mounts the widget when an endpoint is known.

use crate::prelude::*;

use super::promise::{later, settled};
use super::{context, convert::to_value, report, widget::Widget};
use crate::config::{Draft, Source};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Response, Window};

/// Starts the widget. `script` is the loader's `<script>` element (its `data-*` attributes and `nonce` are read)
/// or `null`; `config` is an options object such as `window.ReboundConfig`, or `undefined`. Resolves to the widget,
/// or to `undefined` when it stays off (the reason is on the console). Never rejects.
#[wasm_bindgen(unchecked_return_type = "Promise<Widget | undefined>")]
pub fn start(script: JsValue, config: JsValue) -> Promise {
    later(move || {
        let Some(window) = web_sys::window() else {
            return JsValue::UNDEFINED;
        };
        let mut draft = Draft::default();
        let mut errors = Vec::new();
        if let Some(dataset) = prop(&script, "dataset") {
            errors.extend(draft.apply_layer(Source::Attribute, &to_value(&dataset)));
        }
        errors.extend(draft.apply_layer(Source::Global, &to_value(&config)));
        let Some(url) = draft.config_url().map(String::from) else {
            return finish(&window, &script, draft, errors);
        };
        fetch_json(&window.clone(), &url.clone(), move |file| {
            match file {
                Ok(file) => errors.extend(draft.apply_layer(Source::File, &to_value(&file))),
                Err(why) => {
                    report(&["rebound: could not load the config file ", &url, ": ", why].concat())
                }
            }
            finish(&window, &script, draft, errors)
        })
        .into()
    })
}

/// Property `name` of the script element, when it has one.
fn prop(script: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(script, &name.into())
        .ok()
        .filter(|v| !v.is_undefined())
}

/// Reports the configuration's problems and mounts the widget: the widget, or `undefined` when it stays off.
fn finish(
    window: &Window,
    script: &JsValue,
    draft: Draft,
    errors: Vec<crate::config::ConfigError>,
) -> JsValue {
    for error in errors {
        report(&error.message());
    }
    let Ok(mut config) = draft.finish().map_err(|e| report(&e.message())) else {
        return JsValue::UNDEFINED;
    };
    let Some(endpoint) = context::resolve(window, &config.endpoint) else {
        report("rebound: endpoint must be an http or https URL; the widget is off");
        return JsValue::UNDEFINED;
    };
    config.endpoint = endpoint;
    if config.nonce.is_none() {
        config.nonce = prop(script, "nonce")
            .and_then(|n| n.as_string())
            .filter(|n| !n.is_empty());
    }
    Widget::mount(window, config).map_or(JsValue::UNDEFINED, JsValue::from)
}

/// Fetches and parses a JSON file, then calls `done` with it, or with why not in a few words.
fn fetch_json(
    window: &Window,
    url: &str,
    done: impl FnOnce(Result<JsValue, &'static str>) -> JsValue + 'static,
) -> Promise {
    settled(&window.fetch_with_str(url), move |response| {
        let Some(response) = response.and_then(|r| r.dyn_into::<Response>().ok()) else {
            return done(Err("the request failed"));
        };
        if !response.ok() {
            return done(Err("the server did not answer 2xx"));
        }
        let Ok(json) = response.json() else {
            return done(Err("the file is not JSON"));
        };
        settled(&json, move |file| done(file.ok_or("the file is not JSON"))).into()
    })
}
