//! The full widget (`rebound_full_bg.wasm`), which the loader fetches when the eager core (`src/web/eager.rs`) asks
//! for it (from the script tag and from the bundler entry alike): the button taken over from the core, the outbox, the
//! host's storage consent and data, and the parts it builds (the feedback dialog on the visitor's intent, the
//! surveys in a task after the start). It knows nothing of how a question is drawn: it drives the parts through
//! the traits of [`super::outlet`], and they reach the widget only through the [`Outlet`]. Listeners are owned by the widget
//! and removed when it is destroyed; they hold only a weak reference to it, so nothing keeps a destroyed widget
//! alive.

use crate::prelude::*;

use super::feedback_dialog::Dialog;
use super::follow_up::FollowUp;
use super::handover::{self, Handover};
use super::listener::EventListener;
use super::outlet::{Feedback, Outbox, Outlet, Surveys};
use super::promise::after;
use super::signals::Watcher;
use super::storage::Storage;
use super::surveys::{Before, Page};
use super::timeout::Timeout;
use super::{context, convert::to_value, options, report, view::View};
use crate::config::Config;
use crate::diagnostics::without_query;
use crate::host_data::HostData;
use crate::locale::{self, Key, Texts};
use crate::outbox::STORAGE_PREFIX;
use crate::receipt::Status;
use crate::recovery::plan::Plan;
use crate::stylesheet::CARD;
use crate::submission::Trigger;
use crate::value::Value;
use alloc::rc::{Rc, Weak};
use core::cell::{Cell, OnceCell, RefCell};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use web_sys::Window;

/// Starts the full widget. `script` is the loader's `<script>` element (its `data-*` attributes and `nonce` are
/// read) or `null`; `config` is an options object such as `window.ReboundConfig`, or `undefined`; `core` is
/// the eager core, whose button the widget takes over when it mounts (see [`Handover`]); `here` is the URL of a
/// file in the widget's folder, where the texts of languages other than English are fetched from
/// (`rebound_de.txt`; without it the widget speaks English); `before`, when a function, returns what the visitor
/// did before the widget mounted, which the surveys hear ([`Before`]). Resolves to the widget, or to `undefined`
/// when it stays off (the reason is on the console). Never rejects.
#[wasm_bindgen(unchecked_return_type = "Promise<Widget | undefined>")]
pub fn start(
    script: JsValue,
    config: JsValue,
    core: js_sys::Object,
    here: Option<String>,
    tick: JsValue,
    before: JsValue,
) -> Promise {
    let core = JsValue::from(core);
    let file = Some(handover::get(&core, "file"));
    // The options have problems the core left to the full widget to say.
    let loud = handover::get(&core, "problems").is_truthy();
    options::read(
        script,
        config,
        file,
        loud,
        move |window, mut config, _, _| {
            let languages = context::languages(window, config.locale.as_deref());
            let texts = locale::texts(
                languages.iter().map(String::as_str),
                core::mem::take(&mut config.strings),
            );
            let url = texts.missing().and_then(|tag| {
                let file = ["rebound_", tag, ".txt"].concat();
                web_sys::Url::new_with_base(&file, here.as_deref()?).ok()
            });
            // The widget is mounted in a task after the options are read.
            let mount = move |window: &Window, texts| {
                let window = window.clone();
                JsValue::from(after(&tick, move || {
                    let own = own_urls(&window, &config, here.as_deref());
                    let before = Before::read(&before);
                    Handover::take(&core)
                        .and_then(|h| {
                            Widget::mount(&window, config, h, languages, texts, own, before)
                        })
                        .map_or(JsValue::UNDEFINED, JsValue::from)
                }))
            };
            let Some(url) = url.map(|u| u.href()) else {
                return mount(window, texts.with_table(None).0);
            };
            let window = window.clone();
            options::fetch(&window.clone(), &url.clone(), false, move |table| {
                let (table, why) = match table {
                    Ok(text) => (text.as_string(), "not a table of the widget's texts"),
                    Err(why) => (None, why),
                };
                let (texts, spoken) = texts.with_table(table);
                if !spoken {
                    report(
                        &[
                            "rebound: could not load ",
                            &url,
                            " (",
                            why,
                            "); speaking English",
                        ]
                        .concat(),
                    );
                }
                mount(&window, texts)
            })
            .into()
        },
    )
}

