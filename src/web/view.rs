//! The widget's eager DOM: one `<rebound-widget>` host element with an open shadow root holding the positioned
//! frame and the feedback button, built with `createElement` and text nodes only (no `innerHTML`, so Trusted
//! Types pages are safe). The on-demand parts (the dialog, the survey card) add their own elements to the frame
//! when they arrive. Styles go in as a constructable stylesheet (no CSP `style-src` needed),
//! or as a `<style>` with the page's nonce where constructable stylesheets are missing. Nothing outside the
//! shadow root is styled: the host element's own box is pinned with `!important` from inside, which beats page
//! rules such as `* { all: unset }` in the shadow cascade.

use crate::config::{Config, Position};
use crate::locale::{Key, Texts};
use crate::stylesheet::CSS;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The built shell: its host element, shadow root, frame and button.
pub struct View {
    /// The `<rebound-widget>` element in the page.
    pub host: Element,
    /// Its shadow root.
    pub root: ShadowRoot,
    /// The positioned container of everything the widget shows.
    pub frame: Element,
    /// The feedback button.
    pub launcher: HtmlElement,
}

impl View {
    /// Builds the shell and appends it to `<body>`; `None` if the page has no body or refuses the shadow root.
    pub fn build(doc: &Document, config: &Config, texts: &Texts) -> Option<View> {
        let host = doc.create_element("rebound-widget").ok()?;
        let root = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()?;
        style(doc, &root, config.nonce.as_deref())?;
        let frame = doc.create_element("div").ok()?;
        root.append_child(&frame).ok()?;
        let launcher = doc.create_element("button").ok()?;
        launcher.set_class_name("launcher");
        launcher.set_text_content(Some(texts.label(Key::Button)));
        for (name, value) in [
            ("type", "button"),
            ("aria-haspopup", "dialog"),
            ("aria-expanded", "false"),
        ] {
            let _ = launcher.set_attribute(name, value);
        }
        frame.append_child(&launcher).ok()?;
        // Right to left, the default corner mirrors; a corner the site chose stays where it was put.
        let position = match (texts.rtl(), config.position_chosen) {
            (true, false) => Position::BottomLeft,
            _ => config.position,
        };
        frame.set_class_name(position.name());
        // The host's `lang` no longer reaches inside (`all: initial`): screen readers need the widget's own. Its
        // direction does (`all` leaves `direction` alone), so it is set both ways: an English widget on a Hebrew
        // page stays left to right.
        let _ = frame.set_attribute("lang", texts.locale);
        let _ = frame.set_attribute("dir", if texts.rtl() { "rtl" } else { "ltr" });
        doc.body()?.append_child(&host).ok()?;
        Some(View {
            host,
            root,
            frame,
            launcher: launcher.unchecked_into(),
        })
    }
}

/// Puts the stylesheet into `root`: adopted when the browser can, otherwise a `<style>` carrying `nonce`.
fn style(doc: &Document, root: &ShadowRoot, nonce: Option<&str>) -> Option<()> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(CSS).is_ok() {
            let sheets = Array::of1(&sheet);
            if Reflect::set(root, &JsValue::from_str("adoptedStyleSheets"), &sheets).is_ok() {
                return Some(());
            }
        }
    }
    let style = doc.create_element("style").ok()?;
    if let Some(nonce) = nonce {
        let _ = style.set_attribute("nonce", nonce);
    }
    style.set_text_content(Some(CSS));
    root.append_child(&style).ok()?;
    Some(())
}
