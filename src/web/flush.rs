//! The outbox part (`rebound_flush_bg.wasm`, built with the crate's `flush` feature): what a page view loads when
//! earlier pages left answers waiting in the outbox and nothing else on it needs the full widget. The eager core
//! finds them ([`super::eager`]), the loader starts this part with the endpoint, headers and expiry the core read,
//! and it sends them as the full widget would, with the same [`Delivery`]: the same storage keys, Web Locks and
//! leases, so that this part, a full widget that comes later on the same page and other tabs never send the same
//! answer at once (each version carries its id, which an endpoint keeps once). The loader stops it when the full
//! widget comes, which then sends what is left.

use crate::prelude::*;

use super::delivery::Delivery;
use super::storage::Storage;
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;

/// The outbox being sent.
#[wasm_bindgen]
pub struct Flush {
    delivery: Rc<Delivery>,
}

/// Sends what waits in the outbox to `outbox`'s first line, the endpoint, with the headers named and valued by
/// its other lines in turn, giving up items older than `expiry_days`; `undefined` without a window.
#[wasm_bindgen]
pub fn flush(outbox: String, expiry_days: u32) -> Option<Flush> {
    let window = web_sys::window()?;
    let mut lines = outbox.split('\n').map(String::from);
    let endpoint = lines.next()?;
    let mut headers = Vec::new();
    while let (Some(name), Some(value)) = (lines.next(), lines.next()) {
        headers.push((name, value));
    }
    // The core asks for this part only when storage is allowed and holds answers.
    let storage = Rc::new(Storage::new(&window, true));
    let delivery = Delivery::start(
        &window,
        endpoint,
        headers,
        storage,
        expiry_days,
        Rc::new(|_: &str, _: &_| {}),
    );
    delivery.flush();
    Some(Flush { delivery })
}

#[wasm_bindgen]
impl Flush {
    /// Stops sending: no more retries, no listeners. A request in flight still settles its item.
    pub fn stop(&self) {
        self.delivery.stop();
    }
}
