//! Trends: what unhappy visitors ([`Unhappy`]) complained about over a period, counted by page
//! (its URL path, without the query), survey, chosen option, the fair solution asked for
//! (motive), trigger, hour of day and weekday (both UTC, by when the collector received the
//! response), and the most frequent words and two-word phrases of their free texts ([`words`]),
//! so that a support lead sees at once "late delivery, on /checkout, after 6 pm". Failures are
//! counted over every response a failure trigger showed, unhappy or not: by kind, and by kind and
//! URL (the failed request's path, else the page's).
//!
//! [`Period`] is the checked query; [`Tally`] counts the responses a store returns for it, at
//! most [`MAX_SCANNED`] (the newest), saying so when there were more.

mod stop_words;
mod unhappy;
mod words;

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::store::{ReceivedQuery, Store, StoreError};
use crate::submission::survey_of;
pub use unhappy::Unhappy;

/// Days a period spans when `from` is not given.
const DEFAULT_DAYS: u64 = 7;
/// Most days one period may span.
const MAX_DAYS: u64 = 366;
/// Most responses one period's trends read, the newest first (a multiple of [`CHUNK`]).
pub const MAX_SCANNED: u32 = 50_000;
/// Responses read from the store at once, which bounds the memory a period takes.
pub const CHUNK: u32 = 1_000;
/// Keys kept per dimension (hours and weekdays are all kept).
const TOP: usize = 20;
/// Seconds in a day.
const DAY: u64 = 24 * 3600;
/// Weekdays from Monday; 1970-01-01 was a Thursday.
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A parameter of a trends query that cannot be taken.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{message}")]
pub struct PeriodError {
    /// The parameter.
    pub field: &'static str,
    /// What is expected of it.
    pub message: String,
}

