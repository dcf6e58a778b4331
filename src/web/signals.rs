//! The browser side of the optional diagnostics (the `signals` option): a window `error` listener for the page's
//! JavaScript errors, and a `PerformanceObserver` on resource entries for its failed `fetch` and `XMLHttpRequest`
//! requests, which needs no patching of the page's own `fetch`. Both feed the [`Attached`] diagnostics; dropping
//! the [`Watcher`] removes them.

use crate::prelude::*;

use super::context;
use super::listener::EventListener;
use crate::diagnostics::{without_query, Watch};
use crate::payload::Attached;
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{Event, Window};

#[wasm_bindgen]
extern "C" {
    /// `PerformanceObserver`, bound by hand: only its constructor, `observe` and `disconnect` are needed.
    type PerformanceObserver;
    #[wasm_bindgen(constructor, catch)]
    fn new(callback: &js_sys::Function) -> Result<PerformanceObserver, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn observe(this: &PerformanceObserver, options: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    fn disconnect(this: &PerformanceObserver);

    /// The entries an observer callback receives.
    type EntryList;
    #[wasm_bindgen(method, js_name = getEntries)]
    fn get_entries(this: &EntryList) -> Array;
}

/// A `PerformanceObserver` on the page's requests and the callback it calls, which must live as long as it
/// observes; dropping it disconnects the observer.
pub struct Requests {
    observer: PerformanceObserver,
    _callback: Closure<dyn FnMut(&Event)>,
}

impl Drop for Requests {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// What watches the page; dropping it stops watching.
pub struct Watcher {
    _errors: Option<EventListener>,
    _requests: Option<Requests>,
}

impl Watcher {
    /// Starts the signals `watch` asks for, recording into `attached`. Requests to `endpoint` (the widget's own,
    /// whatever their query string) are not the page's problems and are left out. A browser without
    /// `PerformanceObserver` or `responseStatus` simply reports no failed requests.
    /// `early` holds the page's `error` events the eager core heard before the full widget came (an array), or
    /// is `undefined`.
    pub fn start(
        window: &Window,
        watch: Watch,
        endpoint: &str,
        attached: &Rc<RefCell<Attached>>,
        early: &JsValue,
    ) -> Watcher {
        let errors = watch.errors.then(|| {
            if let Some(early) = early.dyn_ref::<Array>() {
                // The core keeps unhandled rejections too, for the failure triggers; the diagnostics record
                // only errors, as their own listener does.
                early.for_each(&mut |event, _, _| {
                    if text(&event, "type") == "error" {
                        record_error(attached, &event)
                    }
                });
            }
            let attached = attached.clone();
            EventListener::new(window, "error", move |event| {
                record_error(&attached, event.as_ref())
            })
        });
        let endpoint: String = without_query(endpoint).into();
        let attached = attached.clone();
        let requests = watch
            .requests
            .then(|| {
                requests(move |url, status, _| {
                    if let (Some(status), false) = (status, url.starts_with(&endpoint)) {
                        if let Ok(mut attached) = attached.try_borrow_mut() {
                            attached.diagnostics.request(url, status);
                        }
                    }
                })
            })
            .flatten();
        Watcher {
            _errors: errors,
            _requests: requests,
        }
    }
}

/// Records the page's error `event`. `try_borrow_mut`: never a panic (and no panic site in the wasm); the widget
/// never holds the borrow while the page can run.
fn record_error(attached: &RefCell<Attached>, event: &JsValue) {
    if let Ok(mut attached) = attached.try_borrow_mut() {
        attached.diagnostics.error(
            &text(event, "message"),
            &text(event, "filename"),
            context::now(),
        );
    }
}

/// Observes resource entries, those from before the widget started included (`buffered`), and calls `each` for
/// every `fetch` and `XMLHttpRequest` of the page with its URL, its status (`responseStatus`, `None` where the
/// browser does not give it) and its duration in milliseconds. `None` without `PerformanceObserver`.
pub fn requests(each: impl Fn(&str, Option<u16>, f64) + 'static) -> Option<Requests> {
    // Typed as an event callback, which it is not, so that the wasm reuses the closure glue the event listeners
    // already have; the argument is cast back to what it is.
    let callback = Closure::wrap(Box::new(move |list: &Event| {
        let list: &EntryList = list.unchecked_ref();
        for entry in list.get_entries().iter() {
            let kind = text(&entry, "initiatorType");
            if matches!(kind.as_str(), "fetch" | "xmlhttprequest") {
                let number = |key: &str| Reflect::get(&entry, &key.into()).ok()?.as_f64();
                let status = number("responseStatus").map(|s| s as u16);
                each(
                    &text(&entry, "name"),
                    status,
                    number("duration").unwrap_or(0.0),
                );
            }
        }
    }) as Box<dyn FnMut(&Event)>);
    let observer = PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &"type".into(), &"resource".into());
    let _ = Reflect::set(&options, &"buffered".into(), &true.into());
    observer.observe(&options).ok()?;
    Some(Requests {
        observer,
        _callback: callback,
    })
}

/// The string property `key` of `object`, or an empty string.
pub fn text(object: &JsValue, key: &str) -> String {
    Reflect::get(object, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}
