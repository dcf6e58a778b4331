//! The mounted widget and its behaviour: opening and closing the dialog, answers on their way to the endpoint,
//! what the visitor is told about them, the host's storage consent, and tearing everything
//! down. Listeners are owned by the widget and removed when it is destroyed; they hold only a weak reference to
//! it, so nothing keeps a destroyed widget alive.

use crate::prelude::*;

use super::delivery::{Delivery, Status};
use super::listener::{EventListener, EventListenerOptions};
use super::signals::Watcher;
use super::storage::Storage;
use super::surveys::{event_of, Surveys};
use super::{context, convert::to_value, document, events::emit, focus, report, theme, view::View};
use crate::config::{Config, Consent};
use crate::dialog::{
    CLOSE_DONE, CLOSE_FORM, CONSENT, COPY, DONE, EMAIL, EMAIL_ROW, FORM, FRAME, LAUNCHER, MESSAGE,
    PANEL, SEND, STARS, STATUS, THANKS,
};
use crate::feedback::{Form, FormError};
use crate::host_data::HostData;
use crate::locale::{self, Key, Texts};
use crate::payload::Attached;
use crate::submission::{Answer, Kind, Submission, Trigger};
use crate::survey::trigger::Event as SurveyEvent;
use crate::survey::visitor_state::STORAGE_KEY;
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{
    Event, HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement,
    KeyboardEvent, Window,
};

/// The widget on the page. The loader keeps one and forwards `Rebound.open()`, `close()`, `destroy()` and
/// `setConsent()` to it.
#[wasm_bindgen]
pub struct Widget {
    inner: Rc<Inner>,
}

/// The widget's parts; the survey layer reaches the page, texts and storage through it.
pub(super) struct Inner {
    pub(super) window: Window,
    config: Config,
    pub(super) texts: Texts,
    view: View,
    pub(super) storage: Rc<Storage>,
    delivery: Rc<Delivery>,
    surveys: Option<Surveys>,
    state: RefCell<State>,
    listeners: RefCell<Vec<EventListener>>,
    /// What goes with every answer besides the answers: host data and diagnostics.
    attached: Rc<RefCell<Attached>>,
    /// The diagnostics' listeners, while the widget lives.
    watcher: RefCell<Option<Watcher>>,
    /// Follows the theme while the widget lives.
    theme: RefCell<Option<theme::Follow>>,
}

/// What changes while the widget lives.
#[derive(Default)]
struct State {
    open: bool,
    destroyed: bool,
    /// The response being written: its id, start time and trigger stay until it is sent complete.
    response: Option<(String, String, Trigger)>,
    /// The response whose complete version the visitor sent and is waiting to hear about.
    awaiting: Option<String>,
    /// The response the visitor was told is saved for later.
    saved: Option<String>,
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

    /// Removes every element and listener the widget added; later calls do nothing. Answers still waiting in
    /// storage are sent by the next page view.
    pub fn destroy(&self) {
        let mut state = self.inner.state.borrow_mut();
        if !state.destroyed {
            state.destroyed = true;
            self.inner.listeners.borrow_mut().clear();
            self.inner.watcher.borrow_mut().take();
            self.inner.theme.take();
            self.inner.delivery.stop();
            if let Some(surveys) = self.inner.surveys() {
                surveys.stop();
            }
            self.inner.view.host.remove();
        }
    }

    /// Records the visitor's storage consent: `"granted"` lets waiting answers be kept across pages.
    #[wasm_bindgen(js_name = setConsent)]
    pub fn set_consent(&self, value: JsValue) {
        match value.as_string().as_deref() {
            Some("granted") if !self.inner.gpc_refuses() => {
                self.inner.storage.persist(&self.inner.window)
            }
            Some("granted" | "pending" | "denied") => {}
            _ => report("rebound: setConsent takes \"granted\", \"pending\" or \"denied\""),
        }
    }

    /// `Rebound.track(name, properties)`: an event of the page that `event` survey triggers wait for.
    pub fn track(&self, name: JsValue, properties: JsValue) {
        match name.as_string() {
            Some(name) => {
                let properties = to_value(&properties);
                Surveys::feed(
                    &self.inner,
                    &SurveyEvent::Track {
                        name: &name,
                        properties: &properties,
                    },
                );
            }
            None => report("rebound: Rebound.track takes an event name (a string) first"),
        }
    }

    /// `Rebound.show(id)`: shows that survey now, unless the visitor already answered it.
    pub fn show(&self, id: JsValue) {
        match id.as_string() {
            Some(id) => Surveys::show(&self.inner, &id),
            None => report("rebound: Rebound.show takes a survey id (a string)"),
        }
    }

