//! Every text a visitor sees, per language, and how the widget picks a language: the first preference whose
//! language, or language without its region (`de-AT` then `de`), has texts; English otherwise. Each language is
//! one string with a text per line in the order of [`Key`] (one file per language next to this one): far smaller
//! in the wasm than an array of string slices, and a translator reads it like a list. The site's own texts from
//! the `strings` option lie over the chosen language's.

use crate::prelude::*;

#[cfg_attr(not(feature = "languages"), allow(dead_code))]
mod ar;
#[cfg_attr(not(feature = "languages"), allow(dead_code))]
mod de;
mod en;
#[cfg_attr(not(feature = "languages"), allow(dead_code))]
mod es;
#[cfg_attr(not(feature = "languages"), allow(dead_code))]
mod fr;
#[cfg_attr(not(feature = "languages"), allow(dead_code))]
mod he;
#[cfg_attr(not(feature = "languages"), allow(dead_code))]
mod lv;
#[cfg_attr(not(feature = "languages"), allow(dead_code))]
mod nl;

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
    /// Shown when the endpoint refused a survey's answers for good (nothing will retry them).
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
    /// Said to screen readers when a survey appears by itself, before its first question.
    SurveyShown,
    /// Accessible name of face 1 (worst) of a `faces` rating.
    Face1,
    /// Accessible name of face 2.
    Face2,
    /// Accessible name of face 3.
    Face3,
    /// Accessible name of face 4.
    Face4,
    /// Accessible name of face 5 (best).
    Face5,
    /// The apology that names what the visitor said; `{}` is their words or the option they chose.
    SorryFor,
    /// The apology when there is nothing to quote (a low score).
    Sorry,
    /// Recovery asks what would be fair.
    Fair,
    /// A fair solution: a refund.
    Refund,
    /// A fair solution: a replacement.
    Replacement,
    /// A fair solution: a discount.
    Discount,
    /// A fair solution: talking to a person.
    Person,
    /// A fair solution: nothing, the visitor only wanted the site to know.
    JustSaying,
    /// A fair solution in the visitor's own words.
    SomethingElse,
    /// Recovery asks how to reach the visitor.
    ReachAsk,
    /// Recovery thanks the visitor once the case reached the site.
    TellingUs,
    /// The case number; `{}` is the reference (`RB-7KQ2`).
    CaseNumber,
    /// A voucher the site gives at once; `{}` is the code.
    Voucher,
    /// Copies the voucher code.
    CopyCode,
    /// Heads the support team's note on a resolved case; `{}` is the reference.
    CaseUpdate,
    /// A survey's first words after a request of the page failed ([`crate::failure`]).
    LeadRequestFailed,
    /// A survey's first words after clicks in anger on something that did not respond.
    LeadRageClick,
    /// A survey's first words after a JavaScript error on the page.
    LeadJsError,
    /// A survey's first words after a form field was refused again and again.
    LeadFormError,
    /// The feedback button when the form could not be loaded (pressing it tries again).
    Unavailable,
}

/// The accessible names of the five rating choices, worst first.
pub const STARS: [Key; 5] = [
    Key::Rating1,
    Key::Rating2,
    Key::Rating3,
    Key::Rating4,
    Key::Rating5,
];

/// The accessible names of the five faces of a `faces` rating, worst first.
pub const FACES: [Key; 5] = [Key::Face1, Key::Face2, Key::Face3, Key::Face4, Key::Face5];

/// How many texts each language has.
const COUNT: usize = Key::Unavailable as usize + 1;

/// The tag of every language with texts, English first (the fallback for all others). The same index picks the
/// language's button labels in [`LABELS`] and its other texts in [`TABLES`].
pub const TAGS: [&str; 8] = ["en", "de", "nl", "lv", "fr", "es", "ar", "he"];

/// The button's two labels in each language: all the eager core shows, so they are apart from the tables.
const LABELS: [(&str, &str); 8] = [
    (en::BUTTON, en::UNAVAILABLE),
    (de::BUTTON, de::UNAVAILABLE),
    (nl::BUTTON, nl::UNAVAILABLE),
    (lv::BUTTON, lv::UNAVAILABLE),
    (fr::BUTTON, fr::UNAVAILABLE),
    (es::BUTTON, es::UNAVAILABLE),
    (ar::BUTTON, ar::UNAVAILABLE),
    (he::BUTTON, he::UNAVAILABLE),
];

