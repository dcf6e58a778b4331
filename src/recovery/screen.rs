//! What the survey card shows at each step of recovery, in the language the widget speaks: the fair solutions as
//! a single-choice question led by the apology, the contact step as a contact question, and the closing words
//! with the case number and the reply time the site promises. The card draws these like any other question, and
//! what the visitor chose is read back here.

use crate::prelude::*;

use super::case::Motive;
use super::flow::{Flow, Step, Subject};
use super::plan::{Plan, Solution};
use crate::locale::{Key, Texts};
use crate::survey::answer::Answer;
use crate::survey::localized::Localized;
use crate::survey::question::{Choice, Choices, Kind, Question};

/// The text of each solution.
const LABELS: [(Solution, Key); 5] = [
    (Solution::Refund, Key::Refund),
    (Solution::Replacement, Key::Replacement),
    (Solution::Discount, Key::Discount),
    (Solution::Person, Key::Person),
    (Solution::Nothing, Key::JustSaying),
];

/// The texts of the steps, in the language the widget speaks: the plan's own where it has them, the site's and
/// the built-in ones otherwise.
pub struct Words<'a> {
    /// The widget's texts.
    pub texts: &'a Texts,
    /// The plan, whose `texts` come first.
    pub plan: &'a Plan,
}

impl Words<'_> {
    /// The text for `key`.
    pub fn get(&self, key: Key) -> &str {
        let own = self.plan.texts.iter().find(|(k, _)| *k == key);
        own.map_or_else(|| self.texts.get(key), |(_, t)| t.get(self.texts.locale))
    }
}

/// `template` with its `{}` replaced by `value`.
pub fn fill(template: &str, value: &str) -> String {
    template.replacen("{}", value, 1)
}

/// The apology: naming `subject` (an option's label or the visitor's words) when there is one.
pub fn apology(words: &Words, subject: Option<&str>) -> String {
    match subject {
        Some(said) => fill(words.get(Key::SorryFor), said),
        None => words.get(Key::Sorry).into(),
    }
}

/// The label of the option `subject` names, in `locale`, looked up in `questions`; the visitor's own words as
/// they are.
pub fn said<'a>(subject: &'a Subject, questions: &'a [Question], locale: &str) -> Option<&'a str> {
    match subject {
        Subject::Words(words) => Some(words),
        Subject::Chose { question, option } => {
            let question = questions.iter().find(|q| &q.id == question)?;
            let choice = question
                .kind
                .choices()?
                .options
                .iter()
                .find(|c| &c.id == option)?;
            Some(choice.label.get(locale))
        }
    }
}

/// The question the card shows for the step `flow` is at; `None` once it is done.
pub fn question(flow: &Flow, words: &Words) -> Option<Question> {
    let (plan, locale) = (words.plan, words.texts.locale);
    let text = |key| Localized::one(locale, words.get(key));
    let (id, key, required, kind) = match flow.step {
        Step::Fair => {
            let options = plan.solutions.iter().map(|s| {
                let key = LABELS
                    .iter()
                    .find(|(l, _)| l == s)
                    .map_or(Key::SomethingElse, |l| l.1);
                Choice {
                    id: s.name().into(),
                    label: text(key),
                }
            });
            let choices = Choices {
                options: options.collect(),
                other: Some(text(Key::SomethingElse)),
            };
            ("motive", Key::Fair, true, Kind::Single(choices))
        }
        Step::Contact => {
            let kind = Kind::Contact {
                email: true,
                phone: true,
            };
            ("contact", Key::ReachAsk, false, kind)
        }
        Step::Done => return None,
    };
    Some(Question {
        id: id.into(),
        text: text(key),
        required,
        kind,
        branches: Vec::new(),
    })
}

/// What the visitor asked for at the fair-solution step, by the position of the options `plan` offered.
pub fn motive(answer: &Answer, plan: &Plan) -> Option<Motive> {
    match answer {
        Answer::Chosen {
            other: Some(text), ..
        } => Some(Motive::Other(text.trim().into())),
        Answer::Chosen { options, .. } => {
            let solution = plan.solutions.get(*options.first()?)?;
            Some(Motive::Solution(*solution))
        }
        _ => None,
    }
}

/// The contact details given with consent, as the case carries them.
pub fn contact(answer: Option<&Answer>) -> Option<(Option<String>, Option<String>)> {
    match answer {
        Some(Answer::Contact {
            email,
            phone,
            consent: true,
        }) => {
            let given = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(String::from);
            let (email, phone) = (given(email), given(phone));
            (email.is_some() || phone.is_some()).then_some((email, phone))
        }
        _ => None,
    }
}

