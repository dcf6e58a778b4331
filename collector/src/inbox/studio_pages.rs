//! The studio's pages in the inbox, as maud templates: a site's surveys with their status, the
//! forms to publish, pause, resume and start from a template, and the editor of one survey with
//! its mistakes beside the text and the live preview. The editor works without JavaScript
//! (mistakes are shown on save); `studio.js` adds checking while typing and the preview.

use maud::{html, Markup};
use rebound::locale::TAGS;

use super::html::{encode, logout, page, select};
use crate::studio::definition::DefinitionError;
use crate::studio::field_line::line_of;
use crate::studio::templates;
use crate::studio::{SurveyStatus, SurveySummary, VersionInfo};

/// The script of the editor page.
pub const SCRIPT: &str = "/inbox/studio/studio.js";
/// The sandboxed page the preview frame loads.
pub const PREVIEW: &str = "/inbox/studio/preview";

/// What the list page shows.
pub struct SurveyList<'a> {
    /// The site shown.
    pub site: &'a str,
    /// Every configured site, to switch between them.
    pub sites: &'a [&'a str],
    /// Its surveys, by id.
    pub surveys: &'a [SurveySummary],
    /// Its newest published version, if any.
    pub latest: Option<&'a VersionInfo>,
    /// A line about what was just done, like "Published version 3".
    pub notice: Option<&'a str>,
    /// What was wrong with the last "new from template" form.
    pub problems: &'a [DefinitionError],
}

/// The site's query string value.
fn site_query(site: &str) -> String {
    format!("?site={}", encode(site))
}

/// A hidden field of every form: the CSRF token and the site.
fn hidden(csrf: &str, site: &str) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(csrf);
        input type="hidden" name="site" value=(site);
    }
}

/// The mistakes of `text`, each with the path of its field, its line as a link to the text, and
/// the widget's message; `studio.js` fills the same list while the team types.
pub fn problems(problems: &[DefinitionError], text: &str) -> Markup {
    html! {
        div #problems role="status" aria-live="polite" {
            @if !problems.is_empty() {
                p.error-title { (problems.len()) " mistake(s): the widget would leave this survey out." }
                ul.problems {
                    @for problem in problems {
                        li {
                            code.field { (problem.field) }
                            @if let Some(line) = line_of(text, &problem.field) {
                                " (" a.line href="#definition" data-line=(line) { "line " (line) } ")"
                            }
                            " " span.message { (problem.message) }
                        }
                    }
                }
            }
        }
    }
}

/// The page of a collector without any site configured: the studio keeps surveys per site.
pub fn no_sites(csrf: &str) -> String {
    let body = html! {
        p { a href="/inbox" { "← Queue" } }
        p.error {
            "No site is configured, and surveys are kept per site. Add one to the collector's \
             config, such as "
            code { "[sites.shop] origins = [\"https://shop.example\"]" }
            ", and restart it."
        }
    };
    page("Surveys", logout(csrf), body)
}

/// The buttons that change a survey's status: draft and paused ones can go live, live ones can
/// be paused.
fn status_form(site: &str, survey: &SurveySummary, csrf: &str) -> Markup {
    let (next, label) = match survey.status {
        SurveyStatus::Live => (SurveyStatus::Paused, "Pause"),
        SurveyStatus::Paused => (SurveyStatus::Live, "Resume"),
        SurveyStatus::Draft => (SurveyStatus::Live, "Make live"),
    };
    html! {
        form method="post" action={ "/inbox/surveys/" (survey.id) "/status" } class="inline" {
            (hidden(csrf, site))
            input type="hidden" name="status" value=(next.as_str());
            button aria-label={ (label) " " (survey.id) } { (label) }
        }
    }
}

