//! Results of one survey over a period: answers per day, per page and per published
//! configuration version, and for each question its distribution (NPS with its score, CSAT and
//! ratings with their average), choice counts, or its text answers (searchable); with the shown
//! and dismissed counts the widget reports ([`crate::views`]), the response rate. Counted in Rust
//! over the survey's responses received in the period, the newest [`MAX_SCANNED`] at most, as
//! the trends are; [`answers_csv`] writes the same responses one row each.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::csv;
use crate::store::{ReceivedQuery, Store, StoreError};
use crate::trends::{
    date_of, each_received, midnight, path_of, Count, Period, PeriodError, PeriodText, CHUNK,
    MAX_SCANNED,
};
use crate::views::{ViewCounts, ViewQuery};

/// Text answers listed at most, the newest first.
pub const MAX_TEXTS: usize = 200;

/// The query string of the results page and its CSV.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultsText {
    /// The first day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Only this site.
    pub site: Option<String>,
    /// Only answers given on this page (URL path, no query).
    pub page: Option<String>,
    /// Only text answers containing this, ignoring case.
    pub q: Option<String>,
}

/// A checked [`ResultsText`] for one survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResultsQuery {
    /// The survey's id.
    pub survey: String,
    /// The period, and the site.
    #[serde(flatten)]
    pub period: Period,
    /// Only this page.
    pub page: Option<String>,
    /// The text search.
    pub q: Option<String>,
}

impl ResultsText {
    /// Checks the parameters for `survey`, with `now` deciding the default period.
    pub fn check(self, survey: String, now: SystemTime) -> Result<ResultsQuery, PeriodError> {
        let period = PeriodText {
            from: self.from,
            to: self.to,
            site: self.site,
        }
        .check(now)?;
        let given =
            |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let (page, q) = (given(self.page), given(self.q));
        for (field, text) in [("page", &page), ("q", &q)] {
            if text.as_ref().is_some_and(|text| text.chars().count() > 200) {
                return Err(PeriodError {
                    field,
                    message: "at most 200 characters".to_owned(),
                });
            }
        }
        Ok(ResultsQuery {
            survey,
            period,
            page,
            q,
        })
    }
}

/// What one question's answers add up to.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answers {
    /// 0 to 10: how many gave each score.
    Nps {
        /// Count per score, 0 first.
        counts: Vec<Count>,
        /// Promoters (9–10) minus detractors (0–6), in percent of the answers.
        score: Option<i64>,
    },
    /// 1 to 5 satisfaction.
    Csat {
        /// Count per value, 1 first.
        counts: Vec<Count>,
        /// The mean, when there are answers.
        average: Option<f64>,
    },
    /// 1 to 5 stars.
    Rating {
        /// Count per value, 1 first.
        counts: Vec<Count>,
        /// The mean, when there are answers.
        average: Option<f64>,
    },
    /// Single and multiple choice: how often each option was chosen, most first.
    Choice {
        /// Count per option id (`other` for the free one).
        counts: Vec<Count>,
    },
    /// Free text: the answers matching the search, newest first.
    Text {
        /// At most [`MAX_TEXTS`] of them.
        texts: Vec<TextAnswer>,
        /// How many matched in all.
        matching: u64,
    },
    /// Contact details given (never listed here).
    Contact,
}

/// One text answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextAnswer {
    /// The response it is in.
    pub id: String,
    /// When the response was received.
    pub received_at: String,
    /// The page path.
    pub page: String,
    /// What the visitor wrote.
    pub text: String,
}

/// One question's results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Question {
    /// The question's id.
    pub id: String,
    /// How many answered it.
    pub answered: u64,
    /// Their answers.
    pub answers: Answers,
}

/// How often the survey was shown, dismissed and answered, when the widget reports views.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ResponseRate {
    /// Shown and dismissed, as reported.
    #[serde(flatten)]
    pub views: ViewCounts,
    /// Responses with at least one answer.
    pub answered: u64,
    /// Answered over shown, in percent; `None` when nothing was reported shown.
    pub percent: Option<f64>,
}