/// The closing words once the case reached the site: thanks, the case number and the promised reply time.
pub fn closing(words: &Words, reference: &str) -> String {
    let mut text = [
        words.get(Key::TellingUs),
        " ",
        &fill(words.get(Key::CaseNumber), reference),
    ]
    .concat();
    if let Some(reply) = &words.plan.reply {
        text.push(' ');
        text.push_str(reply.get(words.texts.locale));
    }
    text
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::locale::texts;
    use crate::recovery::reference::Reference;
    use crate::survey::tests::json;

    fn plan() -> Plan {
        Plan::parse(
            &json(r#"{"when": {"trigger": "api"}, "solutions": ["person", "refund"]}"#),
            "recovery",
            "s",
            "en",
        )
        .unwrap()
    }

    #[test]
    fn the_fair_step_offers_the_plans_solutions_and_other_words() {
        let (en, plan) = (texts(["en"], Vec::new()), plan());
        let words = Words {
            texts: &en,
            plan: &plan,
        };
        let mut flow = Flow::start(&plan, Reference::from_random([1; 20]), 0, false);
        let q = question(&flow, &words).unwrap();
        assert_eq!(q.text.get("en"), "What would be a fair solution for you?");
        let choices = q.kind.choices().unwrap();
        let labels: Vec<&str> = choices.options.iter().map(|c| c.label.get("en")).collect();
        assert_eq!(labels, ["To talk to a person", "A refund"]);
        assert_eq!(choices.other.as_ref().unwrap().get("en"), "Something else");
        let chose = |options: Vec<usize>, other: Option<&str>| {
            let answer = Answer::Chosen {
                options,
                other: other.map(String::from),
            };
            motive(&answer, &plan)
        };
        assert_eq!(
            chose(vec![1], None),
            Some(Motive::Solution(Solution::Refund))
        );
        assert_eq!(
            chose(vec![], Some(" Call me ")),
            Some(Motive::Other("Call me".into()))
        );
        flow.chose(Motive::Solution(Solution::Person));
        let q = question(&flow, &words).unwrap();
        assert!(!q.required, "the contact step can be skipped");
        assert!(matches!(
            q.kind,
            Kind::Contact {
                email: true,
                phone: true
            }
        ));
        flow.reach(None);
        assert_eq!(question(&flow, &words), None);
    }

    #[test]
    fn the_apology_names_what_was_said_in_every_language() {
        let mut plan = plan();
        plan.reply = Some(Localized::one("en", "4h"));
        for tag in ["en", "de", "nl", "lv", "fr", "es", "ar", "he"] {
            let t = texts([tag], Vec::new());
            let t = Words {
                texts: &t,
                plan: &plan,
            };
            let named = apology(&t, Some("My order is late"));
            assert!(named.contains("My order is late"), "{tag}: {named}");
            assert!(!named.contains("{}"), "{tag}");
            let plain = apology(&t, None);
            assert!(!plain.is_empty() && !plain.contains("{}"), "{tag}");
            let closing = closing(&t, "RB-7KQ2");
            assert!(
                closing.contains("RB-7KQ2") && closing.ends_with(" 4h"),
                "{tag}: {closing}"
            );
        }
    }

    #[test]
    fn a_surveys_own_texts_come_first() {
        let plan = Plan::parse(
            &json(r#"{"when": {"trigger": "api"}, "texts": {"sorry": {"en": "Oh no.", "de": "Oh nein."}}}"#),
            "recovery",
            "s",
            "en",
        )
        .unwrap();
        let de = texts(["de"], vec![(Key::Fair, "Was wäre fair?".into())]);
        let words = Words {
            texts: &de,
            plan: &plan,
        };
        assert_eq!(apology(&words, None), "Oh nein.");
        assert_eq!(
            words.get(Key::Fair),
            "Was wäre fair?",
            "the site's own text"
        );
        assert_eq!(words.get(Key::Refund), "Eine Erstattung");
    }

    #[test]
    fn contact_needs_consent_and_a_detail() {
        let c = |email: &str, phone: &str, consent| {
            contact(Some(&Answer::Contact {
                email: email.into(),
                phone: phone.into(),
                consent,
            }))
        };
        assert_eq!(c(" a@b.c ", "", true), Some((Some("a@b.c".into()), None)));
        assert_eq!(c("a@b.c", "", false), None);
        assert_eq!(c("", " ", true), None);
        assert_eq!(contact(None), None);
    }
}
