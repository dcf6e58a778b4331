//! Keeps Tab inside the open dialog (the WAI-ARIA dialog pattern): Tab on the dialog's last control goes to its
//! first one and Shift+Tab on the first goes to the last; every other move is the browser's own. Only a Tab
//! pressed inside the dialog is handled, so focus that the host page moves elsewhere stays where the page put it.

use crate::prelude::*;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent};

/// The controls Tab can reach in the dialog: left out are disabled ones, negative `tabindex`, and anything the
/// widget hid (it hides only with the `hidden` attribute, on the control or an ancestor).
const STOPS: &str =
    ":is(a[href],button,input,select,textarea,[tabindex]):not(:disabled,[tabindex^='-'],[hidden],[hidden] *)";

/// Handles Tab pressed inside `dialog`: at an end of the dialog, focus moves to the other end instead of leaving.
pub fn keep_inside(dialog: &Element, key: &KeyboardEvent) {
    // Inside the shadow root, the key's target is the focused element itself.
    let (Some(active), Ok(stops)) = (key.target(), dialog.query_selector_all(STOPS)) else {
        return;
    };
    let stops = js_sys::Array::from(&stops);
    let active: &Element = active.unchecked_ref();
    let back = key.shift_key();
    let last = stops.length().wrapping_sub(1);
    let (edge, target) = (
        stops.get(if back { 0 } else { last }),
        stops.get(if back { last } else { 0 }),
    );
    if target.is_undefined() {
        return;
    }
    let (edge, target): (&Element, &Element) = (edge.unchecked_ref(), target.unchecked_ref());
    // At the edge: on it; on another radio button of its group (Tab leaves a group from any of its buttons); or on
    // the thank-you text the widget focused, which Tab skips (from there Tab goes to the first control and
    // Shift+Tab to the last).
    let at_edge = active == edge
        || radio_group(active).is_some_and(|g| radio_group(edge) == Some(g))
        || active
            .get_attribute("tabindex")
            .is_some_and(|t| t.starts_with('-'));
    if at_edge {
        key.prevent_default();
        // Into a radio group, Tab lands on its checked button when there is one.
        let checked = radio_group(target).and_then(|name| {
            let selector = ["[type=radio][name='", &name, "']:checked"].concat();
            dialog.query_selector(&selector).ok().flatten()
        });
        let _ = checked
            .as_ref()
            .unwrap_or(target)
            .unchecked_ref::<HtmlElement>()
            .focus();
    }
}

/// The name of the radio group `el` belongs to, if it is a radio button.
#[inline(never)]
fn radio_group(el: &Element) -> Option<String> {
    (el.get_attribute("type")? == "radio")
        .then(|| el.get_attribute("name"))
        .flatten()
}
