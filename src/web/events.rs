//! Tells the host page what happened: every event is a `rebound:<name>` `CustomEvent` on `document`, which the
//! loader's `Rebound.on(name, callback)` also listens to. A host listener that throws cannot reach the widget,
//! because `dispatchEvent` reports listener errors instead of rethrowing them.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit};

/// Dispatches `rebound:<name>` with `detail`.
pub fn emit(name: &str, detail: &JsValue) {
    let init = CustomEventInit::new();
    init.set_detail(detail);
    let event = CustomEvent::new_with_event_init_dict(&["rebound:", name].concat(), &init);
    if let (Ok(event), Some(doc)) = (event, super::document()) {
        let _ = doc.dispatch_event(&event);
    }
}
