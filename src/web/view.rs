//! The widget's DOM: one `<rebound-widget>` host element with an open shadow root holding the feedback button
//! and the dialog described by [`crate::dialog`], built with `createElement` and text nodes only (no
//! `innerHTML`, so Trusted Types pages are safe). Styles go in as a constructable stylesheet (no CSP `style-src` needed),
//! or as a `<style>` with the page's nonce where constructable stylesheets are missing. Nothing outside the
//! shadow root is styled: the host element's own box is pinned with `!important` from inside, which beats page
//! rules such as `* { all: unset }` in the shadow cascade.

use crate::prelude::*;

use crate::config::{Config, Position};
use crate::dialog::{Node, FRAME, TREE};
use crate::locale::Texts;
use crate::stylesheet::CSS;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};

/// The built widget: its host element, shadow root, and every element of [`TREE`] at the same index.
pub struct View {
    /// The `<rebound-widget>` element in the page.
    pub host: Element,
    /// Its shadow root.
    pub root: ShadowRoot,
    nodes: [Element; TREE.len()],
}

impl View {
    /// Builds the widget and appends it to `<body>`; `None` if the page has no body or refuses the shadow root.
    pub fn build(doc: &Document, config: &Config, texts: &Texts) -> Option<View> {
        let host = doc.create_element("rebound-widget").ok()?;
        let root = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()?;
        style(doc, &root, config.nonce.as_deref())?;
        let mut nodes: Vec<Element> = Vec::with_capacity(TREE.len());
        for Node(parent, tag, class, text, label, attrs) in &TREE {
            let el = doc.create_element(tag).ok()?;
            if !class.is_empty() {
                el.set_class_name(class);
            }
            if let Some(key) = text {
                el.set_text_content(Some(texts.get(*key)));
            }
            if let Some(key) = label {
                let _ = el.set_attribute("aria-label", texts.get(*key));
            }
            for (name, value) in *attrs {
                let _ = el.set_attribute(name, value);
            }
            // A parent index past the built nodes is `ROOT`: the shadow root itself.
            let parent: &web_sys::Node = match nodes.get(*parent) {
                Some(p) => p,
                None => &root,
            };
            parent.append_child(&el).ok()?;
            nodes.push(el);
        }
        let nodes: [Element; TREE.len()] = nodes.try_into().ok()?;
        // Right to left, the default corner mirrors; a corner the site chose stays where it was put.
        let position = match (texts.rtl(), config.position_chosen) {
            (true, false) => Position::BottomLeft,
            _ => config.position,
        };
        let frame = &nodes[FRAME];
        frame.set_class_name(position.name());
        // The host's `lang` no longer reaches inside (`all: initial`): screen readers need the widget's own. Its
        // direction does (`all` leaves `direction` alone), so it is set both ways: an English widget on a Hebrew
        // page stays left to right.
        let _ = frame.set_attribute("lang", texts.locale);
        let _ = frame.set_attribute("dir", if texts.rtl() { "rtl" } else { "ltr" });
        doc.body()?.append_child(&host).ok()?;
        Some(View { host, root, nodes })
    }

    /// The element at `index` of [`TREE`], as the type its tag makes it.
    #[inline(always)]
    pub fn get<T: JsCast>(&self, index: usize) -> &T {
        self.nodes[index].unchecked_ref()
    }

    /// The rating the visitor chose, if any.
    pub fn rating(&self) -> Option<u8> {
        let checked = self
            .root
            .query_selector("input[name=rating]:checked")
            .ok()??;
        let value = checked.get_attribute("value")?;
        value.bytes().next().map(|b| b.wrapping_sub(b'0'))
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
