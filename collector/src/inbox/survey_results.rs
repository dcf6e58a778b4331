//! The results page of one survey, `/inbox/surveys/{id}` ([`crate::results`]): the filters
//! (period, site, page, text search), the headline figures with the response rate when views are
//! reported, answers per day, each question's distribution as an SVG chart with its table, the
//! choice counts and the text answers, the pages and configuration versions, and the CSV link.

use maud::{html, Markup};

use super::chart;
use super::html::page;
use super::html::{encode, logout, select};
use crate::results::{Answers, Question, Results};
use crate::trends::Count;

/// A chart with its table beneath.
fn charted(chart: Markup, title: &str, counts: &[Count]) -> Markup {
    html! { (chart) (chart::table(title, counts)) }
}

/// A mean to one decimal.
fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

fn question(question: &Question) -> Markup {
    let title = |what: &str| format!("{}: {what}", question.id);
    html! {
        section.question {
            h2 { (question.id) }
            p.meta { (question.answered) " answered" }
            @match &question.answers {
                Answers::Nps { counts, score } => {
                    p.headline {
                        "NPS "
                        @match score { Some(score) => (score), None => "—" }
                        " (promoters 9–10 minus detractors 0–6, in %)"
                    }
                    (charted(chart::columns(&title("scores 0–10"), counts), &title("scores"), counts))
                }
                Answers::Csat { counts, average } | Answers::Rating { counts, average } => {
                    @let name = if matches!(question.answers, Answers::Csat { .. }) { "CSAT average " } else { "Average rating " };
                    p.headline {
                        (name)
                        @match average { Some(average) => (one_decimal(*average)), None => "—" }
                        " of 5"
                    }
                    (charted(chart::columns(&title("answers 1–5"), counts), &title("answers"), counts))
                }
                Answers::Choice { counts } => {
                    (charted(chart::bars(&title("options chosen"), counts), &title("options"), counts))
                }
                Answers::Text { texts, matching } => {
                    p.meta { (matching) " matching" @if texts.len() < *matching as usize { ", the newest " (texts.len()) " shown" } }
                    ol.texts {
                        @for text in texts {
                            li {
                                (text.text)
                                br;
                                span.meta {
                                    (text.received_at) " · " (text.page) " · "
                                    a href={ "/inbox/cases/" (text.id) } { "case" }
                                }
                            }
                        }
                    }
                }
                Answers::Contact => p.meta { "Contact details are on each case." },
            }
        }
    }
}

/// The page.
pub fn results(results: &Results, csrf: &str) -> String {
    let query = &results.query;
    let period = &query.period;
    let site = period.site.as_deref().unwrap_or_default();
    let only_page = query.page.as_deref().unwrap_or_default();
    let search = query.q.as_deref().unwrap_or_default();
    let base = format!("/inbox/surveys/{}", encode(&query.survey));
    let csv = format!(
        "{base}/answers.csv?from={}&to={}&site={}&page={}",
        period.from,
        period.to,
        encode(site),
        encode(only_page)
    );
    let mut pages: Vec<(&str, &str)> = vec![("", "all")];
    pages.extend(
        results
            .pages
            .iter()
            .map(|count| (count.key.as_str(), count.key.as_str())),
    );
    if !only_page.is_empty() && !pages.iter().any(|(value, _)| *value == only_page) {
        pages.push((only_page, only_page));
    }
    let body = html! {
        p { a href="/inbox" { "← Queue" } " · " a href="/inbox/trends" { "Trends" } }
        section {
            form method="get" action=(base) class="filters" {
                label { "From" input type="date" name="from" value=(period.from); }
                label { "To" input type="date" name="to" value=(period.to); }
                label { "Site" input name="site" value=(site) placeholder="all"; }
                (select("page", "Page", &pages, only_page))
                label { "Search text answers" input type="search" name="q" value=(search); }
                button { "Show" }
            }
            p.meta {
                a href=(csv) { "CSV of these answers" } " · from " (period.from) " to " (period.to) " (UTC)"
                @if results.truncated { " (only the newest were read)" }
            }
            div.figures {
                div { strong { (results.responses) } "responses" }
                div { strong { (results.complete) } "complete" }
                @if let Some(rate) = &results.rate {
                    div { strong { (rate.views.shown) } "shown" }
                    div { strong { (rate.views.dismissed) } "dismissed" }
                    div { strong { (rate.answered) } "answered" }
                    div {
                        strong { @match rate.percent { Some(percent) => { (one_decimal(percent)) "%" }, None => "—" } }
                        "response rate (answered of shown)"
                    }
                }
            }
        }
        section {
            (charted(chart::columns("Answers per day (UTC)", &results.by_day), "Answers per day", &results.by_day))
        }
        @for asked in &results.questions { (question(asked)) }
        section {
            (charted(chart::bars("Pages", &results.pages), "Pages", &results.pages))
            (charted(chart::bars("Published configuration versions", &results.config_versions), "Configuration versions", &results.config_versions))
        }
    };
    page(&format!("Survey {}", query.survey), logout(csrf), body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{ResponseRate, ResultsQuery, TextAnswer};
    use crate::trends::Period;
    use crate::views::ViewCounts;

    #[test]
    fn the_page_escapes_and_shows_every_part() {
        let counts = vec![Count {
            key: "<b>".to_owned(),
            count: 2,
        }];
        let results = Results {
            query: ResultsQuery {
                survey: "nps".to_owned(),
                period: Period {
                    from: "2026-11-25".to_owned(),
                    to: "2026-12-01".to_owned(),
                    site: None,
                },
                page: None,
                q: Some("late".to_owned()),
            },
            responses: 2,
            complete: 1,
            truncated: false,
            by_day: counts.clone(),
            pages: counts.clone(),
            config_versions: counts.clone(),
            questions: vec![
                Question {
                    id: "score".to_owned(),
                    answered: 2,
                    answers: Answers::Nps {
                        counts: counts.clone(),
                        score: Some(-50),
                    },
                },
                Question {
                    id: "why".to_owned(),
                    answered: 1,
                    answers: Answers::Text {
                        texts: vec![TextAnswer {
                            id: "r1".to_owned(),
                            received_at: "t".to_owned(),
                            page: "/".to_owned(),
                            text: "<i>late</i>".to_owned(),
                        }],
                        matching: 1,
                    },
                },
            ],
            rate: Some(ResponseRate {
                views: ViewCounts {
                    shown: 4,
                    dismissed: 1,
                },
                answered: 2,
                percent: Some(50.0),
            }),
        };
        let html = results_page(&results);
        assert!(html.contains("NPS -50"), "{html}");
        assert!(
            html.contains("&lt;i&gt;late&lt;/i&gt;") && !html.contains("<i>late"),
            "{html}"
        );
        assert!(
            html.contains("50.0%") && html.contains("dismissed"),
            "{html}"
        );
        assert!(
            html.contains("<title>score: scores 0–10</title>")
                || html.contains("aria-label=\"score: scores 0–10\""),
            "{html}"
        );
        assert!(html.contains("value=\"late\""), "{html}");
    }

    fn results_page(results: &Results) -> String {
        super::results(results, "csrf")
    }
}
