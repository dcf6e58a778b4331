//! What the eager core hands the full widget when the full widget takes over: the `<rebound-widget>` element
//! with the button already drawn, the config file the core fetched (so it is not fetched twice), whether the
//! options have problems for the full widget to say, and what the visitor and the page did meanwhile. The core writes it ([`Handover::to_js`]) and the loader passes it to the
//! full widget's `start`, which reads it back ([`Handover::from_js`]); the two wasm modules share no memory, so
//! this plain object is all they share.

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use web_sys::Element;

/// The handover.
pub struct Handover {
    /// The host element, its shadow root holding the frame and the button.
    pub host: Element,
    /// The config file's JSON, or `undefined` when there is none (or it could not be loaded, said already).
    pub file: JsValue,
    /// The visitor pressed the button before the full widget arrived: the dialog opens at once.
    pub press: bool,
    /// The visitor showed intent (pointer, focus, touch): the dialog is built, hidden, to open at once.
    pub intent: bool,
    /// The page's `error` events the core heard meanwhile (with the `errors` diagnostics), or `undefined`.
    pub errors: JsValue,
    /// The options have problems, which the core did not say: the full widget says them.
    pub problems: bool,
}

const HOST: &str = "host";
const FILE: &str = "file";
const PRESS: &str = "press";
const INTENT: &str = "intent";
const ERRORS: &str = "errors";
const PROBLEMS: &str = "problems";

impl Handover {
    /// The handover as a plain object.
    #[cfg(feature = "core")]
    pub fn to_js(&self) -> JsValue {
        let object = js_sys::Object::new();
        for (key, value) in [
            (HOST, self.host.clone().into()),
            (FILE, self.file.clone()),
            (PRESS, self.press.into()),
            (INTENT, self.intent.into()),
            (ERRORS, self.errors.clone()),
            (PROBLEMS, self.problems.into()),
        ] {
            let _ = Reflect::set(&object, &key.into(), &value);
        }
        object.into()
    }

    /// Reads a handover back; `None` when `value` is not one (the widget was started on its own, as a bundler
    /// starts it).
    #[cfg(not(feature = "core"))]
    pub fn from_js(value: &JsValue) -> Option<Handover> {
        let get = |key: &str| Reflect::get(value, &key.into()).unwrap_or_default();
        let host = wasm_bindgen::JsCast::dyn_into::<Element>(get(HOST)).ok()?;
        Some(Handover {
            host,
            file: get(FILE),
            press: get(PRESS).is_truthy(),
            intent: get(INTENT).is_truthy(),
            errors: get(ERRORS),
            problems: get(PROBLEMS).is_truthy(),
        })
    }
}
