//! The mounted widget and its behaviour: opening and closing the dialog, Send, and tearing everything down.
//! Listeners are owned by the widget and removed when it is destroyed; they hold only a weak reference to it, so
//! nothing keeps a destroyed widget alive.

use super::{context, document, events::emit, report, send::post, view::View};
use crate::config::Config;
use crate::dialog::{
    CLOSE_DONE, CLOSE_FORM, CONSENT, DONE, EMAIL, EMAIL_ROW, FORM, LAUNCHER, MESSAGE, PANEL, SEND,
    STATUS, THANKS,
};
use crate::feedback::{Form, FormError};
use crate::json;
use crate::locale::{self, Key, Texts};
use crate::submission::{Submission, Trigger};
use gloo_events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{
    Event, HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement,
    KeyboardEvent, Window,
};

/// The widget on the page. The loader keeps one and forwards `Rebound.open()`, `close()` and `destroy()` to it.
#[wasm_bindgen]
pub struct Widget {
    inner: Rc<Inner>,
}

struct Inner {
    window: Window,
    config: Config,
    texts: &'static Texts,
    view: View,
    state: RefCell<State>,
    listeners: RefCell<Vec<EventListener>>,
}

/// What changes while the widget lives.
#[derive(Default)]
struct State {
    open: bool,
    sending: bool,
    destroyed: bool,
    /// The response being written: its id and start time stay the same until it is delivered.
    response: Option<(String, String, Trigger)>,
    /// What had focus before the dialog opened, to give it back.
    focus_before: Option<HtmlElement>,
}

#[wasm_bindgen]
impl Widget {
    /// Opens the feedback dialog, as if the visitor had clicked the button.
    pub fn open(&self) {
        self.inner.open(Trigger::Api);
    }

    /// Closes the dialog, keeping what the visitor typed.
    pub fn close(&self) {
        self.inner.close();
    }

    /// Removes every element and listener the widget added; later calls do nothing.
    pub fn destroy(&self) {
        let mut state = self.inner.state.borrow_mut();
        if !state.destroyed {
            state.destroyed = true;
            self.inner.listeners.borrow_mut().clear();
            self.inner.view.host.remove();
        }
    }
}

impl Widget {
    /// Builds the widget on the page, wires its listeners and announces `ready`.
    pub(super) fn mount(window: &Window, config: Config) -> Option<Widget> {
        let doc = window.document()?;
        if doc
            .query_selector("rebound-widget")
            .ok()
            .flatten()
            .is_some()
        {
            report("rebound: a widget is already on this page; this one stays off");
            return None;
        }
        let languages = context::languages(window, config.locale.as_deref());
        let texts = locale::texts(languages.iter().map(String::as_str));
        let view = View::build(&doc, &config, texts)?;
        let inner = Rc::new(Inner {
            window: window.clone(),
            config,
            texts,
            view,
            state: RefCell::default(),
            listeners: RefCell::default(),
        });
        Inner::listen(&inner);
        emit("ready", &JsValue::NULL);
        Some(Widget { inner })
    }
}

