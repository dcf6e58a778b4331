//! Start-up, for the eager core and the full widget alike: gathers the configuration from the script tag,
//! `window.ReboundConfig` and the optional config file, reports every problem on its own console line, and goes on
//! only when an endpoint is known.

use crate::prelude::*;

use super::promise::{later, settled};
use super::{context, convert::to_value, report};
use crate::config::{Config, ConfigError, Draft, Source, NO_ENDPOINT};
use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Response, Window};

/// Reads the options in a microtask: the script element's `data-*` attributes (`script` is the loader's
/// `<script>` or `null`), `config` (such as `window.ReboundConfig`, or `undefined`) and the config file. `file` is
/// the file's JSON when the eager core fetched it already (`undefined` if there is none); with `None` it is
/// fetched here when the options name one. With `loud`, every problem is one console line: the full widget says
/// them; the eager core, which has no messages, only tells whether there were any, and then asks for the full
/// widget to say them. Then `done` gets the checked configuration, the file's JSON and whether there were
/// problems, and the promise resolves to what it returns, or to `undefined` when the widget stays off (an
/// endpoint missing or not http(s), which both say). Never rejects.
pub fn read(
    script: JsValue,
    config: JsValue,
    file: Option<JsValue>,
    loud: bool,
    done: impl FnOnce(&Window, Config, JsValue, bool) -> JsValue + 'static,
) -> Promise {
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
        let url = draft.config_url().map(String::from);
        let fetcher = window.clone();
        let read = move |file: JsValue, mut errors: Vec<ConfigError>| {
            if !file.is_undefined() {
                errors.extend(draft.apply_layer(Source::File, &to_value(&file)));
            }
            let problems = !errors.is_empty();
            // The core's build leaves the messages out, whatever it passes.
            if loud && cfg!(not(feature = "core")) {
                for error in errors {
                    report(&error.message());
                }
            }
            match checked(&window, &script, draft) {
                Some(config) => done(&window, config, file, problems),
                None => JsValue::UNDEFINED,
            }
        };
        match (file, url) {
            (Some(file), _) => read(file, errors),
            (None, None) => read(JsValue::UNDEFINED, errors),
            (None, Some(url)) => fetch_json(&fetcher, &url.clone(), move |file| {
                read(
                    file.unwrap_or_else(|why| {
                        report(
                            &["rebound: could not load the config file ", &url, ": ", why].concat(),
                        );
                        JsValue::UNDEFINED
                    }),
                    errors,
                )
            })
            .into(),
        }
    })
}

/// Property `name` of the script element, when it has one.
fn prop(script: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(script, &name.into())
        .ok()
        .filter(|v| !v.is_undefined())
}

/// Checks what the widget cannot run without: the configuration, or `None` when the widget stays off (said on
/// the console).
fn checked(window: &Window, script: &JsValue, draft: Draft) -> Option<Config> {
    let Ok(mut config) = draft.finish() else {
        report(NO_ENDPOINT);
        return None;
    };
    let Some(endpoint) = context::resolve(window, &config.endpoint) else {
        report("rebound: endpoint must be an http or https URL; the widget is off");
        return None;
    };
    config.endpoint = endpoint;
    if config.nonce.is_none() {
        config.nonce = prop(script, "nonce")
            .and_then(|n| n.as_string())
            .filter(|n| !n.is_empty());
    }
    Some(config)
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