/// `/inbox/surveys`: the site's surveys, publishing, and a new survey from a template.
pub fn list(list: &SurveyList<'_>, csrf: &str) -> String {
    let site = list.site;
    let sites: Vec<(&str, &str)> = list.sites.iter().map(|site| (*site, *site)).collect();
    let choices: Vec<(&str, &str)> = templates::ALL
        .iter()
        .map(|template| (template.id, template.title))
        .collect();
    let config = format!("/v1/sites/{site}/config.json");
    let body = html! {
        p { a href="/inbox" { "← Queue" } }
        @if list.sites.len() > 1 {
            form method="get" action="/inbox/surveys" class="filters" {
                (select("site", "Site", &sites, site))
                button { "Show" }
            }
        }
        @if let Some(notice) = list.notice {
            p.notice role="status" { (notice) }
        }
        section {
            h2 { "Published" }
            @match list.latest {
                Some(latest) => p {
                    "Version " (latest.version) ", published " (latest.published_at) ", with "
                    @if latest.surveys.is_empty() { "no surveys" } @else { (latest.surveys.join(", ")) }
                    "."
                },
                None => p { "Nothing published yet." },
            }
            p {
                "Pages read it with " code { "data-config=\"" (config) "\"" }
                " (this collector's address in front), cached for up to a minute: a change shows on \
                 a visitor's next page view after that."
            }
            form method="post" action="/inbox/studio/publish" {
                (hidden(csrf, site))
                button { "Publish the live surveys" }
            }
        }
        section {
            h2 { "Surveys of " (site) }
            @if list.surveys.is_empty() {
                p { "No surveys yet: start from a template below." }
            } @else {
                table.surveys {
                    thead { tr { th scope="col" { "Survey" } th scope="col" { "Status" } th scope="col" { "Changed" } th scope="col" { "Actions" } } }
                    tbody {
                        @for survey in list.surveys {
                            tr {
                                th scope="row" { (survey.id) }
                                td { span class={ "status " (survey.status.as_str()) } { (survey.status.as_str()) } }
                                td { (survey.updated_at) }
                                td.actions {
                                    a href={ "/inbox/surveys/" (survey.id) "/edit" (site_query(site)) } aria-label={ "Edit " (survey.id) } { "Edit" }
                                    " "
                                    a href={ "/inbox/surveys/" (survey.id) (site_query(site)) } aria-label={ "Results of " (survey.id) } { "Results" }
                                    " "
                                    (status_form(site, survey, csrf))
                                }
                            }
                        }
                    }
                }
            }
        }
        section {
            h2 { "New from a template" }
            (problems(list.problems, ""))
            form method="post" action="/inbox/surveys" class="filters" {
                (hidden(csrf, site))
                (select("template", "Template", &choices, templates::ALL[0].id))
                label {
                    "Survey id (lowercase letters, digits, - and _)"
                    input name="id" required pattern="[a-z0-9_\\-]{1,64}" maxlength="64";
                }
                button { "Create draft" }
            }
        }
    };
    page("Surveys", logout(csrf), body)
}

/// What the editor page shows.
pub struct Editor<'a> {
    /// The site of the survey.
    pub site: &'a str,
    /// The survey.
    pub summary: &'a SurveySummary,
    /// The definition's text: the stored one, or what was sent and refused.
    pub text: &'a str,
    /// What is wrong with `text`.
    pub problems: &'a [DefinitionError],
    /// A line about what was just done.
    pub notice: Option<&'a str>,
}

/// The name of a built-in language, in that language.
fn language(tag: &str) -> &'static str {
    match tag {
        "de" => "Deutsch",
        "nl" => "Nederlands",
        "lv" => "Latviešu",
        "fr" => "Français",
        "es" => "Español",
        "ar" => "العربية",
        "he" => "עברית",
        _ => "English",
    }
}

