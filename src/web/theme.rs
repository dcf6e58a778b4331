//! Keeps the widget's colours in step with its `theme` option and, when `themeAttribute` names one, with the host
//! page's own attribute on `<html>`, followed live. The stylesheet does the rest: the frame's `data-theme` is
//! `light`, `dark` or `auto`, and `auto` follows the visitor's system setting through a media query. Dropping the
//! [`Follow`] disconnects the observer.

use crate::prelude::*;

use crate::config::Config;
use wasm_bindgen::prelude::*;
use web_sys::{Element, Event, MutationObserver, MutationObserverInit, Window};

/// Called by the observer; kept alive as long as it observes.
type Callback = Closure<dyn FnMut(&Event)>;

/// Observes the page's theme attribute while it lives.
pub struct Follow(Option<(MutationObserver, Callback)>);

impl Drop for Follow {
    fn drop(&mut self) {
        if let Some((observer, _)) = &self.0 {
            observer.disconnect();
        }
    }
}

/// Sets the theme on `frame` now and, with a `themeAttribute`, again whenever the page's attribute changes.
pub fn follow(window: &Window, frame: &Element, config: &Config) -> Follow {
    let html = window.document().and_then(|d| d.document_element());
    let (theme, attribute) = (config.theme, config.theme_attribute.clone());
    let apply = {
        let (frame, html, attribute) = (frame.clone(), html.clone(), attribute.clone());
        move || {
            let page = html
                .as_ref()
                .zip(attribute.as_deref())
                .and_then(|(html, name)| html.get_attribute(name));
            let _ = frame.set_attribute("data-theme", theme.with_page(page.as_deref()).name());
        }
    };
    apply();
    Follow(html.zip(attribute).and_then(|(html, name)| {
        // The observer's arguments are never read: typing the callback like an event listener's shares the
        // closure code the widget's own listeners already bring, instead of adding a second kind.
        let changed: Callback = Closure::wrap(Box::new(move |_: &Event| apply()));
        let observer = MutationObserver::new(changed.as_ref().unchecked_ref()).ok()?;
        let init = MutationObserverInit::new();
        init.set_attribute_filter(&js_sys::Array::of1(&name.into()));
        observer.observe_with_options(&html, &init).ok()?;
        Some((observer, changed))
    }))
}
