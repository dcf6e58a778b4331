//! The report of when surveys were shown and closed without an answer (the `reportViews` option): the events of
//! one page view, collected until the browser layer sends them as one batch (`schema/views.v1.json`). Plain Rust,
//! so the batch and its JSON are tested natively; sending, and whether the visitor's consent allows it, is the
//! browser layer's part.

use crate::prelude::*;

use crate::json::{clip, Object, ToJson};
use crate::submission::{MAX_ID, MAX_SITE, MAX_URL, SCHEMA_VERSION};

/// Most events in one batch, as the contract allows: a full batch is sent at once.
pub const MAX_EVENTS: usize = 50;

/// What happened to a survey.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Seen {
    /// It appeared on the page.
    Shown,
    /// The visitor closed it without answering a question.
    Dismissed,
}

/// One event of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewEvent {
    /// The survey's id.
    pub survey: String,
    /// The version of its definition.
    pub version: u32,
    /// What happened.
    pub seen: Seen,
    /// The page's URL, already stripped of private parameters.
    pub url: String,
    /// When, RFC 3339 in UTC.
    pub at: String,
}

impl ToJson for ViewEvent {
    fn write_json(&self, out: &mut String) {
        let event = match self.seen {
            Seen::Shown => "shown",
            Seen::Dismissed => "dismissed",
        };
        Object::new(out)
            .field("survey", clip(&self.survey, MAX_ID))
            .field("version", &self.version)
            .field("event", event)
            .field("url", clip(&self.url, MAX_URL))
            .field("at", &self.at);
    }
}

/// The events waiting to be sent.
#[derive(Debug, Default)]
pub struct ViewReport {
    events: Vec<ViewEvent>,
}

/// What a batch says besides its events.
pub struct Batch<'a> {
    /// A new random UUID for the batch.
    pub id: String,
    /// The site id, as in the answers.
    pub site: &'a str,
    /// The `configVersion` option.
    pub config_version: Option<u32>,
}

impl ViewReport {
    /// Adds `event`; true when the batch is full and should be sent now.
    pub fn add(&mut self, event: ViewEvent) -> bool {
        self.events.push(event);
        self.events.len() >= MAX_EVENTS
    }

    /// The JSON body of the events so far, which are then forgotten; `None` when there is none.
    pub fn take(&mut self, batch: Batch) -> Option<String> {
        if self.events.is_empty() {
            return None;
        }
        let events = core::mem::take(&mut self.events);
        let mut out = String::new();
        Object::new(&mut out)
            .field("schema_version", &SCHEMA_VERSION)
            .field("id", &batch.id)
            .field("site", clip(batch.site, MAX_SITE))
            .maybe("config_version", batch.config_version.as_ref())
            .field("events", &events[..]);
        Some(out)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::submission::tests::valid_against;

    fn schema() -> jsonschema::Validator {
        let text = include_str!("../../schema/views.v1.json");
        let schema: serde_json::Value = serde_json::from_str(text).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    }

    fn valid(text: &str) -> serde_json::Value {
        valid_against(&schema(), text)
    }

    fn event(seen: Seen) -> ViewEvent {
        ViewEvent {
            survey: "checkout-exit".into(),
            version: 2,
            seen,
            url: "https://shop.example/checkout?utm_source=x".into(),
            at: "2026-11-23T09:40:00.123Z".into(),
        }
    }

    fn batch(config_version: Option<u32>) -> Batch<'static> {
        Batch {
            id: crate::uuid::v4([7; 16]),
            site: "shop",
            config_version,
        }
    }

    #[test]
    fn nothing_to_report_sends_nothing() {
        assert_eq!(ViewReport::default().take(batch(None)), None);
    }

    #[test]
    fn every_variant_is_valid_and_a_batch_is_sent_once() {
        let mut report = ViewReport::default();
        assert!(!report.add(event(Seen::Shown)));
        assert!(!report.add(event(Seen::Dismissed)));
        let body = report.take(batch(Some(4))).unwrap();
        let value = valid(&body);
        assert_eq!(value["config_version"], 4);
        assert_eq!(value["events"][0]["event"], "shown");
        assert_eq!(value["events"][1]["event"], "dismissed");
        assert_eq!(report.take(batch(None)), None, "sent already");
        report.add(event(Seen::Shown));
        let value = valid(&report.take(batch(None)).unwrap());
        assert!(value.get("config_version").is_none());
    }

    #[test]
    fn a_full_batch_asks_to_be_sent_and_long_values_are_clipped() {
        let mut report = ViewReport::default();
        let mut long = event(Seen::Shown);
        long.url = "u".repeat(MAX_URL * 2);
        long.survey = "s".repeat(MAX_ID * 2);
        for _ in 1..MAX_EVENTS {
            assert!(!report.add(long.clone()));
        }
        assert!(report.add(long));
        let value = valid(&report.take(batch(None)).unwrap());
        assert_eq!(value["events"].as_array().unwrap().len(), MAX_EVENTS);
    }

    #[test]
    fn the_schema_refuses_what_the_widget_never_sends() {
        let mut report = ViewReport::default();
        report.add(event(Seen::Shown));
        let body = report.take(batch(None)).unwrap();
        let mut value: serde_json::Value = serde_json::from_str(&body).unwrap();
        value["events"][0]["event"] = "answered".into();
        assert!(!schema().is_valid(&value));
        value["events"] = serde_json::json!([]);
        assert!(!schema().is_valid(&value));
    }
}
