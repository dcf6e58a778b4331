//! The mounted widget and its behaviour: opening and closing the dialog, Send, and tearing everything down.
//! Listeners are owned by the widget and removed when it is destroyed; they hold only a weak reference to it, so
//! nothing keeps a destroyed widget alive.

use super::{context, dom, events::emit, report, send::post, view::View};
use crate::config::Config;
use crate::feedback::{Form, FormError};
use crate::json;
use crate::locale::{self, Texts};
use crate::submission::{Submission, Trigger};
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{Event, HtmlElement, KeyboardEvent, Window};

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
        if doc.query_selector("rebound-widget").ok().flatten().is_some() {
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
        let on = |target: &web_sys::EventTarget, name: &'static str, act: fn(&Rc<Inner>, &Event)| {
            let weak: Weak<Inner> = Rc::downgrade(this);
            EventListener::new(target, name, move |event| {
                if let Some(inner) = weak.upgrade() {
                    act(&inner, event);
                }
            })
        };
        let v = &this.view;
        let mut listeners = vec![
            on(&v.launcher, "click", |w, _| w.toggle()),
            on(&v.form, "submit", |w, e| {
                e.prevent_default();
                Inner::submit(w);
            }),
            on(&v.consent, "change", |w, _| {
                w.view.email_row.set_hidden(!w.view.consent.checked());
            }),
            on(&v.panel, "keydown", |w, e| {
                if e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Escape") {
                    w.close();
                }
            }),
        ];
        for closer in &v.closers {
            listeners.push(on(closer, "click", |w, _| w.close()));
        }
        *this.listeners.borrow_mut() = listeners;
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
        state.focus_before = self.active_element();
        if state.response.is_none() {
            state.response = Some((context::new_id(&self.window), context::now(), trigger));
        }
        drop(state);
        self.view.panel.set_hidden(false);
        let _ = self.view.launcher.set_attribute("aria-expanded", "true");
        let first = self.view.root.query_selector("input, textarea").ok().flatten();
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
        let v = &self.view;
        let had_focus = self.active_element().is_some_and(|e| e.is_same_node(Some(&v.host)));
        v.panel.set_hidden(true);
        let _ = v.launcher.set_attribute("aria-expanded", "false");
        if !v.done.hidden() {
            // The answer was delivered: the next opening starts a fresh form.
            v.form.reset();
            v.email_row.set_hidden(true);
            v.form.set_hidden(false);
            v.done.set_hidden(true);
        }
        if had_focus {
            let _ = focus_before.unwrap_or_else(|| v.launcher.clone().into()).focus();
        }
        emit("close", &JsValue::NULL);
    }

    /// Checks the form, then posts it; the thank-you appears only once the endpoint answered 2xx.
    fn submit(this: &Rc<Inner>) {
        let v = &this.view;
        let form = Form {
            rating: v.rating(),
            message: v.message.value(),
            consent: v.consent.checked(),
            email: v.email.value(),
        };
        let answers = match form.answers() {
            Ok(answers) => answers,
            Err(error) => {
                let (text, field): (_, &HtmlElement) = match error {
                    FormError::Empty => (this.texts.empty, &v.message),
                    FormError::BadEmail => (this.texts.bad_email, &v.email),
                };
                v.status.set_text_content(Some(text));
                let _ = field.focus();
                return;
            }
        };
        let mut state = this.state.borrow_mut();
        if state.sending {
            return;
        }
        let Some((id, created_at, trigger)) = state.response.clone() else { return };
        state.sending = true;
        drop(state);
        let window = &this.window;
        let submission = Submission {
            id,
            site: this.config.site.clone().unwrap_or_else(|| context::host_name(window)),
            trigger,
            complete: true,
            answers,
            page: context::page(window),
            client: context::client(window, this.texts.locale),
            created_at,
        };
        let body = json::to_string(&submission);
        v.status.set_text_content(None);
        v.send.set_disabled(true);
        v.send.set_text_content(Some(this.texts.sending));
        emit("submit", &js_sys::JSON::parse(&body).unwrap_or(JsValue::NULL));
        let endpoint = this.config.endpoint.clone();
        let weak = Rc::downgrade(this);
        wasm_bindgen_futures::spawn_local(async move {
            let delivered = post(&endpoint, &body).await;
            if let Some(inner) = weak.upgrade() {
                inner.settle(delivered);
            }
        });
    }

    /// Shows the outcome of a send: the thank-you, or a plain message that it did not go through.
    fn settle(&self, delivered: bool) {
        let mut state = self.state.borrow_mut();
        state.sending = false;
        if state.destroyed {
            return;
        }
        let v = &self.view;
        v.send.set_disabled(false);
        v.send.set_text_content(Some(self.texts.send));
        if delivered {
            state.response = None;
            drop(state);
            v.form.set_hidden(true);
            v.done.set_hidden(false);
            if let Some(thanks) = v.done.first_element_child().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                let _ = thanks.focus();
            }
        } else {
            v.status.set_text_content(Some(self.texts.failed));
        }
    }

    /// The page's focused element (the host element when focus is inside the widget).
    fn active_element(&self) -> Option<HtmlElement> {
        dom::document()?.active_element()?.dyn_into().ok()
    }
}
