//! The feedback dialog, an on-demand part: built from [`crate::dialog`]'s table into the widget's frame the
//! first time the visitor shows intent or asks for it, then opened and closed by the core. It checks the form
//! with [`crate::feedback`], sends a rating the moment it is chosen and the whole form on Send, and tells the
//! visitor only what is true about it.

use crate::prelude::*;

use super::listener::{EventListener, EventListenerOptions};
use super::outlet::{Feedback, Outlet, Part};
use super::recovery::Recovering;
use super::survey_card::Card;
use super::{clipboard, context, document, events::emit, focus, focus_inside};
use crate::dialog::{
    Node, CLOSE_DONE, CLOSE_FORM, CONSENT, COPY, DONE, EMAIL, EMAIL_ROW, FORM, MESSAGE, PANEL,
    SEND, STARS, STATUS, THANKS, TREE,
};
use crate::feedback::{Form, FormError};
use crate::locale::Key;
use crate::receipt::{Receipt, Status, Told};
use crate::recovery::case::Case;
use crate::recovery::flow::Step;
use crate::submission::{Answer, Kind, Trigger};
use alloc::rc::{Rc, Weak};
use core::cell::{OnceCell, RefCell};
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
    /// Where the steps of a recovery are asked, inside the dialog: built when the first one starts.
    card: OnceCell<Card>,
    /// The dialog itself, for the card's listeners.
    me: Weak<Dialog>,
}

/// What changes while the dialog lives.
#[derive(Default)]
struct State {
    /// The response being written: its id, start time and trigger stay until it is sent complete.
    response: Option<(String, String, Trigger)>,
    /// What the visitor is told about the response they sent.
    receipt: Receipt,
    /// The recovery under way after an unhappy answer, and the answers it goes on from.
    recovering: Option<(Recovering, Vec<Answer>)>,
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
        let dialog = Rc::new_cyclic(|me| Dialog {
            outlet,
            nodes,
            state: RefCell::default(),
            listeners: RefCell::default(),
            card: OnceCell::new(),
            me: me.clone(),
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

    /// The card the steps of a recovery are asked in, built inside the dialog the first time with its listeners;
    /// `None` if the page refused an element.
    fn card(&self) -> Option<&Card> {
        if let Some(card) = self.card.get() {
            return Some(card);
        }
        let card = Card::build(&document()?, self.html(PANEL), &self.outlet.texts, true)?;
        let options = EventListenerOptions::enable_prevent_default();
        let on_card = |target: &HtmlElement, name: &'static str, act: fn(&Dialog, &Event)| {
            let weak = self.me.clone();
            EventListener::new_with_options(target, name, options, move |event| {
                if let Some(dialog) = weak.upgrade() {
                    act(&dialog, event);
                }
            })
        };
        self.listeners.borrow_mut().extend([
            on_card(&card.form, "submit", |d, e| {
                e.prevent_default();
                d.recover(false);
            }),
            on_card(&card.root, "click", |d, e| {
                let target = e.target().and_then(|t| t.dyn_into::<Element>().ok());
                let class = target.as_ref().map(|t| t.class_name()).unwrap_or_default();
                match (class.as_str(), target) {
                    ("skip", _) => d.recover(true),
                    ("finish", _) => d.close(),
                    ("copycode", Some(button)) => {
                        let code = button.get_attribute("data-code").unwrap_or_default();
                        if clipboard::copy(&d.outlet.window, &code) {
                            button.set_text_content(Some(d.outlet.texts.get(Key::Copied)));
                        }
                    }
                    _ => {}
                }
            }),
        ]);
        Some(self.card.get_or_init(|| card))
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
            self.send(false, answers, None);
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
                    if !self.recover_from(&answers) {
                        self.set_sending(true);
                        self.send(true, answers, None);
                    }
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

    /// Puts a version of the current feedback response into the outbox, with `case` when a recovery is under way.
    /// The visitor is told what became of a complete version, except one a recovery goes on from.
    fn send(&self, complete: bool, answers: Vec<Answer>, case: Option<(Case, bool)>) {
        let mut state = self.state.borrow_mut();
        let Some((id, created_at, trigger)) = state.response.clone() else {
            return;
        };
        let told = case.as_ref().is_none_or(|(_, last)| *last);
        if complete && told {
            state.receipt.sent(&id);
        }
        drop(state);
        let mut submission =
            self.outlet
                .submission(id, created_at, Kind::Feedback, trigger, complete, answers);
        submission.recovery = case.map(|(case, _)| case);
        self.outlet.post(submission);
    }

    /// Starts the form's recovery when its rule holds for `answers`: the response goes out complete with the
    /// case, and the dialog asks the steps in place of its form. False when there is none to start.
    fn recover_from(&self, answers: &[Answer]) -> bool {
        let outlet = &self.outlet;
        let Some(plan) = &outlet.feedback_recovery else {
            return false;
        };
        let Some(trigger) = self.state.borrow().response.as_ref().map(|r| r.2) else {
            return false;
        };
        let locale = outlet.texts.locale;
        if self.card().is_none() {
            return false;
        }
        let Some((recovering, apology)) =
            Recovering::start(outlet, (plan, &[]), locale, trigger, answers)
        else {
            return false;
        };
        self.send(true, answers.to_vec(), Some((recovering.case(), false)));
        self.html(FORM).set_hidden(true);
        self.ask_step(&recovering, Some(&apology));
        self.state.borrow_mut().recovering = Some((recovering, answers.to_vec()));
        true
    }

    /// Shows the recovery step on screen, after the paragraph `lead`, with focus on it.
    fn ask_step(&self, recovering: &Recovering, lead: Option<&str>) {
        let texts = &self.outlet.texts;
        if let (Some(doc), Some(question), Some(card)) =
            (document(), recovering.question(), self.card.get())
        {
            let steps = (recovering.last(), true);
            card.ask(&doc, (question, lead), texts.locale, texts, steps);
        }
    }

    /// The visitor pressed Next or Skip on a recovery step: the case takes the answer, the response goes out
    /// again with it, and the next step (or the closing words, once the endpoint answers) follows.
    fn recover(&self, skip: bool) {
        let mut state = self.state.borrow_mut();
        if state.receipt.sending() {
            return;
        }
        let (Some((recovering, answers)), Some(card)) =
            (state.recovering.as_mut(), self.card.get())
        else {
            return;
        };
        let question = recovering.question().filter(|_| !skip);
        let answer = question.and_then(|q| card.read(q));
        let step = match recovering.take(&self.outlet, answer) {
            Ok(step) => step,
            Err(problem) => return card.tell(problem, &self.outlet.texts),
        };
        let (case, answers) = (recovering.case(), answers.clone());
        let done = step == Step::Done;
        let detail = if done {
            card.busy(true);
            Some(recovering.detail())
        } else {
            self.ask_step(recovering, None);
            None
        };
        drop(state);
        self.send(true, answers, Some((case, done)));
        if let Some(detail) = detail {
            emit("recovery", &detail);
        }
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
        let recovered = self.state.borrow_mut().recovering.take().is_some();
        if let (true, Some(card)) = (recovered, self.card.get()) {
            card.hide();
            self.state.borrow_mut().response = None;
        }
        if recovered || !self.html(DONE).hidden() {
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
        if let (Some((recovering, _)), Some(card)) = (&state.recovering, self.card.get()) {
            recovering.conclude(&self.outlet, card, told);
            return true;
        }
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
