//! One question of a survey: its id, its text, whether it must be answered, and its type with that type's
//! settings (rating style, choices, text length, contact fields). Where the visitor goes after answering is
//! [`branching`](super::branching)'s business.

use crate::prelude::*;

use super::branching::Branch;
use super::fields::{fault, item, Fields, Parsed};
use super::localized::Localized;
use crate::feedback::MAX_MESSAGE;
use crate::value::Value;

/// One question.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Unique within its survey; the payload names answers by it and branches go to it.
    pub id: String,
    /// What is asked.
    pub text: Localized,
    /// Whether the visitor must answer before going on (the default), or may skip it.
    pub required: bool,
    /// The type and its settings.
    pub kind: Kind,
    /// Where to go after an answer, tried in order; without a match the next question follows.
    pub branches: Vec<Branch>,
}

/// A question's type.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// 1 to 5, shown as stars, or as faces when `faces`.
    Rating {
        /// Faces instead of stars.
        faces: bool,
    },
    /// Net promoter score: 0 to 10.
    Nps,
    /// Customer satisfaction: 1 to 5, each with words ("very unsatisfied" to "very satisfied").
    Csat,
    /// Exactly one choice.
    Single(Choices),
    /// One or more choices.
    Multi(Choices),
    /// Free text of at most `max_length` characters.
    Text {
        /// Longest answer, in characters.
        max_length: u32,
    },
    /// An email address, a phone number or both, given with a consent box ticked.
    Contact {
        /// Ask for an email address.
        email: bool,
        /// Ask for a phone number.
        phone: bool,
    },
}

/// The options of a single or multiple choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct Choices {
    /// The options, in the order shown.
    pub options: Vec<Choice>,
    /// The label of an extra "other" option with a text box, when there is one.
    pub other: Option<Localized>,
}

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// Unique within the question; answers and branches name the option by it.
    pub id: String,
    /// What the visitor sees.
    pub label: Localized,
}

/// The id branches use for the "other" option, so no option may have it.
pub const OTHER: &str = "other";

/// The type names, in the order of [`Kind`]'s variants.
const TYPES: [&str; 7] = [
    "rating", "nps", "csat", "single", "multi", "text", "contact",
];

/// Keys every question may have.
const COMMON: &[&str] = &["id", "type", "text", "required", "branches"];

/// Keys each type adds, in the order of [`TYPES`].
const SPECIFIC: [&[&str]; 7] = [
    &["style"],
    &[],
    &[],
    &["options", "other"],
    &["options", "other"],
    &["maxLength"],
    &["fields"],
];

impl Kind {
    /// The type's name, as written in definitions and payloads.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Rating { .. } => "rating",
            Kind::Nps => "nps",
            Kind::Csat => "csat",
            Kind::Single(_) => "single",
            Kind::Multi(_) => "multi",
            Kind::Text { .. } => "text",
            Kind::Contact { .. } => "contact",
        }
    }

    /// The lowest and highest score of a scale question, `None` for other types.
    pub fn scale(&self) -> Option<(u8, u8)> {
        match self {
            Kind::Rating { .. } | Kind::Csat => Some((1, 5)),
            Kind::Nps => Some((0, 10)),
            _ => None,
        }
    }

    /// The options of a choice question, `None` for other types.
    pub fn choices(&self) -> Option<&Choices> {
        match self {
            Kind::Single(choices) | Kind::Multi(choices) => Some(choices),
            _ => None,
        }
    }
}

impl Question {
    /// Reads the question at `path`, whose plain-string texts are in `locale`. Its branches are returned unread:
    /// they name later questions, which are only known once every question has been read.
    pub(crate) fn parse<'a>(
        value: &'a Value,
        path: &str,
        locale: &str,
    ) -> Parsed<(Question, &'a [Value])> {
        let f = Fields::new(value, path)?;
        let index = f
            .pick(
                "type",
                &TYPES,
                "must be one of rating, nps, csat, single, multi, text, contact",
            )?
            .ok_or_else(|| f.missing("type"))?;
        f.known(&[COMMON, SPECIFIC.get(index).copied().unwrap_or_default()])?;
        let kind = match index {
            0 => Kind::Rating {
                faces: f.pick("style", &["stars", "faces"], "must be stars or faces")? == Some(1),
            },
            1 => Kind::Nps,
            2 => Kind::Csat,
            3 => Kind::Single(Choices::parse(&f, locale)?),
            4 => Kind::Multi(Choices::parse(&f, locale)?),
            5 => Kind::Text {
                max_length: f
                    .whole(
                        "maxLength",
                        1,
                        MAX_MESSAGE as u32,
                        "must be a whole number from 1 to 5000",
                    )?
                    .unwrap_or(MAX_MESSAGE as u32),
            },
            _ => contact(&f)?,
        };
        let question = Question {
            id: f.id()?.into(),
            text: Localized::field(&f, "text", locale)?.ok_or_else(|| f.missing("text"))?,
            required: f.flag("required")?.unwrap_or(true),
            kind,
            branches: Vec::new(),
        };
        Ok((question, f.list("branches")?))
    }
}