/// The widget on the page. The loader keeps one and forwards `Rebound.open()`, `close()`, `destroy()` and the
/// other calls of `window.Rebound` to it.
#[wasm_bindgen]
pub struct Widget {
    inner: Rc<Inner>,
}

/// The widget's parts.
struct Inner {
    outlet: Rc<Outlet>,
    view: View,
    /// Whether the visitor's browser sends Global Privacy Control and the site respects it.
    gpc_refuses: bool,
    dialog: RefCell<DialogSlot>,
    surveys: RefCell<SurveySlot>,
    destroyed: Cell<bool>,
    listeners: RefCell<Vec<EventListener>>,
    /// The diagnostics' listeners, while the widget lives.
    watcher: RefCell<Option<Watcher>>,
    /// The start-up work left for a task after the button is drawn.
    later: RefCell<Option<Timeout>>,
    /// The follow-ups of the visitor's cases, once asked for.
    follow_up: RefCell<Option<Rc<FollowUp>>>,
}

/// Where the feedback dialog is.
enum DialogSlot {
    /// Not asked for yet, or the page refused one of its elements (asking again tries again).
    Absent,
    Ready(Rc<dyn Feedback>),
}

/// Where the surveys are.
enum SurveySlot {
    /// The configuration has none (or none valid).
    None,
    /// Starting in a later task, with the page's calls made meanwhile.
    Loading(Vec<Call>),
    Ready(Rc<dyn Surveys>),
}

/// A call for the surveys made before they arrived.
enum Call {
    Track(String, Value),
    Show(String),
}

#[wasm_bindgen]
impl Widget {
    /// Opens the feedback dialog, as if the visitor had clicked the button.
    pub fn open(&self) {
        Inner::open(&self.inner, Trigger::Api);
    }

    /// Closes the dialog, keeping what the visitor typed.
    pub fn close(&self) {
        let slot = self.inner.dialog.borrow_mut();
        match &*slot {
            DialogSlot::Ready(dialog) => {
                let dialog = dialog.clone();
                drop(slot);
                dialog.close();
            }
            DialogSlot::Absent => {}
        }
    }

    /// Removes every element and listener the widget added; later calls do nothing. Answers still waiting in
    /// storage are sent by the next page view.
    pub fn destroy(&self) {
        let inner = &self.inner;
        if inner.destroyed.replace(true) {
            return;
        }
        inner.listeners.borrow_mut().clear();
        inner.later.take();
        inner.watcher.take();
        inner.outlet.stop_delivery();
        if let SurveySlot::Ready(surveys) = inner.surveys.replace(SurveySlot::None) {
            surveys.stop();
        }
        inner.dialog.replace(DialogSlot::Absent);
        inner.follow_up.take();
        inner.view.host.remove();
    }

    /// Records the visitor's storage consent: `"granted"` lets waiting answers be kept across pages.
    #[wasm_bindgen(js_name = setConsent)]
    pub fn set_consent(&self, value: JsValue) {
        let inner = &self.inner;
        match value.as_string().as_deref() {
            Some("granted") if !inner.gpc_refuses => {
                inner.outlet.storage.persist(&inner.outlet.window)
            }
            Some("granted" | "pending" | "denied") => {}
            _ => report("rebound: setConsent takes \"granted\", \"pending\" or \"denied\""),
        }
    }

    /// `Rebound.track(name, properties)`: an event of the page that `event` survey triggers wait for.
    pub fn track(&self, name: JsValue, properties: JsValue) {
        match name.as_string() {
            Some(name) => self
                .inner
                .surveys_call(Call::Track(name, to_value(&properties))),
            None => report("rebound: Rebound.track takes an event name (a string) first"),
        }
    }

    /// `Rebound.show(id)`: shows that survey now, unless the visitor already answered it.
    pub fn show(&self, id: JsValue) {
        match id.as_string() {
            Some(id) => self.inner.surveys_call(Call::Show(id)),
            None => report("rebound: Rebound.show takes a survey id (a string)"),
        }
    }

