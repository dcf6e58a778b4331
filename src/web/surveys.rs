//! Surveys on the page: feeds the browser's events (visibility, pointer, scroll, activity, clicks, SPA route
//! changes, other tabs' storage writes, `Rebound.track` and `Rebound.show`) with the time into the
//! [`Scheduler`], carries out its decisions on the survey card, keeps the visitor's survey state in storage, and
//! posts every answer as it is given. What to show and when is decided entirely by [`crate::survey`].

use crate::prelude::*;

use super::convert::to_value;
use super::delivery::Status;
use super::survey_card::Card;
use super::timeout::Timeout;
use super::widget::Inner;
use super::{context, document, events::emit, report, storage::Storage};
use crate::json;
use crate::locale::{Key, Texts};
use crate::submission::{Kind, SurveyRef, Trigger};
use crate::survey::branching::Goto;
use crate::survey::definition::{parse_surveys, Survey};
use crate::survey::response::{PageSignals, Problem, Response};
use crate::survey::scheduler::{Decision, Scheduler, Setup, DEFAULT_GAP_DAYS};
use crate::survey::targeting::Device;
use crate::survey::trigger::{self, Event};
use crate::survey::visitor_state::{Unreadable, VisitorState, STORAGE_KEY};
use crate::value::Value;
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, MouseEvent, Window};

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
    /// What had focus before the card took it.
    focus_before: Option<HtmlElement>,
}

/// The page's surveys; one per widget, present only when the configuration has valid surveys.
pub struct Surveys {
    scheduler: RefCell<Scheduler>,
    signals: RefCell<PageSignals>,
    card: Card,
    on_screen: RefCell<Option<OnScreen>>,
    /// The response whose complete version waits for the endpoint's answer, and the one saved for later.
    awaiting: RefCell<(Option<String>, Option<String>)>,
    timer: RefCell<Option<Timeout>>,
    /// The last path targeting was evaluated for.
    path: RefCell<String>,
    /// The visitor's language preferences, best first.
    preferences: Vec<String>,
}

/// Milliseconds since the epoch.
fn now() -> f64 {
    js_sys::Date::now()
}

/// The page's path, which URL rules test.
fn path(window: &Window) -> String {
    window.location().pathname().unwrap_or_default()
}

/// Whether the page shows a modal dialog of its own.
fn host_modal() -> bool {
    document()
        .and_then(|d| d.query_selector("dialog[open],[aria-modal=true]").ok())
        .flatten()
        .is_some()
}

