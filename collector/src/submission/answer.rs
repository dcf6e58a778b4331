//! One answer of a submission: the question it answers, its type, and a value whose shape the
//! type decides.

use serde::Deserialize;
use serde_json::Value;

use super::{check_length, formats, serde_error, SubmissionError};

/// One answer, as the contract's `$defs/answer` describes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The question's id.
    pub question: String,
    /// Which kind of question it answers; decides the shape of `value`.
    #[serde(rename = "type")]
    pub kind: AnswerType,
    /// Kept as JSON because its shape depends on `kind`; [`super::Submission::parse`] has
    /// checked that it fits.
    pub value: Value,
}

/// The kinds of question an answer can answer.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AnswerType {
    /// A rating from 1 (worst) to 5 (best).
    Rating,
    /// A net promoter score from 0 to 10.
    Nps,
    /// Customer satisfaction from 1 (very unsatisfied) to 5 (very satisfied).
    Csat,
    /// One option of a choice question.
    Single,
    /// One or more options of a choice question.
    Multi,
    /// Free text the visitor typed.
    Text,
    /// How the visitor may be reached.
    Contact,
}

/// The option id that stands for the "other" option, whose text comes in `other`.
const OTHER: &str = "other";
/// Longest option id, in characters.
const MAX_ID: usize = 100;
/// Longest free text, in characters.
const MAX_TEXT: usize = 5000;
/// Most options one multiple-choice answer may name: ten options and "other".
const MAX_OPTIONS: usize = 11;

/// The value of a single-choice answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Single {
    option: String,
    other: Option<String>,
}

/// The value of a multiple-choice answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Multi {
    options: Vec<String>,
    other: Option<String>,
}

/// The value of a contact answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Contact {
    email: Option<String>,
    phone: Option<String>,
    consent: bool,
}

impl Answer {
    /// Checks the answer found at `path`, like `answers[0]`.
    pub(super) fn check(&self, path: &str) -> Result<(), SubmissionError> {
        check_length(&format!("{path}.question"), &self.question, 1, 100)?;
        let value_path = format!("{path}.value");
        match self.kind {
            AnswerType::Rating => check_score(&value_path, &self.value, "rating", 1, 5),
            AnswerType::Nps => check_score(&value_path, &self.value, "nps", 0, 10),
            AnswerType::Csat => check_score(&value_path, &self.value, "csat", 1, 5),
            AnswerType::Single => {
                let single: Single = shaped(&value_path, &self.value)?;
                check_length(&format!("{value_path}.option"), &single.option, 1, MAX_ID)?;
                check_other(&value_path, single.option == OTHER, single.other.as_deref())
            }
            AnswerType::Multi => check_multi(&value_path, &self.value),
            AnswerType::Text => match &self.value {
                Value::String(text) => check_length(&value_path, text, 1, MAX_TEXT),
                _ => Err(SubmissionError::field(
                    value_path,
                    "text must be a string of 1 to 5000 characters",
                )),
            },
            AnswerType::Contact => check_contact(&value_path, &self.value),
        }
    }
}

/// Reads a value of the shape `T`, naming the part of it that does not fit.
fn shaped<T: serde::de::DeserializeOwned>(path: &str, value: &Value) -> Result<T, SubmissionError> {
    serde_path_to_error::deserialize(value).map_err(|error| serde_error::at(path, error))
}

/// A whole number from `min` to `max`, as a `name` answer must be.
fn check_score(
    path: &str,
    value: &Value,
    name: &str,
    min: u8,
    max: u8,
) -> Result<(), SubmissionError> {
    // JSON Schema counts `2.0` as an integer too, so the check is on the number's value rather
    // than on how it was written.
    let fits = value.as_f64().is_some_and(|score| {
        score.fract() == 0.0 && (f64::from(min)..=f64::from(max)).contains(&score)
    });
    if fits {
        Ok(())
    } else {
        Err(SubmissionError::field(
            path,
            format!("{name} must be an integer from {min} to {max}"),
        ))
    }
}

