//! What the widget posts to the site's endpoint: one response with its answers and the context a support team needs.
//! `schema/submission.v1.json` is the published contract for this type; the tests below serialise every variant
//! and validate it against that file, so the two cannot drift apart.

use crate::json::{Object, ToJson};

/// Version of the payload contract, written into every submission.
pub const SCHEMA_VERSION: u32 = 1;

/// One response, complete or not; every version of it carries the same `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    /// Random UUID made when the response starts.
    pub id: String,
    /// Site id from the configuration, or the page's host name.
    pub site: String,
    /// What opened the form.
    pub trigger: Trigger,
    /// True once the visitor sent the response.
    pub complete: bool,
    /// The answers, in the order asked.
    pub answers: Vec<Answer>,
    /// The page the visitor was on.
    pub page: Page,
    /// The visitor's browser.
    pub client: Client,
    /// When the response started, RFC 3339 in UTC.
    pub created_at: String,
}

/// What opened the form.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trigger {
    /// The visitor clicked the feedback button.
    Button,
    /// The host page called `Rebound.open()`.
    Api,
}

/// One answered question.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The question's id.
    pub question: &'static str,
    /// What the visitor answered.
    pub value: AnswerValue,
}

/// An answer's value; its variant is the question type.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerValue {
    /// 1 (worst) to 5 (best).
    Rating(u8),
    /// Free text.
    Text(String),
    /// An email address given with explicit consent to be contacted.
    Contact {
        /// The address.
        email: String,
    },
}

/// The page the visitor was on.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Full URL.
    pub url: String,
    /// Document title.
    pub title: String,
    /// Referrer, empty when there is none.
    pub referrer: String,
}

/// The visitor's browser.
#[derive(Clone, Debug, PartialEq)]
pub struct Client {
    /// Language the widget spoke.
    pub locale: String,
    /// Viewport width in CSS pixels.
    pub viewport_width: u32,
    /// Viewport height in CSS pixels.
    pub viewport_height: u32,
    /// The browser's user agent string.
    pub user_agent: String,
}

/// Longest strings the schema allows, in characters.
const MAX_URL: usize = 2048;
const MAX_TITLE: usize = 500;
const MAX_USER_AGENT: usize = 1000;
const MAX_SITE: usize = 200;
const MAX_LOCALE: usize = 35;

/// `s` cut to at most `max` characters, so that a long title or URL never makes the endpoint reject the answer.
fn clip(s: &str, max: usize) -> &str {
    // `get` rather than indexing: the end is always a char boundary, and this keeps panic code out of the wasm.
    match s.char_indices().nth(max) {
        Some((end, _)) => s.get(..end).unwrap_or(s),
        None => s,
    }
}

impl ToJson for Submission {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("schema_version", &SCHEMA_VERSION)
            .field("id", &self.id)
            .field("site", clip(&self.site, MAX_SITE))
            .field("kind", "feedback")
            .field("trigger", self.trigger.name())
            .field("complete", &self.complete)
            .field("answers", &self.answers)
            .field("page", &self.page)
            .field("client", &self.client)
            .field("created_at", &self.created_at);
    }
}

impl Trigger {
    /// The payload's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Trigger::Button => "button",
            Trigger::Api => "api",
        }
    }
}

impl ToJson for Answer {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("question", self.question);
        match &self.value {
            AnswerValue::Rating(n) => o.field("type", "rating").field("value", &u32::from(*n)),
            AnswerValue::Text(text) => o.field("type", "text").field("value", text),
            AnswerValue::Contact { email } => {
                o.field("type", "contact").field("value", &Consented(email))
            }
        };
    }
}

/// A contact value: it only exists with consent, so `consent` is always written as true.
struct Consented<'a>(&'a str);

impl ToJson for Consented<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("email", self.0)
            .field("consent", &true);
    }
}

impl ToJson for Page {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("url", clip(&self.url, MAX_URL))
            .field("title", clip(&self.title, MAX_TITLE))
            .field("referrer", clip(&self.referrer, MAX_URL));
    }
}

