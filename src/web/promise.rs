//! Waiting for JavaScript promises with plain callbacks. `async` Rust needs an executor, wakers and a task queue
//! in the wasm (about 2 KB gzip); the widget only ever waits for a fetch or a body, one step at a time, so a
//! callback run when the promise settles does the same job.

use crate::prelude::*;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A promise seen only through its `then`, which here takes a callback that is already a JavaScript function.
    type Thenable;

    #[wasm_bindgen(method)]
    fn then(this: &Thenable, callback: &JsValue) -> Promise;
}

/// Runs `done` once `promise` settles, with its value when it was fulfilled and `None` when it was rejected. The
/// promise returned resolves to what `done` returns (when that is a promise, once that one settles too), and it
/// never rejects unless `done` fails.
pub fn settled(
    promise: &Promise,
    done: impl FnOnce(Option<JsValue>) -> JsValue + 'static,
) -> Promise {
    settled_boxed(promise, Box::new(done))
}

/// Runs `run` in a microtask, after the current JavaScript task step, the way an `async` function's body ran.
pub fn later(run: impl FnOnce() -> JsValue + 'static) -> Promise {
    settled_boxed(
        &Promise::resolve(&JsValue::UNDEFINED),
        Box::new(move |_| run()),
    )
}

/// Runs `run` once the promise `tick()` returns settles: the loader passes a `tick` that resolves in a task of
/// its own, so that the work before and `run` are two short tasks for the page instead of one long one. Without a
/// `tick` (a bundler started the widget), `run` goes in a microtask, as with [`later`].
pub fn after(tick: &JsValue, run: impl FnOnce() -> JsValue + 'static) -> Promise {
    // `allSettled` takes any value, so what `tick` returns needs no check.
    settled_boxed(called(tick).unchecked_ref(), Box::new(move |_| run()))
}

/// What `value()` returns when `value` is a function (a callback the loader passes), `undefined` when it is not
/// one or throws.
pub fn called(value: &JsValue) -> JsValue {
    match value.is_function() {
        true => value.unchecked_ref::<Function>().call0(&JsValue::NULL),
        false => Ok(JsValue::UNDEFINED),
    }
    .unwrap_or_default()
}

/// The one body behind [`settled`], [`later`] and [`after`], so that the wasm holds a single copy of it.
fn settled_boxed(promise: &Promise, done: Box<dyn FnOnce(Option<JsValue>) -> JsValue>) -> Promise {
    let callback = Closure::once_into_js(move |results: JsValue| -> JsValue {
        // `allSettled` gives `[{ status, value }]` or `[{ status, reason }]`.
        let result = Reflect::get_u32(&results, 0).unwrap_or_default();
        let value = Reflect::has(&result, &"value".into())
            .unwrap_or(false)
            .then(|| Reflect::get(&result, &"value".into()).unwrap_or_default());
        done(value)
    });
    Promise::all_settled(&Array::of1(promise))
        .unchecked_ref::<Thenable>()
        .then(&callback)
}