/// Runs a JavaScript regular expression, as URL rules of type `regex` need; a bad pattern matches nothing.
fn regex(pattern: &str, path: &str) -> bool {
    js_sys::RegExp::new(pattern, "").test(path)
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

/// The payload's name for what made `survey` appear.
fn trigger_of(survey: &Survey) -> Trigger {
    match survey.trigger {
        trigger::Trigger::ExitIntent(_) => Trigger::ExitIntent,
        trigger::Trigger::Dwell(_) => Trigger::Dwell,
        trigger::Trigger::Scroll(_) => Trigger::Scroll,
        trigger::Trigger::Event(_) => Trigger::Event,
        trigger::Trigger::Click(_) => Trigger::Click,
        trigger::Trigger::Delay(_) => Trigger::Delay,
        trigger::Trigger::Api => Trigger::Api,
    }
}

impl Surveys {
    /// Reads the survey definitions (each wrong one reported on its own console line) and the stored state;
    /// `None` when there is no valid survey.
    pub fn start(
        window: &Window,
        definitions: &Value,
        storage: &Storage,
        frame: &Element,
        texts: &Texts,
        preferences: Vec<String>,
    ) -> Option<Surveys> {
        let (surveys, errors) = parse_surveys(definitions);
        for error in errors {
            report(&error.message());
        }
        if surveys.is_empty() {
            return None;
        }
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
            locale: texts.locale.into(),
            tab: context::new_id(window),
            gap_days: DEFAULT_GAP_DAYS,
            visible: !doc.hidden(),
        };
        let at = now();
        let scheduler = Scheduler::new(surveys, stored_state(window, storage), setup, at);
        Some(Surveys {
            scheduler: RefCell::new(scheduler),
            signals: RefCell::new(PageSignals::new(at)),
            card: Card::build(&doc, frame, texts)?,
            on_screen: RefCell::default(),
            awaiting: RefCell::default(),
            timer: RefCell::default(),
            path: RefCell::default(),
            preferences,
        })
    }

    /// The card's elements that the widget listens to: the card, its form, Skip, and its two close buttons.
    pub fn card(&self) -> &Card {
        &self.card
    }

    /// Whether the page or the widget shows something a survey must not cover.
    fn blocked(inner: &Inner) -> bool {
        inner.feedback_open() || host_modal()
    }

    /// A page view: the first, or an SPA route change. Nothing happens when the path did not change.
    pub fn navigate(inner: &Rc<Inner>) {
        let Some(this) = inner.surveys() else { return };
        let path = path(&inner.window);
        if this.path.replace(path.clone()) == path {
            return;
        }
        let decision = this
            .scheduler
            .borrow_mut()
            .navigate(&path, &regex, now(), &|| Self::blocked(inner));
        Self::apply(inner, decision);
    }

    /// Takes in a browser event.
    pub fn feed(inner: &Rc<Inner>, event: &Event) {
        let Some(this) = inner.surveys() else { return };
        let at = now();
        this.signals.borrow_mut().on(event, at);
        let decision = this
            .scheduler
            .borrow_mut()
            .on(event, at, &|| Self::blocked(inner));
        Self::apply(inner, decision);
    }

    /// `Rebound.show(id)`.
    pub fn show(inner: &Rc<Inner>, id: &str) {
        let Some(this) = inner.surveys() else {
            report("rebound: Rebound.show: no surveys are configured");
            return;
        };
        let result = this
            .scheduler
            .borrow_mut()
            .show(id, now(), &|| Self::blocked(inner));
        match result {
            Ok(decision) => Self::apply(inner, decision),
            Err(refusal) => report(&refusal.message(id)),
        }
    }

    /// Another tab wrote the survey state.
    pub fn merge(inner: &Rc<Inner>, value: Option<String>) {
        let Some(this) = inner.surveys() else { return };
        if let Ok(Some(other)) = read_state(value) {
            let decision = this
                .scheduler
                .borrow_mut()
                .merge(&other, now(), &|| Self::blocked(inner));
            Self::apply(inner, decision);
        }
    }

    /// Carries out a decision, stores the state when anything changed, and sets the timer for the next one.
    fn apply(inner: &Rc<Inner>, decision: Decision) {
        let Some(this) = inner.surveys() else { return };
        let withdrawn = decision
            .withdraw
            .filter(|i| this.on_screen.borrow().as_ref().map(|s| s.response.survey) == Some(*i));
        if withdrawn.is_some() {
            // Answers given so far were sent as they were given; the card just goes.
            this.take_down();
        }
        if let Some(index) = decision.show {
            this.put_up(inner, index);
        }
        if decision != Decision::default() {
            this.save(inner);
        }
        this.wake(inner);
    }

    /// Shows the survey at `index` from its first question.
    fn put_up(&self, inner: &Inner, index: usize) {
        let scheduler = self.scheduler.borrow();
        let Some(survey) = scheduler.survey(index) else {
            return;
        };
        let preferences: Vec<&str> = self.preferences.iter().map(String::as_str).collect();
        let screen = OnScreen {
            response: Response::new(index),
            id: context::new_id(&inner.window),
            created_at: context::now(),
            shown: now(),
            trigger: trigger_of(survey),
            locale: survey.locale(&preferences).into(),
            focus_before: document()
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok()),
        };
        self.ask(inner, survey, &screen);
        let detail = detail(Some(survey));
        let _ = js_sys::Reflect::set(&detail, &"trigger".into(), &screen.trigger.name().into());
        drop(scheduler);
        *self.on_screen.borrow_mut() = Some(screen);
        // Last, with nothing borrowed: a host listener may call back into the widget.
        emit("shown", &detail);
    }

    /// Shows the question the response is at.
    fn ask(&self, inner: &Inner, survey: &Survey, screen: &OnScreen) {
        let Some(at) = screen.response.at else { return };
        let Some(question) = survey.questions.get(at) else {
            return;
        };
        let last = at + 1 == survey.questions.len()
            && question.branches.iter().all(|b| b.goto == Goto::End);
        if let Some(doc) = document() {
            self.card
                .ask(&doc, question, &screen.locale, &inner.texts, last);
        }
    }

    /// The visitor pressed Next or Send (`skip` false) or Skip: takes the answer and moves on.
    pub fn answer(inner: &Rc<Inner>, skip: bool) {
        let Some(this) = inner.surveys() else { return };
        let mut scheduler = this.scheduler.borrow_mut();
        let mut slot = this.on_screen.borrow_mut();
        let Some(screen) = slot.as_mut() else { return };
        if this.awaiting.borrow().0.as_deref() == Some(&screen.id) {
            return;
        }
        let Some(survey) = scheduler.survey(screen.response.survey) else {
            return;
        };
        let question = screen.response.at.and_then(|at| survey.questions.get(at));
        let answer = question.filter(|_| !skip).and_then(|q| this.card.read(q));
        let had_answers = screen.response.started();
        let goto = match screen.response.answer(survey, answer) {
            Ok(goto) => goto,
            Err(problem) => {
                let key = match problem {
                    Problem::Required => Key::Required,
                    Problem::BadEmail => Key::BadEmail,
                    Problem::BadPhone => Key::BadPhone,
                };
                this.card.problem(inner.texts.get(key));
                return;
            }
        };
        let complete = goto == Goto::End;
        if !screen.response.started() {
            // Every question skipped: nothing to send, and the survey is simply over.
            if complete {
                drop((slot, scheduler));
                Self::close(inner);
            } else {
                this.ask(inner, survey, screen);
            }
            return;
        }
        let at = now();
        let kind = Kind::Survey(SurveyRef {
            id: survey.id.clone(),
            version: survey.version,
            signals: this.signals.borrow_mut().at(at, screen.shown, complete),
        });
        let answers = screen.response.payload(survey);
        let submission = inner.submission(
            screen.id.clone(),
            screen.created_at.clone(),
            kind,
            screen.trigger,
            complete,
            answers,
        );
        let detail = detail(Some(survey));
        if complete {
            this.awaiting.borrow_mut().0 = Some(screen.id.clone());
            this.card.busy(true);
        } else {
            this.ask(inner, survey, screen);
        }
        if !had_answers {
            scheduler.answered(at);
        }
        drop((slot, scheduler));
        emit("answer", &detail);
        inner.post(submission);
        if !had_answers {
            this.save(inner);
        }
    }

    /// Hears what became of a response; true when it was one of the surveys'.
    pub fn heard(&self, inner: &Inner, id: &str, status: &Status) -> bool {
        let mut awaiting = self.awaiting.borrow_mut();
        if awaiting.1.as_deref() == Some(id) && *status == Status::Delivered {
            awaiting.1 = None;
            self.card.finish(inner.texts.get(Key::Thanks));
            return true;
        }
        if awaiting.0.as_deref() != Some(id) {
            return false;
        }
        awaiting.0 = None;
        self.card.busy(false);
        let key = match status {
            Status::Delivered => Key::Thanks,
            Status::Queued => {
                awaiting.1 = Some(id.into());
                Key::Saved
            }
            Status::Rejected(_) => Key::Failed,
        };
        self.card.finish(inner.texts.get(key));
        true
    }

    /// The visitor closed the card (its close button, Escape, or Close after the thanks).
    pub fn close(inner: &Rc<Inner>) {
        let Some(this) = inner.surveys() else { return };
        let Some(screen) = this.on_screen.borrow_mut().take() else {
            return;
        };
        if !screen.response.started() {
            let detail = detail(this.scheduler.borrow().survey(screen.response.survey));
            emit("dismiss", &detail);
        }
        let had_focus = document()
            .and_then(|d| d.active_element())
            .is_some_and(|e| e.tag_name().eq_ignore_ascii_case("rebound-widget"));
        this.take_down();
        if had_focus {
            if let Some(before) = &screen.focus_before {
                let _ = before.focus();
            }
        }
        let decision = this
            .scheduler
            .borrow_mut()
            .close(now(), &|| Self::blocked(inner));
        this.save(inner);
        Self::apply(inner, decision);
    }

    /// Removes the card from the screen.
    fn take_down(&self) {
        self.on_screen.borrow_mut().take();
        self.card.hide();
    }

    /// Writes the visitor's state for later pages and other tabs.
    fn save(&self, inner: &Inner) {
        let text = json::to_string(self.scheduler.borrow().state());
        inner.storage.set(STORAGE_KEY, &text);
    }

    /// Sets the one timer for the next moment the scheduler waits for. This runs after every event, mouse moves
    /// included, so a timer already set for that moment (within a millisecond) is kept rather than made anew.
    fn wake(&self, inner: &Rc<Inner>) {
        let at = self.scheduler.borrow().next_wake();
        let mut timer = self.timer.borrow_mut();
        let armed = timer.as_ref().map(|t| t.at);
        if let (Some(at), Some(armed)) = (at, armed) {
            if (at - armed).abs() < 1.0 {
                return;
            }
        }
        let weak = Rc::downgrade(inner);
        // Replacing the old timer drops, and so clears, it.
        *timer = at.and_then(|at| {
            Timeout::at(&inner.window, at, move || {
                if let Some(inner) = weak.upgrade() {
                    Self::feed(&inner, &Event::Tick);
                }
            })
        });
    }

    /// Stops the timer; the widget is going away.
    pub fn stop(&self) {
        self.timer.borrow_mut().take();
    }
}

/// The [`Event`] a DOM event stands for, if any. `name` is the DOM event's type.
pub fn event_of(window: &Window, name: &str, event: &web_sys::Event) -> Option<Event<'static>> {
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
        "scroll" => {
            let height = document()?.document_element()?.scroll_height();
            let view = window.inner_height().ok()?.as_f64()?;
            Event::Scroll {
                top: window.scroll_y().ok()?,
                range: f64::from(height) - view,
            }
        }
        _ => Event::Activity,
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
