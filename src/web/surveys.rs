//! Surveys on the page: feeds the browser's events (visibility, pointer, scroll, activity, clicks, SPA route
//! changes, other tabs' storage writes, `Rebound.track` and `Rebound.show`) with the time into the
//! [`Scheduler`], carries out its decisions on the survey card, keeps the visitor's survey state in storage, and
//! posts every answer as it is given. The failure triggers' events come from [`Failures`], which watches the page
//! only when a survey has such a trigger. What to show and when is decided entirely by [`crate::survey`]. An
//! on-demand part: it arrives with its own listeners once the configuration has surveys, and talks to the rest of
//! the widget only through the [`Outlet`].

use crate::prelude::*;

use super::convert::to_value;
use super::failures::Failures;
use super::listener::{EventListener, EventListenerOptions};
use super::outlet::{Outlet, Part, Surveys};
use super::recovery::Recovering;
use super::storage::Storage;
use super::survey_card::Card;
use super::timeout::Timeout;
use super::view_beacon::ViewBeacon;
use super::{clipboard, context, document, events::emit, focus_inside, is_host, promise, report};
use crate::failure::Failure;
use crate::json;
use crate::locale::Key;
use crate::receipt::{Receipt, Status, Told};
use crate::recovery::flow::Step;
use crate::submission::{Kind, Submission, SurveyRef, Trigger};
use crate::survey::branching::Goto;
use crate::survey::definition::{parse_surveys, Survey};
use crate::survey::hands::{deliberate, Hand};
use crate::survey::response::{PageSignals, Response};
use crate::survey::scheduler::{Decision, Scheduler, Setup};
use crate::survey::targeting::Device;
use crate::survey::trigger::Event;
use crate::survey::view_report::Seen;
use crate::survey::visitor_state::{Unreadable, VisitorState, STORAGE_KEY};
use crate::value::Value;
use alloc::rc::{Rc, Weak};
use core::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, KeyboardEvent, MouseEvent, Window};

/// The survey on screen and the response being written to it.
struct OnScreen {
    response: Response,
    /// The response's id, the same in every version sent.
    id: String,
    created_at: String,
    /// When it appeared, in milliseconds.
    shown: f64,
    trigger: Trigger,
    locale: String,
    /// Whether the visitor asked for it (`Rebound.show` from a click or a key of theirs): only then does the card
    /// take focus; a survey that appears by itself is announced and waits to be reached.
    invited: bool,
    /// When the visitor last pressed a pointer on the card.
    pressed: Option<f64>,
    /// What had focus before the card appeared, given back when it closes with focus inside.
    focus_before: Option<HtmlElement>,
    /// The recovery under way after the survey's questions, when its plan's rule held.
    recovering: Option<Recovering>,
    /// What the failure trigger that showed the survey saw, which every version of the response carries.
    failure: Option<Failure>,
    /// The card's first words above the first question, naming that failure.
    lead: Option<String>,
}

/// The page's surveys; one per widget, present only when the configuration has valid surveys.
pub struct Page {
    outlet: Rc<Outlet>,
    /// This part itself, for the listeners and the timer.
    me: Weak<Page>,
    scheduler: RefCell<Scheduler>,
    signals: RefCell<PageSignals>,
    card: Card,
    on_screen: RefCell<Option<OnScreen>>,
    /// What the visitor is told about the complete version of the response they sent.
    receipt: RefCell<Receipt>,
    /// The timer for the scheduler's next moment ([`Page::wake`]); `None` once it fired.
    timer: RefCell<Option<Timeout>>,
    /// The last path targeting was evaluated for.
    path: RefCell<String>,
    /// The visitor's language preferences, best first.
    preferences: Vec<String>,
    listeners: RefCell<Vec<EventListener>>,
    /// What watches the page for failures, when a survey has a failure trigger.
    failures: RefCell<Option<Failures>>,
    /// What reports the surveys shown and dismissed, when the site asks for it (`reportViews`).
    views: RefCell<Option<ViewBeacon>>,
}

/// Milliseconds since the epoch.
fn now() -> f64 {
    js_sys::Date::now()
}

