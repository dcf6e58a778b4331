//! Every text a visitor sees, per language, and how the widget picks a language: the first preference whose
//! language, or language without its region (`de-AT` then `de`), has texts; English otherwise. Texts are kept
//! as arrays indexed by [`Key`], which keeps each language a plain table and lets the DOM builder refer to a text
//! by a small number.

/// Names every text; the order is the order of each language's table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Key {
    /// The feedback button.
    Button,
    /// Dialog title, also the rating question.
    Title,
    /// The symbol of one rating choice.
    Star,
    /// Accessible name of rating choice 1 (worst).
    Rating1,
    /// Accessible name of rating choice 2.
    Rating2,
    /// Accessible name of rating choice 3.
    Rating3,
    /// Accessible name of rating choice 4.
    Rating4,
    /// Accessible name of rating choice 5 (best).
    Rating5,
    /// Label of the message box.
    Message,
    /// Label of the contact consent checkbox.
    Consent,
    /// Label of the email field.
    Email,
    /// Send button.
    Send,
    /// Send button while the answer is on its way.
    Sending,
    /// Close button.
    Close,
    /// Shown once the endpoint confirmed it has the answer.
    Thanks,
    /// Shown when the endpoint did not confirm.
    Failed,
    /// Shown when Send is pressed with neither a rating nor a message.
    Empty,
    /// Shown when consent is ticked but the email is missing or malformed.
    BadEmail,
    /// Shown when the answer is saved in the browser and will be sent later.
    Saved,
    /// Shown when the endpoint refused the answer for good.
    Rejected,
    /// The button that copies the visitor's message.
    Copy,
    /// The same button once it copied.
    Copied,
    /// A survey's button to the next question.
    Next,
    /// A survey's button past an optional question left unanswered.
    Skip,
    /// Shown when a required survey question is left unanswered.
    Required,
    /// Label of the phone field of a contact question.
    Phone,
    /// Shown when consent is ticked but the phone number is missing or malformed.
    BadPhone,
    /// The low end of the 0 to 10 recommendation scale.
    NpsLow,
    /// The high end of the 0 to 10 recommendation scale.
    NpsHigh,
    /// Satisfaction choice 1 (worst).
    Csat1,
    /// Satisfaction choice 2.
    Csat2,
    /// Satisfaction choice 3.
    Csat3,
    /// Satisfaction choice 4.
    Csat4,
    /// Satisfaction choice 5 (best).
    Csat5,
    /// Label of the text box of a choice question's "other" option.
    OtherText,
}

/// How many texts each language has.
const COUNT: usize = Key::OtherText as usize + 1;

/// The texts of one language.
#[derive(Debug, PartialEq)]
pub struct Texts {
    /// Language tag these texts are in.
    pub locale: &'static str,
    strings: [&'static str; COUNT],
}

impl Texts {
    /// The text for `key`.
    pub fn get(&self, key: Key) -> &'static str {
        self.strings[key as usize]
    }
}

/// English, the fallback for every other language.
pub const EN: Texts = Texts {
    locale: "en",
    strings: [
        "Feedback",
        "How was your experience?",
        "\u{2605}",
        "1 of 5 stars: very bad",
        "2 of 5 stars: bad",
        "3 of 5 stars: okay",
        "4 of 5 stars: good",
        "5 of 5 stars: very good",
        "What happened? (optional)",
        "You may contact me about this",
        "Email",
        "Send",
        "Sending\u{2026}",
        "Close",
        "Thank you. Your feedback reached us, and we read every message.",
        "Sorry, your feedback did not go through. Please try again in a moment.",
        "Please choose a rating or write a few words.",
        "Please enter the email address we may contact you at, or untick the box.",
        "Saved. We will send your feedback as soon as you are back online.",
        "Sorry, we could not accept your feedback. Copy your message so it is not lost.",
        "Copy my message",
        "Copied",
        "Next",
        "Skip",
        "Please answer this question.",
        "Phone",
        "Please enter the phone number we may call you at, or untick the box.",
        "Not at all likely",
        "Extremely likely",
        "Very unsatisfied",
        "Unsatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
        "Please tell us more",
    ],
};

/// Every language with texts.
const ALL: [&Texts; 1] = [&EN];

/// The texts for the first of `preferences` that has any, trying each tag whole and then without its region.
pub fn texts<'a>(preferences: impl IntoIterator<Item = &'a str>) -> &'static Texts {
    for tag in preferences {
        let lang = tag.split(['-', '_']).next().unwrap_or(tag);
        for candidate in [tag, lang] {
            if let Some(found) = ALL
                .iter()
                .find(|t| t.locale.eq_ignore_ascii_case(candidate))
            {
                return found;
            }
        }
    }
    &EN
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_region_falls_back_to_its_language_and_unknown_to_english() {
        assert_eq!(texts(["en-GB"]).locale, "en");
        assert_eq!(texts(["EN_us"]).locale, "en");
        assert_eq!(texts(["xx", "en"]).locale, "en");
        assert_eq!(texts(["xx-YY"]).locale, "en");
        assert_eq!(texts([]).locale, "en");
    }

    #[test]
    fn keys_index_the_texts_in_order() {
        assert_eq!(EN.get(Key::Button), "Feedback");
        assert_eq!(EN.get(Key::Rating5), "5 of 5 stars: very good");
        assert!(EN.get(Key::BadEmail).starts_with("Please enter the email"));
        assert!(EN.strings.iter().all(|s| !s.is_empty()));
    }
}