/// The results of one survey.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Results {
    /// What was asked for.
    pub query: ResultsQuery,
    /// Responses read (after the page filter).
    pub responses: u64,
    /// How many of them were complete.
    pub complete: u64,
    /// More responses were received than [`MAX_SCANNED`]; only the newest were read.
    pub truncated: bool,
    /// Responses per day (`MM-DD`), every day of the period.
    pub by_day: Vec<Count>,
    /// Responses per page path, before the page filter: the pages to filter by.
    pub pages: Vec<Count>,
    /// Responses per published configuration version (`none` without one).
    pub config_versions: Vec<Count>,
    /// Each question, in the order first seen.
    pub questions: Vec<Question>,
    /// Shown, dismissed and answered, when any view was reported.
    pub rate: Option<ResponseRate>,
}

/// The results `query` asks for, from `store`.
pub async fn gather(store: &dyn Store, query: ResultsQuery) -> Result<Results, StoreError> {
    let mut tally = Tally::new(&query);
    let truncated = each_response(store, &query, |received_at, body| {
        tally.add(received_at, body);
    })
    .await?;
    let views = store
        .view_counts(ViewQuery {
            survey: query.survey.clone(),
            site: query.period.site.clone(),
            page: query.page.clone(),
            start: query.period.start(),
            end: query.period.end(),
        })
        .await?;
    Ok(tally.finish(query, truncated, views))
}

/// Calls `add` with each response to the survey in the period (all pages), newest first; true
/// when there were more than [`MAX_SCANNED`].
async fn each_response(
    store: &dyn Store,
    query: &ResultsQuery,
    add: impl FnMut(&str, &Value),
) -> Result<bool, StoreError> {
    let received = ReceivedQuery {
        start: query.period.start(),
        end: query.period.end(),
        site: query.period.site.clone(),
        survey: Some(query.survey.clone()),
        after: None,
        limit: CHUNK,
    };
    each_received(store, received, MAX_SCANNED, add).await
}

/// The answers of a response.
fn answers_of(body: &Value) -> &[Value] {
    body["answers"].as_array().map_or(&[][..], Vec::as_slice)
}

/// The page path of a response.
fn page_of(body: &Value) -> &str {
    path_of(body["page"]["url"].as_str().unwrap_or_default())
}

/// A response's configuration version, `none` when it came without.
fn config_version_of(body: &Value) -> String {
    body["config_version"]
        .as_u64()
        .map_or_else(|| "none".to_owned(), |version| version.to_string())
}

/// Counts of the values `low..=high` of a scale question.
#[derive(Clone)]
struct Scale {
    low: u64,
    counts: Vec<u64>,
}

impl Scale {
    fn new(low: u64, high: u64) -> Self {
        Self {
            low,
            counts: vec![0; usize::try_from(high - low + 1).unwrap_or_default()],
        }
    }

    fn add(&mut self, value: &Value) {
        let slot = value
            .as_u64()
            .and_then(|value| value.checked_sub(self.low))
            .and_then(|index| usize::try_from(index).ok())
            .and_then(|index| self.counts.get_mut(index));
        if let Some(slot) = slot {
            *slot += 1;
        }
    }

    fn counts(&self) -> Vec<Count> {
        (self.low..)
            .zip(&self.counts)
            .map(|(value, &count)| Count {
                key: value.to_string(),
                count,
            })
            .collect()
    }

    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    fn average(&self) -> Option<f64> {
        let total = self.total();
        let sum: u64 = (self.low..).zip(&self.counts).map(|(v, &c)| v * c).sum();
        (total > 0).then(|| sum as f64 / total as f64)
    }

    /// The NPS of a 0–10 scale: promoters minus detractors, in whole percent.
    fn net_promoter(&self) -> Option<i64> {
        let total = self.total();
        let promoters: u64 = self.counts.iter().skip(9).sum();
        let detractors: u64 = self.counts.iter().take(7).sum();
        let percent = |part: u64| i64::try_from(part * 100).unwrap_or(i64::MAX) as f64;
        (total > 0)
            .then(|| ((percent(promoters) - percent(detractors)) / total as f64).round() as i64)
    }
}

/// One question's counts as they are added.
enum Counting {
    Nps(Scale),
    Csat(Scale),
    Rating(Scale),
    Choice(HashMap<String, u64>),
    Text(Vec<TextAnswer>, u64),
    Contact,
}

