//! The failure a failure trigger saw ([`crate::survey::trigger`]): a request of the page that failed or was slow,
//! clicks in anger on something that did not respond, a JavaScript error, or a form field refused again and again.
//! It travels with the survey's answers as the payload's `failure` block, so that support reads the diagnosis with
//! the case, and it chooses the card's first words, which name what happened ([`Failure::lead`]).
//!
//! Nothing in it can hold what the visitor typed: URLs lose their query string and fragment (as in the
//! [diagnostics](crate::diagnostics)), a clicked element is named by its CSS path (tag, id, classes, never its
//! text), a field by its name or id, never its value.

use crate::prelude::*;

use crate::diagnostics::{sendable, MAX_MESSAGE};
use crate::json::{clip, Object, ToJson};
use crate::locale::{Key, Texts};
use crate::survey::localized::Localized;

/// Longest rule, CSS path or field name kept, in characters; what the schema allows.
const MAX_RULE: usize = 2048;
const MAX_SELECTOR: usize = 300;
const MAX_FIELD: usize = 100;

/// What went wrong; the variant is the trigger kind that saw it.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// A request whose URL the trigger's rule covers ended with a status it counts, or took too long.
    Request {
        /// The pattern of the trigger's URL rule, as the survey wrote it.
        rule: String,
        /// Where the request went, without query string or fragment.
        url: String,
        /// Its HTTP status, 0 when no response came; `None` when the browser does not say (a slow request).
        status: Option<u16>,
        /// How long it took, in whole milliseconds.
        duration_ms: u32,
    },
    /// Clicks in a short time on the same element or spot.
    RageClick {
        /// The CSS path of the clicked element (tag, id, classes), as the browser layer wrote it.
        selector: String,
        /// How many clicks in the burst.
        clicks: u32,
    },
    /// An uncaught error or unhandled rejection.
    ScriptError {
        /// Its message, clipped.
        message: String,
        /// The script it came from, without query string or fragment; empty when the browser does not say.
        script: String,
    },
    /// A field that became invalid again and again.
    FormError {
        /// The field's name or id.
        field: String,
        /// How many times it became invalid on this page view.
        times: u32,
    },
}

impl Failure {
    /// A failed or slow request to `url` (whose query string and fragment are dropped), seen by the rule written
    /// `rule`, that took `duration` milliseconds.
    pub fn request(rule: &str, url: &str, status: Option<u16>, duration: f64) -> Failure {
        Failure::Request {
            rule: clip(rule, MAX_RULE).into(),
            url: sendable(url).into(),
            status,
            // Saturating: NaN is 0, and a day-long request is still a number the schema takes.
            duration_ms: duration.max(0.0) as u32,
        }
    }

    /// A burst of `clicks` on the element whose CSS path is `selector`.
    pub fn rage_click(selector: &str, clicks: u32) -> Failure {
        Failure::RageClick {
            selector: clip(selector, MAX_SELECTOR).into(),
            clicks,
        }
    }

    /// The error `message` from the script at `script`.
    pub fn script_error(message: &str, script: &str) -> Failure {
        Failure::ScriptError {
            message: clip(message, MAX_MESSAGE).into(),
            script: sendable(script).into(),
        }
    }

    /// The field `field`, invalid for the `times`th time.
    pub fn form_error(field: &str, times: u32) -> Failure {
        Failure::FormError {
            field: clip(field, MAX_FIELD).into(),
            times,
        }
    }

    /// The trigger kind that saw it, as the payload's `trigger` and the failure's `kind` spell it.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Request { .. } => "request_failed",
            Failure::RageClick { .. } => "rage_click",
            Failure::ScriptError { .. } => "js_error",
            Failure::FormError { .. } => "form_error",
        }
    }

    /// The built-in text that names this kind of failure.
    fn lead_key(&self) -> Key {
        match self {
            Failure::Request { .. } => Key::LeadRequestFailed,
            Failure::RageClick { .. } => Key::LeadRageClick,
            Failure::ScriptError { .. } => Key::LeadJsError,
            Failure::FormError { .. } => Key::LeadFormError,
        }
    }

    /// The survey card's first words for this failure, in the language of `texts`: the survey's `own` text when
    /// its trigger has one, else the site's (`strings`) or the built-in text for the kind. The widget cannot know
    /// what the failed request or the dead button was for, so the built-in texts only name the kind.
    pub fn lead<'a>(&self, own: Option<&'a Localized>, texts: &'a Texts) -> &'a str {
        match own {
            Some(own) => own.get(texts.locale),
            None => texts.get(self.lead_key()),
        }
    }
}