/// The query string of `GET /v1/trends` and `/inbox/trends`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodText {
    /// The first day, `YYYY-MM-DD`; a week before `to` when absent.
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD`; today (UTC) when absent.
    pub to: Option<String>,
    /// Only this site.
    pub site: Option<String>,
}

/// A checked [`PeriodText`]: whole UTC days, `from` to `to` included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The last day, `YYYY-MM-DD`.
    pub to: String,
    /// Only this site, or all.
    pub site: Option<String>,
}

/// The day `time` falls on, `YYYY-MM-DD` in UTC.
pub fn date_of(time: SystemTime) -> String {
    let mut text = humantime::format_rfc3339_seconds(time).to_string();
    text.truncate(10);
    text
}

/// Midnight UTC at the start of `date`, if it is a `YYYY-MM-DD` date.
pub fn midnight(date: &str) -> Option<SystemTime> {
    if date.len() != 10 {
        return None;
    }
    humantime::parse_rfc3339(&format!("{date}T00:00:00Z")).ok()
}

impl PeriodText {
    /// Checks the parameters, with `now` deciding the defaults.
    pub fn check(self, now: SystemTime) -> Result<Period, PeriodError> {
        let invalid = |field: &'static str, message: &str| PeriodError {
            field,
            message: message.to_owned(),
        };
        let day = |field: &'static str, text: Option<String>| {
            text.filter(|text| !text.is_empty())
                .map(|text| {
                    midnight(&text)
                        .map(|time| (text, time))
                        .ok_or_else(|| invalid(field, "expected a date like 2026-11-23"))
                })
                .transpose()
        };
        let (to, to_time) = day("to", self.to)?.unwrap_or_else(|| {
            let today = date_of(now);
            let time = midnight(&today).unwrap_or(now);
            (today, time)
        });
        let (from, from_time) = day("from", self.from)?.unwrap_or_else(|| {
            let time = to_time - Duration::from_secs((DEFAULT_DAYS - 1) * DAY);
            (date_of(time), time)
        });
        let span = to_time
            .duration_since(from_time)
            .map_err(|_| invalid("from", "from must be on or before to"))?;
        if span.as_secs() / DAY >= MAX_DAYS {
            return Err(invalid("from", "a period spans at most 366 days"));
        }
        let site = self.site.filter(|site| !site.is_empty());
        if site.as_ref().is_some_and(|site| site.chars().count() > 200) {
            return Err(invalid("site", "at most 200 characters"));
        }
        Ok(Period { from, to, site })
    }
}

impl Period {
    /// The first instant of the period, as stored times are written.
    pub fn start(&self) -> String {
        format!("{}T00:00:00.000Z", self.from)
    }

    /// The last instant of the period.
    pub fn end(&self) -> String {
        format!("{}T23:59:59.999Z", self.to)
    }
}

/// One key of a dimension and how many unhappy responses had it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The page path, survey id, `question=option`, motive, trigger, hour (`18`), weekday
    /// (`Mon`), word or phrase.
    pub key: String,
    /// How many.
    pub count: u64,
}

/// Every dimension, each most frequent first (hours and weekdays in their order, all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dimensions {
    /// URL paths.
    pub page: Vec<Count>,
    /// Survey ids; `feedback` is the feedback form.
    pub survey: Vec<Count>,
    /// Chosen options, as `question=option`.
    pub option: Vec<Count>,
    /// The fair solutions asked for in recovery.
    pub motive: Vec<Count>,
    /// What showed the form or survey.
    pub trigger: Vec<Count>,
    /// Hours of day, `00` to `23`, UTC.
    pub hour: Vec<Count>,
    /// Weekdays, `Mon` to `Sun`, UTC.
    pub weekday: Vec<Count>,
    /// Words of the free texts.
    pub word: Vec<Count>,
    /// Two-word phrases of the free texts.
    pub phrase: Vec<Count>,
    /// Failure kinds (`request_failed`, `rage_click`, `js_error`, `form_error`), of every response
    /// with a `failure` block.
    pub failure: Vec<Count>,
    /// Failure kinds with their URL path, `request_failed /api/payment`: the failed request's,
    /// else the page's.
    pub failure_url: Vec<Count>,
}

impl Dimensions {
    /// Each dimension with its name, in the order above.
    pub fn named(&self) -> [(&'static str, &[Count]); 11] {
        [
            ("page", &self.page),
            ("survey", &self.survey),
            ("option", &self.option),
            ("motive", &self.motive),
            ("trigger", &self.trigger),
            ("hour", &self.hour),
            ("weekday", &self.weekday),
            ("word", &self.word),
            ("phrase", &self.phrase),
            ("failure", &self.failure),
            ("failure_url", &self.failure_url),
        ]
    }
}

/// The trends of one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trends {
    /// The period.
    #[serde(flatten)]
    pub period: Period,
    /// Hours and weekdays are counted in this time zone.
    pub time_zone: &'static str,
    /// Responses received in the period that were read.
    pub responses: u64,
    /// How many of them were unhappy; the counts are of these.
    pub unhappy: u64,
    /// More responses were received than [`MAX_SCANNED`]; only the newest were read.
    pub truncated: bool,
    /// The counts.
    pub by: Dimensions,
}

/// The trends of `period`, from the responses `store` received in it: the newest
/// [`MAX_SCANNED`] at most, read [`CHUNK`] at a time.
pub async fn gather(store: &dyn Store, period: Period) -> Result<Trends, StoreError> {
    scan(store, period, CHUNK, MAX_SCANNED).await
}

/// [`gather`] with `chunk` responses read at once and `most` at most (a multiple of `chunk`).
async fn scan(
    store: &dyn Store,
    period: Period,
    chunk: u32,
    most: u32,
) -> Result<Trends, StoreError> {
    let mut tally = Tally::default();
    let query = ReceivedQuery {
        start: period.start(),
        end: period.end(),
        site: period.site.clone(),
        survey: None,
        after: None,
        limit: chunk,
    };
    let truncated = each_received(store, query, most, |received_at, body| {
        tally.add(received_at, body);
    })
    .await?;
    Ok(tally.finish(period, truncated))
}

/// Calls `add` with each response `query` selects (its `received_at` and body), newest first, read
/// `query.limit` at a time so that a long period is never held in memory, and at most `most` of
/// them (a multiple of the limit); true when there were more.
pub async fn each_received(
    store: &dyn Store,
    mut query: ReceivedQuery,
    most: u32,
    mut add: impl FnMut(&str, &Value),
) -> Result<bool, StoreError> {
    let chunk = query.limit;
    let mut read_so_far = 0u64;
    loop {
        let read = store.received(query.clone()).await?;
        for stored in &read {
            // Stored bodies are JSON (checked when read); one that no longer parses counts as
            // nothing.
            let body: Value = serde_json::from_str(stored.response.get()).unwrap_or_default();
            add(&stored.received_at, &body);
        }
        read_so_far += read.len() as u64;
        let Some(last) = read.last().filter(|_| read.len() == chunk as usize) else {
            return Ok(false);
        };
        query.after = Some((last.received_at.clone(), last.id.clone()));
        if read_so_far >= u64::from(most) {
            query.limit = 1;
            return Ok(!store.received(query).await?.is_empty());
        }
    }
}

/// Counts of one dimension.
#[derive(Default)]
struct Counter(HashMap<String, u64>);

impl Counter {
    fn add(&mut self, key: impl Into<String>) {
        *self.0.entry(key.into()).or_default() += 1;
    }

    /// The [`TOP`] most frequent, then by key.
    fn top(self) -> Vec<Count> {
        let mut counts: Vec<Count> = self
            .0
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect();
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        counts.truncate(TOP);
        counts
    }
}

/// Counts unhappy responses into [`Trends`].
#[derive(Default)]
pub struct Tally {
    unhappy: Unhappy,
    responses: u64,
    unhappy_count: u64,
    page: Counter,
    survey: Counter,
    option: Counter,
    motive: Counter,
    trigger: Counter,
    hours: [u64; 24],
    weekdays: [u64; 7],
    word: Counter,
    phrase: Counter,
    failure: Counter,
    failure_url: Counter,
}

/// The path of a page URL, without its query or fragment: `/checkout`.
pub fn path_of(url: &str) -> &str {
    let after_host = url.split_once("://").map_or(url, |(_, rest)| {
        rest.find('/').map_or("/", |at| &rest[at..])
    });
    let end = after_host.find(['?', '#']).unwrap_or(after_host.len());
    match &after_host[..end] {
        "" => "/",
        path => path,
    }
}

/// The free texts of a response: text answers, "other" options, the motive in the visitor's words.
fn free_texts(response: &Value) -> impl Iterator<Item = &str> {
    let answers = response["answers"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    answers
        .iter()
        .filter_map(|answer| match answer["type"].as_str() {
            Some("text") => answer["value"].as_str(),
            Some("single" | "multi") => answer["value"]["other"].as_str(),
            _ => None,
        })
        .chain(response["recovery"]["motive_text"].as_str())
}

impl Tally {
    /// Counts one response received at `received_at` (RFC 3339 UTC), if it is unhappy.
    pub fn add(&mut self, received_at: &str, response: &Value) {
        self.responses += 1;
        let failure = &response["failure"];
        if let Some(kind) = failure["kind"].as_str() {
            self.failure.add(kind);
            let url = failure["url"].as_str().or(response["page"]["url"].as_str());
            self.failure_url
                .add(format!("{kind} {}", url.map_or("/", path_of)));
        }
        if !self.unhappy.holds(response) {
            return;
        }
        self.unhappy_count += 1;
        if let Some(url) = response["page"]["url"].as_str() {
            self.page.add(path_of(url));
        }
        self.survey.add(survey_of(response));
        if let Some(trigger) = response["trigger"].as_str() {
            self.trigger.add(trigger);
        }
        if let Some(motive) = response["recovery"]["motive"].as_str() {
            self.motive.add(motive);
        }
        for answer in response["answers"]
            .as_array()
            .map_or(&[][..], Vec::as_slice)
        {
            let question = answer["question"].as_str().unwrap_or_default();
            let value = &answer["value"];
            let chosen = value["option"].as_str().into_iter().chain(
                value["options"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str),
            );
            for option in chosen {
                self.option.add(format!("{question}={option}"));
            }
        }
        let seconds = humantime::parse_rfc3339(received_at)
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map(|since| since.as_secs());
        if let Some(seconds) = seconds {
            // Both indexes are below the lengths by construction.
            let hour = usize::try_from(seconds % DAY / 3600).unwrap_or_default();
            let weekday = usize::try_from((seconds / DAY + 3) % 7).unwrap_or_default();
            self.hours[hour % 24] += 1;
            self.weekdays[weekday % 7] += 1;
        }
        for text in free_texts(response) {
            let (words, phrases) = words::words_and_phrases(text);
            words.into_iter().for_each(|word| self.word.add(word));
            phrases
                .into_iter()
                .for_each(|phrase| self.phrase.add(phrase));
        }
    }

    /// The trends of `period`; `truncated` when there were more responses than were added.
    pub fn finish(self, period: Period, truncated: bool) -> Trends {
        let every = |counts: &[u64], key: &dyn Fn(usize) -> String| -> Vec<Count> {
            counts
                .iter()
                .enumerate()
                .map(|(index, &count)| Count {
                    key: key(index),
                    count,
                })
                .collect()
        };
        Trends {
            period,
            time_zone: "UTC",
            responses: self.responses,
            unhappy: self.unhappy_count,
            truncated,
            by: Dimensions {
                page: self.page.top(),
                survey: self.survey.top(),
                option: self.option.top(),
                motive: self.motive.top(),
                trigger: self.trigger.top(),
                hour: every(&self.hours, &|hour| format!("{hour:02}")),
                weekday: every(&self.weekdays, &|day| WEEKDAYS[day].to_owned()),
                word: self.word.top(),
                phrase: self.phrase.top(),
                failure: self.failure.top(),
                failure_url: self.failure_url.top(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(date: &str) -> SystemTime {
        humantime::parse_rfc3339(&format!("{date}T15:30:00Z")).expect("time")
    }

    fn period(pairs: &[(&str, &str)], now: &str) -> Result<Period, PeriodError> {
        let mut text = PeriodText::default();
        for (key, value) in pairs {
            let value = Some((*value).to_owned());
            match *key {
                "from" => text.from = value,
                "to" => text.to = value,
                _ => text.site = value,
            }
        }
        text.check(at(now))
    }

    #[test]
    fn the_default_period_is_the_last_seven_days() {
        let checked = period(&[], "2026-12-01").expect("period");
        assert_eq!(
            (checked.from.as_str(), checked.to.as_str()),
            ("2026-11-25", "2026-12-01")
        );
        let checked = period(&[("to", "2026-03-02")], "2026-12-01").expect("period");
        assert_eq!(checked.from, "2026-02-24");
        assert_eq!(checked.end(), "2026-03-02T23:59:59.999Z");
    }

    #[test]
    fn bad_periods_name_the_parameter() {
        for (pairs, field) in [
            (&[("from", "2026-13-01")][..], "from"),
            (&[("to", "yesterday")][..], "to"),
            (&[("from", "2026-12-02"), ("to", "2026-12-01")][..], "from"),
            (&[("from", "2025-01-01"), ("to", "2026-12-01")][..], "from"),
        ] {
            assert_eq!(period(pairs, "2026-12-01").map_err(|e| e.field), Err(field));
        }
    }

    #[tokio::test]
    async fn a_period_is_read_chunk_by_chunk_up_to_the_bound() {
        use crate::store::{Rank, ResponseVersion, SqliteStore};
        use crate::triage::{Priority, Triage};

        let store = SqliteStore::open(std::path::Path::new(":memory:")).expect("open");
        for n in 0..5 {
            let body = json!({"answers": [{"question": "rating", "type": "rating", "value": 1}]});
            let version = ResponseVersion {
                id: format!("r{n}"),
                site: "shop".to_owned(),
                kind: "feedback".to_owned(),
                rank: Rank {
                    complete: true,
                    answers: 1,
                },
                created_at: "2026-11-23T09:40:00.000Z".to_owned(),
                visitor: None,
                case_key: None,
                body: body.to_string(),
            };
            let triage = Triage {
                priority: Priority::High,
                reason: String::new(),
                target: Duration::ZERO,
            };
            store.save(version, triage, Vec::new()).await.expect("save");
        }
        let today = period(&[], &date_of(SystemTime::now())).expect("period");
        let all = scan(&store, today.clone(), 2, 6).await.expect("scan");
        assert_eq!((all.responses, all.unhappy, all.truncated), (5, 5, false));
        let bounded = scan(&store, today.clone(), 2, 4).await.expect("scan");
        assert_eq!((bounded.responses, bounded.truncated), (4, true));
        // Exactly the bound: nothing was left out.
        let exact = scan(&store, today, 5, 5).await.expect("scan");
        assert_eq!((exact.responses, exact.truncated), (5, false));
    }

    #[test]
    fn pages_are_paths_without_queries() {
        assert_eq!(
            path_of("https://shop.example/checkout?step=2#pay"),
            "/checkout"
        );
        assert_eq!(path_of("https://shop.example"), "/");
        assert_eq!(path_of("https://shop.example/?q=1"), "/");
    }

    #[test]
    fn only_unhappy_responses_are_counted_by_every_dimension() {
        let unhappy = json!({
            "kind": "survey", "survey": {"id": "checkout-exit"}, "trigger": "exit_intent",
            "page": {"url": "https://shop.example/checkout?step=2"},
            "answers": [
                {"question": "nps", "type": "nps", "value": 3},
                {"question": "why", "type": "single", "value": {"option": "late"}},
                {"question": "more", "type": "text", "value": "Late delivery, again."}
            ],
            "recovery": {"motive": "refund", "motive_text": "Refund the late delivery"}
        });
        let happy = json!({"kind": "feedback", "trigger": "button", "page": {"url": "https://shop.example/"},
                           "answers": [{"question": "rating", "type": "rating", "value": 5}]});
        let mut tally = Tally::default();
        tally.add("2026-12-01T18:10:00.000Z", &unhappy);
        tally.add("2026-12-01T09:00:00.000Z", &happy);
        let trends = tally.finish(period(&[], "2026-12-01").expect("period"), false);
        assert_eq!((trends.responses, trends.unhappy), (2, 1));
        let one = |key: &str| {
            vec![Count {
                key: key.to_owned(),
                count: 1,
            }]
        };
        assert_eq!(trends.by.page, one("/checkout"));
        assert_eq!(trends.by.survey, one("checkout-exit"));
        assert_eq!(trends.by.option, one("why=late"));
        assert_eq!(trends.by.motive, one("refund"));
        assert_eq!(trends.by.trigger, one("exit_intent"));
        assert_eq!(trends.by.hour.len(), 24);
        assert_eq!(trends.by.hour[18].count, 1);
        // 2026-12-01 is a Tuesday.
        assert_eq!(
            trends.by.weekday[1],
            Count {
                key: "Tue".to_owned(),
                count: 1
            }
        );
        assert_eq!(
            trends.by.phrase[0],
            Count {
                key: "late delivery".to_owned(),
                count: 2
            }
        );
        assert!(trends.by.word.contains(&Count {
            key: "late".to_owned(),
            count: 2
        }));
        assert!(trends.by.word.contains(&Count {
            key: "refund".to_owned(),
            count: 1
        }));
    }

    #[test]
    fn failures_are_counted_by_kind_and_url_whether_unhappy_or_not() {
        let failed = |failure: Value| {
            json!({"kind": "survey", "survey": {"id": "help"}, "trigger": failure["kind"],
                   "page": {"url": "https://shop.example/checkout?step=2"},
                   "answers": [{"question": "help", "type": "single", "value": {"option": "no"}}],
                   "failure": failure})
        };
        let mut tally = Tally::default();
        for failure in [
            json!({"kind": "request_failed", "url": "https://shop.example/api/payment", "status": 502}),
            json!({"kind": "request_failed", "url": "https://shop.example/api/payment", "status": 0}),
            json!({"kind": "rage_click", "selector": "button.pay"}),
        ] {
            tally.add("2026-12-01T18:10:00.000Z", &failed(failure));
        }
        let trends = tally.finish(period(&[], "2026-12-01").expect("period"), false);
        assert_eq!(trends.unhappy, 0, "none of them is unhappy by its answers");
        let count = |key: &str, count| Count {
            key: key.to_owned(),
            count,
        };
        assert_eq!(
            trends.by.failure,
            [count("request_failed", 2), count("rage_click", 1)]
        );
        assert_eq!(
            trends.by.failure_url,
            [
                count("request_failed /api/payment", 2),
                count("rage_click /checkout", 1)
            ]
        );
        assert!(trends.by.page.is_empty());
    }
}
