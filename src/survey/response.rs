//! One visitor's way through one survey on screen: the question being asked, the answers given so far, where the
//! branches lead next, and the page signals sent along (active time, scroll depth, time to complete). The browser
//! layer reads an answer from the card, hands it here, and renders whatever question this says comes next.

use crate::prelude::*;

use super::answer::{may_go_on, Answer};
use super::branching::{next, Goto};
use super::definition::Survey;
use super::question::{Choices, Kind, Question, OTHER};
use super::trigger::dwell::Dwell;
use super::trigger::{Event, Machine};
use crate::feedback::plausible_email;
use crate::submission::{self, AnswerValue, Signals};

/// What the page tells about the visitor's attention, measured from the page view.
#[derive(Clone, Debug)]
pub struct PageSignals {
    active: Dwell,
    /// Deepest scroll seen, in percent of the scrollable range.
    depth: f64,
}

impl PageSignals {
    /// Starts measuring at `now` (milliseconds).
    pub fn new(now: f64) -> PageSignals {
        PageSignals {
            active: Dwell::meter(now),
            depth: 0.0,
        }
    }

    /// Takes in a browser event at `now`.
    pub fn on(&mut self, event: &Event, now: f64) {
        if let Event::Scroll { top, range } = event {
            let depth = if *range > 0.0 {
                top / range * 100.0
            } else {
                100.0
            };
            self.depth = self.depth.max(depth.clamp(0.0, 100.0));
        }
        self.active.on(event, now);
    }

    /// The signals at `now`, with the time since `shown` when the response is complete.
    pub fn at(&mut self, now: f64, shown: f64, complete: bool) -> Signals {
        Signals {
            active_seconds: self.active.seconds(now),
            scroll_depth: self.depth as u32,
            seconds_to_complete: complete.then_some(((now - shown).max(0.0) / 1000.0) as u32),
        }
    }
}

/// Why an answer does not let the visitor go on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Problem {
    /// A required question left unanswered, or an answer that does not fit.
    Required,
    /// Consent given with an email address that cannot be one.
    BadEmail,
    /// Consent given with a phone number that cannot be one.
    BadPhone,
}

/// Whether `answer` (or none) lets the visitor go on from `question`: contact details given with consent must
/// look like an address or a number, and only an optional question may be left unanswered.
pub fn check(question: &Question, answer: Option<&Answer>) -> Result<(), Problem> {
    if let Some(Answer::Contact {
        email,
        phone,
        consent: true,
    }) = answer
    {
        if !email.trim().is_empty() && !plausible_email(email.trim()) {
            return Err(Problem::BadEmail);
        }
        if !phone.trim().is_empty() && !plausible_phone(phone.trim()) {
            return Err(Problem::BadPhone);
        }
    }
    if may_go_on(question, answer) {
        Ok(())
    } else {
        Err(Problem::Required)
    }
}

/// The survey at position `survey` of the scheduler, being answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The survey's position in the scheduler.
    pub survey: usize,
    /// The question on screen, `None` once the survey ended.
    pub at: Option<usize>,
    /// The answers given, by question position, in the order asked.
    answers: Vec<(usize, Answer)>,
}

impl Response {
    /// A response to the survey at position `survey`, starting at its first question.
    pub fn new(survey: usize) -> Response {
        Response {
            survey,
            at: Some(0),
            answers: Vec::new(),
        }
    }

    /// Whether any question was answered.
    pub fn started(&self) -> bool {
        !self.answers.is_empty()
    }

    /// Takes the answer to the question on screen (`None`: skipped) and moves on along the branches; the error
    /// says why the visitor must stay.
    pub fn answer(&mut self, survey: &Survey, answer: Option<Answer>) -> Result<Goto, Problem> {
        let at = self.at.ok_or(Problem::Required)?;
        let question = survey.questions.get(at).ok_or(Problem::Required)?;
        check(question, answer.as_ref())?;
        let goto = next(&survey.questions, at, answer.as_ref());
        if let Some(answer) = answer {
            self.answers.push((at, answer));
        }
        self.at = match goto {
            Goto::Question(i) => Some(i),
            Goto::End => None,
        };
        Ok(goto)
    }

