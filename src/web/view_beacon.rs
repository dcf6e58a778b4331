//! Sends the surveys' [`ViewReport`] (shown, dismissed) to the `views` URL next to the endpoint, when the site
//! sets `reportViews`: one `navigator.sendBeacon` per batch, when the page is hidden or left or the batch is
//! full, so that it never competes with the answers, which go through the outbox as before. Events are noted and
//! sent only while the storage persists, that is while the visitor's consent lets the widget keep state.

use crate::prelude::*;

use super::context;
use super::listener::EventListener;
use super::outlet::Outlet;
use crate::survey::definition::Survey;
use crate::survey::view_report::{Batch, Seen, ViewEvent, ViewReport};
use crate::url_privacy;
use alloc::rc::Rc;
use core::cell::RefCell;

/// The report of one page view and where it goes.
struct Pending {
    outlet: Rc<Outlet>,
    url: String,
    report: RefCell<ViewReport>,
}

impl Pending {
    /// Sends what is waiting, if consent allows.
    fn send(&self) {
        if !self.outlet.storage.persists() {
            return;
        }
        let window = &self.outlet.window;
        let site = self.outlet.site_id();
        let batch = Batch {
            id: context::new_id(window),
            site: &site,
            config_version: self.outlet.config_version,
        };
        if let Some(body) = self.report.borrow_mut().take(batch) {
            let _ = window
                .navigator()
                .send_beacon_with_opt_str(&self.url, Some(&body));
        }
    }
}

/// Notes what happens to the surveys and sends it; dropping it stops listening.
pub struct ViewBeacon {
    pending: Rc<Pending>,
    _listeners: [EventListener; 2],
}

impl ViewBeacon {
    /// Starts listening for the page being hidden or left; `None` when the site does not report views.
    pub fn start(outlet: &Rc<Outlet>) -> Option<ViewBeacon> {
        let pending = Rc::new(Pending {
            outlet: outlet.clone(),
            url: outlet.views_url.clone()?,
            report: RefCell::default(),
        });
        let doc = outlet.window.document()?;
        let on = |target: &web_sys::EventTarget, name: &'static str| {
            let pending = pending.clone();
            let doc = doc.clone();
            EventListener::new(target, name, move |_| {
                if name == "pagehide" || doc.hidden() {
                    pending.send();
                }
            })
        };
        let listeners = [on(&outlet.window, "pagehide"), on(&doc, "visibilitychange")];
        Some(ViewBeacon {
            pending,
            _listeners: listeners,
        })
    }

    /// Notes that `survey` was shown or dismissed on this page.
    pub fn note(&self, survey: &Survey, seen: Seen) {
        let pending = &self.pending;
        if !pending.outlet.storage.persists() {
            return;
        }
        let url = pending.outlet.window.location().href().unwrap_or_default();
        let event = ViewEvent {
            survey: survey.id.clone(),
            version: survey.version,
            seen,
            url: url_privacy::strip(&url, pending.outlet.strip_params.as_deref()),
            at: context::now(),
        };
        let full = pending.report.borrow_mut().add(event);
        if full {
            pending.send();
        }
    }
}

impl Drop for ViewBeacon {
    /// The widget is going away (`destroy()`) or the surveys stop: what is noted is sent now.
    fn drop(&mut self) {
        self.pending.send();
    }
}
