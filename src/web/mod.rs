//! The browser layer, compiled to wasm only: it reads the page, builds the widget's DOM in one shadow root,
//! listens to events and talks to the network. Decisions are left to the plain modules of the crate. It is built
//! twice: as the small eager core every page view loads (the `core` feature, [`eager`]) and as the full widget
//! the core asks for when the page view can use it ([`widget`]); the modules both need are listed first.

// Both builds: reading the options, drawing and adopting the button, and the small pieces of browser glue (the
// core uses only some of what a few of them offer).
#[cfg_attr(feature = "core", allow(dead_code))]
mod context;
mod convert;
mod events;
mod handover;
#[cfg_attr(feature = "core", allow(dead_code))]
mod listener;
mod options;
mod promise;
#[cfg(feature = "core")]
mod theme;
#[cfg_attr(feature = "core", allow(dead_code))]
mod timeout;
#[cfg_attr(feature = "core", allow(dead_code))]
mod view;

// The eager core (`core` feature): what every page view loads.
#[cfg(feature = "core")]
mod eager;
#[cfg(feature = "core")]
pub use eager::{start, Eager};

// The full widget, fetched when the core asks for it.
macro_rules! full {
    ($($name:ident),*) => {
        $(
            #[cfg(not(feature = "core"))]
            mod $name;
        )*
    };
}
full!(
    clipboard,
    delivery,
    failures,
    feedback_dialog,
    focus,
    follow_up,
    outlet,
    recovery,
    send,
    signals,
    storage,
    survey_card,
    surveys,
    view_beacon,
    widget
);
#[cfg(not(feature = "core"))]
pub use widget::{start, Widget};

/// Writes one line to the console as an error; every message starts with `rebound:`.
fn report(message: &str) {
    web_sys::console::error_1(&message.into());
}

#[cfg(not(feature = "core"))]
/// Whether `el` is the widget's host element, which is what the page sees as the target of events and as the
/// focused element when they happen or focus is inside the widget's shadow root.
fn is_host(el: &web_sys::Element) -> bool {
    el.tag_name().eq_ignore_ascii_case("rebound-widget")
}

#[cfg(not(feature = "core"))]
/// Whether focus is inside the widget.
fn focus_inside() -> bool {
    document()
        .and_then(|d| d.active_element())
        .is_some_and(|e| is_host(&e))
}

/// The page's document.
fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}
