//! The browser side of the failure triggers ([`crate::survey::trigger`]): turns the page's failed requests
//! (resource timing, never a patched `fetch`), its uncaught errors and unhandled rejections and its refused form
//! fields (`invalid`, `aria-invalid="true"`) into [`Event`]s, and gives each pointer click the [`Spot`] rage clicks
//! are counted on. It listens only for the kinds a survey of the page has, passively, and dropping it removes
//! every listener and observer.

use crate::prelude::*;

use super::context;
use super::is_host;
use super::listener::{EventListener, EventListenerOptions};
use super::outlet::Outlet;
use super::signals::{requests, text, Requests};
use crate::submission::Trigger;
use crate::survey::trigger::rage_click::Spot;
use crate::survey::trigger::request_failed::Request;
use crate::survey::trigger::Event;
use alloc::rc::Rc;
use core::cell::Cell;
use js_sys::{Array, Reflect, WeakMap};
use wasm_bindgen::prelude::*;
use web_sys::{Element, MouseEvent, MutationObserver, MutationObserverInit};

/// Elements where repeated clicks are normal, and what the site asks the widget to leave alone.
const IGNORED: &str = "input,select,textarea,[role=spinbutton],[data-rebound-ignore]";

/// How many ancestors a CSS path names above the element, at most.
const DEPTH: usize = 3;

/// A running `MutationObserver` and its callback; dropping it disconnects the observer.
struct Fields {
    observer: MutationObserver,
    _callback: Closure<dyn FnMut(&web_sys::Event)>,
}

impl Drop for Fields {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// What watches the page for failures, for the kinds its surveys have.
pub struct Failures {
    _listeners: Vec<EventListener>,
    _requests: Option<Requests>,
    _fields: Option<Fields>,
    /// The ids given to clicked elements, when a survey counts rage clicks.
    clicked: Option<(WeakMap, Cell<u32>)>,
}

/// Where a pointer click landed, owning its element's CSS path.
pub struct Spotted {
    x: f64,
    y: f64,
    target: u32,
    ignored: bool,
    selector: String,
}

impl Spotted {
    /// The [`Spot`] the rage-click trigger reads.
    pub fn spot(&self) -> Spot<'_> {
        Spot {
            x: self.x,
            y: self.y,
            target: self.target,
            ignored: self.ignored,
            selector: &self.selector,
        }
    }
}

/// Calls `feed` with events, a reference counted so that every listener can hold it.
type Feed = Rc<dyn Fn(&Event)>;

impl Failures {
    /// Starts watching for the failures the `kinds` of the page's surveys (their payload names) count; `None`
    /// when none is a failure trigger. Requests to the widget's endpoint and status URL (whatever their query)
    /// are not the page's. The page's `error` events the eager core heard before the full widget came
    /// ([`Outlet::early_errors`]) are fed first.
    pub fn start(
        outlet: &Outlet,
        kinds: &[Trigger],
        feed: impl Fn(&Event) + 'static,
    ) -> Option<Failures> {
        let window = &outlet.window;
        let has = |kind: Trigger| kinds.contains(&kind);
        let errors = has(Trigger::JsError);
        if !(errors
            || has(Trigger::RequestFailed)
            || has(Trigger::RageClick)
            || has(Trigger::FormError))
        {
            return None;
        }
        let doc = window.document()?;
        let feed: Feed = Rc::new(feed);
        let mut listeners = Vec::new();
        if errors {
            if let Some(early) = outlet.early_errors.dyn_ref::<Array>() {
                early.for_each(&mut |event, _, _| script_error(&feed, &event));
            }
            for name in ["error", "unhandledrejection"] {
                let feed = feed.clone();
                listeners.push(EventListener::new(window, name, move |event| {
                    script_error(&feed, event.as_ref())
                }));
            }
        }
        let fields = has(Trigger::FormError).then(|| {
            let heard = feed.clone();
            listeners.push(EventListener::new_with_options(
                &doc,
                "invalid",
                EventListenerOptions::capture(),
                move |event| {
                    if let Some(field) = event.target().and_then(|t| t.dyn_into().ok()) {
                        invalid(&heard, &field);
                    }
                },
            ));
            watch_fields(&doc, feed.clone())
        });
        let requests = has(Trigger::RequestFailed)
            .then(|| {
                let origin = window.location().origin().unwrap_or_default();
                let own = outlet.own.clone();
                let feed = feed.clone();
                requests(move |url, status, duration_ms| {
                    if !own.iter().any(|o| url.starts_with(o.as_str())) {
                        feed(&Event::Request(Request {
                            url,
                            origin: &origin,
                            status,
                            duration_ms,
                            regex: &context::regex,
                        }));
                    }
                })
            })
            .flatten();
        Some(Failures {
            _listeners: listeners,
            _requests: requests,
            _fields: fields.flatten(),
            clicked: has(Trigger::RageClick).then(|| (WeakMap::new(), Cell::new(0))),
        })
    }

