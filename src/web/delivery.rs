//! Delivery: moves responses from the outbox to the endpoint. The outbox lives in storage, one key per item, so
//! answers survive reloads, the next page view sends what the last one could not, and several tabs share one
//! queue without overwriting each other's changes. A Web Lock per item keeps two tabs from sending the same item
//! at once, and only the lock holder writes that item; browsers without Web Locks (all from before 2022) use a
//! short lease in storage instead ([`crate::lease`]).
//! Retries wait as the outbox says, on one timer that exists only while something is waiting; `online` sends at
//! once, and `pagehide` or a hidden tab flush everything with `keepalive` so that leaving the page loses nothing.

use crate::prelude::*;

use super::events::emit;
use super::listener::EventListener;
use super::promise::later;
use super::send::{post, Reply};
use super::timeout::Timeout;
use crate::json;
use crate::lease;
use crate::outbox::{self, Item, Outbox, Outcome};
use crate::receipt::Status;
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::Window;

use super::{convert::to_value, storage::Storage};

use crate::outbox::STORAGE_PREFIX as PREFIX;

/// Storage key prefix of the leases that stand in for Web Locks, followed by the response id.
const LEASE_PREFIX: &str = "rebound:lease:";

/// Hears what became of each response.
pub type Notify = Rc<dyn Fn(&str, &Status)>;

/// Sends the outbox; one per widget.
pub struct Delivery {
    window: Window,
    endpoint: String,
    headers: Vec<(String, String)>,
    storage: Rc<Storage>,
    /// Days an item may wait before it is given up.
    expiry_days: u32,
    /// This tab's id in storage leases.
    tab: String,
    /// Ids being sent by this tab right now.
    in_flight: RefCell<Vec<String>>,
    /// The retry timer: its id and the closure it calls.
    timer: RefCell<Option<Timeout>>,
    listeners: RefCell<Vec<EventListener>>,
    notify: Notify,
}