    /// The page changed its URL without loading (the loader hears `history.pushState` and `replaceState`).
    pub fn route(&self) {
        Surveys::navigate(&self.inner);
    }
    /// Attaches who the visitor is (`{ id, email, name, … }`) to every answer sent from now on; `null` clears it.
    pub fn identify(&self, data: JsValue) {
        self.inner.attached.borrow_mut().visitor = host_data("identify", &data);
    }

    /// Attaches what the visitor is doing (`{ order_id, cart_value, plan, … }`) to every answer sent from now on;
    /// `null` clears it.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&self, data: JsValue) {
        self.inner.attached.borrow_mut().context = host_data("setContext", &data);
    }
}

/// The checked data of an `identify` or `setContext` call; each entry left out is one console line.
fn host_data(call: &str, data: &JsValue) -> HostData {
    let (kept, errors) = HostData::check(call, &to_value(data));
    for error in errors {
        report(&error);
    }
    kept
}

impl Widget {
    /// Builds the widget on the page, starts delivering what earlier pages left, wires its listeners and
    /// announces `ready`.
    pub(super) fn mount(window: &Window, mut config: Config) -> Option<Widget> {
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
        let texts = locale::texts(
            languages.iter().map(String::as_str),
            core::mem::take(&mut config.strings),
        );
        let view = View::build(&doc, &config, &texts)?;
        let frame = view.get::<web_sys::Element>(FRAME).clone();
        let theme = theme::follow(window, view.get(FRAME), &config);
        let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
            let persist =
                config.consent == Consent::Granted && !(config.respect_gpc && gpc(window));
            let storage = Rc::new(Storage::new(window, persist));
            let weak = weak.clone();
            let notify = Box::new(move |id: &str, status: &Status| {
                if let Some(inner) = weak.upgrade() {
                    inner.heard(id, status);
                }
            });
            let delivery = Delivery::start(
                window,
                config.endpoint.clone(),
                config.headers.clone(),
                storage.clone(),
                config.expiry_days,
                notify,
            );
            let surveys =
                Surveys::start(window, &config.surveys, &storage, &frame, &texts, languages);
            let attached = Rc::default();
            let watcher = config
                .signals
                .any()
                .then(|| Watcher::start(window, config.signals, &config.endpoint, &attached));
            Inner {
                window: window.clone(),
                config,
                texts,
                view,
                storage,
                delivery,
                surveys,
                state: RefCell::default(),
                listeners: RefCell::default(),
                attached,
                watcher: RefCell::new(watcher),
                theme: RefCell::new(Some(theme)),
            }
        });
        Inner::listen(&inner);
        Surveys::navigate(&inner);
        emit("ready", &JsValue::NULL);
        Some(Widget { inner })
    }
}

/// Whether the browser sends the Global Privacy Control signal.
fn gpc(window: &Window) -> bool {
    js_sys::Reflect::get(&window.navigator(), &"globalPrivacyControl".into())
        .is_ok_and(|v| v.is_truthy())
}