    /// Where the pointer click `event` landed, for rage clicks; `None` when no survey counts them, for a click
    /// no pointer made (`detail` 0: the keyboard, a script's `click()`), and for clicks on the widget itself.
    pub fn spot(&self, event: &web_sys::Event) -> Option<Spotted> {
        let (ids, next) = self.clicked.as_ref()?;
        let mouse = event.dyn_ref::<MouseEvent>()?;
        let element: Element = event.target()?.dyn_into().ok()?;
        if mouse.detail() == 0 || is_host(&element) {
            return None;
        }
        let target = match ids.get(&element).as_f64() {
            Some(id) => id as u32,
            None => {
                let id = next.get() + 1;
                next.set(id);
                ids.set(&element, &id.into());
                id
            }
        };
        Some(Spotted {
            x: f64::from(mouse.client_x()),
            y: f64::from(mouse.client_y()),
            target,
            ignored: element.closest(IGNORED).ok().flatten().is_some(),
            selector: css_path(&element),
        })
    }
}

/// Feeds the page's `error` or `unhandledrejection` event: the error's message and script, or the rejection's
/// reason (its `message`, or the reason itself when it is a string).
fn script_error(feed: &Feed, event: &JsValue) {
    let reason = Reflect::get(event, &"reason".into()).unwrap_or_default();
    let message = match reason.as_string() {
        Some(reason) => reason,
        None if reason.is_object() => text(&reason, "message"),
        None => text(event, "message"),
    };
    feed(&Event::ScriptError {
        message: &message,
        script: &text(event, "filename"),
        regex: &context::regex,
    });
}

/// Feeds that `field` became invalid, naming it by its `name`, else its `id`, else its CSS path.
fn invalid(feed: &Feed, field: &Element) {
    let named = |key: &str| field.get_attribute(key).filter(|n| !n.is_empty());
    let name = named("name")
        .or_else(|| named("id"))
        .unwrap_or_else(|| css_path(field));
    let closest = |selector: &str| field.closest(selector).ok().flatten().is_some();
    feed(&Event::FieldInvalid {
        field: &name,
        closest: &closest,
    });
}

/// Watches the whole document for fields whose `aria-invalid` becomes `true`. A field the page marked so before
/// the full widget came (a refusal while it was on its way, or a form rendered with its errors) counts once.
fn watch_fields(doc: &web_sys::Document, feed: Feed) -> Option<Fields> {
    if let Ok(marked) = doc.query_selector_all("[aria-invalid=true]") {
        for i in 0..marked.length() {
            if let Some(field) = marked.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                invalid(&feed, &field);
            }
        }
    }
    // Typed as an event callback, like the resource observer's, to reuse the closure glue; the argument is the
    // list of mutation records.
    let callback = Closure::wrap(Box::new(move |records: &web_sys::Event| {
        let records: &Array = records.unchecked_ref();
        let get =
            |record: &JsValue, key: &str| Reflect::get(record, &key.into()).unwrap_or_default();
        let seen: Vec<(JsValue, Option<String>)> = records
            .iter()
            .map(|r| (get(&r, "target"), get(&r, "oldValue").as_string()))
            .collect();
        for (i, (target, was)) in seen.iter().enumerate() {
            let Some(field) = target.dyn_ref::<Element>() else {
                continue;
            };
            // What this change set: what the next change of the same field found, or the attribute now.
            let later = seen.iter().skip(i + 1).find(|(f, _)| f == target);
            let set = match later {
                Some((_, value)) => value.clone(),
                None => field.get_attribute("aria-invalid"),
            };
            if set.as_deref() == Some("true") && was.as_deref() != Some("true") {
                invalid(&feed, field);
            }
        }
    }) as Box<dyn FnMut(&web_sys::Event)>);
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    let options = MutationObserverInit::new();
    options.set_attribute_filter(&Array::of1(&"aria-invalid".into()));
    options.set_attribute_old_value(true);
    options.set_subtree(true);
    observer.observe_with_options(doc, &options).ok()?;
    Some(Fields {
        observer,
        _callback: callback,
    })
}

/// A short CSS path for `element`: its tag, `#id` and `.classes`, and those of up to [`DEPTH`] ancestors (fewer
/// when one has an id), never its text or value: `form#pay > button.primary`.
fn css_path(element: &Element) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut at = Some(element.clone());
    while let Some(el) = at.filter(|_| parts.len() <= DEPTH) {
        let tag = el.local_name();
        let mut part = tag.clone();
        let id = el.id();
        if id.is_empty() {
            // The attribute, not `className`, which is no string on SVG elements.
            let classes = el.get_attribute("class").unwrap_or_default();
            for class in classes.split_whitespace() {
                part.push('.');
                part.push_str(class);
            }
        } else {
            part.push('#');
            part.push_str(&id);
        }
        parts.push(part);
        at = el
            .parent_element()
            .filter(|_| id.is_empty() && tag != "body");
    }
    parts.reverse();
    parts.join(" > ")
}
