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
    /// Free text the visitor typed.
    Text,
    /// How the visitor may be reached.
    Contact,
}

/// The value of a contact answer.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Contact {
    email: String,
    consent: bool,
}

impl Answer {
    /// Checks the answer found at `path`, like `answers[0]`.
    pub(super) fn check(&self, path: &str) -> Result<(), SubmissionError> {
        check_length(&format!("{path}.question"), &self.question, 1, 100)?;
        let value_path = format!("{path}.value");
        match self.kind {
            AnswerType::Rating => check_rating(&value_path, &self.value),
            AnswerType::Text => match &self.value {
                Value::String(text) => check_length(&value_path, text, 1, 5000),
                _ => Err(SubmissionError::field(
                    value_path,
                    "text must be a string of 1 to 5000 characters",
                )),
            },
            AnswerType::Contact => check_contact(&value_path, &self.value),
        }
    }
}

fn check_rating(path: &str, value: &Value) -> Result<(), SubmissionError> {
    // JSON Schema counts `2.0` as an integer too, so the check is on the number's value rather
    // than on how it was written.
    let is_rating = value
        .as_f64()
        .is_some_and(|rating| rating.fract() == 0.0 && (1.0..=5.0).contains(&rating));
    if is_rating {
        Ok(())
    } else {
        Err(SubmissionError::field(
            path,
            "rating must be an integer from 1 to 5",
        ))
    }
}

fn check_contact(path: &str, value: &Value) -> Result<(), SubmissionError> {
    let contact: Contact =
        serde_path_to_error::deserialize(value).map_err(|error| serde_error::at(path, error))?;
    let email_path = format!("{path}.email");
    check_length(&email_path, &contact.email, 3, 254)?;
    if !formats::is_email(&contact.email) {
        return Err(SubmissionError::field(
            email_path,
            "email must look like name@example.com",
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
    fn question_ids_are_one_to_a_hundred_characters() {
        assert_eq!(
            field_of(json!({"question": "", "type": "rating", "value": 1})).as_deref(),
            Some("answers[3].question")
        );
    }
}