/// Whether the page is running a handler of the visitor's own click or key right now (the browser's user
/// activation), as when it calls `Rebound.show` from one.
fn user_active(window: &Window) -> bool {
    let activation = js_sys::Reflect::get(&window.navigator(), &"userActivation".into());
    let active = activation.and_then(|a| js_sys::Reflect::get(&a, &"isActive".into()));
    active.is_ok_and(|a| a.is_truthy())
}

/// Whether the page shows a modal dialog of its own.
fn host_modal() -> bool {
    document()
        .and_then(|d| d.query_selector("dialog[open],[aria-modal=true]").ok())
        .flatten()
        .is_some()
}

/// A survey state as stored (`None`: nothing stored); text that is not JSON counts as nothing.
fn read_state(text: Option<String>) -> Result<Option<VisitorState>, Unreadable> {
    let value = text
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .map(|v| to_value(&v))
        .unwrap_or(Value::Null);
    VisitorState::parse(&value)
}

/// The visitor's survey state from storage, a new one when there is none or it cannot be read.
fn stored_state(window: &Window, storage: &Storage) -> VisitorState {
    match read_state(storage.get(STORAGE_KEY)) {
        Ok(Some(state)) => state,
        Ok(None) => VisitorState::new(context::new_id(window)),
        Err(unreadable) => {
            web_sys::console::warn_1(&unreadable.message().into());
            VisitorState::new(context::new_id(window))
        }
    }
}

/// What the visitor did before the widget came, as the loader heard it from the moment it ran.
pub struct Before {
    /// How deep the page was scrolled (`scrollY`): the page may have been scrolled back up since.
    pub deepest: f64,
    /// When a key was last pressed for the page, in milliseconds since the epoch; 0 for never.
    pub typed: f64,
}

impl Before {
    /// Reads what `heard`, the loader's function, returns (`[deepest, typed]`); nothing when it is not one.
    pub fn read(heard: &JsValue) -> Before {
        let heard = promise::called(heard);
        let at = |i| {
            js_sys::Reflect::get_u32(&heard, i)
                .ok()
                .and_then(|v| v.as_f64())
        };
        Before {
            deepest: at(0).unwrap_or(0.0),
            typed: at(1).unwrap_or(0.0),
        }
    }
}

impl Page {
    /// Reads the survey definitions (each wrong one reported on its own console line) and the stored state,
    /// builds the hidden card and starts listening; `None` when there is no valid survey. `cooldown_days` is the
    /// `surveyCooldownDays` option; `before` what the visitor did before the widget came.
    pub fn start(
        outlet: Rc<Outlet>,
        definitions: &Value,
        preferences: Vec<String>,
        cooldown_days: u32,
        before: Before,
    ) -> Option<Rc<Page>> {
        let (surveys, errors) = parse_surveys(definitions);
        for error in errors {
            report(&error.message());
        }
        if surveys.is_empty() {
            return None;
        }
        let window = &outlet.window;
        let doc = window.document()?;
        let media = |query: &str| {
            window
                .match_media(query)
                .ok()
                .flatten()
                .is_some_and(|m| m.matches())
        };
        let setup = Setup {
            device: if media("(pointer:coarse)") && !media("(hover:hover)") {
                Device::Mobile
            } else {
                Device::Desktop
            },
            locale: outlet.texts.locale.into(),
            tab: context::new_id(window),
            gap_days: f64::from(cooldown_days),
            visible: !doc.hidden(),
        };
        let kinds: Vec<Trigger> = surveys.iter().map(|s| s.trigger.reported()).collect();
        let at = now();
        let mut scheduler =
            Scheduler::new(surveys, stored_state(window, &outlet.storage), setup, at);
        // A key only holds a survey back (nothing to decide): one pressed before the widget came does too.
        if before.typed > 0.0 {
            let _ = scheduler.hand(Hand::Key, before.typed, &|| false);
        }
        let card = Card::build(&doc, &outlet.frame, &outlet.texts, false)?;
        let views = RefCell::new(ViewBeacon::start(&outlet));
        let page = Rc::new_cyclic(|me| Page {
            outlet,
            me: me.clone(),
            scheduler: RefCell::new(scheduler),
            signals: RefCell::new(PageSignals::new(at)),
            card,
            on_screen: RefCell::default(),
            receipt: RefCell::default(),
            timer: RefCell::default(),
            path: RefCell::default(),
            preferences,
            listeners: RefCell::default(),
            failures: RefCell::default(),
            views,
        });
        page.listen(&doc);
        // The visit is counted and the visitor's id kept (with storage consent) from the first page view, so
        // that sampling stays with the visitor and a returning visitor is known as one, whatever shows.
        page.save();
        page.on_route();
        // After the first page view, so that the errors from before the widget came count on it.
        let weak = Rc::downgrade(&page);
        let failures = Failures::start(&page.outlet, &kinds, move |event| {
            if let Some(page) = weak.upgrade() {
                page.feed(event);
            }
        });
        *page.failures.borrow_mut() = failures;
        // The page may be scrolled already (the browser restored the position), or have been scrolled deeper
        // before the surveys started and back up since (the visitor read on, or typed into a field at the top,
        // which scrolls it into view): the scroll triggers hear the deeper of the two, not only the next scroll.
        if let Some(depth) = scrolled(&page.outlet.window, before.deepest) {
            page.feed(&depth);
        }
        Some(page)
    }