    /// The page changed its URL without loading (the loader hears `history.pushState` and `replaceState`).
    pub fn route(&self) {
        if let Some(surveys) = self.inner.ready_surveys() {
            surveys.navigate();
        }
    }

    /// Attaches who the visitor is (`{ id, email, name, … }`) to every answer sent from now on; `null` clears it.
    pub fn identify(&self, data: JsValue) {
        self.inner.outlet.attached.borrow_mut().visitor = host_data("identify", &data);
    }

    /// Attaches what the visitor is doing (`{ order_id, cart_value, plan, … }`) to every answer sent from now on;
    /// `null` clears it.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&self, data: JsValue) {
        self.inner.outlet.attached.borrow_mut().context = host_data("setContext", &data);
    }
}

/// The feedback form's recovery plan from the `recovery` option; a wrong one is one console line, and the form
/// then has none.
fn feedback_recovery(option: &Value) -> Option<Plan> {
    Plan::for_feedback(option).unwrap_or_else(|line| {
        report(&line);
        None
    })
}

/// Where the widget's own requests go besides the status URL, resolved against the page and without query: the
/// endpoint, the config file, and the widget's own files next to `here` (`rebound.js`, `rebound_*`: its
/// modules and language files), not the rest of that folder, which may be the site's.
fn own_urls(window: &Window, config: &Config, here: Option<&str>) -> Vec<String> {
    let page = window.location().href().unwrap_or_default();
    let mut own = Vec::new();
    let mut add = |url: &str, base: &str| {
        if let Ok(url) = web_sys::Url::new_with_base(url, base) {
            own.push(without_query(&url.href()).into());
        }
    };
    add(&config.endpoint, &page);
    if let Some(file) = &config.config_url {
        add(file, &page);
    }
    if let Some(here) = here {
        add("rebound.", here);
        add("rebound_", here);
    }
    own
}

/// Where the visitor's cases are followed up (the `followUp` option): `cases/status` next to the endpoint by
/// default, the URL given (resolved against the page), or nowhere with `false`; anything else is one console
/// line, and no follow-up.
fn status_url(window: &Window, config: &Config) -> Option<String> {
    let url = match &config.follow_up {
        Value::Null => {
            let url = web_sys::Url::new_with_base("cases/status", &config.endpoint);
            return url.ok().map(|u| u.href());
        }
        Value::Bool(false) => return None,
        Value::Str(url) => context::resolve(window, url),
        _ => None,
    };
    if url.is_none() {
        report("rebound: option followUp must be an http or https URL or false; cases are not followed up");
    }
    url
}