impl Inner {
    /// Wires every listener, each holding a weak reference back to the widget.
    fn listen(this: &Rc<Inner>) {
        let on = |index: usize, name: &'static str, act: fn(&Rc<Inner>, &Event)| {
            let weak: Weak<Inner> = Rc::downgrade(this);
            // Not passive (gloo's default), so that Send can keep the browser from submitting the form itself.
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(
                this.view.get::<web_sys::EventTarget>(index),
                name,
                options,
                move |event| {
                    if let Some(inner) = weak.upgrade() {
                        act(&inner, event);
                    }
                },
            )
        };
        *this.listeners.borrow_mut() = vec![
            on(LAUNCHER, "click", |w, _| w.toggle()),
            on(FORM, "submit", |w, e| {
                e.prevent_default();
                Inner::submit(w);
            }),
            on(CONSENT, "change", |w, _| {
                let consent = w.view.get::<HtmlInputElement>(CONSENT).checked();
                w.html(EMAIL_ROW).set_hidden(!consent);
            }),
            on(PANEL, "keydown", |w, e| {
                if e.dyn_ref::<KeyboardEvent>()
                    .is_some_and(|k| k.key() == "Escape")
                {
                    w.close();
                }
            }),
            on(CLOSE_FORM, "click", |w, _| w.close()),
            on(CLOSE_DONE, "click", |w, _| w.close()),
        ];
    }

    /// The element at `index` of the dialog table.
    fn html(&self, index: usize) -> &HtmlElement {
        self.view.get(index)
    }

    fn toggle(&self) {
        if self.state.borrow().open {
            self.close();
        } else {
            self.open(Trigger::Button);
        }
    }

    fn open(&self, trigger: Trigger) {
        let mut state = self.state.borrow_mut();
        if state.open || state.destroyed {
            return;
        }
        state.open = true;
        // Focus inside the widget (on the button) is given back to the button itself on close.
        state.focus_before = self
            .active_element()
            .filter(|e| !e.is_same_node(Some(&self.view.host)));
        if state.response.is_none() {
            state.response = Some((context::new_id(&self.window), context::now(), trigger));
        }
        drop(state);
        self.html(PANEL).set_hidden(false);
        let _ = self.html(LAUNCHER).set_attribute("aria-expanded", "true");
        let first = self
            .view
            .root
            .query_selector("input, textarea")
            .ok()
            .flatten();
        if let Some(first) = first.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
            let _ = first.focus();
        }
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"trigger".into(), &trigger.name().into());
        emit("open", &detail);
    }

    fn close(&self) {
        let mut state = self.state.borrow_mut();
        if !state.open || state.destroyed {
            return;
        }
        state.open = false;
        let focus_before = state.focus_before.take();
        drop(state);
        let had_focus = self
            .active_element()
            .is_some_and(|e| e.is_same_node(Some(&self.view.host)));
        self.html(PANEL).set_hidden(true);
        let _ = self.html(LAUNCHER).set_attribute("aria-expanded", "false");
        if !self.html(DONE).hidden() {
            // The answer was delivered: the next opening starts a fresh form.
            self.view.get::<HtmlFormElement>(FORM).reset();
            self.html(EMAIL_ROW).set_hidden(true);
            self.html(FORM).set_hidden(false);
            self.html(DONE).set_hidden(true);
        }
        if had_focus {
            let _ = focus_before.as_ref().unwrap_or(self.html(LAUNCHER)).focus();
        }
        emit("close", &JsValue::NULL);
    }

    /// Checks the form, then posts it; the thank-you appears only once the endpoint answered 2xx.
    fn submit(this: &Rc<Inner>) {
        let v = &this.view;
        let form = Form {
            rating: v.rating(),
            message: v.get::<HtmlTextAreaElement>(MESSAGE).value(),
            consent: v.get::<HtmlInputElement>(CONSENT).checked(),
            email: v.get::<HtmlInputElement>(EMAIL).value(),
        };
        let status = this.html(STATUS);
        let answers = match form.answers() {
            Ok(answers) => answers,
            Err(error) => {
                let (key, field) = match error {
                    FormError::Empty => (Key::Empty, MESSAGE),
                    FormError::BadEmail => (Key::BadEmail, EMAIL),
                };
                status.set_text_content(Some(this.texts.get(key)));
                let _ = this.html(field).focus();
                return;
            }
        };
        let mut state = this.state.borrow_mut();
        if state.sending {
            return;
        }
        let Some((id, created_at, trigger)) = state.response.clone() else {
            return;
        };
        state.sending = true;
        drop(state);
        let window = &this.window;
        let submission = Submission {
            id,
            site: this
                .config
                .site
                .clone()
                .unwrap_or_else(|| context::host_name(window)),
            trigger,
            complete: true,
            answers,
            page: context::page(window),
            client: context::client(window, this.texts.locale),
            created_at,
        };
        let body = json::to_string(&submission);
        status.set_text_content(None);
        this.set_sending(true);
        emit(
            "submit",
            &js_sys::JSON::parse(&body).unwrap_or(JsValue::NULL),
        );
        let endpoint = this.config.endpoint.clone();
        let weak = Rc::downgrade(this);
        wasm_bindgen_futures::spawn_local(async move {
            let delivered = post(&endpoint, &body).await;
            if let Some(inner) = weak.upgrade() {
                inner.settle(delivered);
            }
        });
    }

    /// Shows on the Send button whether an answer is on its way.
    fn set_sending(&self, sending: bool) {
        let send = self.view.get::<HtmlButtonElement>(SEND);
        send.set_disabled(sending);
        send.set_text_content(Some(self.texts.get(if sending {
            Key::Sending
        } else {
            Key::Send
        })));
    }

    /// Shows the outcome of a send: the thank-you, or a plain message that it did not go through.
    fn settle(&self, delivered: bool) {
        let mut state = self.state.borrow_mut();
        state.sending = false;
        if state.destroyed {
            return;
        }
        if delivered {
            state.response = None;
        }
        drop(state);
        self.set_sending(false);
        if delivered {
            self.html(FORM).set_hidden(true);
            self.html(DONE).set_hidden(false);
            let _ = self.html(THANKS).focus();
        } else {
            self.html(STATUS)
                .set_text_content(Some(self.texts.get(Key::Failed)));
        }
    }

    /// The page's focused element (the host element when focus is inside the widget).
    fn active_element(&self) -> Option<HtmlElement> {
        document()?.active_element()?.dyn_into().ok()
    }
}
