//! The surveys shown and dismissed, as the widget reports them with the `reportViews` option
//! (`schema/views.v1.json`, posted to `/v1/views`): a batch is checked against its contract and
//! becomes one [`ViewRow`] per event, kept once per batch id and position, so that a batch
//! arriving twice counts once. The results page counts them per survey ([`ViewCounts`]).

use serde::Serialize;
use serde_json::Value;

use crate::submission::{self, Contract, SubmissionError};
use crate::trends::path_of;

/// One event of a batch, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewRow {
    /// The batch's id.
    pub batch: String,
    /// The event's place in its batch, from 0.
    pub seq: i64,
    /// The site.
    pub site: String,
    /// The survey's id.
    pub survey: String,
    /// `shown` or `dismissed`.
    pub event: String,
    /// The path of the page it happened on, without query.
    pub page: String,
    /// The published configuration version, when the widget had one.
    pub config_version: Option<i64>,
    /// When it happened, by the visitor's clock.
    pub at: String,
}

/// A batch that meets the contract.
#[derive(Debug)]
pub struct ViewBatch {
    /// The site it is for, which the origin rules check.
    pub site: String,
    /// Its events.
    pub rows: Vec<ViewRow>,
}

impl ViewBatch {
    /// Reads a request body and checks it against `schema/views.v1.json`.
    pub fn parse(body: &[u8]) -> Result<Self, SubmissionError> {
        let batch = submission::read(body, Contract::Views)?;
        let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
        let site = text(&batch["site"]);
        let rows = batch["events"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .zip(0..)
            .map(|(event, seq)| ViewRow {
                batch: text(&batch["id"]),
                seq,
                site: site.clone(),
                survey: text(&event["survey"]),
                event: text(&event["event"]),
                page: path_of(event["url"].as_str().unwrap_or_default()).to_owned(),
                config_version: batch["config_version"].as_i64(),
                at: text(&event["at"]),
            })
            .collect();
        Ok(Self { site, rows })
    }
}

/// Which views to count: one survey's, received in a period, optionally of one site and page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewQuery {
    /// The survey's id.
    pub survey: String,
    /// Only this site's.
    pub site: Option<String>,
    /// Only on this path.
    pub page: Option<String>,
    /// Received at or after this stored time.
    pub start: String,
    /// Received at or before this stored time.
    pub end: String,
}

/// How often a survey was shown and dismissed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ViewCounts {
    /// Times it appeared.
    pub shown: u64,
    /// Times it was closed without an answer.
    pub dismissed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(value: &Value) -> Vec<u8> {
        value.to_string().into_bytes()
    }

    #[test]
    fn a_batch_becomes_one_row_per_event_with_paths() {
        let batch = ViewBatch::parse(&body(&json!({
            "schema_version": 1, "id": "5d2c7a1e-3b4f-4c8d-a1e2-6f7a8b9c0d1e", "site": "shop",
            "config_version": 3,
            "events": [
                {"survey": "nps", "version": 1, "event": "shown", "url": "https://shop.example/checkout?step=2",
                 "at": "2026-11-23T09:40:00.123Z"},
                {"survey": "nps", "version": 1, "event": "dismissed", "url": "https://shop.example/",
                 "at": "2026-11-23T09:40:05.000Z"}
            ]
        })))
        .expect("valid");
        assert_eq!(batch.site, "shop");
        assert_eq!(batch.rows.len(), 2);
        assert_eq!(
            (
                batch.rows[0].page.as_str(),
                batch.rows[0].seq,
                batch.rows[0].config_version
            ),
            ("/checkout", 0, Some(3))
        );
        assert_eq!(
            (batch.rows[1].event.as_str(), batch.rows[1].seq),
            ("dismissed", 1)
        );
    }

    #[test]
    fn a_batch_off_the_contract_names_the_field() {
        let refused = ViewBatch::parse(&body(&json!({
            "schema_version": 1, "id": "5d2c7a1e-3b4f-4c8d-a1e2-6f7a8b9c0d1e", "site": "shop",
            "events": [{"survey": "nps", "version": 1, "event": "answered", "url": "/", "at": "2026-11-23T09:40:00Z"}]
        })));
        assert!(
            matches!(&refused, Err(SubmissionError::Field { field, .. }) if field == "events[0].event"),
            "{refused:?}"
        );
    }
}
