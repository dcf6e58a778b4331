//! Writing text to the visitor's clipboard (`navigator.clipboard.writeText`), read by hand so that a browser
//! without it, or a page that forbids it, simply copies nothing.

use wasm_bindgen::JsCast;
use web_sys::Window;

/// Asks the browser to copy `text`; false when it has no clipboard to write to.
pub fn copy(window: &Window, text: &str) -> bool {
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into());
    let write = clipboard
        .as_ref()
        .ok()
        .and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok());
    match (
        &clipboard,
        write.and_then(|w| w.dyn_into::<js_sys::Function>().ok()),
    ) {
        (Ok(clipboard), Some(write)) => write.call1(clipboard, &text.into()).is_ok(),
        _ => false,
    }
}
