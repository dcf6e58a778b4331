//! A `setTimeout` owned by a value: set when it is made, cleared when it is dropped, like the event listeners of
//! [`super::listener`]. Delivery's retries and the surveys' timed triggers each keep at most one.

use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Window;

/// A pending timeout; dropping it cancels it.
pub struct Timeout {
    window: Window,
    id: i32,
    /// When it fires, in milliseconds since the epoch.
    pub at: f64,
    callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `callback` at `at` (milliseconds since the epoch; at once when that has passed).
    pub fn at(window: &Window, at: f64, callback: impl FnMut() + 'static) -> Option<Timeout> {
        Self::set(window, at, Box::new(callback))
    }

    /// The part that does not depend on the callback's type, so the wasm holds it once.
    fn set(window: &Window, at: f64, callback: Box<dyn FnMut()>) -> Option<Timeout> {
        let mut timeout = Timeout {
            window: window.clone(),
            id: 0,
            at,
            callback: Closure::wrap(callback),
        };
        timeout.arm()?;
        Some(timeout)
    }

    /// Calls the callback once more, in a task of its own (at `at`, or at once when that has passed); a callback
    /// may ask this of its own timeout.
    pub fn again(&mut self) {
        let _ = self.arm();
    }

    fn arm(&mut self) -> Option<()> {
        let delay = (self.at - js_sys::Date::now()).clamp(0.0, 2_147_483_647.0) as i32;
        self.id = self
            .window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                self.callback.as_ref().unchecked_ref(),
                delay,
            )
            .ok()?;
        Some(())
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        self.window.clear_timeout_with_handle(self.id);
    }
}