/// Every other text in each language, one per line from [`Key::Title`] to [`Key::LeadFormError`]. Only the full
/// widget reads them. With the `languages` feature (native and browser tests) all eight are built in; without it,
/// as `cargo xtask dist` builds the widget, only English is, and the full widget fetches the visitor's language
/// as `rebound_<tag>.txt` (written by the xtask from [`table`]) and reads it with [`Texts::with_table`].
#[cfg(feature = "languages")]
const TABLES: [&str; 8] = [
    en::TEXTS,
    de::TEXTS,
    nl::TEXTS,
    lv::TEXTS,
    fr::TEXTS,
    es::TEXTS,
    ar::TEXTS,
    he::TEXTS,
];
#[cfg(not(feature = "languages"))]
const TABLES: [&str; 1] = [en::TEXTS];

/// The texts of the language `tag` (one of [`TAGS`]) as the table file the full widget fetches holds them, for
/// the xtask to write next to the widget.
#[cfg(feature = "languages")]
pub fn table(tag: &str) -> Option<&'static str> {
    let index = TAGS.iter().position(|t| *t == tag)?;
    TABLES.get(index).copied()
}

/// The name of each text in the `strings` option, in the order of [`Key`]: the variant's name in camelCase.
/// One string is smaller in the wasm than a table of them.
pub const NAMES: &str =
    "button title star rating1 rating2 rating3 rating4 rating5 message consent email send \
    sending close thanks failed empty badEmail saved rejected copy copied next skip required \
    phone badPhone npsLow npsHigh csat1 csat2 csat3 csat4 csat5 otherText surveyShown face1 face2 face3 face4 face5 \
    sorryFor sorry fair refund replacement discount person justSaying somethingElse reachAsk tellingUs caseNumber voucher copyCode caseUpdate \
    leadRequestFailed leadRageClick leadJsError leadFormError unavailable";

/// Every [`Key`] in order, to turn a position in [`NAMES`] back into a key.
const KEYS: [Key; COUNT] = [
    Key::Button,
    Key::Title,
    Key::Star,
    Key::Rating1,
    Key::Rating2,
    Key::Rating3,
    Key::Rating4,
    Key::Rating5,
    Key::Message,
    Key::Consent,
    Key::Email,
    Key::Send,
    Key::Sending,
    Key::Close,
    Key::Thanks,
    Key::Failed,
    Key::Empty,
    Key::BadEmail,
    Key::Saved,
    Key::Rejected,
    Key::Copy,
    Key::Copied,
    Key::Next,
    Key::Skip,
    Key::Required,
    Key::Phone,
    Key::BadPhone,
    Key::NpsLow,
    Key::NpsHigh,
    Key::Csat1,
    Key::Csat2,
    Key::Csat3,
    Key::Csat4,
    Key::Csat5,
    Key::OtherText,
    Key::SurveyShown,
    Key::Face1,
    Key::Face2,
    Key::Face3,
    Key::Face4,
    Key::Face5,
    Key::SorryFor,
    Key::Sorry,
    Key::Fair,
    Key::Refund,
    Key::Replacement,
    Key::Discount,
    Key::Person,
    Key::JustSaying,
    Key::SomethingElse,
    Key::ReachAsk,
    Key::TellingUs,
    Key::CaseNumber,
    Key::Voucher,
    Key::CopyCode,
    Key::CaseUpdate,
    Key::LeadRequestFailed,
    Key::LeadRageClick,
    Key::LeadJsError,
    Key::LeadFormError,
    Key::Unavailable,
];

/// The text called `name` in the `strings` option, if there is one.
pub fn named(name: &str) -> Option<Key> {
    let index = (0..COUNT).find(|&i| nth(NAMES, b' ', i) == name)?;
    KEYS.get(index).copied()
}

/// The `index`th of the parts `separator` divides `table` into; empty past the end. A plain loop over bytes is
/// smaller in the wasm than `str::split`.
fn nth(table: &str, separator: u8, index: usize) -> &str {
    let bytes = table.as_bytes();
    let mut start = 0;
    let mut seen = 0;
    for end in 0..=bytes.len() {
        // The end of the table closes the last part.
        if bytes.get(end).is_none_or(|&b| b == separator) {
            if seen == index {
                return table.get(start..end).unwrap_or("");
            }
            seen += 1;
            start = end + 1;
        }
    }
    ""
}

/// The texts the widget speaks: one language's, with the site's own texts over them.
#[derive(Debug, PartialEq)]
pub struct Texts {
    /// Language tag these texts are in, without region (`de`); also the payload's `client.locale`.
    pub locale: &'static str,
    /// The language's index in [`TAGS`].
    index: usize,
    /// The language's table when it was fetched ([`Texts::with_table`]).
    table: Option<String>,
    overrides: Vec<(Key, String)>,
}