    /// Wires the card's listeners and the page events the triggers need, each holding a weak reference back.
    fn listen(&self, doc: &web_sys::Document) {
        let window = &self.outlet.window;
        let on =
            |target: &web_sys::EventTarget, name: &'static str, act: fn(&Page, &web_sys::Event)| {
                let weak = self.me.clone();
                // Not passive (the listener's default), so that Next can keep the browser from submitting the form.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(target, name, options, move |event| {
                    if let Some(page) = weak.upgrade() {
                        act(&page, event);
                    }
                })
            };
        let card = &self.card;
        let mut listeners = vec![
            on(&card.form, "submit", |p, e| {
                e.prevent_default();
                p.answer(false);
            }),
            on(&card.root, "click", |p, e| {
                let target = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                let class = target.as_ref().map(|t| t.class_name()).unwrap_or_default();
                match (class.as_str(), target) {
                    ("skip", _) => p.answer(true),
                    ("dismiss" | "finish", _) => p.close(),
                    ("copycode", Some(button)) => {
                        let code = button.get_attribute("data-code").unwrap_or_default();
                        if clipboard::copy(&p.outlet.window, &code) {
                            button.set_text_content(Some(p.outlet.texts.get(Key::Copied)));
                        }
                    }
                    _ => {}
                }
            }),
            on(&card.root, "pointerdown", |p, _| {
                if let Some(screen) = p.on_screen.borrow_mut().as_mut() {
                    screen.pressed = Some(now());
                }
            }),
            on(&card.root, "keydown", |p, e| {
                if let Some(key) = e.dyn_ref::<KeyboardEvent>() {
                    // A non-modal card: Tab goes on to the page; only Escape is the card's.
                    if key.key() == "Escape" {
                        p.close();
                    }
                }
            }),
            on(doc, "click", |p, e| {
                let target = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                let inside = |selector: &str| {
                    target
                        .as_ref()
                        .is_some_and(|t| t.closest(selector).ok().flatten().is_some())
                };
                let spotted = p.failures.borrow().as_ref().and_then(|f| f.spot(e));
                let spot = spotted.as_ref().map(|s| s.spot());
                p.feed(&Event::Click {
                    closest: &inside,
                    spot,
                });
            }),
            on(window, "popstate", |p, _| p.on_route()),
            on(window, "hashchange", |p, _| p.on_route()),
            on(window, "storage", |p, e| {
                if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                    if e.key().as_deref() == Some(STORAGE_KEY) {
                        p.merge(e.new_value());
                    }
                }
            }),
        ];
        // What the visitor's hands do on the page, which a survey appearing by itself waits for.
        for (target, name, hand) in [
            (doc.as_ref(), "keydown", Hand::Key),
            (doc.as_ref(), "compositionstart", Hand::Composing(true)),
            (doc.as_ref(), "compositionend", Hand::Composing(false)),
            (doc.as_ref(), "pointerdown", Hand::Pressing(true)),
            (doc.as_ref(), "pointerup", Hand::Pressing(false)),
            (doc.as_ref(), "pointercancel", Hand::Pressing(false)),
        ] {
            let weak = self.me.clone();
            listeners.push(EventListener::new(target, name, move |event| {
                // Keys inside the widget reach the page as the widget's host element: they are answers.
                let ours = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|t| is_host(&t));
                if let (Some(page), false) = (weak.upgrade(), ours && hand == Hand::Key) {
                    page.hold(hand);
                }
            }));
        }
        // Events that only feed the triggers, each mapped by `event_of`; passive, since none is ever prevented.
        for (target, name) in [
            (doc.as_ref(), "visibilitychange"),
            (doc.as_ref(), "mousemove"),
            (doc.as_ref(), "mouseout"),
            (doc.as_ref(), "keydown"),
            (doc.as_ref(), "pointerdown"),
            (window.as_ref(), "scroll"),
        ] {
            let weak = self.me.clone();
            listeners.push(EventListener::new(target, name, move |event| {
                if let Some(page) = weak.upgrade() {
                    if let Some(event) = event_of(&page.outlet.window, name, event) {
                        page.feed(&event);
                    }
                }
            }));
        }
        *self.listeners.borrow_mut() = listeners;
    }

    /// Whether the page or the widget shows something a survey must not cover.
    fn blocked(&self) -> bool {
        self.outlet.feedback_open.get() || self.outlet.note_open.get() || host_modal()
    }

    /// A page view: the first, or an SPA route change. Nothing happens when the path did not change.
    fn on_route(&self) {
        let this = self;
        let path = context::path(&self.outlet.window);
        if this.path.replace(path.clone()) == path {
            return;
        }
        let decision = this
            .scheduler
            .borrow_mut()
            .navigate(&path, &context::regex, now(), &|| self.blocked());
        self.apply(decision);
    }

    /// Takes in a browser event.
    fn feed(&self, event: &Event) {
        let this = self;
        let at = now();
        this.signals.borrow_mut().on(event, at);
        let decision = this
            .scheduler
            .borrow_mut()
            .on(event, at, &|| self.blocked());
        self.apply(decision);
    }

    /// What the visitor's hands do on the page.
    fn hold(&self, hand: Hand) {
        let decision = self
            .scheduler
            .borrow_mut()
            .hand(hand, now(), &|| self.blocked());
        if let Some(decision) = decision {
            self.apply(decision);
        }
    }

    /// `Rebound.show(id)`.
    fn show_survey(&self, id: &str) {
        let this = self;
        // What other tabs wrote may not have reached this one as an event yet: a survey another tab just opened
        // or answered must not open here too.
        this.merge(this.outlet.storage.get(STORAGE_KEY));
        let result = this
            .scheduler
            .borrow_mut()
            .show(id, now(), &|| self.blocked());
        match result {
            Ok(decision) => self.apply(decision),
            Err(refusal) => report(&refusal.message(id)),
        }
    }

    /// Another tab wrote the survey state.
    fn merge(&self, value: Option<String>) {
        let this = self;
        if let Ok(Some(other)) = read_state(value) {
            let decision = this
                .scheduler
                .borrow_mut()
                .merge(&other, now(), &|| self.blocked());
            self.apply(decision);
        }
    }

    /// Carries out a decision, stores the state when anything changed, and sets the timer for the next one.
    fn apply(&self, decision: Decision) {
        let this = self;
        let withdrawn = decision
            .withdraw
            .filter(|i| this.on_screen.borrow().as_ref().map(|s| s.response.survey) == Some(*i));
        if withdrawn.is_some() {
            // Answers given so far were sent as they were given; the card just goes.
            this.take_down();
        }
        if let Some(index) = decision.show {
            self.put_up(index);
        }
        if decision != Decision::default() {
            this.save();
        }
        this.wake();
    }

    /// Shows the survey at `index` from its first question.
    fn put_up(&self, index: usize) {
        let scheduler = self.scheduler.borrow();
        let Some(survey) = scheduler.survey(index) else {
            return;
        };
        let preferences: Vec<&str> = self.preferences.iter().map(String::as_str).collect();
        let trigger = survey.trigger.reported();
        let failure = survey.trigger.failure();
        let screen = OnScreen {
            response: Response::new(index),
            id: context::new_id(&self.outlet.window),
            created_at: context::now(),
            shown: now(),
            trigger,
            locale: survey.locale(&preferences).into(),
            invited: trigger == Trigger::Api && user_active(&self.outlet.window),
            pressed: None,
            focus_before: document()
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok()),
            recovering: None,
            failure: failure.cloned(),
            lead: failure
                .and_then(|_| survey.trigger.lead(&self.outlet.texts))
                .map(Into::into),
        };
        self.ask(survey, &screen, screen.invited);
        let first = survey.questions.first().map(|q| q.text.get(&screen.locale));
        if let (false, Some(first)) = (screen.invited, first) {
            let texts = &self.outlet.texts;
            self.card
                .announce(&[texts.get(Key::SurveyShown), " ", first].concat());
        }
        let detail = detail(Some(survey));
        let _ = js_sys::Reflect::set(&detail, &"trigger".into(), &screen.trigger.name().into());
        self.note(survey, Seen::Shown);
        drop(scheduler);
        *self.on_screen.borrow_mut() = Some(screen);
        // Last, with nothing borrowed: a host listener may call back into the widget.
        emit("shown", &detail);
    }

    /// Shows the question the response is at, moving focus to it with `focus`.
    fn ask(&self, survey: &Survey, screen: &OnScreen, focus: bool) {
        let Some(at) = screen.response.at else { return };
        let Some(question) = survey.questions.get(at) else {
            return;
        };
        let last = at + 1 == survey.questions.len()
            && question.branches.iter().all(|b| b.goto == Goto::End);
        // The failure's words head the first question only.
        let lead = screen.lead.as_deref().filter(|_| at == 0);
        if let Some(doc) = document() {
            self.card.ask(
                &doc,
                (question, lead),
                &screen.locale,
                &self.outlet.texts,
                (last, focus),
            );
        }
    }

    /// The visitor pressed Next or Send (`skip` false) or Skip: takes the answer and moves on.
    fn answer(&self, skip: bool) {
        let this = self;
        let mut scheduler = this.scheduler.borrow_mut();
        let mut slot = this.on_screen.borrow_mut();
        let Some(screen) = slot.as_mut() else { return };
        if this.receipt.borrow().awaits(&screen.id)
            || !deliberate(screen.shown, now(), screen.pressed)
        {
            // Sent already, or too soon after the card appeared to be the visitor's answer to it.
            return;
        }
        if screen.recovering.is_some() {
            drop((slot, scheduler));
            return self.recover(skip);
        }
        let Some(survey) = scheduler.survey(screen.response.survey) else {
            return;
        };
        let question = screen.response.at.and_then(|at| survey.questions.get(at));
        let answer = question.filter(|_| !skip).and_then(|q| this.card.read(q));
        let had_answers = screen.response.started();
        let goto = match screen.response.answer(survey, answer) {
            Ok(goto) => goto,
            Err(problem) => return this.card.tell(problem, &self.outlet.texts),
        };
        let complete = goto == Goto::End;
        if !screen.response.started() {
            // Every question skipped: nothing to send, and the survey is simply over.
            if complete {
                drop((slot, scheduler));
                self.close();
            } else {
                this.ask(survey, screen, this.card.has_focus());
            }
            return;
        }
        let at = now();
        let mut submission = self.version(survey, screen, complete, at);
        let outlet = &self.outlet;
        let recovery = complete
            .then(|| {
                let answers = &submission.answers;
                let plan = survey.recovery.as_ref()?;
                let asked = (plan, &survey.questions[..]);
                Recovering::start(outlet, asked, &screen.locale, screen.trigger, answers)
            })
            .flatten();
        let detail = detail(Some(survey));
        match recovery {
            Some((recovering, apology)) => {
                // An unhappy answer: the apology and the first step instead of the thanks.
                submission.recovery = Some(recovering.case());
                self.ask_step(&recovering, Some(&apology));
                screen.recovering = Some(recovering);
            }
            None if complete => {
                this.receipt.borrow_mut().sent(&screen.id);
                this.card.busy(true);
            }
            None => this.ask(survey, screen, this.card.has_focus()),
        }
        if !had_answers {
            scheduler.answered(at);
        }
        drop((slot, scheduler));
        emit("answer", &detail);
        self.outlet.post(submission);
        if !had_answers {
            this.save();
        }
    }

    /// The version of the response on `screen` to send at `at`: its answers so far and the page's signals.
    fn version(&self, survey: &Survey, screen: &OnScreen, complete: bool, at: f64) -> Submission {
        let kind = Kind::Survey(SurveyRef {
            id: survey.id.clone(),
            version: survey.version,
            signals: self.signals.borrow_mut().at(at, screen.shown, complete),
        });
        let answers = screen.response.payload(survey);
        let (id, created_at) = (screen.id.clone(), screen.created_at.clone());
        let mut submission =
            self.outlet
                .submission(id, created_at, kind, screen.trigger, complete, answers);
        submission.failure = screen.failure.clone();
        submission
    }

    /// Shows the recovery step on screen, after the paragraph `lead`.
    fn ask_step(&self, recovering: &Recovering, lead: Option<&str>) {
        let texts = &self.outlet.texts;
        if let (Some(doc), Some(question)) = (document(), recovering.question()) {
            let steps = (recovering.last(), self.card.has_focus());
            self.card
                .ask(&doc, (question, lead), texts.locale, texts, steps);
        }
    }

    /// The visitor pressed Next or Skip on a recovery step: the case takes the answer, the response is sent
    /// again with it, and the next step (or the closing words, once the endpoint answers) follows.
    fn recover(&self, skip: bool) {
        let scheduler = self.scheduler.borrow();
        let mut slot = self.on_screen.borrow_mut();
        let Some(screen) = slot.as_mut() else { return };
        let (Some(survey), Some(recovering)) = (
            scheduler.survey(screen.response.survey),
            screen.recovering.as_mut(),
        ) else {
            return;
        };
        let question = recovering.question().filter(|_| !skip);
        let answer = question.and_then(|q| self.card.read(q));
        let step = match recovering.take(&self.outlet, answer) {
            Ok(step) => step,
            Err(problem) => return self.card.tell(problem, &self.outlet.texts),
        };
        let case = recovering.case();
        let detail = if step == Step::Done {
            self.card.busy(true);
            Some(recovering.detail())
        } else {
            self.ask_step(recovering, None);
            None
        };
        let mut submission = self.version(survey, screen, true, now());
        submission.recovery = Some(case);
        if detail.is_some() {
            self.receipt.borrow_mut().sent(&screen.id);
        }
        drop((slot, scheduler));
        self.outlet.post(submission);
        if let Some(detail) = detail {
            emit("recovery", &detail);
        }
    }

    /// Hears what became of a response; true when it was one of the surveys'.
    fn hear(&self, id: &str, status: &Status) -> bool {
        let Some(told) = self.receipt.borrow_mut().heard(id, status) else {
            return false;
        };
        let key = match told {
            Told::Thanks | Told::ArrivedLater => Key::Thanks,
            Told::Saved => Key::Saved,
            // Refused for good: nothing retries it, so the visitor is not asked to try again.
            Told::Refused => Key::Failed,
        };
        let slot = self.on_screen.borrow();
        match slot.as_ref().and_then(|s| s.recovering.as_ref()) {
            Some(recovering) => recovering.conclude(&self.outlet, &self.card, told),
            None if told == Told::ArrivedLater => self.card.amend(self.outlet.texts.get(key)),
            None => {
                self.card.busy(false);
                self.card.finish(self.outlet.texts.get(key));
            }
        }
        true
    }

    /// The visitor closed the card (its close button, Escape, or Close after the thanks).
    fn close(&self) {
        let this = self;
        let Some(screen) = this.on_screen.borrow_mut().take() else {
            return;
        };
        if !screen.response.started() {
            let scheduler = this.scheduler.borrow();
            let survey = scheduler.survey(screen.response.survey);
            if let Some(survey) = survey {
                self.note(survey, Seen::Dismissed);
            }
            let detail = detail(survey);
            drop(scheduler);
            emit("dismiss", &detail);
        }
        let had_focus = focus_inside();
        this.take_down();
        if had_focus {
            if let Some(before) = &screen.focus_before {
                let _ = before.focus();
            }
        }
        let decision = this.scheduler.borrow_mut().close(now(), &|| self.blocked());
        this.save();
        self.apply(decision);
    }

    /// Reports what happened to `survey`, when the site asks for it.
    fn note(&self, survey: &Survey, seen: Seen) {
        if let Some(views) = &*self.views.borrow() {
            views.note(survey, seen);
        }
    }

    /// Removes the card from the screen.
    fn take_down(&self) {
        self.on_screen.borrow_mut().take();
        self.card.hide();
    }

    /// Writes the visitor's state for later pages and other tabs.
    fn save(&self) {
        let text = json::to_string(self.scheduler.borrow().state());
        self.outlet.storage.set(STORAGE_KEY, &text);
    }

    /// Sets the one timer for the next moment the scheduler waits for. This runs after every event, mouse moves
    /// included, so a timer already set for that moment (within a millisecond) is kept rather than made anew.
    fn wake(&self) {
        let at = self.scheduler.borrow().next_wake();
        let mut timer = self.timer.borrow_mut();
        let armed = timer.as_ref().map(|t| t.at);
        if let (Some(at), Some(armed)) = (at, armed) {
            if (at - armed).abs() < 1.0 {
                return;
            }
        }
        let weak = self.me.clone();
        // Replacing the old timer drops, and so clears, it.
        *timer = at.and_then(|at| {
            Timeout::at(&self.outlet.window, at, move || {
                if let Some(page) = weak.upgrade() {
                    // Spent, so that the tick's own wake sets a timer again even for the same moment: by
                    // `Date.now` a timer may fire a little before `at` (the clock slewed, timers on another clock),
                    // and the tick then finds the pause or the delay not over yet. Dropped after the tick.
                    let _spent = page.timer.borrow_mut().take();
                    page.feed(&Event::Tick);
                }
            })
        });
    }
}

