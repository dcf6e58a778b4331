//! The browser layer, compiled to wasm only: it reads the page, builds the widget's DOM in one shadow root,
//! listens to events and talks to the network. Decisions are left to the plain modules of the crate. It is built
//! four times: as the small eager core every page view loads (the `core` feature, [`eager`]), as the outbox part
//! the core asks for when earlier pages left answers and nothing else needs more (the `flush` feature,
//! [`flush`]), as the full widget the core asks for when the page view can use it ([`widget`]), and as the
//! dialog part, the full widget without its surveys, which the core asks for instead when the options configure
//! none (the `dialog` feature); the modules more than one build needs are listed first.

// Every build: the small pieces of browser glue (a build may use only some of what a few of them offer).
#[cfg_attr(
    any(feature = "core", feature = "flush", feature = "dialog"),
    allow(dead_code)
)]
mod context;
#[cfg_attr(feature = "flush", allow(dead_code))]
mod convert;
mod events;
#[cfg_attr(
    any(feature = "core", feature = "flush", feature = "dialog"),
    allow(dead_code)
)]
mod listener;
#[cfg_attr(feature = "flush", allow(dead_code))]
mod promise;
#[cfg_attr(any(feature = "core", feature = "flush"), allow(dead_code))]
mod timeout;

// The core and the full widget: reading the options, drawing and adopting the button.
#[cfg(not(feature = "flush"))]
mod handover;
#[cfg(not(feature = "flush"))]
mod options;
#[cfg(not(feature = "flush"))]
#[cfg_attr(feature = "core", allow(dead_code))]
mod view;

// The outbox part and the full widget: sending the outbox.
#[cfg(not(feature = "core"))]
#[cfg_attr(feature = "flush", allow(dead_code))]
mod delivery;
#[cfg(not(feature = "core"))]
mod send;
#[cfg(not(feature = "core"))]
#[cfg_attr(any(feature = "flush", feature = "dialog"), allow(dead_code))]
mod storage;

// The eager core (`core` feature): what every page view loads.
#[cfg(feature = "core")]
mod eager;
#[cfg(feature = "core")]
pub use eager::{start, Eager};
#[cfg(feature = "core")]
mod theme;

// The outbox part (`flush` feature).
#[cfg(feature = "flush")]
mod flush;
#[cfg(feature = "flush")]
pub use flush::{flush, Flush};

// The full widget, fetched when the core asks for it (declared one by one, not by a macro, so that rustfmt
// reaches every module).
#[cfg(not(any(feature = "core", feature = "flush")))]
mod clipboard;
#[cfg(not(any(feature = "core", feature = "flush")))]
mod feedback_dialog;
#[cfg(not(any(feature = "core", feature = "flush")))]
mod focus;
#[cfg(not(any(feature = "core", feature = "flush")))]
mod follow_up;
#[cfg(not(any(feature = "core", feature = "flush")))]
mod recovery;
#[cfg(not(any(feature = "core", feature = "flush")))]
mod signals;
#[cfg(not(any(feature = "core", feature = "flush")))]
mod widget;
// What the parts of the full widget share; a few of its fields are the surveys' only.
#[cfg(not(any(feature = "core", feature = "flush")))]
#[cfg_attr(feature = "dialog", allow(dead_code))]
mod outlet;
// The card draws the feedback form's recovery steps too; its questions are the surveys' only.
#[cfg(not(any(feature = "core", feature = "flush")))]
#[cfg_attr(feature = "dialog", allow(dead_code))]
mod survey_card;

// The surveys: the full widget's, or none in the dialog part (`dialog` feature).
#[cfg(not(any(feature = "core", feature = "flush", feature = "dialog")))]
mod failures;
#[cfg(not(any(feature = "core", feature = "flush", feature = "dialog")))]
mod surveys;
#[cfg(feature = "dialog")]
#[path = "no_surveys.rs"]
mod surveys;
#[cfg(not(any(feature = "core", feature = "flush", feature = "dialog")))]
mod view_beacon;
#[cfg(not(any(feature = "core", feature = "flush")))]
pub use widget::{start, Widget};

/// Writes one line to the console as an error; every message starts with `rebound:`.
#[cfg_attr(feature = "flush", allow(dead_code))]
fn report(message: &str) {
    web_sys::console::error_1(&message.into());
}

#[cfg(not(any(feature = "core", feature = "flush")))]
/// Whether `el` is the widget's host element, which is what the page sees as the target of events and as the
/// focused element when they happen or focus is inside the widget's shadow root.
fn is_host(el: &web_sys::Element) -> bool {
    el.tag_name().eq_ignore_ascii_case("rebound-widget")
}

#[cfg(not(any(feature = "core", feature = "flush")))]
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
