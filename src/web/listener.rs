//! An event listener owned by a value: adding it keeps its closure alive, and dropping the value removes it from
//! its target, so `destroy()` leaves nothing behind. A few lines of our own instead of `gloo-events`, which is
//! general (phases, `once`, owned names) and costs more wasm than the widget needs.

use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, Event, EventTarget};

/// How a listener is added.
#[derive(Clone, Copy)]
pub struct EventListenerOptions {
    /// A passive listener cannot cancel the event, which lets the browser scroll without waiting for it.
    passive: bool,
    /// A capturing listener hears the event on its way down, before its target does: the only way to hear,
    /// on the document, events that do not bubble (`invalid`).
    capture: bool,
}

impl EventListenerOptions {
    /// A listener that may call `preventDefault()` (not passive).
    pub fn enable_prevent_default() -> Self {
        EventListenerOptions {
            passive: false,
            capture: false,
        }
    }

    /// A passive listener in the capture phase.
    #[cfg(not(feature = "core"))]
    pub fn capture() -> Self {
        EventListenerOptions {
            passive: true,
            capture: true,
        }
    }
}

/// A listener on `target` for events named `name`, removed when dropped.
pub struct EventListener {
    target: EventTarget,
    name: &'static str,
    capture: bool,
    callback: Closure<dyn FnMut(&Event)>,
}

impl EventListener {
    /// Adds a passive listener (it cannot cancel the event).
    pub fn new(
        target: &EventTarget,
        name: &'static str,
        callback: impl FnMut(&Event) + 'static,
    ) -> Self {
        let options = EventListenerOptions {
            passive: true,
            capture: false,
        };
        Self::add(target, name, options, Box::new(callback))
    }

    /// Adds a listener with `options`.
    pub fn new_with_options(
        target: &EventTarget,
        name: &'static str,
        options: EventListenerOptions,
        callback: impl FnMut(&Event) + 'static,
    ) -> Self {
        Self::add(target, name, options, Box::new(callback))
    }

    /// The one place that talks to the browser, so the generic constructors above stay a few bytes each.
    fn add(
        target: &EventTarget,
        name: &'static str,
        EventListenerOptions { passive, capture }: EventListenerOptions,
        callback: Box<dyn FnMut(&Event)>,
    ) -> Self {
        let callback = Closure::wrap(callback);
        let options = AddEventListenerOptions::new();
        options.set_passive(passive);
        options.set_capture(capture);
        // Adding only fails for a target that is not an event target, which the types rule out.
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            name,
            callback.as_ref().unchecked_ref(),
            &options,
        );
        EventListener {
            target: target.clone(),
            name,
            capture,
            callback,
        }
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.name,
            self.callback.as_ref().unchecked_ref(),
            self.capture,
        );
    }
}