impl Choices {
    /// Reads `options` and `other` of a choice question.
    fn parse(f: &Fields, locale: &str) -> Parsed<Choices> {
        let path = f.path("options");
        let items = f.list("options")?;
        if !(2..=10).contains(&items.len()) {
            return Err(fault(path, "must list 2 to 10 options"));
        }
        let mut options: Vec<Choice> = Vec::with_capacity(items.len());
        for (i, value) in items.iter().enumerate() {
            let path = item(&path, i);
            let o = Fields::new(value, &path)?;
            o.known(&[&["id", "label"]])?;
            let id = o.id()?;
            if id == OTHER || options.iter().any(|c| c.id == id) {
                return Err(fault(
                    o.path("id"),
                    "must be unique within the question and not \"other\"",
                ));
            }
            let label = Localized::field(&o, "label", locale)?.ok_or_else(|| o.missing("label"))?;
            options.push(Choice {
                id: id.into(),
                label,
            });
        }
        Ok(Choices {
            options,
            other: Localized::field(f, "other", locale)?,
        })
    }
}

/// Reads the `fields` of a contact question: `["email"]` when absent.
fn contact(f: &Fields) -> Parsed<Kind> {
    const REASON: &str = "must list email, phone or both";
    let items = f.list("fields")?;
    if items.is_empty() {
        return match f.get("fields") {
            Some(_) => Err(fault(f.path("fields"), REASON)),
            None => Ok(Kind::Contact {
                email: true,
                phone: false,
            }),
        };
    }
    let has = |name: &str| {
        items
            .iter()
            .any(|v| matches!(v, Value::Str(s) if s == name))
    };
    if items
        .iter()
        .all(|v| matches!(v, Value::Str(s) if s == "email" || s == "phone"))
    {
        Ok(Kind::Contact {
            email: has("email"),
            phone: has("phone"),
        })
    } else {
        Err(fault(f.path("fields"), REASON))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn parse(text: &str) -> Parsed<Question> {
        let value = json(text);
        Question::parse(&value, "questions[1]", "en").map(|(q, _)| q)
    }

    fn reason(text: &str) -> (String, &'static str) {
        let err = parse(text).unwrap_err();
        (err.field, err.reason)
    }

    #[test]
    fn a_minimal_question_is_required_and_has_no_branches() {
        let q = parse(r#"{"id":"score","type":"nps","text":"How likely?"}"#).unwrap();
        assert_eq!(
            (q.id.as_str(), q.text.get("en"), q.required),
            ("score", "How likely?", true)
        );
        assert_eq!(
            (q.kind.clone(), q.kind.scale(), q.kind.name()),
            (Kind::Nps, Some((0, 10)), "nps")
        );
        assert!(q.branches.is_empty());
        let q = parse(r#"{"id":"c","type":"csat","text":"Happy?","required":false}"#).unwrap();
        assert_eq!((q.kind.scale(), q.required), (Some((1, 5)), false));
    }

    #[test]
    fn ratings_have_stars_or_faces() {
        let q = parse(r#"{"id":"r","type":"rating","text":"t"}"#).unwrap();
        assert_eq!(q.kind, Kind::Rating { faces: false });
        let q = parse(r#"{"id":"r","type":"rating","text":"t","style":"faces"}"#).unwrap();
        assert_eq!(
            (q.kind, Kind::Rating { faces: true }.scale()),
            (Kind::Rating { faces: true }, Some((1, 5)))
        );
        assert_eq!(
            reason(r#"{"id":"r","type":"rating","text":"t","style":"hearts"}"#).1,
            "must be stars or faces"
        );
    }

    #[test]
    fn the_type_is_required_and_named_in_the_error() {
        let (field, why) = reason(r#"{"id":"q","type":"slider","text":"t"}"#);
        assert_eq!(field, "questions[1].type");
        assert_eq!(
            why,
            "must be one of rating, nps, csat, single, multi, text, contact"
        );
        assert_eq!(
            reason(r#"{"id":"q","text":"t"}"#),
            ("questions[1].type".into(), "is required")
        );
        assert_eq!(
            reason(r#"{"type":"nps","text":"t"}"#),
            ("questions[1].id".into(), "is required")
        );
        assert_eq!(
            reason(r#"{"id":"q","type":"nps"}"#),
            ("questions[1].text".into(), "is required")
        );
    }

    #[test]
    fn keys_of_another_type_are_refused() {
        let (field, why) = reason(r#"{"id":"q","type":"nps","text":"t","options":[]}"#);
        assert_eq!(
            (field.as_str(), why),
            ("questions[1].options", "is not a known field")
        );
        assert!(parse(r#"{"id":"q","type":"text","text":"t","style":"faces"}"#).is_err());
    }

    #[test]
    fn choices_have_unique_ids_and_an_optional_other() {
        let q = parse(
            r#"{"id":"why","type":"single","text":"Why?","other":{"en":"Else","de":"Anderes"},
                "options":[{"id":"price","label":"Price"},{"id":"ship","label":{"en":"Shipping","de":"Versand"}}]}"#,
        )
        .unwrap();
        let choices = q.kind.choices().unwrap();
        assert_eq!(
            choices
                .options
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["price", "ship"]
        );
        assert_eq!(choices.options[1].label.get("de"), "Versand");
        assert_eq!(choices.other.as_ref().unwrap().get("de"), "Anderes");
        let q = parse(
            r#"{"id":"m","type":"multi","text":"t","options":[{"id":"a","label":"A"},{"id":"b","label":"B"}]}"#,
        );
        assert_eq!(q.unwrap().kind.choices().unwrap().other, None);
    }

    #[test]
    fn choice_mistakes_name_the_option() {
        let one = r#"{"id":"q","type":"single","text":"t","options":[{"id":"a","label":"A"}]}"#;
        assert_eq!(
            reason(one),
            ("questions[1].options".into(), "must list 2 to 10 options")
        );
        let dup = r#"{"id":"q","type":"multi","text":"t","options":[{"id":"a","label":"A"},{"id":"a","label":"B"}]}"#;
        assert_eq!(reason(dup).0, "questions[1].options[1].id");
        let other = r#"{"id":"q","type":"multi","text":"t","options":[{"id":"a","label":"A"},{"id":"other","label":"B"}]}"#;
        assert_eq!(
            reason(other).1,
            "must be unique within the question and not \"other\""
        );
        let unlabelled = r#"{"id":"q","type":"single","text":"t","options":[{"id":"a","label":"A"},{"id":"b"}]}"#;
        assert_eq!(
            reason(unlabelled),
            ("questions[1].options[1].label".into(), "is required")
        );
        let typo = r#"{"id":"q","type":"single","text":"t","options":[{"id":"a","label":"A"},{"id":"b","lable":"B"}]}"#;
        assert_eq!(reason(typo).0, "questions[1].options[1].lable");
    }

    #[test]
    fn text_length_defaults_to_the_payload_limit() {
        let q = parse(r#"{"id":"t","type":"text","text":"t"}"#).unwrap();
        assert_eq!(
            q.kind,
            Kind::Text {
                max_length: MAX_MESSAGE as u32
            }
        );
        let q = parse(r#"{"id":"t","type":"text","text":"t","maxLength":200}"#).unwrap();
        assert_eq!(q.kind, Kind::Text { max_length: 200 });
        assert_eq!(
            MAX_MESSAGE, 5000,
            "the error message below names this limit"
        );
        let (_, why) = reason(r#"{"id":"t","type":"text","text":"t","maxLength":5001}"#);
        assert_eq!(why, "must be a whole number from 1 to 5000");
        assert!(parse(r#"{"id":"t","type":"text","text":"t","maxLength":0}"#).is_err());
    }

    #[test]
    fn contact_asks_for_email_unless_told_otherwise() {
        let kind = |fields: &str| {
            parse(&[r#"{"id":"c","type":"contact","text":"t""#, fields, "}"].concat())
                .map(|q| q.kind)
        };
        assert_eq!(
            kind(""),
            Ok(Kind::Contact {
                email: true,
                phone: false
            })
        );
        assert_eq!(
            kind(r#","fields":["phone"]"#),
            Ok(Kind::Contact {
                email: false,
                phone: true
            })
        );
        assert_eq!(
            kind(r#","fields":["phone","email"]"#),
            Ok(Kind::Contact {
                email: true,
                phone: true
            })
        );
        assert_eq!(
            kind(r#","fields":[]"#).unwrap_err().reason,
            "must list email, phone or both"
        );
        assert_eq!(
            kind(r#","fields":["fax"]"#).unwrap_err().field,
            "questions[1].fields"
        );
        assert_eq!(
            kind(r#","fields":"email""#).unwrap_err().got,
            Some("a string")
        );
        assert_eq!(
            Kind::Contact {
                email: true,
                phone: false
            }
            .scale(),
            None
        );
    }

    #[test]
    fn branches_are_handed_back_unread() {
        let value = json(r#"{"id":"n","type":"nps","text":"t","branches":[{"goto":"end"}]}"#);
        let (_, branches) = Question::parse(&value, "q", "en").unwrap();
        assert_eq!(branches.len(), 1);
    }
}