impl Delivery {
    /// Starts delivering: listens for `online` and page exits; [`Delivery::flush`] then sends what earlier pages
    /// left in the outbox.
    /// `notify` hears about every response that is delivered, queued or rejected; items older than `expiry_days`
    /// are given up with a console warning.
    pub fn start(
        window: &Window,
        endpoint: String,
        headers: Vec<(String, String)>,
        storage: Rc<Storage>,
        expiry_days: u32,
        notify: Notify,
    ) -> Rc<Delivery> {
        let delivery = Rc::new(Delivery {
            tab: super::context::new_id(window),
            window: window.clone(),
            endpoint,
            headers,
            storage,
            expiry_days,
            in_flight: RefCell::default(),
            timer: RefCell::default(),
            listeners: RefCell::default(),
            notify,
        });
        let on = |target: &web_sys::EventTarget, name: &'static str, flush: bool| {
            let weak = Rc::downgrade(&delivery);
            EventListener::new(target, name, move |_| {
                if let Some(d) = weak.upgrade() {
                    if flush || name != "visibilitychange" || d.hidden() {
                        d.pump(name != "online", true);
                    }
                }
            })
        };
        let doc: web_sys::EventTarget = window
            .document()
            .map_or_else(|| window.clone().into(), Into::into);
        *delivery.listeners.borrow_mut() = vec![
            on(window, "online", true),
            on(window, "pagehide", true),
            on(&doc, "visibilitychange", false),
        ];
        delivery
    }

    /// Sends what waits in the outbox. The core calls it in a task of its own after the button is drawn, since
    /// reading the outbox scans storage.
    pub fn flush(self: &Rc<Self>) {
        self.pump(false, false);
    }

    /// Queues a version of response `id` and sends it at once.
    pub fn send(self: &Rc<Self>, id: &str, body: String) {
        let mut outbox = self.load();
        outbox.put(id, body, js_sys::Date::now());
        self.write(&outbox, id);
        self.pump(self.hidden(), false);
    }

    /// Stops the timer and the listeners; what is queued stays for the next page.
    pub fn stop(&self) {
        self.listeners.borrow_mut().clear();
        self.timer.borrow_mut().take();
    }

    fn hidden(&self) -> bool {
        self.window.document().is_some_and(|d| d.hidden())
    }

    /// Sends every due item this tab is not already sending (every item at all when `all`: the browser came back
    /// online or the page is going away), and sets the timer for the next one. On the way out (`keepalive`) items
    /// already in flight go again, since leaving the page may cancel their requests.
    fn pump(self: &Rc<Self>, keepalive: bool, all: bool) {
        let now = js_sys::Date::now();
        let mut outbox = self.load();
        for old in outbox.expire(now, outbox::max_age(self.expiry_days)) {
            let days = json::to_string(&self.expiry_days);
            let warning = [
                "rebound: an answer could not be sent for ",
                &days,
                " days and was dropped",
            ];
            web_sys::console::warn_1(&warning.concat().into());
            self.storage.remove(&[PREFIX, &old.id].concat());
            (self.notify)(&old.id, &Status::Rejected("expired".into()));
        }
        for i in outbox.items() {
            let due = (all || i.not_before <= now)
                && (keepalive || !self.in_flight.borrow().contains(&i.id));
            if due {
                self.in_flight.borrow_mut().push(i.id.clone());
                self.locked(i.id.clone(), i.body.clone(), keepalive);
            }
        }
        self.schedule(&outbox);
    }

    /// Sends one item while holding its lock, so no other tab sends it at the same time.
    fn locked(self: &Rc<Self>, id: String, body: String, keepalive: bool) {
        let weak = Rc::downgrade(self);
        let locks = js_sys::Reflect::get(&self.window.navigator(), &"locks".into())
            .ok()
            .filter(|l| l.is_object());
        let request = locks
            .as_ref()
            .and_then(|l| js_sys::Reflect::get(l, &"request".into()).ok());
        let request = request.and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let (Some(locks), Some(request), false) = (locks, request, keepalive) else {
            // The page going away sends at once: a lock would be granted too late (after unload), and the
            // endpoint keeps one response per id. Without Web Locks (browsers before 2022) a lease in storage
            // stands in for the lock.
            let granted = keepalive || self.lease(&id);
            let _ = sending(weak, id, body, keepalive, granted);
            return;
        };
        let name = ["rebound:send:", &id].concat();
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &true.into());
        let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
            sending(weak, id, body, false, !lock.is_null()).into()
        });
        let _ = request.call3(&locks, &name.into(), &options, &callback);
    }

    /// Takes the storage lease on item `id` for this tab; false when another tab holds it. Reading the lease back
    /// after writing it settles a race between two tabs that both found it free: the later write wins.
    fn lease(&self, id: &str) -> bool {
        let key = [LEASE_PREFIX, id].concat();
        let now = js_sys::Date::now();
        if !lease::free(self.storage.get(&key).as_deref(), &self.tab, now) {
            return false;
        }
        let mine = lease::lease(&self.tab, now + lease::LEASE_MS);
        self.storage.set(&key, &mine);
        self.storage.get(&key).as_deref() == Some(mine.as_str())
    }

    /// Sets the retry timer for the next waiting item, or clears it when nothing waits.
    fn schedule(self: &Rc<Self>, outbox: &Outbox) {
        let weak = Rc::downgrade(self);
        let timer = outbox.next_due().and_then(|next| {
            Timeout::at(&self.window, next, move || {
                if let Some(d) = weak.upgrade() {
                    d.pump(false, false);
                }
            })
        });
        // Replacing the old timer drops, and so clears, it.
        *self.timer.borrow_mut() = timer;
    }

    /// The outbox as stored now, in every tab; an unreadable item is dropped with a warning rather than
    /// blocking every later answer.
    fn load(&self) -> Outbox {
        let mut items = Vec::new();
        for key in self.storage.keys(PREFIX) {
            let text = self.storage.get(&key).unwrap_or_default();
            let parsed = js_sys::JSON::parse(&text)
                .ok()
                .and_then(|v| Item::parse(&to_value(&v)));
            match parsed {
                Some(item) => items.push(item),
                None => {
                    web_sys::console::warn_1(
                        &"rebound: an unreadable stored answer was discarded".into(),
                    );
                    self.storage.remove(&key);
                }
            }
        }
        Outbox::from_items(items)
    }

    /// Writes item `id` as `outbox` holds it, or removes it when the outbox no longer does.
    fn write(&self, outbox: &Outbox, id: &str) {
        let key = [PREFIX, id].concat();
        match outbox.items().iter().find(|i| i.id == id) {
            Some(item) => self.storage.set(&key, &json::to_string(item)),
            None => {
                self.storage.remove(&key);
                self.storage.remove(&[LEASE_PREFIX, id].concat());
            }
        }
    }
}