impl Texts {
    /// The text for `key`: the site's own when it set one, the language's otherwise.
    pub fn get(&self, key: Key) -> &str {
        match key {
            Key::Button | Key::Unavailable => self.label(key),
            _ => self.site_text(key).unwrap_or_else(|| {
                let built_in = TABLES.get(self.index).copied();
                let table = self.table.as_deref().or(built_in).unwrap_or_default();
                nth(table, b'\n', key as usize - 1)
            }),
        }
    }

    /// The button's label for `key` ([`Key::Button`], or [`Key::Unavailable`] when the form could not be
    /// loaded), without reading the language's table: what the eager core shows.
    pub fn label(&self, key: Key) -> &str {
        let (button, unavailable) = LABELS.get(self.index).copied().unwrap_or(LABELS[0]);
        self.site_text(key).unwrap_or(if key == Key::Unavailable {
            unavailable
        } else {
            button
        })
    }

    /// The site's own text for `key`, if it set one.
    fn site_text(&self, key: Key) -> Option<&str> {
        let found = self.overrides.iter().find(|(k, _)| *k == key);
        found.map(|(_, text)| text.as_str())
    }

    /// Whether the language's table must be fetched before these texts can be spoken: the tag to fetch.
    pub fn missing(&self) -> Option<&'static str> {
        let held = self.table.is_some() || TABLES.get(self.index).is_some();
        (!held).then_some(self.locale)
    }

    /// The texts with the language's `table` as fetched; when it is missing or not a table of every text, English
    /// (and `false`, so that the console can say so).
    pub fn with_table(mut self, table: Option<String>) -> (Texts, bool) {
        let lines = |t: &str| t.bytes().filter(|b| *b == b'\n').count();
        match table.filter(|t| lines(t) == lines(en::TEXTS)) {
            Some(table) => self.table = Some(table),
            None => {
                self.index = 0;
                self.locale = TAGS[0];
                return (self, false);
            }
        }
        (self, true)
    }

    /// Whether the language is written right to left.
    pub fn rtl(&self) -> bool {
        matches!(self.locale, "ar" | "he")
    }
}

/// The texts for the first of `preferences` that has any, trying each tag whole and then without its region,
/// English when none has; `overrides` (the `strings` option) replace single texts whatever the language.
pub fn texts<'a>(
    preferences: impl IntoIterator<Item = &'a str>,
    overrides: Vec<(Key, String)>,
) -> Texts {
    let index = language(preferences).unwrap_or(0);
    Texts {
        locale: TAGS.get(index).copied().unwrap_or(TAGS[0]),
        index,
        table: None,
        overrides,
    }
}