impl Part for Page {
    fn heard(&self, id: &str, status: &Status) -> bool {
        self.hear(id, status)
    }
}

impl Surveys for Page {
    fn track(&self, name: &str, properties: &Value) {
        self.feed(&Event::Track { name, properties });
    }

    fn show(&self, id: &str) {
        self.show_survey(id);
    }

    fn navigate(&self) {
        self.on_route();
    }

    fn dismiss(&self) -> bool {
        let shown = self.card.shown();
        if shown {
            self.close();
        }
        shown
    }

    fn stop(&self) {
        self.listeners.borrow_mut().clear();
        self.failures.borrow_mut().take();
        self.timer.borrow_mut().take();
        // Dropping it sends what it noted.
        self.views.borrow_mut().take();
    }
}

/// The [`Event`] a DOM event stands for, if any. `name` is the DOM event's type.
fn event_of(window: &Window, name: &str, event: &web_sys::Event) -> Option<Event<'static>> {
    let mouse = || event.dyn_ref::<MouseEvent>();
    Some(match name {
        "visibilitychange" => Event::Visibility(!document()?.hidden()),
        "mousemove" => Event::PointerMove {
            y: f64::from(mouse()?.client_y()),
        },
        "mouseout" => Event::PointerLeave {
            y: f64::from(mouse()?.client_y()),
            to_element: mouse()?.related_target().is_some(),
        },
        "scroll" => scrolled(window, 0.0)?,
        _ => Event::Activity,
    })
}

/// How far the page is scrolled now, or `deepest` (`scrollY`) when that is deeper, as the scroll triggers read it.
fn scrolled(window: &Window, deepest: f64) -> Option<Event<'static>> {
    let height = document()?.document_element()?.scroll_height();
    let view = window.inner_height().ok()?.as_f64()?;
    Some(Event::Scroll {
        top: window.scroll_y().ok()?.max(deepest),
        range: f64::from(height) - view,
    })
}

/// The `detail` of a survey event: `{ survey: id }`, or `{}` when the survey is unknown.
fn detail(survey: Option<&Survey>) -> js_sys::Object {
    let detail = js_sys::Object::new();
    if let Some(survey) = survey {
        let _ = js_sys::Reflect::set(&detail, &"survey".into(), &survey.id.as_str().into());
    }
    detail
}
