//! The browser layer, compiled to wasm only: it reads the page, builds the widget's DOM in one shadow root,
//! listens to events and talks to the network. Decisions are left to the plain modules of the crate.

mod context;
mod convert;
mod delivery;
mod events;
mod feedback_dialog;
mod focus;
mod listener;
mod outlet;
mod parts;
mod promise;
mod send;
mod signals;
mod start;
mod storage;
mod survey_card;
mod surveys;
mod theme;
mod timeout;
mod view;
mod widget;

pub use start::start;
pub use widget::Widget;

/// Writes one line to the console as an error; every message starts with `rebound:`.
fn report(message: &str) {
    web_sys::console::error_1(&message.into());
}

/// Whether `el` is the widget's host element, which is what the page sees as the target of events and as the
/// focused element when they happen or focus is inside the widget's shadow root.
fn is_host(el: &web_sys::Element) -> bool {
    el.tag_name().eq_ignore_ascii_case("rebound-widget")
}

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
