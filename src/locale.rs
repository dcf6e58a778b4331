//! Every text a visitor sees, per language, and how the widget picks a language: the first preference whose
//! language, or language without its region (`de-AT` then `de`), has texts; English otherwise.

/// The texts of one language.
#[derive(Debug, PartialEq)]
pub struct Texts {
    /// Language tag these texts are in.
    pub locale: &'static str,
    /// The feedback button.
    pub button: &'static str,
    /// Dialog title, also the rating question.
    pub title: &'static str,
    /// Accessible names of the five rating choices, worst first.
    pub ratings: [&'static str; 5],
    /// Label of the message box.
    pub message: &'static str,
    /// Label of the contact consent checkbox.
    pub consent: &'static str,
    /// Label of the email field.
    pub email: &'static str,
    /// Send button.
    pub send: &'static str,
    /// Send button while the answer is on its way.
    pub sending: &'static str,
    /// Close button.
    pub close: &'static str,
    /// Shown once the endpoint confirmed it has the answer.
    pub thanks: &'static str,
    /// Shown when the endpoint did not confirm.
    pub failed: &'static str,
    /// Shown when Send is pressed with neither a rating nor a message.
    pub empty: &'static str,
    /// Shown when consent is ticked but the email is missing or malformed.
    pub bad_email: &'static str,
}

/// English, the fallback for every other language.
pub const EN: Texts = Texts {
    locale: "en",
    button: "Feedback",
    title: "How was your experience?",
    ratings: ["1 of 5 stars: very bad", "2 of 5 stars: bad", "3 of 5 stars: okay", "4 of 5 stars: good", "5 of 5 stars: very good"],
    message: "What happened? (optional)",
    consent: "You may contact me about this",
    email: "Email",
    send: "Send",
    sending: "Sending\u{2026}",
    close: "Close",
    thanks: "Thank you. Your feedback reached us, and we read every message.",
    failed: "Sorry, your feedback did not go through. Please try again in a moment.",
    empty: "Please choose a rating or write a few words.",
    bad_email: "Please enter the email address we may contact you at, or untick the box.",
};

/// Every language with texts.
const ALL: [&Texts; 1] = [&EN];

/// The texts for the first of `preferences` that has any, trying each tag whole and then without its region.
pub fn texts<'a>(preferences: impl IntoIterator<Item = &'a str>) -> &'static Texts {
    for tag in preferences {
        let lang = tag.split(['-', '_']).next().unwrap_or(tag);
        for candidate in [tag, lang] {
            if let Some(found) = ALL.iter().find(|t| t.locale.eq_ignore_ascii_case(candidate)) {
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
}
