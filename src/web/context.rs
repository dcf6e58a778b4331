//! What the widget reads from the page and the browser: the page a visitor is on, the viewport, languages,
//! the clock and randomness. Everything here is read at the moment it is needed, never cached.

use crate::prelude::*;

use crate::config::{Config, Consent};
use crate::submission::{Client, Page};
use crate::uuid;
use web_sys::Window;

/// The page the visitor is on now.
pub fn page(window: &Window) -> Page {
    let doc = window.document();
    Page {
        url: window.location().href().unwrap_or_default(),
        title: doc.as_ref().map(|d| d.title()).unwrap_or_default(),
        referrer: doc.map(|d| d.referrer()).unwrap_or_default(),
    }
}

/// The visitor's browser, with the language the widget speaks.
pub fn client(window: &Window, locale: &str) -> Client {
    let px =
        |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
    Client {
        locale: locale.into(),
        viewport_width: px(window.inner_width()),
        viewport_height: px(window.inner_height()),
        user_agent: window.navigator().user_agent().unwrap_or_default(),
    }
}

/// The visitor's language preferences, most wanted first: the configured locale, the page's `<html lang>`, then
/// the browser's languages.
pub fn languages(window: &Window, configured: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = configured.map(Into::into).into_iter().collect();
    if let Some(lang) = window
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
    {
        out.push(lang);
    }
    out.extend(
        window
            .navigator()
            .languages()
            .iter()
            .filter_map(|l| l.as_string()),
    );
    out
}

/// The current time as RFC 3339 in UTC.
pub fn now() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// A fresh response id from the browser's cryptographic random source.
pub fn new_id(window: &Window) -> String {
    let mut bytes = [0u8; 16];
    random(window, &mut bytes);
    uuid::v4(bytes)
}

/// Fills `bytes` from the browser's cryptographic random source. Without Web Crypto (very old WebViews) it falls
/// back to `Math.random`, which still makes ids unique, though not unguessable.
pub fn random(window: &Window, bytes: &mut [u8]) {
    let filled = window
        .crypto()
        .is_ok_and(|c| c.get_random_values_with_u8_array(bytes).is_ok());
    if !filled {
        for b in bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
}

/// The page's host name, the site id when none is configured.
pub fn host_name(window: &Window) -> String {
    window.location().hostname().unwrap_or_default()
}

/// `endpoint` resolved against the page, or `None` when it is not an http(s) URL.
pub fn resolve(window: &Window, endpoint: &str) -> Option<String> {
    let base = window.location().href().ok()?;
    let url = web_sys::Url::new_with_base(endpoint, &base).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:").then(|| url.href())
}

/// Whether the browser sends the Global Privacy Control signal and the site respects it (`respectGpc`).
pub fn gpc_refuses(window: &Window, config: &Config) -> bool {
    config.respect_gpc
        && js_sys::Reflect::get(&window.navigator(), &"globalPrivacyControl".into())
            .is_ok_and(|v| v.is_truthy())
}

/// Whether answers may be kept in storage across pages: consent is granted and Global Privacy Control does not
/// refuse it.
pub fn persists(config: &Config, gpc_refuses: bool) -> bool {
    config.consent == Consent::Granted && !gpc_refuses
}

/// Runs a JavaScript regular expression, as URL rules of type `regex` need; a bad pattern matches nothing.
pub fn regex(pattern: &str, path: &str) -> bool {
    js_sys::RegExp::new(pattern, "").test(path)
}

/// The page's path, which URL rules test.
pub fn path(window: &Window) -> String {
    window.location().pathname().unwrap_or_default()
}