/// The value of an option the full widget checks, or `None` after its console line.
fn checked<T>(option: Result<T, String>) -> Option<T> {
    option.map_err(|line| report(&line)).ok()
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
    /// Draws the button, announces `ready`, and leaves the rest to later tasks, one each: fetching the outbox when
    /// earlier pages left answers waiting in it, the surveys when the configuration has any, and the follow-up.
    fn mount(
        window: &Window,
        mut config: Config,
        handover: Handover,
        languages: Vec<String>,
        texts: Texts,
        mut own: Vec<String>,
        before: Before,
    ) -> Option<Widget> {
        // Taken over from the eager core, which keeps following the theme.
        let doc = window.document()?;
        let nonce = config.nonce.as_deref();
        let view = View::adopt(&doc, handover.host.clone(), (CARD, nonce), &texts)?;
        let early = handover.errors.clone();
        let gpc_refuses = context::gpc_refuses(window, &config);
        let status_url = status_url(window, &config);
        own.extend(status_url.as_deref().map(|u| without_query(u).into()));
        let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
            let persist = context::persists(&config, gpc_refuses);
            let storage = Rc::new(Storage::new(window, persist));
            let weak = weak.clone();
            let notify = Rc::new(move |id: &str, status: &Status| {
                if let Some(inner) = weak.upgrade() {
                    inner.heard(id, status);
                }
            });
            let outbox = Outbox {
                endpoint: config.endpoint.clone(),
                headers: core::mem::take(&mut config.headers),
                expiry_days: config.expiry_days,
                notify,
            };
            let attached = Rc::default();
            let watcher = config.signals.any().then(|| {
                Watcher::start(window, config.signals, &config.endpoint, &attached, &early)
            });
            let surveys = if matches!(config.surveys, Value::Null) {
                SurveySlot::None
            } else {
                SurveySlot::Loading(Vec::new())
            };
            Inner {
                outlet: Rc::new(Outlet {
                    window: window.clone(),
                    root: view.root.clone(),
                    frame: view.frame.clone(),
                    launcher: view.launcher.clone(),
                    texts,
                    storage,
                    feedback_open: Cell::new(false),
                    note_open: Cell::new(false),
                    feedback_recovery: feedback_recovery(&config.recovery),
                    site: config.site.take(),
                    strip_params: config.strip_params.take(),
                    status_url,
                    config_version: checked(config.reported_version()).flatten(),
                    views_url: checked(config.reports_views())
                        .unwrap_or(false)
                        .then(|| web_sys::Url::new_with_base("views", &config.endpoint).ok())
                        .flatten()
                        .map(|url| url.href()),
                    own,
                    early_errors: early,
                    attached,
                    outbox,
                    started: OnceCell::new(),
                }),
                view,
                gpc_refuses,
                dialog: RefCell::new(DialogSlot::Absent),
                surveys: RefCell::new(surveys),
                destroyed: Cell::new(false),
                listeners: RefCell::default(),
                watcher: RefCell::new(watcher),
                later: RefCell::default(),
                follow_up: RefCell::default(),
            }
        });
        Inner::listen(&inner);
        let weak = Rc::downgrade(&inner);
        let surveys = (
            core::mem::replace(&mut config.surveys, Value::Null),
            config.survey_cooldown_days,
        );
        // Each in a task of its own: the outbox, the surveys, the follow-up.
        let mut step = 0;
        let mut surveys = Some((surveys, languages, before));
        *inner.later.borrow_mut() = Timeout::at(window, js_sys::Date::now(), move || {
            let Some(inner) = weak.upgrade() else {
                return;
            };
            step += 1;
            match step {
                1 => {
                    if !inner.outlet.storage.keys(STORAGE_PREFIX).is_empty() {
                        inner.outlet.delivery().flush();
                    }
                }
                2 => {
                    if let Some((definitions, languages, before)) = surveys.take() {
                        Inner::start_surveys(&inner, definitions, languages, before);
                    }
                }
                _ => {
                    if let Some(url) = &inner.outlet.status_url {
                        *inner.follow_up.borrow_mut() =
                            Some(FollowUp::start(inner.outlet.clone(), url));
                    }
                    return;
                }
            }
            if let Some(later) = &mut *inner.later.borrow_mut() {
                later.again();
            };
        });
        // What the visitor did while the full widget was on its way.
        if handover.press {
            Inner::open(&inner, Trigger::Button);
        } else if handover.intent {
            Inner::prefetch(&inner);
        }
        Some(Widget { inner })
    }
}

