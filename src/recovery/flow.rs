//! A visitor's way through recovery, after a survey's last question when its plan's rule holds: first an apology
//! that names what they said and "what would be a fair solution for you?", then how to reach them (skipped when
//! the host page already identified them with an email address), then the case number, the reply time the site
//! promises and the remedy. Each step updates the [`Case`] sent with the response.

use crate::prelude::*;

use super::case::{Case, Motive};
use super::plan::Plan;
use super::reference::Reference;
use super::rule::{Facts, Rule};
use crate::submission::AnswerValue;

/// Where the visitor is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// The apology and the fair solutions.
    Fair,
    /// How to reach them.
    Contact,
    /// The case number, reply time and remedy.
    Done,
}

/// What the apology names: an option the visitor chose (by question and option id) or their own words.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// A chosen option, whose label the browser layer looks up.
    Chose {
        /// The question's id.
        question: String,
        /// The option's id.
        option: String,
    },
    /// What they wrote.
    Words(String),
}

/// Longest quote of the visitor's own words in the apology, in characters.
const QUOTE: usize = 80;

/// The recovery of one response.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// The case as it stands.
    pub case: Case,
    /// The step on screen.
    pub step: Step,
    /// The host page identified the visitor with an email address.
    identified: bool,
}

impl Flow {
    /// Starts recovery by `plan` with a fresh `reference`, for a visitor who reported `previous_failures` before;
    /// `identified` when the host page gave their email address already.
    pub fn start(
        plan: &Plan,
        reference: Reference,
        previous_failures: u32,
        identified: bool,
    ) -> Flow {
        let severity = if previous_failures > 0 {
            plan.severity.raised()
        } else {
            plan.severity
        };
        Flow {
            case: Case {
                rule: plan.name.clone(),
                severity,
                reference,
                previous_failures,
                motive: None,
                contact: None,
                remedy: plan.remedy.clone(),
            },
            step: Step::Fair,
            identified,
        }
    }

    /// The visitor chose what would be fair: on to the contact step, or to the end when they are identified.
    pub fn chose(&mut self, motive: Motive) -> Step {
        self.case.motive = Some(motive);
        self.step = if self.identified {
            Step::Done
        } else {
            Step::Contact
        };
        self.step
    }

    /// Whether the step on screen is the last one the visitor answers (its button sends).
    pub fn last_step(&self) -> bool {
        self.step == Step::Contact || (self.step == Step::Fair && self.identified)
    }

    /// The visitor gave a way to reach them (email, phone), or skipped it.
    pub fn reach(&mut self, contact: Option<(Option<String>, Option<String>)>) -> Step {
        self.case.contact = contact;
        self.step = Step::Done;
        self.step
    }
}

impl Rule {
    /// What the apology can name: the first answer that made the rule hold, when it was a choice or words.
    pub fn subject(&self, facts: &Facts) -> Option<Subject> {
        if !self.holds(facts) {
            return None;
        }
        match self {
            Rule::All(rules) | Rule::Any(rules) => rules.iter().find_map(|r| r.subject(facts)),
            Rule::Chose { question, options } => {
                let answer = facts.answers.iter().find(|a| &a.question == question)?;
                let option = match &answer.value {
                    AnswerValue::Single { option, .. } => option.clone(),
                    AnswerValue::Multi {
                        options: chosen, ..
                    } => chosen.iter().find(|c| options.contains(c))?.clone(),
                    _ => return None,
                };
                Some(Subject::Chose {
                    question: question.clone(),
                    option,
                })
            }
            Rule::Says { question, .. } => {
                let answer = facts.answers.iter().find(|a| &a.question == question)?;
                let text = match &answer.value {
                    AnswerValue::Text(text) => text,
                    AnswerValue::Single { other: Some(t), .. }
                    | AnswerValue::Multi { other: Some(t), .. } => t,
                    _ => return None,
                };
                let mut quote: String = text.trim().chars().take(QUOTE).collect();
                if text.trim().chars().count() > QUOTE {
                    quote.push('…');
                }
                Some(Subject::Words(quote))
            }
            _ => None,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::host_data::HostData;
    use crate::recovery::plan::{Severity, Solution};
    use crate::submission::{Answer, Trigger};
    use crate::survey::tests::json;

    fn plan(text: &str) -> Plan {
        Plan::parse(&json(text), "recovery", "s", "en").unwrap()
    }

    fn reference() -> Reference {
        Reference::from_random([7; 20])
    }

    #[test]
    fn steps_and_the_case_they_fill() {
        let p =
            plan(r#"{"when": {"answer": "rating", "max": 2}, "remedy": {"voucher": "SORRY10"}}"#);
        let mut flow = Flow::start(&p, reference(), 0, false);
        assert_eq!(flow.step, Step::Fair);
        assert!(!flow.last_step());
        assert_eq!(flow.case.severity, Severity::High);
        assert_eq!(
            flow.chose(Motive::Solution(Solution::Refund)),
            Step::Contact
        );
        assert_eq!(
            flow.reach(Some((Some("ana@example.com".into()), None))),
            Step::Done
        );
        let json = crate::json::to_string(&flow.case);
        assert!(
            json.starts_with(r#"{"rule":"s","severity":"high","reference":"RB-"#),
            "{json}"
        );
        assert!(json.ends_with(
            r#""previous_failures":0,"motive":"refund","contact":{"email":"ana@example.com","consent":true},"remedy":{"voucher":"SORRY10"}}"#
        ), "{json}");
    }

    #[test]
    fn an_identified_visitor_skips_contact_and_a_repeat_is_more_urgent() {
        let p = plan(r#"{"when": {"answer": "rating", "max": 2}}"#);
        let mut flow = Flow::start(&p, reference(), 2, true);
        assert!(flow.last_step(), "no contact step follows");
        assert_eq!(flow.case.severity, Severity::Urgent);
        assert_eq!(flow.chose(Motive::Other("Call me".into())), Step::Done);
        let json = crate::json::to_string(&flow.case);
        assert!(
            json.contains(r#""previous_failures":2,"motive":"other","motive_text":"Call me"}"#),
            "{json}"
        );
    }

    #[test]
    fn the_apology_names_what_made_the_rule_hold() {
        let answers = vec![
            Answer {
                question: "stopped".into(),
                value: AnswerValue::Multi {
                    options: vec!["price".into(), "late".into()],
                    other: None,
                },
            },
            Answer {
                question: "why".into(),
                value: AnswerValue::Text(format!("  {}  ", "x".repeat(100))),
            },
        ];
        let none = HostData::default();
        let facts = Facts {
            answers: &answers,
            visitor: &none,
            context: &none,
            trigger: Trigger::Dwell,
        };
        let rule = |text: &str| Rule::parse(&json(text), "when").unwrap();
        assert_eq!(
            rule(
                r#"{"any": [{"answer": "nps", "max": 6}, {"answer": "stopped", "is": ["late"]}]}"#
            )
            .subject(&facts),
            Some(Subject::Chose {
                question: "stopped".into(),
                option: "late".into()
            })
        );
        let words = rule(r#"{"answer": "why", "says": ["xx"]}"#).subject(&facts);
        assert_eq!(words, Some(Subject::Words(format!("{}…", "x".repeat(80)))));
        assert_eq!(rule(r#"{"trigger": "dwell"}"#).subject(&facts), None);
        assert_eq!(
            rule(r#"{"trigger": "api"}"#).subject(&facts),
            None,
            "a rule that does not hold names nothing"
        );
    }
}