/// The index in [`TAGS`] of the first of `preferences` with texts, each tried whole and then without its region.
fn language<'a>(preferences: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    for tag in preferences {
        let lang = tag.split(['-', '_']).next().unwrap_or(tag);
        for candidate in [tag, lang] {
            let found = TAGS.iter().position(|t| t.eq_ignore_ascii_case(candidate));
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn locale(preferences: &[&str]) -> &'static str {
        texts(preferences.iter().copied(), Vec::new()).locale
    }

    #[test]
    fn the_first_preference_with_texts_wins_whole_then_without_region() {
        assert_eq!(locale(&["de-AT"]), "de");
        assert_eq!(locale(&["xx", "de-AT", "fr"]), "de");
        assert_eq!(locale(&["NL_be"]), "nl");
        assert_eq!(locale(&["pt-BR", "es-419", "en"]), "es");
        assert_eq!(locale(&["zh-Hant-TW", "he-IL"]), "he");
        assert_eq!(locale(&["", "lv"]), "lv");
    }

    #[test]
    fn a_fetched_table_is_spoken_and_a_wrong_one_falls_back_to_english() {
        let german = table("de").unwrap().to_owned();
        let (t, ok) = texts(["de"], Vec::new()).with_table(Some(german));
        assert!(ok);
        assert_eq!((t.locale, t.get(Key::Close)), ("de", "Schließen"));
        assert_eq!(t.missing(), None);
        for wrong in [None, Some("Wie war es?\nSchließen".to_owned())] {
            let (t, ok) = texts(["de"], Vec::new()).with_table(wrong);
            assert!(!ok);
            assert_eq!(
                (t.locale, t.get(Key::Close), t.label(Key::Button)),
                ("en", "Close", "Feedback")
            );
        }
        assert_eq!(table("xx"), None);
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        assert_eq!(locale(&["en-GB"]), "en");
        assert_eq!(locale(&["xx", "en"]), "en");
        assert_eq!(locale(&["xx-YY"]), "en");
        assert_eq!(
            locale(&["deu"]),
            "en",
            "a tag is matched whole, never by prefix"
        );
        assert_eq!(locale(&[]), "en");
    }

    #[test]
    fn every_language_has_every_text() {
        for (i, (tag, table)) in TAGS.into_iter().zip(TABLES).enumerate() {
            let lines: Vec<&str> = [LABELS[i].0]
                .into_iter()
                .chain(table.split('\n'))
                .chain([LABELS[i].1])
                .collect();
            assert_eq!(lines.len(), COUNT, "{tag} has {} texts", lines.len());
            for (line, name) in lines.iter().zip(NAMES.split(' ')) {
                assert!(!line.is_empty(), "{tag}: {name} is empty");
                assert_eq!(line.trim(), *line, "{tag}: {name} has spaces around it");
            }
            let t = texts([tag], Vec::new());
            assert_eq!(
                t.get(Key::Star),
                "\u{2605}",
                "{tag}: the star is the same symbol everywhere"
            );
            // Each star's accessible name says which star of five it is, in the reading order of the language.
            for (i, key) in STARS.into_iter().enumerate() {
                let name = t.get(key);
                let digits: String = name.chars().filter(char::is_ascii_digit).collect();
                assert_eq!(
                    digits,
                    [(b'1' + i as u8) as char, '5'].iter().collect::<String>(),
                    "{tag}: {name}"
                );
            }
            if tag != "en" {
                let english = texts(["en"], Vec::new());
                let same = KEYS
                    .iter()
                    .filter(|k| t.get(**k) == english.get(**k))
                    .collect::<Vec<_>>();
                // A few words are the same in some languages ("Feedback", "Neutral"); more means untranslated.
                assert!(same.len() <= 4, "{tag} repeats the English {same:?}");
            }
        }
    }

    #[test]
    fn keys_index_the_texts_in_order() {
        let en = texts(["en"], Vec::new());
        assert_eq!(en.get(Key::Button), "Feedback");
        assert_eq!(en.get(Key::Rating4), "4 of 5 stars: good");
        assert!(en.get(Key::BadEmail).starts_with("Please enter the email"));
        assert_eq!(en.get(Key::OtherText), "Please tell us more");
        assert_eq!(en.get(Key::Face4), "4 of 5: happy");
        let de = texts(["de"], Vec::new());
        assert_eq!(de.get(Key::Rating4), "4 von 5 Sternen: gut");
        assert_eq!(de.get(Key::Next), "Weiter");
    }

    #[test]
    fn parts_are_found_by_position() {
        assert_eq!(nth("a\nbc\n", b'\n', 0), "a");
        assert_eq!(nth("a\nbc\n", b'\n', 1), "bc");
        assert_eq!(nth("a\nbc\n", b'\n', 2), "");
        assert_eq!(nth("a\nbc", b'\n', 2), "");
        assert_eq!(nth("a b", b' ', 1), "b");
    }

    #[test]
    fn names_are_in_key_order_and_found() {
        assert_eq!(NAMES.split(' ').count(), COUNT);
        for (i, name) in NAMES.split(' ').enumerate() {
            let key = named(name).unwrap();
            assert_eq!(key as usize, i, "{name}");
            assert_eq!(KEYS[i], key);
        }
        for key in KEYS {
            // The variant's name with a lower-case first letter.
            let debug = format!("{key:?}");
            let camel = debug[..1].to_lowercase() + &debug[1..];
            assert_eq!(nth(NAMES, b' ', key as usize), camel);
        }
        assert_eq!(named("badEmail"), Some(Key::BadEmail));
        assert_eq!(named("otherText"), Some(Key::OtherText));
        assert_eq!(
            named("Button"),
            None,
            "names are case-sensitive like every option"
        );
        assert_eq!(named("buttonLabel"), None);
    }

    #[test]
    fn the_typescript_declarations_name_every_text() {
        let dts = include_str!("rebound-global.d.ts");
        let union = dts
            .split("type ReboundTextName =")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .expect("rebound-global.d.ts declares ReboundTextName");
        let declared: Vec<&str> = union.split('\'').skip(1).step_by(2).collect();
        assert_eq!(declared, NAMES.split(' ').collect::<Vec<_>>());
    }

    #[test]
    fn overrides_replace_single_texts_in_any_language() {
        let t = texts(["fr-CA"], vec![(Key::Button, "Aidez-nous".into())]);
        assert_eq!(t.locale, "fr");
        assert_eq!(t.get(Key::Button), "Aidez-nous");
        assert_eq!(t.get(Key::Close), "Fermer");
    }

    #[test]
    fn only_arabic_and_hebrew_are_right_to_left() {
        let rtl: Vec<&str> = TAGS
            .into_iter()
            .filter(|tag| texts([*tag], Vec::new()).rtl())
            .collect();
        assert_eq!(rtl, ["ar", "he"]);
    }
}
