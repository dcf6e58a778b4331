//! The feedback form's rules: what a visitor must give before Send goes anywhere, and how the fields become
//! answers. A rating or a message is enough; an email is only taken with the consent box ticked, and then it must
//! look like an address.

use crate::prelude::*;

use crate::submission::{Answer, AnswerValue};

/// Longest message the payload allows, in characters.
pub const MAX_MESSAGE: usize = 5000;

/// What the visitor filled in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form {
    /// Chosen rating, 1 to 5.
    pub rating: Option<u8>,
    /// The message box.
    pub message: String,
    /// The "you may contact me" box.
    pub consent: bool,
    /// The email field (ignored without consent).
    pub email: String,
}

/// Why Send did not go ahead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FormError {
    /// Neither a rating nor a message.
    Empty,
    /// Consent without a plausible email address.
    BadEmail,
}

impl Form {
    /// The answers to send, or what the visitor still has to fix.
    pub fn answers(&self) -> Result<Vec<Answer>, FormError> {
        let mut answers = Vec::new();
        if let Some(n @ 1..=5) = self.rating {
            answers.push(Answer {
                question: "rating".into(),
                value: AnswerValue::Rating(n),
            });
        }
        let message = self.message.trim();
        if !message.is_empty() {
            let text = message.chars().take(MAX_MESSAGE).collect();
            answers.push(Answer {
                question: "message".into(),
                value: AnswerValue::Text(text),
            });
        }
        if answers.is_empty() {
            return Err(FormError::Empty);
        }
        if self.consent {
            let email = self.email.trim();
            if !plausible_email(email) {
                return Err(FormError::BadEmail);
            }
            answers.push(Answer {
                question: "contact".into(),
                value: AnswerValue::Contact {
                    email: Some(email.into()),
                    phone: None,
                },
            });
        }
        Ok(answers)
    }
}

/// One `@` with something on each side, a dot in the domain, no spaces, at most 254 characters: enough to catch
/// typos without rejecting real addresses.
pub(crate) fn plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
                && email.len() <= 254
        }
        None => false,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn form(rating: Option<u8>, message: &str, consent: bool, email: &str) -> Form {
        Form {
            rating,
            message: message.into(),
            consent,
            email: email.into(),
        }
    }

    #[test]
    fn a_rating_or_a_message_is_enough() {
        assert_eq!(
            form(Some(4), "", false, "").answers(),
            Ok(vec![Answer {
                question: "rating".into(),
                value: AnswerValue::Rating(4)
            }])
        );
        assert_eq!(
            form(None, "  slow page \n", false, "").answers(),
            Ok(vec![Answer {
                question: "message".into(),
                value: AnswerValue::Text("slow page".into())
            }])
        );
        assert_eq!(
            form(None, "   ", false, "").answers(),
            Err(FormError::Empty)
        );
        assert_eq!(
            form(Some(0), "", false, "").answers(),
            Err(FormError::Empty)
        );
    }

    #[test]
    fn email_goes_only_with_consent_and_must_look_real() {
        // Typed but not consented: never sent.
        let answers = form(Some(2), "", false, "a@b.co").answers().unwrap();
        assert_eq!(answers.len(), 1);
        let answers = form(Some(2), "x", true, " a@b.co ").answers().unwrap();
        assert_eq!(
            answers[2],
            Answer {
                question: "contact".into(),
                value: AnswerValue::Contact {
                    email: Some("a@b.co".into()),
                    phone: None,
                }
            }
        );
        for bad in [
            "", "a", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.de", "a@b@c.de",
        ] {
            assert_eq!(
                form(Some(2), "", true, bad).answers(),
                Err(FormError::BadEmail),
                "{bad}"
            );
        }
        // Nothing given at all reports the emptiness first.
        assert_eq!(form(None, "", true, "").answers(), Err(FormError::Empty));
    }

    #[test]
    fn long_messages_are_cut_to_the_payload_limit() {
        let answers = form(None, &"ß".repeat(MAX_MESSAGE + 5), false, "")
            .answers()
            .unwrap();
        match &answers[0].value {
            AnswerValue::Text(t) => assert_eq!(t.chars().count(), MAX_MESSAGE),
            other => panic!("{other:?}"),
        }
    }
}
