//! Small helpers for building the widget's DOM with `createElement` and text nodes only: nothing dynamic ever
//! goes through `innerHTML`, so Trusted Types pages and untrusted texts are safe.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// A new `tag` element with `class` (none when empty) appended to `parent`, cast to the element type wanted.
pub fn child<T: JsCast>(parent: &Element, tag: &str, class: &str) -> Option<T> {
    let doc = parent.owner_document()?;
    let el = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    parent.append_child(&el).ok()?;
    el.dyn_into().ok()
}

/// Like [`child`], with text content.
pub fn text_child<T: JsCast>(parent: &Element, tag: &str, class: &str, text: &str) -> Option<T> {
    let el: Element = child(parent, tag, class)?;
    el.set_text_content(Some(text));
    el.dyn_into().ok()
}

/// Sets several attributes at once; failures (impossible for the fixed names used) are ignored.
pub fn attrs(el: &Element, pairs: &[(&str, &str)]) {
    for (name, value) in pairs {
        let _ = el.set_attribute(name, value);
    }
}

/// The page's document.
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}
