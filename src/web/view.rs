//! The widget's eager DOM: one `<rebound-widget>` host element with an open shadow root holding the positioned
//! frame and the feedback button, built with `createElement` and text nodes only (no `innerHTML`, so Trusted
//! Types pages are safe). The on-demand parts (the dialog, the survey card) add their own elements to the frame
//! when they arrive. Styles go in as a constructable stylesheet (no CSP `style-src` needed),
//! or as a `<style>` with the page's nonce where constructable stylesheets are missing. Nothing outside the
//! shadow root is styled: the host element's own box is pinned with `!important` from inside, which beats page
//! rules such as `* { all: unset }` in the shadow cascade. The eager core builds it; the full widget adopts it.

#[cfg(feature = "core")]
use crate::config::{Config, Position};
#[cfg(feature = "core")]
use crate::locale::Key;
use crate::locale::Texts;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, ShadowRoot};

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
    /// Builds the shell with the stylesheet `css` and appends it to `<body>`; `None` if the page has no body
    /// or refuses the shadow root, or when a widget is on the page already (said on the console). The eager core's.
    #[cfg(feature = "core")]
    pub fn build(doc: &Document, config: &Config, texts: &Texts, css: &str) -> Option<View> {
        if doc
            .query_selector("rebound-widget")
            .ok()
            .flatten()
            .is_some()
        {
            super::report("rebound: a widget is already on this page; this one stays off");
            return None;
        }
        let host = doc.create_element("rebound-widget").ok()?;
        let root = host
            .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
            .ok()?;
        style(doc, &root, css, config.nonce.as_deref())?;
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
        speak(&frame, texts);
        doc.body()?.append_child(&host).ok()?;
        Some(View {
            host,
            root,
            frame,
            launcher: launcher.unchecked_into(),
        })
    }
}

impl View {
    /// The shell the eager core built inside `host`, taken over by the full widget, which adds the stylesheet
    /// `css` (with the page's `nonce` where constructable stylesheets are missing) and speaks `texts` (English,
    /// when the language's texts could not be loaded); `None` if it is not there.
    #[cfg(not(feature = "core"))]
    pub fn adopt(
        doc: &Document,
        host: Element,
        (css, nonce): (&str, Option<&str>),
        texts: &Texts,
    ) -> Option<View> {
        let root = host.shadow_root()?;
        style(doc, &root, css, nonce)?;
        let frame = root.query_selector("div").ok()??;
        speak(&frame, texts);
        let launcher = frame.query_selector(".launcher").ok()??;
        Some(View {
            host,
            root,
            frame,
            launcher: launcher.unchecked_into(),
        })
    }
}

/// Marks `frame` with the language of `texts`. The host's `lang` no longer reaches inside (`all: initial`): screen
/// readers need the widget's own. Its direction does (`all` leaves `direction` alone), so it is set both ways: an
/// English widget on a Hebrew page stays left to right.
fn speak(frame: &Element, texts: &Texts) {
    let _ = frame.set_attribute("lang", texts.locale);
    let _ = frame.set_attribute("dir", if texts.rtl() { "rtl" } else { "ltr" });
}

/// Adds the stylesheet `css` to `root`, after those it has: adopted when the browser can, otherwise a `<style>`
/// carrying `nonce`.
fn style(doc: &Document, root: &ShadowRoot, css: &str, nonce: Option<&str>) -> Option<()> {
    if let Ok(sheet) = web_sys::CssStyleSheet::new() {
        if sheet.replace_sync(css).is_ok() {
            let key = JsValue::from_str("adoptedStyleSheets");
            let before = Reflect::get(root, &key)
                .map(|s| Array::from(&s))
                .unwrap_or_default();
            if Reflect::set(root, &key, &before.concat(&Array::of1(&sheet))).is_ok() {
                return Some(());
            }
        }
    }
    let style = doc.create_element("style").ok()?;
    if let Some(nonce) = nonce {
        let _ = style.set_attribute("nonce", nonce);
    }
    style.set_text_content(Some(css));
    root.append_child(&style).ok()?;
    Some(())
}