impl Inner {
    /// Wires every listener, each holding a weak reference back to the widget.
    fn listen(this: &Rc<Inner>) {
        let on_target =
            |target: &web_sys::EventTarget, name: &'static str, act: fn(&Rc<Inner>, &Event)| {
                let weak: Weak<Inner> = Rc::downgrade(this);
                // Not passive (the listener's default), so that Send can keep the browser from submitting the form.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(target, name, options, move |event| {
                    if let Some(inner) = weak.upgrade() {
                        act(&inner, event);
                    }
                })
            };
        let on = |index: usize, name: &'static str, act: fn(&Rc<Inner>, &Event)| {
            on_target(this.view.get(index), name, act)
        };
        let mut listeners = vec![
            on(LAUNCHER, "click", |w, _| Inner::toggle(w)),
            on(FORM, "submit", |w, e| {
                e.prevent_default();
                Inner::submit(w);
            }),
            on(STARS, "change", |w, _| w.rated()),
            on(CONSENT, "change", |w, _| {
                let consent = w.view.get::<HtmlInputElement>(CONSENT).checked();
                w.html(EMAIL_ROW).set_hidden(!consent);
            }),
            on(PANEL, "keydown", |w, e| {
                if let Some(key) = e.dyn_ref::<KeyboardEvent>() {
                    match key.key().as_str() {
                        "Escape" => w.close(),
                        "Tab" => focus::keep_inside(w.html(PANEL), key),
                        _ => {}
                    }
                }
            }),
            on(CLOSE_FORM, "click", |w, _| w.close()),
            on(CLOSE_DONE, "click", |w, _| w.close()),
            on(COPY, "click", |w, _| w.copy()),
        ];
        if let (Some(surveys), Some(doc)) = (&this.surveys, document()) {
            let card = surveys.card();
            listeners.extend([
                on_target(&card.form, "submit", |w, e| {
                    e.prevent_default();
                    Surveys::answer(w, false);
                }),
                on_target(&card.root, "click", |w, e| {
                    let class = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .map(|t| t.class_name())
                        .unwrap_or_default();
                    match class.as_str() {
                        "skip" => Surveys::answer(w, true),
                        "dismiss" | "finish" => Surveys::close(w),
                        _ => {}
                    }
                }),
                on_target(&card.root, "keydown", |w, e| {
                    if let (Some(key), Some(surveys)) = (e.dyn_ref::<KeyboardEvent>(), w.surveys())
                    {
                        match key.key().as_str() {
                            "Escape" => Surveys::close(w),
                            "Tab" => focus::keep_inside(&surveys.card().root, key),
                            _ => {}
                        }
                    }
                }),
                on_target(&doc, "click", |w, e| {
                    let target = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    let inside = |selector: &str| {
                        target
                            .as_ref()
                            .is_some_and(|t| t.closest(selector).ok().flatten().is_some())
                    };
                    Surveys::feed(w, &SurveyEvent::Click(&inside));
                }),
                on_target(&this.window, "popstate", |w, _| Surveys::navigate(w)),
                on_target(&this.window, "hashchange", |w, _| Surveys::navigate(w)),
                on_target(&this.window, "storage", |w, e| {
                    if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                        if e.key().as_deref() == Some(STORAGE_KEY) {
                            Surveys::merge(w, e.new_value());
                        }
                    }
                }),
            ]);
            // Events that only feed the triggers, each mapped by `event_of`.
            for (target, name) in [
                (doc.as_ref(), "visibilitychange"),
                (doc.as_ref(), "mousemove"),
                (doc.as_ref(), "mouseout"),
                (doc.as_ref(), "keydown"),
                (doc.as_ref(), "pointerdown"),
                (this.window.as_ref(), "scroll"),
            ] {
                let weak: Weak<Inner> = Rc::downgrade(this);
                listeners.push(EventListener::new(target, name, move |event| {
                    if let Some(inner) = weak.upgrade() {
                        if let Some(event) = event_of(&inner.window, name, event) {
                            Surveys::feed(&inner, &event);
                        }
                    }
                }));
            }
        }
        *this.listeners.borrow_mut() = listeners;
    }

    /// The surveys, when the configuration has any.
    pub(super) fn surveys(&self) -> Option<&Surveys> {
        self.surveys.as_ref()
    }

    /// Whether the feedback dialog is open.
    pub(super) fn feedback_open(&self) -> bool {
        self.state.borrow().open
    }

    /// The element at `index` of the dialog table.
    fn html(&self, index: usize) -> &HtmlElement {
        self.view.get(index)
    }

    fn gpc_refuses(&self) -> bool {
        self.config.respect_gpc && gpc(&self.window)
    }

    fn toggle(this: &Rc<Inner>) {
        if this.surveys().is_some_and(|s| s.card().shown()) {
            // One thing at a time: the visitor who asks for the feedback form closes the survey.
            Surveys::close(this);
        }
        if this.state.borrow().open {
            this.close();
        } else {
            this.open(Trigger::Button);
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
            // The answer is delivered or saved: the next opening starts a fresh form.
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

    /// The visitor chose a rating: that answer is given, so it goes out at once as a partial response, and a
    /// visitor who leaves now still counts.
    fn rated(&self) {
        let partial = Form {
            rating: self.view.rating(),
            ..Form::default()
        };
        if let Ok(answers) = partial.answers() {
            self.send(false, answers);
        }
    }

    /// Checks the form, then sends it complete; the visitor hears the outcome in [`Inner::heard`].
    fn submit(this: &Rc<Inner>) {
        let v = &this.view;
        let form = Form {
            rating: v.rating(),
            message: v.get::<HtmlTextAreaElement>(MESSAGE).value(),
            consent: v.get::<HtmlInputElement>(CONSENT).checked(),
            email: v.get::<HtmlInputElement>(EMAIL).value(),
        };
        match form.answers() {
            Ok(answers) => {
                if this.state.borrow().awaiting.is_none() {
                    this.html(STATUS).set_text_content(None);
                    this.html(COPY).set_hidden(true);
                    this.set_sending(true);
                    this.send(true, answers);
                }
            }
            Err(error) => {
                let (key, field) = match error {
                    FormError::Empty => (Key::Empty, MESSAGE),
                    FormError::BadEmail => (Key::BadEmail, EMAIL),
                };
                this.html(STATUS)
                    .set_text_content(Some(this.texts.get(key)));
                let _ = this.html(field).focus();
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
            state.awaiting = Some(id.clone());
        }
        drop(state);
        let submission =
            self.submission(id, created_at, Kind::Feedback, trigger, complete, answers);
        self.post(submission);
    }

    /// A version of a response, with the page and browser it was given in.
    pub(super) fn submission(
        &self,
        id: String,
        created_at: String,
        kind: Kind,
        trigger: Trigger,
        complete: bool,
        answers: Vec<Answer>,
    ) -> Submission {
        let window = &self.window;
        Submission {
            id,
            site: self
                .config
                .site
                .clone()
                .unwrap_or_else(|| context::host_name(window)),
            kind,
            trigger,
            complete,
            answers,
            page: context::page(window),
            client: context::client(window, self.texts.locale),
            created_at,
        }
    }

    /// Puts `submission` into the outbox, with the host's data and diagnostics and the page URL stripped of
    /// private parameters; a complete one is announced as `submit`.
    pub(super) fn post(&self, submission: Submission) {
        let (id, complete) = (submission.id.clone(), submission.complete);
        let body = self
            .attached
            .borrow()
            .body(submission, self.config.strip_params.as_deref());
        if complete {
            emit(
                "submit",
                &js_sys::JSON::parse(&body).unwrap_or(JsValue::NULL),
            );
        }
        self.delivery.send(&id, body);
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

    /// Tells the visitor what became of the response they sent, and only what is true: thanks once the endpoint
    /// has it, "saved" while it waits in the outbox, and a way to keep their words when it was refused for good.
    fn heard(&self, id: &str, status: &Status) {
        if self.state.borrow().destroyed {
            return;
        }
        if self.surveys().is_some_and(|s| s.heard(self, id, status)) {
            return;
        }
        let mut state = self.state.borrow_mut();
        if state.saved.as_deref() == Some(id) && *status == Status::Delivered {
            // It was saved for later and has now arrived: from now on "thank you" is true.
            state.saved = None;
            self.html(THANKS)
                .set_text_content(Some(self.texts.get(Key::Thanks)));
            return;
        }
        if state.awaiting.as_deref() != Some(id) {
            return;
        }
        state.awaiting = None;
        self.set_sending(false);
        match status {
            Status::Delivered | Status::Queued => {
                state.response = None;
                let key = if *status == Status::Delivered {
                    Key::Thanks
                } else {
                    state.saved = Some(id.into());
                    Key::Saved
                };
                drop(state);
                self.html(THANKS)
                    .set_text_content(Some(self.texts.get(key)));
                self.html(FORM).set_hidden(true);
                self.html(DONE).set_hidden(false);
                let _ = self.html(THANKS).focus();
            }
            Status::Rejected(_) => {
                // This id was refused: a new attempt starts a new response.
                if let Some(response) = state.response.as_mut() {
                    response.0 = context::new_id(&self.window);
                }
                drop(state);
                self.html(STATUS)
                    .set_text_content(Some(self.texts.get(Key::Rejected)));
                let has_message = !self
                    .view
                    .get::<HtmlTextAreaElement>(MESSAGE)
                    .value()
                    .trim()
                    .is_empty();
                self.html(COPY).set_hidden(!has_message);
            }
        }
    }

    /// Copies the visitor's message to the clipboard, so a refused answer is not lost.
    fn copy(&self) {
        let text = self.view.get::<HtmlTextAreaElement>(MESSAGE).value();
        let clipboard = js_sys::Reflect::get(&self.window.navigator(), &"clipboard".into());
        let write = clipboard
            .as_ref()
            .ok()
            .and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok());
        if let (Ok(clipboard), Some(write)) = (
            &clipboard,
            write.and_then(|w| w.dyn_into::<js_sys::Function>().ok()),
        ) {
            if write.call1(clipboard, &text.into()).is_ok() {
                self.html(COPY)
                    .set_text_content(Some(self.texts.get(Key::Copied)));
            }
        }
    }

    /// The page's focused element (the host element when focus is inside the widget).
    fn active_element(&self) -> Option<HtmlElement> {
        document()?.active_element()?.dyn_into().ok()
    }
}