impl ToJson for Failure {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("kind", self.kind());
        match self {
            Failure::Request {
                rule,
                url,
                status,
                duration_ms,
            } => {
                o.field("rule", rule)
                    .field("url", url)
                    .maybe("status", status.map(u32::from).as_ref())
                    .field("duration_ms", duration_ms);
            }
            Failure::RageClick { selector, clicks } => {
                o.field("selector", selector).field("clicks", clicks);
            }
            Failure::ScriptError { message, script } => {
                o.field("message", message).field("script", script);
            }
            Failure::FormError { field, times } => {
                o.field("field", field).field("times", times);
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::to_string;
    use crate::locale::texts;
    use crate::survey::tests::json;

    fn all() -> [Failure; 4] {
        [
            Failure::request(
                "/api/payment*",
                "https://shop.example/api/payment?card=4242#x",
                Some(502),
                1234.6,
            ),
            Failure::rage_click("button.pay", 4),
            Failure::script_error(
                "TypeError: x is undefined",
                "https://shop.example/app.js?v=3",
            ),
            Failure::form_error("coupon", 2),
        ]
    }

    #[test]
    fn each_kind_writes_its_shape_without_queries() {
        let written: Vec<String> = all().iter().map(to_string).collect();
        assert_eq!(
            written,
            [
                r#"{"kind":"request_failed","rule":"/api/payment*","url":"https://shop.example/api/payment","status":502,"duration_ms":1234}"#,
                r#"{"kind":"rage_click","selector":"button.pay","clicks":4}"#,
                r#"{"kind":"js_error","message":"TypeError: x is undefined","script":"https://shop.example/app.js"}"#,
                r#"{"kind":"form_error","field":"coupon","times":2}"#,
            ]
        );
    }

    #[test]
    fn an_unknown_status_is_left_out_and_odd_durations_are_numbers() {
        let slow = Failure::request("/api/*", "https://shop.example/api/search", None, f64::NAN);
        assert_eq!(
            to_string(&slow),
            r#"{"kind":"request_failed","rule":"/api/*","url":"https://shop.example/api/search","duration_ms":0}"#
        );
        let Failure::Request { duration_ms, .. } = Failure::request("/", "/", Some(0), 1e12) else {
            panic!()
        };
        assert_eq!(duration_ms, u32::MAX);
    }

    #[test]
    fn long_texts_are_clipped_to_the_schema_limits() {
        let Failure::ScriptError { message, .. } = Failure::script_error(&"é".repeat(900), "")
        else {
            panic!()
        };
        assert_eq!(message.chars().count(), MAX_MESSAGE);
        let Failure::RageClick { selector, .. } = Failure::rage_click(&"div ".repeat(200), 3)
        else {
            panic!()
        };
        assert_eq!(selector.len(), MAX_SELECTOR);
        let Failure::FormError { field, .. } = Failure::form_error(&"f".repeat(101), 2) else {
            panic!()
        };
        assert_eq!(field.len(), MAX_FIELD);
    }

    #[test]
    fn every_language_names_every_kind_in_its_own_words() {
        let english = texts(["en"], Vec::new());
        for tag in ["en", "de", "nl", "lv", "fr", "es", "ar", "he"] {
            let t = texts([tag], Vec::new());
            assert_eq!(t.locale, tag);
            let leads: Vec<&str> = all().iter().map(|f| f.lead(None, &t)).collect();
            for (i, lead) in leads.iter().enumerate() {
                assert!(!lead.is_empty(), "{tag}");
                assert!(!leads[..i].contains(lead), "{tag}: {lead} twice");
                if tag != "en" {
                    assert_ne!(*lead, all()[i].lead(None, &english), "{tag}");
                }
            }
        }
        assert_eq!(
            all()[0].lead(None, &english),
            "Something went wrong on our side just now. I'm sorry: can I help?"
        );
    }

    #[test]
    fn the_surveys_own_words_come_before_the_sites_and_the_built_in_ones() {
        let failure = Failure::form_error("coupon", 2);
        let site = texts(
            ["de-AT"],
            vec![(Key::LeadFormError, "Probleme mit dem Gutschein?".into())],
        );
        assert_eq!(failure.lead(None, &site), "Probleme mit dem Gutschein?");
        let mut own = Localized::one("en", "Did the code not work? I can help.");
        assert_eq!(
            failure.lead(Some(&own), &site),
            "Did the code not work? I can help.",
            "the survey's default language when it has no German"
        );
        own = Localized::parse(
            &json(r#"{"en":"Did the code not work?","de":"Hat der Code nicht funktioniert?"}"#),
            "trigger.lead",
            "en",
        )
        .unwrap();
        assert_eq!(
            failure.lead(Some(&own), &site),
            "Hat der Code nicht funktioniert?"
        );
        assert_eq!(
            Failure::rage_click("a", 3).lead(None, &site),
            texts(["de"], Vec::new()).get(Key::LeadRageClick),
            "the site replaced one text only"
        );
    }
}
