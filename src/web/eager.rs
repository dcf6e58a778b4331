//! The eager core: the wasm module every page view loads (`rebound_bg.wasm`, built with the crate's `core`
//! feature). It reads the options once, without their messages, draws the button, follows the theme and then
//! asks the loader for the full widget (`rebound_full_bg.wasm`) only when this page view can use it:
//! - at the visitor's first sign of intent on the button (the pointer over it, focus on it, a touch) or a press;
//! - when the page calls `Rebound.open()` or `show()` (the loader calls [`Eager::need`]);
//! - in a task after the button is drawn, when the options have problems (the full widget says each on the
//!   console), a case is due to be followed up ([`waiting`]), the options configure diagnostics, or a survey may
//!   show on this page (its URL rules cover it and it is not
//!   one that waits for `Rebound.show`: [`crate::survey::targeting::may_show_at`]), no survey appeared in this
//!   browser in the last `surveyCooldownDays`, it was not shown once already and the visitor is in its sample
//!   ([`Inner::may_show`], read from storage in that task, not before the button), and again on each SPA route
//!   change.
//!
//! When none of that holds but earlier pages left answers waiting in the outbox, it asks for the outbox part
//! instead (`rebound_flush_bg.wasm`, [`super::flush`]), passing what it sends with.
//!
//! When the options configure no survey, the full widget asked for is the dialog part (`rebound_dialog_bg.wasm`,
//! the crate's `dialog` feature): the feedback form without the survey engine.
//!
//! When the full widget is there, it takes the button over ([`Eager::handover`]). If it cannot be loaded, the
//! console says why in one line, the button says so when the visitor pressed it, and the next ask tries again.

use crate::prelude::*;

use super::handover::Handover;
use super::listener::EventListener;
use super::promise::after;
use super::timeout::Timeout;
use super::{context, events::emit, options, report, theme, view::View};
use crate::config::Config;
use crate::locale::{self, Key, Texts};
use crate::outbox::STORAGE_PREFIX;
use crate::recovery::follow_up;
use crate::stylesheet::LAUNCHER;
use crate::survey::targeting::may_show_at;
use crate::survey::{glance, visitor_state};
use crate::value::Value;
use alloc::rc::{Rc, Weak};
use core::cell::{Cell, RefCell};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::Window;

/// Starts the eager core. `script` is the loader's `<script>` element (its `data-*` attributes and `nonce` are
/// read) or `null`; `config` is an options object such as `window.ReboundConfig`, or `undefined`; `need` is
/// called when the page view needs the full widget (with `"full"`, or `"dialog"` for the dialog part when the
/// options configure no survey) or only the outbox part (with `"flush"`,
/// the endpoint and the headers' names and values one a line, and the `expiryDays`);
/// `tick` is the loader's (see [`after`]).
/// Resolves to the core, or to `undefined` when the widget stays off (the reason is on the console). Never
/// rejects.
#[wasm_bindgen(unchecked_return_type = "Promise<Eager | undefined>")]
pub fn start(script: JsValue, config: JsValue, need: Function, tick: JsValue) -> Promise {
    options::read(
        script,
        config,
        None,
        false,
        move |window, config, file, problems| {
            // The button is drawn in the task after the options are read.
            let window = window.clone();
            after(&tick, move || {
                Eager::mount(&window, config, file, problems, need)
                    .map_or(JsValue::UNDEFINED, JsValue::from)
            })
            .into()
        },
    )
}

/// The eager core on the page; the loader keeps it next to the full widget.
#[wasm_bindgen]
pub struct Eager {
    inner: Rc<Inner>,
}

struct Inner {
    view: View,
    texts: Texts,
    /// The config file's JSON, for the full widget.
    file: JsValue,
    /// The options have problems, which the full widget says.
    problems: bool,
    need: Function,
    /// The survey definitions as the options give them (`null`: none).
    surveys: Value,
    /// Whether storage is allowed (consent, Global Privacy Control), and the `surveyCooldownDays` option: what
    /// [`Inner::may_show`] needs besides the definitions.
    persist: bool,
    gap_days: u32,
    /// The full widget was asked for and has not arrived (nor failed) yet.
    asked: Cell<bool>,
    /// The full widget took the button over.
    handed: Cell<bool>,
    press: Cell<bool>,
    intent: Cell<bool>,
    listeners: RefCell<Vec<EventListener>>,
    /// With the `errors` diagnostics or a `js_error` survey that may show here: the page's `error` and
    /// `unhandledrejection` events until the handover, and the listeners that keep them.
    errors: RefCell<Option<(js_sys::Array, [EventListener; 2])>>,
    theme: RefCell<Option<theme::Follow>>,
    later: RefCell<Option<Timeout>>,
}

#[wasm_bindgen]
impl Eager {
    /// Whether the options configure surveys: without any, the loader drops `Rebound.track` calls instead of
    /// keeping them for the full widget.
    #[wasm_bindgen(getter)]
    pub fn surveys(&self) -> bool {
        !matches!(self.inner.surveys, Value::Null)
    }