/// Counts a survey's responses into [`Results`].
struct Tally {
    page: Option<String>,
    q: Option<String>,
    first_day: Option<SystemTime>,
    days: Vec<u64>,
    responses: u64,
    complete: u64,
    answered: u64,
    pages: HashMap<String, u64>,
    config_versions: HashMap<String, u64>,
    questions: Vec<(String, u64, Counting)>,
}

/// `counts` most frequent first, then by key.
fn ranked(counts: HashMap<String, u64>) -> Vec<Count> {
    let mut counts: Vec<Count> = counts
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    counts
}

impl Tally {
    fn new(query: &ResultsQuery) -> Self {
        let first_day = midnight(&query.period.from);
        let last_day = midnight(&query.period.to);
        let days = match (first_day, last_day) {
            (Some(first), Some(last)) => {
                last.duration_since(first)
                    .map_or(0, |span| span.as_secs() / 86_400)
                    + 1
            }
            _ => 0,
        };
        Self {
            page: query.page.clone(),
            q: query.q.as_ref().map(|q| q.to_lowercase()),
            first_day,
            days: vec![0; usize::try_from(days).unwrap_or_default()],
            responses: 0,
            complete: 0,
            answered: 0,
            pages: HashMap::new(),
            config_versions: HashMap::new(),
            questions: Vec::new(),
        }
    }

    fn add(&mut self, received_at: &str, body: &Value) {
        let page = page_of(body);
        *self.pages.entry(page.to_owned()).or_default() += 1;
        if self.page.as_deref().is_some_and(|only| only != page) {
            return;
        }
        self.responses += 1;
        self.complete += u64::from(body["complete"].as_bool().unwrap_or_default());
        self.answered += u64::from(!answers_of(body).is_empty());
        *self
            .config_versions
            .entry(config_version_of(body))
            .or_default() += 1;
        let day = received_at
            .get(..10)
            .and_then(midnight)
            .zip(self.first_day)
            .and_then(|(day, first)| day.duration_since(first).ok())
            .and_then(|since| usize::try_from(since.as_secs() / 86_400).ok())
            .and_then(|index| self.days.get_mut(index));
        if let Some(day) = day {
            *day += 1;
        }
        for answer in answers_of(body) {
            self.add_answer(received_at, body, page, answer);
        }
    }

    fn add_answer(&mut self, received_at: &str, body: &Value, page: &str, answer: &Value) {
        let question = answer["question"].as_str().unwrap_or_default();
        let value = &answer["value"];
        let at = match self.questions.iter().position(|(id, _, _)| id == question) {
            Some(at) => at,
            None => {
                let counting = match answer["type"].as_str() {
                    Some("nps") => Counting::Nps(Scale::new(0, 10)),
                    Some("csat") => Counting::Csat(Scale::new(1, 5)),
                    Some("rating") => Counting::Rating(Scale::new(1, 5)),
                    Some("single" | "multi") => Counting::Choice(HashMap::new()),
                    Some("text") => Counting::Text(Vec::new(), 0),
                    _ => Counting::Contact,
                };
                self.questions.push((question.to_owned(), 0, counting));
                self.questions.len() - 1
            }
        };
        let Some((_, answered, counting)) = self.questions.get_mut(at) else {
            return;
        };
        *answered += 1;
        match counting {
            Counting::Nps(scale) | Counting::Csat(scale) | Counting::Rating(scale) => {
                scale.add(value)
            }
            Counting::Choice(counts) => {
                let chosen = value["option"].as_str().into_iter().chain(
                    value["options"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str),
                );
                for option in chosen {
                    *counts.entry(option.to_owned()).or_default() += 1;
                }
            }
            Counting::Text(texts, matching) => {
                let text = value.as_str().unwrap_or_default();
                let found = self
                    .q
                    .as_ref()
                    .is_none_or(|q| text.to_lowercase().contains(q.as_str()));
                if found {
                    *matching += 1;
                    if texts.len() < MAX_TEXTS {
                        texts.push(TextAnswer {
                            id: body["id"].as_str().unwrap_or_default().to_owned(),
                            received_at: received_at.to_owned(),
                            page: page.to_owned(),
                            text: text.to_owned(),
                        });
                    }
                }
            }
            Counting::Contact => {}
        }
    }

