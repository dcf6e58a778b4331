//! The surveys of the dialog part (`rebound_dialog_bg.wasm`, the crate's `dialog` feature): none. The core asks
//! for that part instead of the full widget when the options configure no survey, so a visitor who presses the
//! button downloads the feedback form without the survey engine. It stands where `src/web/surveys.rs` stands in
//! the full widget, with the same names, so that the widget's code is the same in both builds.

use crate::prelude::*;

use super::outlet::{Outlet, Part, Surveys};
use super::report;
use crate::receipt::Status;
use crate::value::Value;
use alloc::rc::Rc;
use wasm_bindgen::JsValue;

/// What the visitor did before the widget came: nothing the dialog part needs.
pub struct Before;

impl Before {
    /// Ignores what the loader heard: no survey waits for a pause in typing or counts the scroll here.
    pub fn read(_: &JsValue) -> Before {
        Before
    }
}

/// Surveys that never start: there is no value of this type.
pub enum Page {}

impl Page {
    /// Starts nothing. The core saw no survey in the options; when the page set some since (a later
    /// `window.ReboundConfig`), one console line says they count from the next page view.
    pub fn start(
        _: Rc<Outlet>,
        definitions: &Value,
        _: Vec<String>,
        _: u32,
        _: Before,
    ) -> Option<Rc<Page>> {
        if !matches!(definitions, Value::Null) {
            report("rebound: surveys set after the widget started are read on the next page view");
        }
        None
    }
}

impl Part for Page {
    fn heard(&self, _: &str, _: &Status) -> bool {
        match *self {}
    }
}

impl Surveys for Page {
    fn track(&self, _: &str, _: &Value) {
        match *self {}
    }
    fn show(&self, _: &str) {
        match *self {}
    }
    fn navigate(&self) {
        match *self {}
    }
    fn dismiss(&self) -> bool {
        match *self {}
    }
    fn stop(&self) {
        match *self {}
    }
}