    /// The answers as the payload carries them.
    pub fn payload(&self, survey: &Survey) -> Vec<submission::Answer> {
        // A loop rather than `filter_map`/`collect`, which cost more wasm.
        let mut answers = Vec::new();
        for (at, answer) in &self.answers {
            let Some(question) = survey.questions.get(*at) else {
                continue;
            };
            if let Some(value) = value(&question.kind, answer) {
                answers.push(submission::Answer {
                    question: question.id.clone(),
                    value,
                });
            }
        }
        answers
    }
}

/// The payload value of `answer` to a question of type `kind`.
fn value(kind: &Kind, answer: &Answer) -> Option<AnswerValue> {
    Some(match (kind, answer) {
        (Kind::Rating { .. }, Answer::Score(n)) => AnswerValue::Rating(*n),
        (Kind::Nps, Answer::Score(n)) => AnswerValue::Nps(*n),
        (Kind::Csat, Answer::Score(n)) => AnswerValue::Csat(*n),
        (Kind::Single(choices), Answer::Chosen { options, other }) => AnswerValue::Single {
            option: ids(choices, options, other.is_some()).into_iter().next()?,
            other: other.clone(),
        },
        (Kind::Multi(choices), Answer::Chosen { options, other }) => AnswerValue::Multi {
            options: ids(choices, options, other.is_some()),
            other: other.clone(),
        },
        (Kind::Text { .. }, Answer::Text(text)) => AnswerValue::Text(text.trim().into()),
        (Kind::Contact { .. }, Answer::Contact { email, phone, .. }) => {
            let given = |s: &String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
            AnswerValue::Contact {
                email: given(email),
                phone: given(phone),
            }
        }
        _ => return None,
    })
}

/// The ids of the chosen options, `other` last when it was chosen. (A loop into a list: an iterator chain costs
/// more wasm.)
fn ids(choices: &Choices, options: &[usize], other: bool) -> Vec<String> {
    let mut ids = Vec::new();
    for i in options {
        if let Some(choice) = choices.options.get(*i) {
            ids.push(choice.id.clone());
        }
    }
    if other {
        ids.push(OTHER.into());
    }
    ids
}