    fn finish(self, query: ResultsQuery, truncated: bool, views: ViewCounts) -> Results {
        let first = self.first_day.unwrap_or(SystemTime::UNIX_EPOCH);
        let by_day = (0u64..)
            .zip(&self.days)
            .map(|(index, &count)| Count {
                key: date_of(first + Duration::from_secs(index * 86_400))
                    .get(5..)
                    .unwrap_or_default()
                    .to_owned(),
                count,
            })
            .collect();
        let questions = self
            .questions
            .into_iter()
            .map(|(id, answered, counting)| Question {
                id,
                answered,
                answers: match counting {
                    Counting::Nps(scale) => Answers::Nps {
                        counts: scale.counts(),
                        score: scale.net_promoter(),
                    },
                    Counting::Csat(scale) => Answers::Csat {
                        counts: scale.counts(),
                        average: scale.average(),
                    },
                    Counting::Rating(scale) => Answers::Rating {
                        counts: scale.counts(),
                        average: scale.average(),
                    },
                    Counting::Choice(counts) => Answers::Choice {
                        counts: ranked(counts),
                    },
                    Counting::Text(texts, matching) => Answers::Text { texts, matching },
                    Counting::Contact => Answers::Contact,
                },
            })
            .collect();
        let reported = views.shown + views.dismissed > 0;
        let rate = reported.then(|| ResponseRate {
            views,
            answered: self.answered,
            percent: (views.shown > 0).then(|| self.answered as f64 * 100.0 / views.shown as f64),
        });
        Results {
            query,
            responses: self.responses,
            complete: self.complete,
            truncated,
            by_day,
            pages: ranked(self.pages),
            config_versions: ranked(self.config_versions),
            questions,
            rate,
        }
    }
}

