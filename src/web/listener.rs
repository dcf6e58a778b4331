//! An event listener owned by a value: added when it is made, removed when it is dropped. It does what the
//! widget used of `gloo-events` with the same names, in less wasm: every listener is a plain, non-passive one,
//! so a handler may always call `preventDefault`.

use wasm_bindgen::prelude::*;
use web_sys::{Event, EventTarget};

/// A listener on `target` for `kind` events, removed on drop.
pub struct EventListener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(&Event)>,
}

/// How a listener is added; kept for the call sites written against `gloo-events`, whose default was passive.
pub struct EventListenerOptions;

impl EventListenerOptions {
    /// A listener that may call `preventDefault`, which every listener here may.
    pub fn enable_prevent_default() -> Self {
        EventListenerOptions
    }
}

impl EventListener {
    /// Listens for `kind` events on `target` until the returned value is dropped.
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        callback: impl FnMut(&Event) + 'static,
    ) -> Self {
        Self::boxed(target, kind, Box::new(callback))
    }

    /// The part that does not depend on the callback's type, so the wasm holds it once.
    fn boxed(target: &EventTarget, kind: &'static str, callback: Box<dyn FnMut(&Event)>) -> Self {
        let callback = Closure::wrap(callback);
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        EventListener {
            target: target.clone(),
            kind,
            callback,
        }
    }

    /// As [`EventListener::new`]; the options are the only kind there is.
    pub fn new_with_options(
        target: &EventTarget,
        kind: &'static str,
        _options: EventListenerOptions,
        callback: impl FnMut(&Event) + 'static,
    ) -> Self {
        Self::new(target, kind, callback)
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}