impl ToJson for Client {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("locale", clip(&self.locale, MAX_LOCALE))
            .field(
                "viewport",
                &Viewport(self.viewport_width, self.viewport_height),
            )
            .field("user_agent", clip(&self.user_agent, MAX_USER_AGENT));
    }
}

/// Width and height, written as an object.
struct Viewport(u32, u32);

impl ToJson for Viewport {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("width", &self.0)
            .field("height", &self.1);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::to_string;

    fn schema() -> jsonschema::Validator {
        let text = include_str!("../schema/submission.v1.json");
        let schema: serde_json::Value = serde_json::from_str(text).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    }

    fn sample(answers: Vec<Answer>) -> Submission {
        Submission {
            id: crate::uuid::v4([7; 16]),
            site: "shop".into(),
            trigger: Trigger::Button,
            complete: true,
            answers,
            page: Page {
                url: "https://shop.example/checkout?step=2".into(),
                title: "Checkout \"fast\"".into(),
                referrer: String::new(),
            },
            client: Client {
                locale: "en".into(),
                viewport_width: 1280,
                viewport_height: 720,
                user_agent: "Mozilla/5.0".into(),
            },
            created_at: "2026-11-23T09:40:00.123Z".into(),
        }
    }

    /// Serialises, checks it is valid JSON and valid against the schema, and returns the parsed value.
    fn valid(s: &Submission) -> serde_json::Value {
        let text = to_string(s);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = schema()
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{text}\n{errors:#?}");
        value
    }

    #[test]
    fn every_answer_type_and_trigger_matches_the_schema() {
        let all = vec![
            Answer {
                question: "rating",
                value: AnswerValue::Rating(1),
            },
            Answer {
                question: "message",
                value: AnswerValue::Text("It broke\nat \"pay\"".into()),
            },
            Answer {
                question: "contact",
                value: AnswerValue::Contact {
                    email: "a@b.example".into(),
                },
            },
        ];
        let mut s = sample(all);
        let v = valid(&s);
        assert_eq!(
            v["answers"][0],
            serde_json::json!({"question":"rating","type":"rating","value":1})
        );
        assert_eq!(
            v["answers"][2]["value"],
            serde_json::json!({"email":"a@b.example","consent":true})
        );
        assert_eq!(v["kind"], "feedback");
        assert_eq!(v["client"]["viewport"]["width"], 1280);
        s.trigger = Trigger::Api;
        s.complete = false;
        s.answers = vec![Answer {
            question: "rating",
            value: AnswerValue::Rating(5),
        }];
        assert_eq!(valid(&s)["trigger"], "api");
        s.answers.clear();
        valid(&s);
    }

    #[test]
    fn the_schema_rejects_what_the_widget_must_never_send() {
        let bad = [
            Answer {
                question: "rating",
                value: AnswerValue::Rating(6),
            },
            Answer {
                question: "message",
                value: AnswerValue::Text(String::new()),
            },
            Answer {
                question: "contact",
                value: AnswerValue::Contact {
                    email: "nope".into(),
                },
            },
        ];
        for answer in bad {
            let text = to_string(&sample(vec![answer]));
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(!schema().is_valid(&value), "accepted {text}");
        }
    }

    #[test]
    fn long_context_is_clipped_to_the_schema_limits() {
        let mut s = sample(vec![]);
        s.page.title = "é".repeat(MAX_TITLE + 10);
        s.page.url = "u".repeat(MAX_URL * 2);
        s.client.user_agent = "a".repeat(MAX_USER_AGENT + 1);
        let v = valid(&s);
        assert_eq!(
            v["page"]["title"].as_str().unwrap().chars().count(),
            MAX_TITLE
        );
        assert_eq!(v["page"]["url"].as_str().unwrap().len(), MAX_URL);
    }

    #[test]
    fn the_collectors_example_body_is_valid_under_the_schema() {
        // The collector's tests start from this file: it must stay within the contract the widget follows.
        let text = include_str!("../collector/tests/fixtures/submission.json");
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> = schema()
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