/// An answer's value as one CSV cell: the number, the text, the option ids (`; ` between them,
/// the "other" text after a `: `), or the contact's e-mail and phone.
fn cell(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Object(object) => {
            let options = object
                .get("option")
                .into_iter()
                .chain(
                    object
                        .get("options")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; ");
            let other = object.get("other").and_then(Value::as_str);
            let contact = ["email", "phone"]
                .iter()
                .filter_map(|key| object.get(*key).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            match other {
                Some(other) => format!("{options}: {other}"),
                None if options.is_empty() => contact,
                None => options,
            }
        }
        _ => String::new(),
    }
}

/// The survey's responses `query` selects (the page filter too), newest first, as CSV: one row
/// each, `id,received_at,created_at,site,page,complete,config_version,trigger`, then one column
/// per question in the order first seen (the newest [`MAX_SCANNED`] at most).
pub async fn answers_csv(store: &dyn Store, query: &ResultsQuery) -> Result<String, StoreError> {
    let mut questions: Vec<String> = Vec::new();
    let mut rows: Vec<(Vec<String>, HashMap<String, String>)> = Vec::new();
    each_response(store, query, |received_at, body| {
        let page = page_of(body);
        if query.page.as_deref().is_some_and(|only| only != page) {
            return;
        }
        let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
        let fixed = vec![
            text("id"),
            received_at.to_owned(),
            text("created_at"),
            text("site"),
            body["page"]["url"].as_str().unwrap_or_default().to_owned(),
            body["complete"].as_bool().unwrap_or_default().to_string(),
            body["config_version"]
                .as_u64()
                .map(|version| version.to_string())
                .unwrap_or_default(),
            text("trigger"),
        ];
        let mut answers = HashMap::new();
        for answer in answers_of(body) {
            let question = answer["question"].as_str().unwrap_or_default().to_owned();
            if !questions.contains(&question) {
                questions.push(question.clone());
            }
            answers.insert(question, cell(&answer["value"]));
        }
        rows.push((fixed, answers));
    })
    .await?;
    let mut out = String::new();
    let header: Vec<String> = [
        "id",
        "received_at",
        "created_at",
        "site",
        "page",
        "complete",
        "config_version",
        "trigger",
    ]
    .iter()
    .map(|name| (*name).to_owned())
    .chain(questions.iter().cloned())
    .collect();
    csv::row(&mut out, &header);
    for (mut cells, mut answers) in rows {
        cells.extend(
            questions
                .iter()
                .map(|question| answers.remove(question).unwrap_or_default()),
        );
        csv::row(&mut out, &cells);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(pairs: &[(&str, &str)]) -> ResultsQuery {
        let mut text = ResultsText::default();
        for (key, value) in pairs {
            let value = Some((*value).to_owned());
            match *key {
                "from" => text.from = value,
                "to" => text.to = value,
                "page" => text.page = value,
                "q" => text.q = value,
                _ => text.site = value,
            }
        }
        let now = humantime::parse_rfc3339("2026-12-01T12:00:00Z").expect("now");
        text.check("nps-after-purchase".to_owned(), now)
            .expect("query")
    }

    fn response(id: &str, page: &str, answers: Value) -> Value {
        json!({"id": id, "complete": true, "page": {"url": format!("https://shop.example{page}?x=1")},
               "config_version": 3, "answers": answers})
    }

    #[test]
    fn nps_csat_choices_and_texts_add_up() {
        let mut tally = Tally::new(&query(&[("q", "LATE")]));
        for (id, nps, csat, text) in [
            ("a", 10, 5, "Fast"),
            ("b", 9, 4, "late again"),
            ("c", 3, 1, "Late"),
        ] {
            tally.add(
                "2026-12-01T10:00:00.000Z",
                &response(id, "/checkout", json!([
                    {"question": "nps", "type": "nps", "value": nps},
                    {"question": "sat", "type": "csat", "value": csat},
                    {"question": "why", "type": "multi", "value": {"options": ["price", "other"], "other": "x"}},
                    {"question": "more", "type": "text", "value": text}
                ])),
            );
        }
        let results = tally.finish(query(&[]), false, ViewCounts::default());
        assert_eq!((results.responses, results.complete), (3, 3));
        assert_eq!(results.by_day.len(), 7);
        assert_eq!(
            results.by_day[6],
            Count {
                key: "12-01".to_owned(),
                count: 3
            }
        );
        assert_eq!(
            results.config_versions,
            vec![Count {
                key: "3".to_owned(),
                count: 3
            }]
        );
        let answers: Vec<&Answers> = results.questions.iter().map(|q| &q.answers).collect();
        let Answers::Nps { counts, score } = answers[0] else {
            panic!("{answers:?}")
        };
        assert_eq!((counts.len(), counts[10].count, *score), (11, 1, Some(33)));
        let Answers::Csat { average, .. } = answers[1] else {
            panic!("{answers:?}")
        };
        assert_eq!(*average, Some(10.0 / 3.0));
        let Answers::Choice { counts } = answers[2] else {
            panic!("{answers:?}")
        };
        assert_eq!(
            counts[0],
            Count {
                key: "other".to_owned(),
                count: 3
            }
        );
        let Answers::Text { texts, matching } = answers[3] else {
            panic!("{answers:?}")
        };
        assert_eq!(
            (*matching, texts.len(), texts[0].text.as_str()),
            (2, 2, "late again")
        );
        assert_eq!(results.rate, None, "no views reported");
    }

    #[test]
    fn the_page_filter_keeps_the_pages_to_choose_from() {
        let mut tally = Tally::new(&query(&[("page", "/help")]));
        let rated = json!([{"question": "r", "type": "rating", "value": 4}]);
        tally.add(
            "2026-12-01T10:00:00.000Z",
            &response("a", "/checkout", rated.clone()),
        );
        tally.add("2026-12-01T10:00:00.000Z", &response("b", "/help", rated));
        let views = ViewCounts {
            shown: 4,
            dismissed: 1,
        };
        let results = tally.finish(query(&[]), false, views);
        assert_eq!(results.responses, 1);
        assert_eq!(results.pages.len(), 2);
        let rate = results.rate.expect("views reported");
        assert_eq!((rate.answered, rate.percent), (1, Some(25.0)));
    }

    #[test]
    fn cells_are_readable() {
        assert_eq!(cell(&json!(7)), "7");
        assert_eq!(
            cell(&json!({"option": "other", "other": "No PayPal"})),
            "other: No PayPal"
        );
        assert_eq!(cell(&json!({"options": ["a", "b"]})), "a; b");
        assert_eq!(cell(&json!({"email": "a@b.c", "consent": true})), "a@b.c");
    }

    #[test]
    fn long_searches_are_refused() {
        let now = SystemTime::now();
        let text = ResultsText {
            q: Some("x".repeat(201)),
            ..ResultsText::default()
        };
        assert_eq!(
            text.check("s".to_owned(), now).map_err(|e| e.field),
            Err("q")
        );
    }
}