impl Inner {
    /// Wires the button: a click opens or closes the dialog, and any sign of intent (the pointer over it, focus
    /// on it, a touch) fetches the dialog, so that the click then opens it at once.
    fn listen(this: &Rc<Inner>) {
        let on = |name: &'static str, act: fn(&Rc<Inner>)| {
            let weak: Weak<Inner> = Rc::downgrade(this);
            EventListener::new(&this.view.launcher, name, move |_| {
                if let Some(inner) = weak.upgrade() {
                    act(&inner);
                }
            })
        };
        *this.listeners.borrow_mut() = vec![
            on("click", Inner::toggle),
            on("pointerenter", Inner::prefetch),
            on("focus", Inner::prefetch),
            on("touchstart", Inner::prefetch),
        ];
    }

    /// The surveys, once they arrived.
    fn ready_surveys(&self) -> Option<Rc<dyn Surveys>> {
        match &*self.surveys.borrow() {
            SurveySlot::Ready(surveys) => Some(surveys.clone()),
            _ => None,
        }
    }

    /// Passes a page's call to the surveys, or keeps it until they arrive.
    fn surveys_call(&self, call: Call) {
        let mut slot = self.surveys.borrow_mut();
        match &mut *slot {
            SurveySlot::Loading(calls) => calls.push(call),
            SurveySlot::Ready(surveys) => {
                let surveys = surveys.clone();
                drop(slot);
                match call {
                    Call::Track(name, properties) => surveys.track(&name, &properties),
                    Call::Show(id) => surveys.show(&id),
                }
            }
            SurveySlot::None => {
                if let Call::Show(_) = call {
                    report("rebound: Rebound.show: no surveys are configured");
                }
            }
        }
    }

    /// Starts the surveys (their definitions and the `surveyCooldownDays` option, and what the visitor did
    /// before), then replays the page's calls made meanwhile.
    fn start_surveys(
        this: &Rc<Inner>,
        (definitions, cooldown_days): (Value, u32),
        languages: Vec<String>,
        before: Before,
    ) {
        if !matches!(*this.surveys.borrow(), SurveySlot::Loading(_)) || this.destroyed.get() {
            return;
        }
        let started = Page::start(
            this.outlet.clone(),
            &definitions,
            languages,
            cooldown_days,
            before,
        );
        let ready = match started {
            Some(surveys) => SurveySlot::Ready(surveys),
            None => SurveySlot::None,
        };
        let SurveySlot::Loading(calls) = this.surveys.replace(ready) else {
            return;
        };
        for call in calls {
            this.surveys_call(call);
        }
    }

    /// The visitor showed intent: the dialog is built, still hidden, so that a click opens it at once.
    fn prefetch(this: &Rc<Inner>) {
        if matches!(*this.dialog.borrow(), DialogSlot::Absent) {
            Inner::build_dialog(this);
        }
    }

    fn toggle(this: &Rc<Inner>) {
        if let Some(surveys) = this.ready_surveys() {
            // One thing at a time: the visitor who asks for the feedback form closes the survey.
            surveys.dismiss();
        }
        if let Some(follow_up) = &*this.follow_up.borrow() {
            follow_up.dismiss();
        }
        if this.outlet.feedback_open.get() {
            let dialog = match &*this.dialog.borrow() {
                DialogSlot::Ready(dialog) => Some(dialog.clone()),
                _ => None,
            };
            // Nothing borrowed: the `close` event's listeners may call back into the widget.
            if let Some(dialog) = dialog {
                dialog.close();
            }
        } else {
            Inner::open(this, Trigger::Button);
        }
    }

    /// Opens the dialog, building it first when it is not there yet.
    fn open(this: &Rc<Inner>, trigger: Trigger) {
        if this.destroyed.get() {
            return;
        }
        if let Some(dialog) = Inner::build_dialog(this) {
            dialog.open(trigger);
        }
    }

    /// The dialog, built (hidden) when it is not there yet. When the page refuses one of its elements the button
    /// says the form could not be loaded, and asking again tries again.
    fn build_dialog(this: &Rc<Inner>) -> Option<Rc<dyn Feedback>> {
        if let DialogSlot::Ready(dialog) = &*this.dialog.borrow() {
            return Some(dialog.clone());
        }
        let launcher = &this.view.launcher;
        let texts = &this.outlet.texts;
        match Dialog::build(this.outlet.clone()) {
            Some(dialog) => {
                let dialog: Rc<dyn Feedback> = dialog;
                launcher.set_text_content(Some(texts.label(Key::Button)));
                *this.dialog.borrow_mut() = DialogSlot::Ready(dialog.clone());
                Some(dialog)
            }
            None => {
                report("rebound: the feedback form could not be built; pressing the button tries again");
                launcher.set_text_content(Some(texts.label(Key::Unavailable)));
                None
            }
        }
    }

    /// Tells the part whose response it was what became of it.
    fn heard(&self, id: &str, status: &Status) {
        if self.destroyed.get() {
            return;
        }
        let dialog = match &*self.dialog.borrow() {
            DialogSlot::Ready(dialog) => Some(dialog.clone()),
            _ => None,
        };
        if dialog.is_some_and(|d| d.heard(id, status)) {
            return;
        }
        if let Some(surveys) = self.ready_surveys() {
            surveys.heard(id, status);
        }
    }
}