    /// The page changed its URL without loading: asks for the full widget when a survey may show there now.
    pub fn route(&self) {
        let inner = &self.inner;
        if inner.may_show_here() {
            inner.ask();
        }
    }

    /// The config file's JSON, or `undefined` when there is none (or it could not be loaded, said already): the
    /// full widget reads it instead of fetching the file again.
    #[wasm_bindgen(getter)]
    pub fn file(&self) -> JsValue {
        self.inner.file.clone()
    }

    /// Whether the options have problems, which the core did not say: the full widget says them.
    #[wasm_bindgen(getter)]
    pub fn problems(&self) -> bool {
        self.inner.problems
    }

    /// Asks for the full widget (the loader calls this when the page calls `Rebound.open()` or `show()`).
    pub fn need(&self) {
        self.inner.ask();
    }

    /// The full widget mounts: the core stops listening to the button and returns what the full widget needs to
    /// take it over (the full widget calls this in the task in which it starts listening itself).
    pub fn handover(&self) -> JsValue {
        let inner = &self.inner;
        inner.handed.set(true);
        inner.asked.set(false);
        inner.listeners.borrow_mut().clear();
        inner.later.take();
        let errors = inner.errors.take().map(|(early, _)| early);
        let _ = inner.view.launcher.remove_attribute("aria-busy");
        Handover {
            host: inner.view.host.clone(),
            press: inner.press.replace(false),
            intent: inner.intent.get(),
            errors: errors.map_or(JsValue::UNDEFINED, JsValue::from),
        }
        .to_js()
    }

    /// The full widget could not be loaded, `why` in a few words. The console says so once; when the visitor
    /// pressed the button, the button says the form could not be loaded. The next ask tries again.
    pub fn failed(&self, why: String) {
        let inner = &self.inner;
        inner.asked.set(false);
        let launcher = &inner.view.launcher;
        let _ = launcher.remove_attribute("aria-busy");
        if inner.press.replace(false) {
            report(
                &[
                    "rebound: the feedback form could not be loaded (",
                    &why,
                    "); pressing the button tries again",
                ]
                .concat(),
            );
            launcher.set_text_content(Some(inner.texts.label(Key::Unavailable)));
        } else {
            report(
                &[
                    "rebound: the rest of the widget could not be loaded (",
                    &why,
                    "); the button tries again",
                ]
                .concat(),
            );
        }
    }

    /// Removes the button and every listener the core added; later calls do nothing.
    pub fn destroy(&self) {
        let inner = &self.inner;
        inner.handed.set(true);
        inner.listeners.borrow_mut().clear();
        inner.errors.take();
        inner.later.take();
        inner.theme.take();
        inner.view.host.remove();
    }
}

impl Eager {
    /// Draws the button, announces `ready`, and leaves for a task after it the check whether this page view needs
    /// the full widget anyway.
    fn mount(
        window: &Window,
        mut config: Config,
        file: JsValue,
        problems: bool,
        need: Function,
    ) -> Option<Eager> {
        let languages = context::languages(window, config.locale.as_deref());
        let texts = locale::texts(
            languages.iter().map(String::as_str),
            core::mem::take(&mut config.strings),
        );
        let view = View::build(&window.document()?, &config, &texts, LAUNCHER)?;
        let theme = theme::follow(window, &view.frame, &config);
        let surveys = core::mem::replace(&mut config.surveys, Value::Null);
        let keep_errors = config.signals.errors || hears_errors(&surveys, &context::path(window));
        let persist = context::persists(&config, context::gpc_refuses(window, &config));
        let inner = Rc::new(Inner {
            surveys,
            persist,
            gap_days: config.survey_cooldown_days,
            view,
            texts,
            file,
            problems,
            need,
            asked: Cell::new(false),
            handed: Cell::new(false),
            press: Cell::new(false),
            intent: Cell::new(false),
            listeners: RefCell::default(),
            errors: RefCell::new(keep_errors.then(|| {
                let early = js_sys::Array::new();
                let keep = |name| {
                    let kept = early.clone();
                    EventListener::new(window, name, move |event| {
                        kept.push(event);
                    })
                };
                let listeners = [keep("error"), keep("unhandledrejection")];
                (early, listeners)
            })),
            theme: RefCell::new(Some(theme)),
            later: RefCell::default(),
        });
        Inner::listen(&inner);
        // Storage is read in the task after the button, not before it is drawn.
        let follow_up = !matches!(config.follow_up, Value::Bool(false));
        let soon = problems || config.signals.any();
        // What the outbox part sends to: the endpoint, then the headers' names and values, one a line.
        let mut outbox = vec![config.endpoint.as_str()];
        for (name, value) in &config.headers {
            outbox.extend(["\n", name, "\n", value]);
        }
        let outbox = outbox.concat();
        let days = config.expiry_days;
        let weak = Rc::downgrade(&inner);
        *inner.later.borrow_mut() = Timeout::at(window, js_sys::Date::now(), move || {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            let (answers, case) = web_sys::window()
                .filter(|_| inner.persist)
                .map_or((false, false), |window| waiting(&window, follow_up));
            if soon || case || inner.may_show_here() {
                inner.ask();
            } else if answers {
                let _ = inner.need.call3(
                    &JsValue::NULL,
                    &"flush".into(),
                    &outbox.as_str().into(),
                    &days.into(),
                );
            }
        });
        emit("ready", &JsValue::NULL);
        Some(Eager { inner })
    }
}

