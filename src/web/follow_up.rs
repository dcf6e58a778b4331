//! The follow-up on the page, the browser side of [`crate::recovery::follow_up`]: in a task after the start, the
//! widget asks the site's status URL about each case that is due (`GET …?reference=RB-7KQ2&secret=…`, no
//! cookies), and when the support team resolved one with a note for the visitor, shows that note once in a small
//! panel where the card would be, which the visitor closes. It does not take focus; screen readers hear it as a
//! status. Surveys wait while it is on screen ([`Outlet::note_open`]); the feedback dialog takes its place.

use crate::prelude::*;

use super::convert::to_value;
use super::listener::EventListener;
use super::outlet::Outlet;
use super::promise::settled;
use super::storage::Storage;
use super::timeout::Timeout;
use crate::locale::Key;
use crate::recovery::follow_up::{minutes, status, Kept, Note, Status, MOST, PREFIX};
use crate::recovery::reference::Reference;
use crate::recovery::screen::fill;
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, RequestCredentials, RequestInit, Response};

/// Follows up the case `reference` on later page views (kept across pages only with the visitor's storage
/// consent, like everything in [`Storage`]); the oldest case goes when there are too many.
pub fn keep(storage: &Storage, reference: &Reference) {
    let cases = kept(storage);
    if cases.len() >= MOST {
        if let Some((oldest, _)) = cases.iter().min_by_key(|(_, k)| k.since) {
            storage.remove(oldest);
        }
    }
    let case = Kept::open(
        &reference.short,
        &reference.secret,
        minutes(js_sys::Date::now()),
    );
    storage.set(&case.key(), &case.value());
}

/// The cases kept in `storage`, with their keys.
fn kept(storage: &Storage) -> Vec<(String, Kept)> {
    let read = |key: String| {
        let kept = Kept::read(&key, &storage.get(&key)?)?;
        Some((key, kept))
    };
    storage.keys(PREFIX).into_iter().filter_map(read).collect()
}

/// The follow-ups of this page view.
pub struct FollowUp {
    outlet: Rc<Outlet>,
    /// The note on screen, with what closes it.
    shown: RefCell<Option<(Element, EventListener, Option<Timeout>)>>,
    me: Weak<FollowUp>,
}

impl FollowUp {
    /// Asks `url`, the site's status URL, about every case kept in storage that is due now.
    pub fn start(outlet: Rc<Outlet>, url: &str) -> Rc<FollowUp> {
        let this = Rc::new_cyclic(|me| FollowUp {
            outlet,
            shown: RefCell::default(),
            me: me.clone(),
        });
        let storage = &this.outlet.storage;
        let now = minutes(js_sys::Date::now());
        for (key, mut case) in kept(storage) {
            if case.expired(now) {
                storage.remove(&key);
            } else if case.due(now) {
                storage.remove(&key);
                case.asked(now);
                storage.set(&case.key(), &case.value());
                this.ask(url, case);
            }
        }
        this
    }

    /// Asks about one case; an answer that is not a status (an error, a 404, a network failure) is asked again
    /// tomorrow.
    fn ask(&self, url: &str, kept: Kept) {
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_credentials(RequestCredentials::Omit);
        let me = self.me.clone();
        let fetched = self
            .outlet
            .window
            .fetch_with_str_and_init(&kept.request(url), &init);
        let _ = settled(&fetched, move |response| {
            let Some(json) = response
                .and_then(|r| r.dyn_into::<Response>().ok())
                .filter(Response::ok)
                .and_then(|r| r.json().ok())
            else {
                return JsValue::UNDEFINED;
            };
            settled(&json, move |answer| {
                let told = answer.and_then(|a| status(&to_value(&a), &kept.reference));
                if let (Some(Status::Resolved(note)), Some(this)) = (told, me.upgrade()) {
                    this.outlet.storage.remove(&kept.key());
                    if let Some(note) = note {
                        this.show(&kept.reference, &note);
                    }
                }
                JsValue::UNDEFINED
            })
            .into()
        });
    }

    /// Shows the team's `note` about case `reference`, unless the feedback dialog is open or another note is on
    /// screen; either way it has been delivered, and is not shown again.
    fn show(&self, reference: &str, note: &Note) {
        let outlet = &self.outlet;
        if outlet.feedback_open.get() || self.shown.borrow().is_some() {
            return;
        }
        let Some(doc) = super::document() else {
            return;
        };
        let element = |tag: &str, parent: &Element, class: &str| {
            let el = doc.create_element(tag).ok()?;
            el.set_class_name(class);
            parent.append_child(&el).ok()?;
            Some(el)
        };
        let Some(panel) = element("section", &outlet.frame, "panel note") else {
            return;
        };
        let texts = &outlet.texts;
        let _ = panel.set_attribute("role", "status");
        let heading = fill(texts.get(Key::CaseUpdate), reference);
        let _ = panel.set_attribute("aria-label", &heading);
        let lines: [(&str, String); 3] = [
            ("from", heading),
            ("", note.text.clone()),
            (
                "from",
                note.from
                    .as_ref()
                    .map_or(String::new(), |f| ["— ", f].concat()),
            ),
        ];
        if let Ok(close) = doc.create_element("button") {
            close.set_class_name("dismiss");
            let _ = close.set_attribute("type", "button");
            let _ = close.set_attribute("aria-label", texts.get(Key::Close));
            close.set_text_content(Some("\u{d7}"));
            let _ = panel.append_child(&close);
        }
        // Filled in a task after the region is in the page, so that screen readers hear it as news.
        let region = panel.clone();
        let filled = Timeout::at(&outlet.window, js_sys::Date::now(), move || {
            for (class, text) in &lines {
                if let Some(p) = (!text.is_empty())
                    .then(|| doc.create_element("p").ok())
                    .flatten()
                {
                    p.set_class_name(class);
                    p.set_text_content(Some(text));
                    let _ = region.append_child(&p);
                }
            }
        });
        let me = self.me.clone();
        let listener = EventListener::new(&panel, "click", move |event| {
            let on_close = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .is_some_and(|t| t.class_name() == "dismiss");
            if let (true, Some(this)) = (on_close, me.upgrade()) {
                this.dismiss();
            }
        });
        outlet.note_open.set(true);
        *self.shown.borrow_mut() = Some((panel, listener, filled));
    }

    /// Takes the note down, if one is on screen.
    pub fn dismiss(&self) {
        if let Some((panel, _, _)) = self.shown.take() {
            panel.remove();
            self.outlet.note_open.set(false);
        }
    }
}