/// The "other" text comes exactly when the "other" option was chosen.
fn check_other(path: &str, chose_other: bool, other: Option<&str>) -> Result<(), SubmissionError> {
    let other_path = format!("{path}.other");
    match (chose_other, other) {
        (true, Some(text)) => check_length(&other_path, text, 1, MAX_TEXT),
        (false, None) => Ok(()),
        (true, None) => Err(SubmissionError::field(
            other_path,
            "the option \"other\" was chosen, so other must hold the visitor's text",
        )),
        (false, Some(_)) => Err(SubmissionError::field(
            other_path,
            "other is only sent when the option \"other\" was chosen",
        )),
    }
}

fn check_multi(path: &str, value: &Value) -> Result<(), SubmissionError> {
    let multi: Multi = shaped(path, value)?;
    let options_path = format!("{path}.options");
    if !(1..=MAX_OPTIONS).contains(&multi.options.len()) {
        return Err(SubmissionError::field(
            options_path,
            format!("options must name 1 to {MAX_OPTIONS} chosen options"),
        ));
    }
    for (index, option) in multi.options.iter().enumerate() {
        let option_path = format!("{options_path}[{index}]");
        check_length(&option_path, option, 1, MAX_ID)?;
        if multi.options[..index].contains(option) {
            return Err(SubmissionError::field(
                option_path,
                format!("the option {option:?} is named twice"),
            ));
        }
    }
    let chose_other = multi.options.iter().any(|option| option == OTHER);
    check_other(path, chose_other, multi.other.as_deref())
}