/// The stored visitor state's text, if storage holds one.
fn stored_state(window: &Window) -> Option<String> {
    let local = window.local_storage().ok().flatten()?;
    local.get_item(visitor_state::STORAGE_KEY).ok().flatten()
}

/// Whether one of the survey definitions `surveys` has a `js_error` trigger and may show at `path`: the page's
/// errors before the full widget comes are then kept for it.
fn hears_errors(surveys: &Value, path: &str) -> bool {
    let Value::List(items) = surveys else {
        return false;
    };
    items.iter().any(|s| {
        s.get("trigger")
            .and_then(|t| t.get("type"))
            .and_then(Value::as_str)
            == Some("js_error")
            && may_show_at(s, path, &context::regex)
    })
}

/// Whether `localStorage` holds outbox items, and whether (with `follow_up`) it holds a case due to be followed
/// up ([`follow_up::due`]). Only the keys are read, quietly: when storage fails, the full widget says so if it
/// comes.
fn waiting(window: &Window, follow_up: bool) -> (bool, bool) {
    let (mut answers, mut case) = (false, false);
    if let Ok(Some(local)) = window.local_storage() {
        let now = follow_up::minutes(js_sys::Date::now());
        for key in (0..local.length().unwrap_or(0)).filter_map(|i| local.key(i).ok().flatten()) {
            answers |= key.starts_with(STORAGE_PREFIX);
            case |= follow_up && follow_up::due(&key, now);
        }
    }
    (answers, case)
}

impl Inner {
    /// Whether a survey may show on this page ([`Inner::may_show`]).
    fn may_show_here(&self) -> bool {
        web_sys::window().is_some_and(|window| self.may_show(&context::path(&window)))
    }

    /// Whether one of the survey definitions may show at `path`: its URL rules cover it, it does not wait for
    /// `Rebound.show`, no survey appeared in this browser within `surveyCooldownDays` ([`glance::gap_runs`]) and
    /// it is not one shown once already ([`glance::done`]). Definitions that are not a list count, so that the
    /// full widget says what is wrong with them.
    fn may_show(&self, path: &str) -> bool {
        let Value::List(items) = &self.surveys else {
            return !matches!(self.surveys, Value::Null);
        };
        let stored = self.persist.then(web_sys::window).flatten();
        let stored = stored.and_then(|window| stored_state(&window));
        let stored = stored.as_deref();
        let now = visitor_state::secs(js_sys::Date::now());
        if stored.is_some_and(|t| glance::gap_runs(t, self.gap_days, now)) {
            return false;
        }
        items.iter().any(|s| {
            may_show_at(s, path, &context::regex) && !stored.is_some_and(|t| glance::done(s, t))
        })
    }

    /// Wires the button: any sign of intent asks for the full widget, and a press asks for it and opens the
    /// dialog when it arrives.
    fn listen(this: &Rc<Inner>) {
        let on = |name: &'static str, act: fn(&Inner)| {
            let weak: Weak<Inner> = Rc::downgrade(this);
            EventListener::new(&this.view.launcher, name, move |_| {
                if let Some(inner) = weak.upgrade() {
                    act(&inner);
                }
            })
        };
        *this.listeners.borrow_mut() = vec![
            on("click", Inner::pressed),
            on("pointerenter", Inner::intended),
            on("focus", Inner::intended),
            on("touchstart", Inner::intended),
        ];
    }

    /// The visitor showed intent: the button is busy while the full widget is on its way, which assistive
    /// technology says.
    fn intended(&self) {
        self.intent.set(true);
        let _ = self.view.launcher.set_attribute("aria-busy", "true");
        self.ask();
    }

    fn pressed(&self) {
        self.press.set(true);
        self.intended();
        // A press after a failed load says the button's own label again while it tries.
        self.view
            .launcher
            .set_text_content(Some(self.texts.label(Key::Button)));
    }

    /// Asks the loader for the full widget (the dialog part when the options configure no survey), unless it is
    /// on its way or here already.
    fn ask(&self) {
        if self.handed.get() || self.asked.replace(true) {
            return;
        }
        // Without surveys in the options, the dialog part is all this page view can use.
        let part = match self.surveys {
            Value::Null => "dialog",
            _ => "full",
        };
        let _ = self.need.call1(&JsValue::NULL, &part.into());
    }
}
