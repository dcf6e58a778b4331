//! The one interface the on-demand parts (the feedback dialog, the surveys) get from the eager core: the page's
//! window, the widget's frame and texts, storage, where answers go, and whether the feedback dialog is open. A
//! part never reaches into another part or into the core; it calls this, and the core calls a part only through
//! the traits below.

use crate::prelude::*;

use super::delivery::{Delivery, Notify};
use super::{context, events::emit, storage::Storage};
use crate::locale::Texts;
use crate::payload::Attached;
use crate::receipt::Status;
use crate::recovery::plan::Plan;
use crate::submission::{Answer, Kind, Submission, Trigger};
use crate::value::Value;
use alloc::rc::Rc;
use core::cell::{Cell, OnceCell, RefCell};
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement, ShadowRoot, Window};

/// What a part may use of the widget.
pub struct Outlet {
    /// The page's window.
    pub window: Window,
    /// The widget's shadow root.
    pub root: ShadowRoot,
    /// The positioned container the parts add their elements to.
    pub frame: Element,
    /// The feedback button, which gets focus back when the dialog closes.
    pub launcher: HtmlElement,
    /// The texts in the visitor's language.
    pub texts: Texts,
    /// Where state between page views is kept.
    pub storage: Rc<Storage>,
    /// Whether the feedback dialog is open; surveys wait while it is.
    pub feedback_open: Cell<bool>,
    /// Whether the support team's note on a resolved case is on screen ([`super::follow_up`]); surveys wait
    /// while it is.
    pub note_open: Cell<bool>,
    /// How the feedback form answers an unhappy visitor (the `recovery` option); `None`: it does not.
    pub feedback_recovery: Option<Plan>,
    /// The site id of every payload (`None`: the page's host name).
    pub site: Option<String>,
    /// The query parameters stripped from the page URL (`None`: the default list).
    pub strip_params: Option<Vec<String>>,
    /// Where the visitor's cases are followed up (the `followUp` option), `None` for nowhere.
    pub status_url: Option<String>,
    /// The published version of the configuration (`configVersion`), reported in every answer.
    pub config_version: Option<u32>,
    /// Where the surveys report when they were shown and dismissed (`views` next to the endpoint, with the
    /// `reportViews` option), `None` for nowhere.
    pub views_url: Option<String>,
    /// Where the widget's own requests go, without query: the endpoint, the status URL, the config file and the
    /// widget's folder. The failure triggers leave them out.
    pub own: Vec<String>,
    /// The page's `error` events the eager core heard before the full widget came (an array), or `undefined`.
    pub early_errors: JsValue,
    /// What goes with every answer besides the answers: host data and diagnostics.
    pub attached: Rc<RefCell<Attached>>,
    /// Where answers go, and how: the outbox starts only when it is first needed.
    pub outbox: Outbox,
    /// The outbox once started: see [`Outlet::delivery`].
    pub started: OnceCell<Rc<Delivery>>,
}

/// What the outbox needs to start.
pub struct Outbox {
    /// The endpoint, resolved against the page.
    pub endpoint: String,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// Days an answer may wait before it is given up.
    pub expiry_days: u32,
    /// Hears what became of every response.
    pub notify: Notify,
}

impl Outlet {
    /// The outbox, started (listening for `online` and page exits) the first time it is asked for: by a part
    /// sending an answer, or by the outbox part when earlier pages left answers waiting.
    pub fn delivery(&self) -> Rc<Delivery> {
        let delivery = self.started.get_or_init(|| {
            let outbox = &self.outbox;
            Delivery::start(
                &self.window,
                outbox.endpoint.clone(),
                outbox.headers.clone(),
                self.storage.clone(),
                outbox.expiry_days,
                outbox.notify.clone(),
            )
        });
        delivery.clone()
    }

    /// Stops the outbox if it started; what is queued stays for the next page.
    pub fn stop_delivery(&self) {
        if let Some(delivery) = self.started.get() {
            delivery.stop();
        }
    }

    /// The site id of every payload: the `site` option, or the page's host name.
    pub fn site_id(&self) -> String {
        self.site
            .clone()
            .unwrap_or_else(|| context::host_name(&self.window))
    }

    /// A version of a response, with the page and browser it was given in.
    pub fn submission(
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
            site: self.site_id(),
            kind,
            trigger,
            complete,
            answers,
            page: context::page(window),
            client: context::client(window, self.texts.locale),
            created_at,
            failure: None,
            recovery: None,
            config_version: self.config_version,
        }
    }

    /// Puts `submission` into the outbox, with the host's data and diagnostics and the page URL stripped of
    /// private parameters; a complete one is announced as `submit`. What became of it reaches the parts'
    /// [`Part::heard`].
    pub fn post(&self, submission: Submission) {
        let (id, complete) = (submission.id.clone(), submission.complete);
        let body = self
            .attached
            .borrow()
            .body(submission, self.strip_params.as_deref());
        if complete {
            emit(
                "submit",
                &js_sys::JSON::parse(&body).unwrap_or(JsValue::NULL),
            );
        }
        self.delivery().send(&id, body);
    }
}

/// What every part hears from the core.
pub trait Part {
    /// What became of response `id`; true when it was this part's.
    fn heard(&self, id: &str, status: &Status) -> bool;
}

/// The feedback dialog, as the core drives it.
pub trait Feedback: Part {
    /// Opens the dialog.
    fn open(&self, trigger: Trigger);
    /// Closes it, keeping what the visitor typed.
    fn close(&self);
}

/// The page's surveys, as the core drives them.
pub trait Surveys: Part {
    /// `Rebound.track(name, properties)`.
    fn track(&self, name: &str, properties: &Value);
    /// `Rebound.show(id)`.
    fn show(&self, id: &str);
    /// The page changed its URL without loading.
    fn navigate(&self);
    /// Takes the survey card down, as if the visitor had closed it; false when none was on screen.
    fn dismiss(&self) -> bool;
    /// Stops the surveys' timer and listeners; the widget is going away.
    fn stop(&self);
}