/// The promise a lock holds while `body` is sent; `granted` is false when another tab holds the lock and is
/// sending this item itself. The one wrapper around [`attempt`], which keeps a single copy of it in the wasm; it
/// runs in a microtask, after the caller's loop over the due items is done.
fn sending(
    weak: Weak<Delivery>,
    id: String,
    body: String,
    keepalive: bool,
    granted: bool,
) -> js_sys::Promise {
    later(move || {
        if granted {
            return attempt(weak, id, body, keepalive).into();
        }
        if let Some(d) = weak.upgrade() {
            d.in_flight.borrow_mut().retain(|i| *i != id);
        }
        JsValue::UNDEFINED
    })
}

/// One attempt at sending `body`: first checks that no other tab delivered it meanwhile, then posts it; the
/// promise settles once [`settle`] has recorded the outcome.
fn attempt(weak: Weak<Delivery>, id: String, body: String, keepalive: bool) -> js_sys::Promise {
    let Some(d) = weak.upgrade() else {
        return js_sys::Promise::resolve(&JsValue::UNDEFINED);
    };
    let still_queued = d
        .load()
        .items()
        .iter()
        .any(|i| i.id == id && i.body == body);
    if !still_queued {
        drop(d);
        settle(&weak, &id, &body, keepalive, None);
        return js_sys::Promise::resolve(&JsValue::UNDEFINED);
    }
    // `post` copies what it needs into the request at once, so nothing is cloned for it.
    post(
        &d.endpoint,
        &body.clone(),
        &d.headers,
        keepalive,
        Box::new(move |reply| settle(&weak, &id, &body, keepalive, Some(reply))),
    )
}

/// Records what became of sending `body` (`reply`, or `None` when it was not sent) in the outbox, telling the
/// visitor and the host page.
fn settle(weak: &Weak<Delivery>, id: &str, body: &str, keepalive: bool, reply: Option<Reply>) {
    let Some(d) = weak.upgrade() else { return };
    d.in_flight.borrow_mut().retain(|i| i != id);
    if let Some(reply) = reply {
        let mut outbox = d.load();
        let now = js_sys::Date::now();
        let left = outbox.settle(id, body, reply.outcome, now, js_sys::Math::random());
        d.write(&outbox, id);
        let detail = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&detail, &k.into(), &v);
        };
        set("id", id.into());
        match (reply.outcome, left) {
            (Outcome::Delivered, Some(_)) => {
                emit("delivered", &detail);
                (d.notify)(id, &Status::Delivered);
            }
            (Outcome::Rejected, Some(_)) => {
                set("status", reply.status.map_or(JsValue::NULL, |s| s.into()));
                set("message", reply.message.as_str().into());
                emit("error", &detail);
                (d.notify)(id, &Status::Rejected(reply.message));
            }
            (Outcome::Retry { .. }, _) => {
                let attempts = outbox
                    .items()
                    .iter()
                    .find(|i| i.id == id)
                    .map_or(0, |i| i.attempts);
                set("attempts", attempts.into());
                emit("queued", &detail);
                (d.notify)(id, &Status::Queued);
            }
            // A newer version arrived while this one was in flight: it is sent next.
            _ => {}
        }
        d.schedule(&outbox);
        if !keepalive && outbox.due(now).is_some() {
            d.pump(false, false);
        }
    }
}
