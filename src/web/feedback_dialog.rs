//! The feedback dialog, an on-demand part: built from [`crate::dialog`]'s table into the widget's frame the
//! first time the visitor shows intent or asks for it, then opened and closed by the core. It checks the form
//! with [`crate::feedback`], sends a rating the moment it is chosen and the whole form on Send, and tells the
//! visitor only what is true about it.

use crate::prelude::*;

use super::listener::{EventListener, EventListenerOptions};
use super::outlet::{Feedback, Outlet, Part};
use super::{clipboard, context, document, events::emit, focus, focus_inside};
use crate::dialog::{
    Node, CLOSE_DONE, CLOSE_FORM, CONSENT, COPY, DONE, EMAIL, EMAIL_ROW, FORM, MESSAGE, PANEL,
    SEND, STARS, STATUS, THANKS, TREE,
};
use crate::feedback::{Form, FormError};
use crate::locale::Key;
use crate::receipt::{Receipt, Status, Told};
use crate::submission::{Answer, Kind, Trigger};
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{
    Element, Event, HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement,
    HtmlTextAreaElement, KeyboardEvent,
};

/// The dialog on the page.
pub struct Dialog {
    outlet: Rc<Outlet>,
    /// Every element of [`TREE`], at the same index.
    nodes: Vec<Element>,
    state: RefCell<State>,
    listeners: RefCell<Vec<EventListener>>,
}

/// What changes while the dialog lives.
#[derive(Default)]
struct State {
    /// The response being written: its id, start time and trigger stay until it is sent complete.
    response: Option<(String, String, Trigger)>,
    /// What the visitor is told about the response they sent.
    receipt: Receipt,
    /// What had focus before the dialog opened, to give it back.
    focus_before: Option<HtmlElement>,
}

impl Dialog {
    /// Builds the hidden dialog into the frame and wires its listeners; `None` if the page refused an element.
    pub fn build(outlet: Rc<Outlet>) -> Option<Rc<Dialog>> {
        let doc = document()?;
        let texts = &outlet.texts;
        let mut nodes: Vec<Element> = Vec::with_capacity(TREE.len());
        for Node(parent, tag, class, text, label, attrs) in &TREE {
            let el = doc.create_element(tag).ok()?;
            if !class.is_empty() {
                el.set_class_name(class);
            }
            if let Some(key) = text {
                el.set_text_content(Some(texts.get(*key)));
            }
            if let Some(key) = label {
                let _ = el.set_attribute("aria-label", texts.get(*key));
            }
            for (name, value) in *attrs {
                let _ = el.set_attribute(name, value);
            }
            // A parent index past the built nodes is `ROOT`: the frame.
            nodes
                .get(*parent)
                .unwrap_or(&outlet.frame)
                .append_child(&el)
                .ok()?;
            nodes.push(el);
        }
        let dialog = Rc::new(Dialog {
            outlet,
            nodes,
            state: RefCell::default(),
            listeners: RefCell::default(),
        });
        Dialog::listen(&dialog);
        Some(dialog)
    }

    /// Wires every listener, each holding a weak reference back to the dialog.
    fn listen(this: &Rc<Dialog>) {
        let on = |index: usize, name: &'static str, act: fn(&Dialog, &Event)| {
            let weak: Weak<Dialog> = Rc::downgrade(this);
            // Not passive (the listener's default), so that Send can keep the browser from submitting the form.
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(this.html(index), name, options, move |event| {
                if let Some(dialog) = weak.upgrade() {
                    act(&dialog, event);
                }
            })
        };
        *this.listeners.borrow_mut() = vec![
            on(FORM, "submit", |d, e| {
                e.prevent_default();
                d.submit();
            }),
            on(STARS, "change", |d, _| d.rated()),
            on(CONSENT, "change", |d, _| {
                let consent = d.get::<HtmlInputElement>(CONSENT).checked();
                d.html(EMAIL_ROW).set_hidden(!consent);
            }),
            on(PANEL, "keydown", |d, e| {
                if let Some(key) = e.dyn_ref::<KeyboardEvent>() {
                    match key.key().as_str() {
                        "Escape" => d.close(),
                        "Tab" => focus::keep_inside(d.html(PANEL), key),
                        _ => {}
                    }
                }
            }),
            on(CLOSE_FORM, "click", |d, _| d.close()),
            on(CLOSE_DONE, "click", |d, _| d.close()),
            on(COPY, "click", |d, _| d.copy()),
        ];
    }

    /// The element at `index` of [`TREE`], as the type its tag makes it.
    fn get<T: JsCast>(&self, index: usize) -> &T {
        self.nodes[index].unchecked_ref()
    }

    fn html(&self, index: usize) -> &HtmlElement {
        self.get(index)
    }

    /// The rating the visitor chose, if any.
    fn rating(&self) -> Option<u8> {
        let checked = self
            .outlet
            .root
            .query_selector("input[name=rating]:checked")
            .ok()??;
        let value = checked.get_attribute("value")?;
        value.bytes().next().map(|b| b.wrapping_sub(b'0'))
    }

    /// The visitor chose a rating: that answer is given, so it goes out at once as a partial response, and a
    /// visitor who leaves now still counts.
    fn rated(&self) {
        let partial = Form {
            rating: self.rating(),
            ..Form::default()
        };
        if let Ok(answers) = partial.answers() {
            self.send(false, answers);
        }
    }

    /// Checks the form, then sends it complete; the visitor hears the outcome in [`Part::heard`].
    fn submit(&self) {
        let form = Form {
            rating: self.rating(),
            message: self.get::<HtmlTextAreaElement>(MESSAGE).value(),
            consent: self.get::<HtmlInputElement>(CONSENT).checked(),
            email: self.get::<HtmlInputElement>(EMAIL).value(),
        };
        match form.answers() {
            Ok(answers) => {
                if !self.state.borrow().receipt.sending() {
                    self.html(STATUS).set_text_content(None);
                    self.html(COPY).set_hidden(true);
                    self.set_sending(true);
                    self.send(true, answers);
                }
            }
            Err(error) => {
                let (key, field) = match error {
                    FormError::Empty => (Key::Empty, MESSAGE),
                    FormError::BadEmail => (Key::BadEmail, EMAIL),
                };
                self.html(STATUS)
                    .set_text_content(Some(self.outlet.texts.get(key)));
                let _ = self.html(field).focus();
            }
        }
    }

    /// Puts a version of the current feedback response into the outbox.
    fn send(&self, complete: bool, answers: Vec<Answer>) {
        let mut state = self.state.borrow_mut();
        let Some((id, created_at, trigger)) = state.response.clone() else {
            return;
        };
        if complete {
            state.receipt.sent(&id);
        }
        drop(state);
        let submission =
            self.outlet
                .submission(id, created_at, Kind::Feedback, trigger, complete, answers);
        self.outlet.post(submission);
    }

    /// Shows on the Send button whether an answer is on its way.
    fn set_sending(&self, sending: bool) {
        let send = self.get::<HtmlButtonElement>(SEND);
        send.set_disabled(sending);
        send.set_text_content(Some(self.outlet.texts.get(if sending {
            Key::Sending
        } else {
            Key::Send
        })));
    }

    /// Copies the visitor's message to the clipboard, so a refused answer is not lost.
    fn copy(&self) {
        let text = self.get::<HtmlTextAreaElement>(MESSAGE).value();
        if clipboard::copy(&self.outlet.window, &text) {
            self.html(COPY)
                .set_text_content(Some(self.outlet.texts.get(Key::Copied)));
        }
    }
}

