//! What the eager core hands the full widget when the full widget takes over: the `<rebound-widget>` element
//! with the button already drawn, and what the visitor and the page did meanwhile. The loader passes the core
//! itself to the full widget's `start`, which reads the core's `file` and `problems` at once and calls its
//! `handover()` only when it mounts, in the same task as it starts listening to the button, so that no press
//! falls between the two. The core writes the handover ([`Handover::to_js`]) and the full widget reads it back
//! ([`Handover::take`]); the two wasm modules share no memory, so these plain objects are all they share.

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use web_sys::Element;

/// The handover.
pub struct Handover {
    /// The host element, its shadow root holding the frame and the button.
    pub host: Element,
    /// The visitor pressed the button before the full widget arrived: the dialog opens at once.
    pub press: bool,
    /// The visitor showed intent (pointer, focus, touch): the dialog is built, hidden, to open at once.
    pub intent: bool,
    /// The page's `error` events the core heard meanwhile (with the `errors` diagnostics), or `undefined`.
    pub errors: JsValue,
}

const HOST: &str = "host";
const PRESS: &str = "press";
const INTENT: &str = "intent";
const ERRORS: &str = "errors";

impl Handover {
    /// The handover as a plain object.
    #[cfg(feature = "core")]
    pub fn to_js(&self) -> JsValue {
        let object = js_sys::Object::new();
        for (key, value) in [
            (HOST, self.host.clone().into()),
            (PRESS, self.press.into()),
            (INTENT, self.intent.into()),
            (ERRORS, self.errors.clone()),
        ] {
            let _ = Reflect::set(&object, &key.into(), &value);
        }
        object.into()
    }

    /// Takes the button over from the eager `core`: calls its `handover()` and reads what it returns; `None`
    /// when that is not a handover.
    #[cfg(not(feature = "core"))]
    pub fn take(core: &JsValue) -> Option<Handover> {
        let value = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(get(core, "handover"))
            .ok()?
            .call0(core)
            .ok()?;
        let host = wasm_bindgen::JsCast::dyn_into::<Element>(get(&value, HOST)).ok()?;
        Some(Handover {
            host,
            press: get(&value, PRESS).is_truthy(),
            intent: get(&value, INTENT).is_truthy(),
            errors: get(&value, ERRORS),
        })
    }
}

/// The eager `core`'s property `key` (`file`, `problems`, `handover`), `undefined` when it has none.
#[cfg(not(feature = "core"))]
pub fn get(core: &JsValue, key: &str) -> JsValue {
    Reflect::get(core, &key.into()).unwrap_or_default()
}