/// A phone number as people write them: 3 to 40 characters of digits, spaces and `+ - ( ) . /`, with digits.
fn plausible_phone(phone: &str) -> bool {
    (3..=40).contains(&phone.len())
        && phone.bytes().any(|b| b.is_ascii_digit())
        && phone
            .bytes()
            .all(|b| b.is_ascii_digit() || b" +-()./".contains(&b))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::definition::parse_surveys;
    use crate::survey::tests::json;

    fn survey(questions: &str) -> Survey {
        let text = [
            r#"[{"id":"s","trigger":{"type":"api"},"questions":"#,
            questions,
            "}]",
        ]
        .concat();
        let (mut surveys, errors) = parse_surveys(&json(&text));
        assert_eq!(errors, []);
        surveys.remove(0)
    }

    const NPS_FLOW: &str = r#"[
        {"id":"nps","type":"nps","text":"Recommend?","branches":[{"min":0,"max":6,"goto":"why"},{"min":9,"goto":"end"}]},
        {"id":"why","type":"single","text":"Why?","options":[{"id":"price","label":"Price"},{"id":"ux","label":"UX"}],"other":"Else"},
        {"id":"more","type":"text","text":"More?","required":false},
        {"id":"contact","type":"contact","text":"Reach you?","fields":["email","phone"],"required":false}
    ]"#;

    #[test]
    fn detractors_branch_to_why_and_promoters_end() {
        let s = survey(NPS_FLOW);
        let mut r = Response::new(0);
        assert_eq!(r.answer(&s, Some(Answer::Score(3))), Ok(Goto::Question(1)));
        assert_eq!(r.at, Some(1));
        let mut promoter = Response::new(0);
        assert_eq!(promoter.answer(&s, Some(Answer::Score(10))), Ok(Goto::End));
        assert_eq!(promoter.at, None);
        let mut passive = Response::new(0);
        assert_eq!(
            passive.answer(&s, Some(Answer::Score(7))),
            Ok(Goto::Question(1))
        );
    }

    #[test]
    fn required_questions_hold_the_visitor_and_optional_ones_may_be_skipped() {
        let s = survey(NPS_FLOW);
        let mut r = Response::new(0);
        assert_eq!(r.answer(&s, None), Err(Problem::Required));
        assert_eq!(
            r.answer(&s, Some(Answer::Score(11))),
            Err(Problem::Required)
        );
        assert!(!r.started());
        r.answer(&s, Some(Answer::Score(2))).unwrap();
        let chosen = Answer::Chosen {
            options: vec![],
            other: Some("too slow".into()),
        };
        assert_eq!(r.answer(&s, Some(chosen)), Ok(Goto::Question(2)));
        assert_eq!(r.answer(&s, None), Ok(Goto::Question(3)));
        assert_eq!(r.answer(&s, None), Ok(Goto::End));
        assert_eq!(
            r.answer(&s, None),
            Err(Problem::Required),
            "the survey is over"
        );
    }

    #[test]
    fn contact_details_are_checked_with_consent() {
        let s = survey(NPS_FLOW);
        let mut r = Response::new(0);
        r.at = Some(3);
        let contact = |email: &str, phone: &str, consent| Answer::Contact {
            email: email.into(),
            phone: phone.into(),
            consent,
        };
        assert_eq!(
            r.answer(&s, Some(contact("nope", "", true))),
            Err(Problem::BadEmail)
        );
        assert_eq!(
            r.answer(&s, Some(contact("", "call me", true))),
            Err(Problem::BadPhone)
        );
        assert_eq!(
            r.answer(&s, Some(contact("a@b.co", "", false))),
            Err(Problem::Required)
        );
        assert_eq!(
            r.answer(&s, Some(contact(" a@b.co ", "+31 (0)20-123", true))),
            Ok(Goto::End)
        );
        let payload = r.payload(&s);
        assert_eq!(
            payload[0].value,
            AnswerValue::Contact {
                email: Some("a@b.co".into()),
                phone: Some("+31 (0)20-123".into())
            }
        );
    }

    #[test]
    fn the_payload_names_questions_and_options_by_id() {
        let s = survey(NPS_FLOW);
        let mut r = Response::new(0);
        r.answer(&s, Some(Answer::Score(4))).unwrap();
        let chosen = Answer::Chosen {
            options: vec![1],
            other: None,
        };
        r.answer(&s, Some(chosen)).unwrap();
        r.answer(&s, Some(Answer::Text("  slow site ".into())))
            .unwrap();
        let payload = r.payload(&s);
        let pairs: Vec<_> = payload
            .iter()
            .map(|a| (a.question.as_str(), &a.value))
            .collect();
        assert_eq!(
            pairs,
            [
                ("nps", &AnswerValue::Nps(4)),
                (
                    "why",
                    &AnswerValue::Single {
                        option: "ux".into(),
                        other: None
                    }
                ),
                ("more", &AnswerValue::Text("slow site".into())),
            ]
        );
    }

    #[test]
    fn multi_choice_lists_other_last() {
        let s = survey(
            r#"[{"id":"m","type":"multi","text":"Which?","options":[{"id":"a","label":"A"},{"id":"b","label":"B"}],"other":"Else"}]"#,
        );
        let mut r = Response::new(0);
        let chosen = Answer::Chosen {
            options: vec![1, 0],
            other: Some("c".into()),
        };
        assert_eq!(r.answer(&s, Some(chosen)), Ok(Goto::End));
        assert_eq!(
            r.payload(&s)[0].value,
            AnswerValue::Multi {
                options: vec!["b".into(), "a".into(), "other".into()],
                other: Some("c".into())
            }
        );
    }

    #[test]
    fn page_signals_keep_the_deepest_scroll_and_time_to_complete() {
        let mut p = PageSignals::new(0.0);
        p.on(
            &Event::Scroll {
                top: 500.0,
                range: 1000.0,
            },
            1000.0,
        );
        p.on(
            &Event::Scroll {
                top: 100.0,
                range: 1000.0,
            },
            2000.0,
        );
        let s = p.at(12_000.0, 4000.0, true);
        assert_eq!((s.scroll_depth, s.seconds_to_complete), (50, Some(8)));
        assert_eq!(s.active_seconds, 12);
        assert_eq!(p.at(13_000.0, 4000.0, false).seconds_to_complete, None);
        p.on(
            &Event::Scroll {
                top: 0.0,
                range: 0.0,
            },
            14_000.0,
        );
        assert_eq!(
            p.at(14_000.0, 0.0, false).scroll_depth,
            100,
            "a page that cannot scroll is seen whole"
        );
    }
}
