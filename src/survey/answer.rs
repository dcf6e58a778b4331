//! A visitor's answer to one question, and whether it lets them go on: an answer must fit its question's type (a
//! score on the scale, known options, text within the length, contact details with consent), and only an optional
//! question may be skipped.

use crate::prelude::*;

use super::question::{Choices, Kind, Question};

/// What the visitor answered to one question.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// A point on a scale: rating and csat 1 to 5, nps 0 to 10.
    Score(u8),
    /// Chosen options by their position in the question, and the text typed into "other" when it was chosen.
    Chosen {
        /// Positions of the chosen options.
        options: Vec<usize>,
        /// The "other" text, when "other" was chosen.
        other: Option<String>,
    },
    /// Free text.
    Text(String),
    /// Contact details; they only count with the consent box ticked.
    Contact {
        /// The email field, empty when not asked or not filled in.
        email: String,
        /// The phone field, empty when not asked or not filled in.
        phone: String,
        /// The "you may contact me" box.
        consent: bool,
    },
}

impl Answer {
    /// Whether this answer fits a question of type `kind`.
    pub fn fits(&self, kind: &Kind) -> bool {
        match (self, kind) {
            (Answer::Score(n), kind) => kind
                .scale()
                .is_some_and(|(low, high)| (low..=high).contains(n)),
            (Answer::Chosen { options, other }, Kind::Single(choices)) => {
                count(choices, options, other.as_deref()) == Some(1)
            }
            (Answer::Chosen { options, other }, Kind::Multi(choices)) => {
                count(choices, options, other.as_deref()) >= Some(1)
            }
            (Answer::Text(text), Kind::Text { max_length }) => {
                !text.trim().is_empty() && text.chars().count() <= *max_length as usize
            }
            (
                Answer::Contact {
                    email,
                    phone,
                    consent,
                },
                Kind::Contact {
                    email: ask_email,
                    phone: ask_phone,
                },
            ) => {
                let given = |asked: bool, value: &str| asked && !value.trim().is_empty();
                *consent && (given(*ask_email, email) || given(*ask_phone, phone))
            }
            _ => false,
        }
    }
}

/// How many choices were made, or `None` when one of them does not exist (a position out of range, "other" on a
/// question without it, or "other" with nothing typed).
fn count(choices: &Choices, options: &[usize], other: Option<&str>) -> Option<usize> {
    let known = options.iter().all(|&i| i < choices.options.len());
    let other_ok = match other {
        Some(text) => choices.other.is_some() && !text.trim().is_empty(),
        None => true,
    };
    (known && other_ok).then_some(options.len() + usize::from(other.is_some()))
}

/// Whether the visitor may leave `question` with `answer`: a given answer must fit, and only an optional question
/// may be left unanswered.
pub fn may_go_on(question: &Question, answer: Option<&Answer>) -> bool {
    match answer {
        Some(answer) => answer.fits(&question.kind),
        None => !question.required,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn question(text: &str) -> Question {
        Question::parse(&json(text), "q", "en").unwrap().0
    }

    fn chosen(options: &[usize], other: Option<&str>) -> Answer {
        Answer::Chosen {
            options: options.to_vec(),
            other: other.map(String::from),
        }
    }

    const CHOICE: &str = r#""text":"t","options":[{"id":"a","label":"A"},{"id":"b","label":"B"}]"#;

    #[test]
    fn scores_must_be_on_the_scale() {
        let nps = question(r#"{"id":"n","type":"nps","text":"t"}"#);
        assert!(Answer::Score(0).fits(&nps.kind) && Answer::Score(10).fits(&nps.kind));
        assert!(!Answer::Score(11).fits(&nps.kind));
        let rating = question(r#"{"id":"r","type":"rating","text":"t"}"#);
        assert!(!Answer::Score(0).fits(&rating.kind));
        assert!(Answer::Score(5).fits(&rating.kind));
        assert!(!Answer::Score(6).fits(&Kind::Csat));
        assert!(
            !Answer::Score(3).fits(&Kind::Text { max_length: 5 }),
            "a score is no text"
        );
    }

    #[test]
    fn single_choice_takes_exactly_one() {
        let q = question(&[r#"{"id":"s","type":"single","other":"Else","#, CHOICE, "}"].concat());
        assert!(chosen(&[1], None).fits(&q.kind));
        assert!(chosen(&[], Some("mine")).fits(&q.kind));
        assert!(!chosen(&[0, 1], None).fits(&q.kind));
        assert!(!chosen(&[0], Some("mine")).fits(&q.kind));
        assert!(!chosen(&[], None).fits(&q.kind));
        assert!(!chosen(&[2], None).fits(&q.kind), "no third option");
        assert!(
            !chosen(&[], Some("  ")).fits(&q.kind),
            "other needs its text"
        );
    }

    #[test]
    fn multiple_choice_takes_one_or_more_and_other_only_when_offered() {
        let q = question(&[r#"{"id":"m","type":"multi","#, CHOICE, "}"].concat());
        assert!(chosen(&[0, 1], None).fits(&q.kind));
        assert!(!chosen(&[], None).fits(&q.kind));
        assert!(!chosen(&[0], Some("x")).fits(&q.kind));
        assert!(!Answer::Text("a".into()).fits(&q.kind));
    }

    #[test]
    fn text_must_be_within_its_length() {
        let kind = Kind::Text { max_length: 3 };
        assert!(
            Answer::Text("äöü".into()).fits(&kind),
            "characters, not bytes"
        );
        assert!(!Answer::Text("abcd".into()).fits(&kind));
        assert!(!Answer::Text(" \n".into()).fits(&kind));
    }

    #[test]
    fn contact_needs_consent_and_an_asked_field() {
        let contact = |email: &str, phone: &str, consent| Answer::Contact {
            email: email.into(),
            phone: phone.into(),
            consent,
        };
        let email_only = Kind::Contact {
            email: true,
            phone: false,
        };
        assert!(contact("a@b.co", "", true).fits(&email_only));
        assert!(!contact("a@b.co", "", false).fits(&email_only));
        assert!(
            !contact("", "+43 1", true).fits(&email_only),
            "the phone was not asked for"
        );
        let both = Kind::Contact {
            email: true,
            phone: true,
        };
        assert!(contact("", "+43 1", true).fits(&both));
        assert!(!contact(" ", "", true).fits(&both));
    }

    #[test]
    fn only_optional_questions_may_be_skipped() {
        let required = question(r#"{"id":"n","type":"nps","text":"t"}"#);
        let optional = question(r#"{"id":"n","type":"nps","text":"t","required":false}"#);
        assert!(!may_go_on(&required, None));
        assert!(may_go_on(&optional, None));
        assert!(may_go_on(&required, Some(&Answer::Score(7))));
        assert!(
            !may_go_on(&optional, Some(&Answer::Score(12))),
            "a wrong answer is not a skip"
        );
    }
}