/// The page's focused element (the host element when focus is inside the widget).
fn active_element() -> Option<HtmlElement> {
    document()?.active_element()?.dyn_into().ok()
}

impl Feedback for Dialog {
    fn open(&self, trigger: Trigger) {
        let outlet = &self.outlet;
        if outlet.feedback_open.replace(true) {
            return;
        }
        let mut state = self.state.borrow_mut();
        // Focus inside the widget (on the button) is given back to the button itself on close.
        state.focus_before = active_element().filter(|_| !focus_inside());
        if state.response.is_none() {
            state.response = Some((context::new_id(&outlet.window), context::now(), trigger));
        }
        drop(state);
        self.html(PANEL).set_hidden(false);
        let _ = outlet.launcher.set_attribute("aria-expanded", "true");
        let first = outlet.root.query_selector("input, textarea").ok().flatten();
        if let Some(first) = first.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
            let _ = first.focus();
        }
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"trigger".into(), &trigger.name().into());
        emit("open", &detail);
    }

    fn close(&self) {
        let outlet = &self.outlet;
        if !outlet.feedback_open.replace(false) {
            return;
        }
        let focus_before = self.state.borrow_mut().focus_before.take();
        let had_focus = focus_inside();
        self.html(PANEL).set_hidden(true);
        let _ = outlet.launcher.set_attribute("aria-expanded", "false");
        if !self.html(DONE).hidden() {
            // The answer is delivered or saved: the next opening starts a fresh form.
            self.get::<HtmlFormElement>(FORM).reset();
            self.html(EMAIL_ROW).set_hidden(true);
            self.html(FORM).set_hidden(false);
            self.html(DONE).set_hidden(true);
        }
        if had_focus {
            let _ = focus_before.as_ref().unwrap_or(&outlet.launcher).focus();
        }
        emit("close", &JsValue::NULL);
    }
}

impl Part for Dialog {
    /// Tells the visitor what became of the response they sent, and only what is true: thanks once the endpoint
    /// has it, "saved" while it waits in the outbox, and a way to keep their words when it was refused for good.
    fn heard(&self, id: &str, status: &Status) -> bool {
        let texts = &self.outlet.texts;
        let mut state = self.state.borrow_mut();
        let Some(told) = state.receipt.heard(id, status) else {
            return false;
        };
        if told == Told::ArrivedLater {
            // It was saved for later and has now arrived: from now on "thank you" is true.
            self.html(THANKS)
                .set_text_content(Some(texts.get(Key::Thanks)));
            return true;
        }
        self.set_sending(false);
        match told {
            Told::Thanks | Told::Saved | Told::ArrivedLater => {
                state.response = None;
                let key = if told == Told::Saved {
                    Key::Saved
                } else {
                    Key::Thanks
                };
                drop(state);
                self.html(THANKS).set_text_content(Some(texts.get(key)));
                self.html(FORM).set_hidden(true);
                self.html(DONE).set_hidden(false);
                let _ = self.html(THANKS).focus();
            }
            Told::Refused => {
                // This id was refused: a new attempt starts a new response.
                if let Some(response) = state.response.as_mut() {
                    response.0 = context::new_id(&self.outlet.window);
                }
                drop(state);
                self.html(STATUS)
                    .set_text_content(Some(texts.get(Key::Rejected)));
                let has_message = !self
                    .get::<HtmlTextAreaElement>(MESSAGE)
                    .value()
                    .trim()
                    .is_empty();
                self.html(COPY).set_hidden(!has_message);
            }
        }
        true
    }
}