fn check_contact(path: &str, value: &Value) -> Result<(), SubmissionError> {
    let contact: Contact = shaped(path, value)?;
    if let Some(email) = &contact.email {
        let email_path = format!("{path}.email");
        check_length(&email_path, email, 3, 254)?;
        if !formats::is_email(email) {
            return Err(SubmissionError::field(
                email_path,
                "email must look like name@example.com",
            ));
        }
    }
    if let Some(phone) = &contact.phone {
        if !formats::is_phone(phone) {
            return Err(SubmissionError::field(
                format!("{path}.phone"),
                "phone must be 3 to 40 characters of digits, spaces and + - ( ) . /",
            ));
        }
    }
    if contact.email.is_none() && contact.phone.is_none() {
        return Err(SubmissionError::field(
            path,
            "a contact answer holds an email, a phone number or both",
        ));
    }
    if !contact.consent {
        return Err(SubmissionError::field(
            format!("{path}.consent"),
            "contact details are only sent with the visitor's consent, so consent must be true",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(answer: Value) -> Result<(), SubmissionError> {
        let answer: Answer = serde_json::from_value(answer).expect("answer shape");
        answer.check("answers[3]")
    }

    fn field_of(answer: Value) -> Option<String> {
        match check(answer) {
            Err(SubmissionError::Field { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn ratings_are_integers_from_one_to_five() {
        for value in [json!(1), json!(5), json!(3.0)] {
            assert_eq!(
                check(json!({"question": "q", "type": "rating", "value": value})),
                Ok(())
            );
        }
        for value in [json!(0), json!(6), json!(2.5), json!("3"), json!(null)] {
            assert_eq!(
                field_of(json!({"question": "q", "type": "rating", "value": value})).as_deref(),
                Some("answers[3].value")
            );
        }
    }

    #[test]
    fn text_is_one_to_five_thousand_characters() {
        let long = "x".repeat(5000);
        assert_eq!(
            check(json!({"question": "q", "type": "text", "value": long})),
            Ok(())
        );
        for value in [json!(""), json!("x".repeat(5001)), json!(7)] {
            assert_eq!(
                field_of(json!({"question": "q", "type": "text", "value": value})).as_deref(),
                Some("answers[3].value")
            );
        }
    }

    #[test]
    fn contact_needs_an_email_and_consent() {
        let contact = |value: Value| json!({"question": "q", "type": "contact", "value": value});
        assert_eq!(
            check(contact(json!({"email": "a@b", "consent": true}))),
            Ok(())
        );
        assert_eq!(
            field_of(contact(json!({"email": "a@b", "consent": false}))).as_deref(),
            Some("answers[3].value.consent")
        );
        assert_eq!(
            field_of(contact(json!({"email": "a b@c", "consent": true}))).as_deref(),
            Some("answers[3].value.email")
        );
        assert_eq!(
            field_of(contact(json!({"email": "a@b"}))).as_deref(),
            Some("answers[3].value.consent")
        );
        assert_eq!(
            field_of(contact(json!("a@b"))).as_deref(),
            Some("answers[3].value")
        );
    }

    #[test]
    fn contact_may_be_a_phone_number_instead_or_as_well() {
        let contact = |value: Value| json!({"question": "q", "type": "contact", "value": value});
        for value in [
            json!({"phone": "+49 (30) 123-45.67/8", "consent": true}),
            json!({"email": "a@b", "phone": "555", "consent": true}),
        ] {
            assert_eq!(check(contact(value)), Ok(()));
        }
        for phone in ["12", "call me", &"1".repeat(41)] {
            assert_eq!(
                field_of(contact(json!({"phone": phone, "consent": true}))).as_deref(),
                Some("answers[3].value.phone"),
                "{phone}"
            );
        }
        assert_eq!(
            field_of(contact(json!({"consent": true}))).as_deref(),
            Some("answers[3].value")
        );
    }

    #[test]
    fn nps_and_csat_are_on_their_scales() {
        let score =
            |kind: &str, value: Value| json!({"question": "q", "type": kind, "value": value});
        for (kind, low, high) in [("nps", 0, 10), ("csat", 1, 5)] {
            assert_eq!(check(score(kind, json!(low))), Ok(()));
            assert_eq!(check(score(kind, json!(high))), Ok(()));
            for bad in [json!(low - 1), json!(high + 1), json!(2.5), json!("3")] {
                assert_eq!(
                    field_of(score(kind, bad.clone())).as_deref(),
                    Some("answers[3].value"),
                    "{kind} {bad}"
                );
            }
        }
    }

    #[test]
    fn choices_name_options_and_bring_the_other_text_exactly_with_other() {
        let single = |value: Value| json!({"question": "q", "type": "single", "value": value});
        let multi = |value: Value| json!({"question": "q", "type": "multi", "value": value});
        for answer in [
            single(json!({"option": "price"})),
            single(json!({"option": "other", "other": "No PayPal"})),
            multi(json!({"options": ["price", "shipping"]})),
            multi(json!({"options": ["price", "other"], "other": "Slow"})),
        ] {
            assert_eq!(check(answer.clone()), Ok(()), "{answer}");
        }
        let refused = [
            (single(json!({"option": ""})), "answers[3].value.option"),
            (single(json!({"option": "other"})), "answers[3].value.other"),
            (
                single(json!({"option": "a", "other": "x"})),
                "answers[3].value.other",
            ),
            (
                single(json!({"option": "other", "other": ""})),
                "answers[3].value.other",
            ),
            (
                single(json!({"options": ["a"]})),
                "answers[3].value.options",
            ),
            (single(json!("price")), "answers[3].value"),
            (multi(json!({"options": []})), "answers[3].value.options"),
            (
                multi(json!({"options": ["a", "a"]})),
                "answers[3].value.options[1]",
            ),
            (
                multi(json!({"options": ["a", ""]})),
                "answers[3].value.options[1]",
            ),
            (
                multi(json!({"options": ["other"]})),
                "answers[3].value.other",
            ),
            (
                multi(json!({"options": ["a"], "other": "x"})),
                "answers[3].value.other",
            ),
            (multi(json!({"options": "a"})), "answers[3].value.options"),
        ];
        for (answer, field) in refused {
            assert_eq!(field_of(answer.clone()).as_deref(), Some(field), "{answer}");
        }
    }

    #[test]
    fn question_ids_are_one_to_a_hundred_characters() {
        assert_eq!(
            field_of(json!({"question": "", "type": "rating", "value": 1})).as_deref(),
            Some("answers[3].question")
        );
    }
}