/// The preview beside the editor: the frame and its controls.
fn preview() -> Markup {
    let languages: Vec<(&str, &str)> = TAGS.iter().map(|tag| (*tag, language(tag))).collect();
    html! {
        section.preview aria-labelledby="preview-title" {
            h2 #preview-title { "Preview" }
            p.meta {
                "The real widget in a sandboxed frame. Answers given here are discarded by the \
                 collector and never reach the inbox."
            }
            div.controls {
                fieldset {
                    legend { "Frame" }
                    label.choice { input type="radio" name="frame" value="phone" checked; "Phone" }
                    label.choice { input type="radio" name="frame" value="desktop"; "Desktop" }
                }
                (select("locale", "Language", &languages, "en"))
                (select("theme", "Theme", &[("light", "Light"), ("dark", "Dark")], "light"))
                button #fire type="button" { "Fire trigger" }
            }
            p.meta #preview-state role="status" { "Needs JavaScript: the preview runs the widget." }
            div.frame {
                // `studio.js` sets the address, once it listens to the frame.
                iframe #preview title="Survey preview" sandbox="allow-scripts allow-forms" data-src=(PREVIEW) {}
            }
        }
    }
}

/// `/inbox/surveys/{id}/edit`: the definition, its mistakes, and the preview.
pub fn editor(editor: &Editor<'_>, csrf: &str) -> String {
    let summary = editor.summary;
    let site = editor.site;
    let invalid = !editor.problems.is_empty();
    let body = html! {
        p { a href={ "/inbox/surveys" (site_query(site)) } { "← Surveys of " (site) } }
        @if let Some(notice) = editor.notice {
            p.notice role="status" { (notice) }
        }
        p.meta {
            "Status: " span class={ "status " (summary.status.as_str()) } { (summary.status.as_str()) }
            " · changed " (summary.updated_at)
            @if summary.status == SurveyStatus::Live { " · saved changes go out with the next publish" }
        }
        div #studio .studio.phone {
            form #editor method="post" action={ "/inbox/surveys/" (summary.id) "/edit" } {
                (hidden(csrf, site))
                label for="definition" { "Definition (JSON, the widget's survey format)" }
                (problems(editor.problems, editor.text))
                textarea #definition name="definition" spellcheck="false" rows="28"
                    aria-describedby="problems" aria-invalid=(invalid)
                    data-survey=(summary.id) data-check="/inbox/studio/check" { (editor.text) }
                button { "Save" }
            }
            (preview())
        }
        script src=(SCRIPT) {}
    };
    page(&format!("Survey {}", summary.id), logout(csrf), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(status: SurveyStatus) -> SurveySummary {
        SurveySummary {
            id: "checkout-exit".to_owned(),
            status,
            updated_at: "2026-12-02T10:00:00Z".to_owned(),
        }
    }

    #[test]
    fn each_status_offers_the_next_one() {
        for (status, next) in [
            (SurveyStatus::Draft, "value=\"live\""),
            (SurveyStatus::Live, "value=\"paused\""),
            (SurveyStatus::Paused, "value=\"live\""),
        ] {
            let html = status_form("shop", &summary(status), "t").into_string();
            assert!(html.contains(next), "{status:?}: {html}");
        }
    }

    #[test]
    fn the_editor_shows_each_mistake_with_its_field() {
        let problems = [DefinitionError {
            field: "surveys[0].questions[0].type".to_owned(),
            message: "rebound: survey \"checkout-exit\": questions[0].type must be <one>"
                .to_owned(),
        }];
        let html = editor(
            &Editor {
                site: "shop",
                summary: &summary(SurveyStatus::Draft),
                text: "{\"id\": \"</textarea>\"}",
                problems: &problems,
                notice: None,
            },
            "t",
        );
        assert!(html.contains("<code class=\"field\">surveys[0].questions[0].type</code>"));
        assert!(html.contains("data-line=\"1\">line 1</a>"), "{html}");
        assert!(html.contains("must be &lt;one&gt;"), "{html}");
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(!html.contains("</textarea>\"}"), "the text is escaped");
        assert!(html.contains("sandbox=\"allow-scripts allow-forms\""));
    }
}
