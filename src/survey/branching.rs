//! Where a survey goes after each answer. A question's `branches` are tried in order and the first whose
//! condition the answer meets decides: go to a later question, or end the survey. Without a match the next
//! question follows, and after the last one the survey ends. Branches only go forward, so a survey cannot loop.

use crate::prelude::*;

use super::answer::Answer;
use super::fields::{fault, item, Fields, Parsed};
use super::question::{Question, OTHER};
use crate::value::Value;

/// One rule: when the answer meets `when`, go to `goto`.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// The condition on the answer.
    pub when: When,
    /// Where to go when it holds.
    pub goto: Goto,
}

/// A condition on an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum When {
    /// Any answer, or none: a branch without a condition.
    Always,
    /// A score from `min` to `max`, both included.
    Score {
        /// Lowest score that matches.
        min: u8,
        /// Highest score that matches.
        max: u8,
    },
    /// Any of these options chosen (by position), or "other" when `other`.
    Chosen {
        /// Positions of the options that match.
        options: Vec<usize>,
        /// Whether choosing "other" matches.
        other: bool,
    },
}

/// Where a branch leads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goto {
    /// The question at this position.
    Question(usize),
    /// The end of the survey: the thank-you.
    End,
}

/// The `goto` that ends the survey, so no question may have it as its id.
pub const END: &str = "end";

impl When {
    /// Whether `answer` (`None` when the question was skipped) meets this condition.
    fn holds(&self, answer: Option<&Answer>) -> bool {
        match (self, answer) {
            (When::Always, _) => true,
            (When::Score { min, max }, Some(Answer::Score(n))) => (*min..=*max).contains(n),
            (
                When::Chosen { options, other },
                Some(Answer::Chosen {
                    options: chosen,
                    other: typed,
                }),
            ) => chosen.iter().any(|i| options.contains(i)) || (*other && typed.is_some()),
            _ => false,
        }
    }
}

/// Where to go after the question at position `at` was answered with `answer`.
pub fn next(questions: &[Question], at: usize, answer: Option<&Answer>) -> Goto {
    let branch = questions
        .get(at)
        .and_then(|q| q.branches.iter().find(|b| b.when.holds(answer)));
    match branch {
        Some(branch) => branch.goto,
        None if at + 1 < questions.len() => Goto::Question(at + 1),
        None => Goto::End,
    }
}

/// Reads the branches `items` at `path` of the question at position `at`; `questions` are all of the survey's.
pub(crate) fn parse(
    items: &[Value],
    path: &str,
    questions: &[Question],
    at: usize,
) -> Parsed<Vec<Branch>> {
    let Some(question) = questions.get(at) else {
        return Ok(Vec::new());
    };
    let mut branches = Vec::with_capacity(items.len());
    for (i, value) in items.iter().enumerate() {
        let path = item(path, i);
        let f = Fields::new(value, &path)?;
        let scale = question.kind.scale();
        let choices = question.kind.choices();
        let keys: &[&str] = match (scale, choices) {
            (Some(_), _) => &["min", "max", "goto"],
            (_, Some(_)) => &["options", "goto"],
            _ => &["goto"],
        };
        f.known(&[keys])?;
        let when = match (scale, choices) {
            (Some((low, high)), _) => {
                let reason = if high == 10 {
                    "must be a whole number from 0 to 10"
                } else {
                    "must be a whole number from 1 to 5"
                };
                let min = f.whole("min", low.into(), high.into(), reason)?;
                let max = f.whole("max", low.into(), high.into(), reason)?;
                match (min, max) {
                    (None, None) => When::Always,
                    (Some(min), Some(max)) if min > max => {
                        return Err(fault(f.path("min"), "must not be above max"))
                    }
                    _ => When::Score {
                        min: min.map_or(low, |n| n as u8),
                        max: max.map_or(high, |n| n as u8),
                    },
                }
            }
            (_, Some(choices)) => {
                let mut when = (Vec::new(), false);
                for id in f.list("options")? {
                    match id {
                        Value::Str(id) if id == OTHER && choices.other.is_some() => when.1 = true,
                        Value::Str(id) if choices.options.iter().any(|c| c.id == *id) => when
                            .0
                            .extend(choices.options.iter().position(|c| c.id == *id)),
                        _ => {
                            return Err(fault(
                                f.path("options"),
                                "must list ids of this question's options",
                            ))
                        }
                    }
                }
                match when {
                    (options, false) if options.is_empty() => When::Always,
                    (options, other) => When::Chosen { options, other },
                }
            }
            _ => When::Always,
        };
        let goto = match f.required_text("goto")? {
            END => Goto::End,
            id => match questions.iter().skip(at + 1).position(|q| q.id == id) {
                Some(offset) => Goto::Question(at + 1 + offset),
                None => {
                    return Err(fault(
                        f.path("goto"),
                        "must be the id of a later question, or end",
                    ))
                }
            },
        };
        branches.push(Branch { when, goto });
    }
    Ok(branches)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn survey(text: &str) -> Parsed<Vec<Question>> {
        let Value::List(items) = json(text) else {
            panic!("a list")
        };
        crate::survey::definition::parse_questions(&items, "en")
    }

    const NPS: &str = r#"[
        {"id":"nps","type":"nps","text":"t","required":false,"branches":[
            {"min":0,"max":6,"goto":"wrong"},{"min":9,"goto":"end"}]},
        {"id":"fine","type":"text","text":"t"},
        {"id":"wrong","type":"single","text":"t","other":"Else",
         "options":[{"id":"price","label":"P"},{"id":"ship","label":"S"},{"id":"ux","label":"U"}],
         "branches":[{"options":["ship","other"],"goto":"contact"},{"goto":"end"}]},
        {"id":"contact","type":"contact","text":"t"}
    ]"#;

    fn chosen(options: &[usize], other: bool) -> Answer {
        Answer::Chosen {
            options: options.to_vec(),
            other: other.then(|| "x".into()),
        }
    }

    #[test]
    fn nps_detractors_and_promoters_go_different_ways() {
        let q = survey(NPS).unwrap();
        assert_eq!(next(&q, 0, Some(&Answer::Score(0))), Goto::Question(2));
        assert_eq!(next(&q, 0, Some(&Answer::Score(6))), Goto::Question(2));
        assert_eq!(
            next(&q, 0, Some(&Answer::Score(7))),
            Goto::Question(1),
            "passives follow the order"
        );
        assert_eq!(next(&q, 0, Some(&Answer::Score(9))), Goto::End);
        assert_eq!(
            next(&q, 0, Some(&Answer::Score(10))),
            Goto::End,
            "max defaults to the top of the scale"
        );
        assert_eq!(
            next(&q, 0, None),
            Goto::Question(1),
            "a skipped question meets no score condition"
        );
    }

    #[test]
    fn choices_branch_on_any_listed_option_or_other() {
        let q = survey(NPS).unwrap();
        assert_eq!(
            q[2].branches[0].when,
            When::Chosen {
                options: vec![1],
                other: true
            }
        );
        assert_eq!(next(&q, 2, Some(&chosen(&[1], false))), Goto::Question(3));
        assert_eq!(next(&q, 2, Some(&chosen(&[], true))), Goto::Question(3));
        assert_eq!(
            next(&q, 2, Some(&chosen(&[0, 1], false))),
            Goto::Question(3),
            "any listed option"
        );
        assert_eq!(
            next(&q, 2, Some(&chosen(&[0], false))),
            Goto::End,
            "the unconditional branch"
        );
    }

    #[test]
    fn without_branches_the_order_is_followed_to_the_end() {
        let q = survey(NPS).unwrap();
        assert_eq!(
            next(&q, 1, Some(&Answer::Text("x".into()))),
            Goto::Question(2)
        );
        assert_eq!(next(&q, 3, None), Goto::End);
        assert_eq!(next(&q, 9, None), Goto::End, "a position past the end ends");
        assert_eq!(next(&[], 0, None), Goto::End);
    }

    #[test]
    fn branches_only_go_forward() {
        let back = r#"[{"id":"a","type":"nps","text":"t"},
                       {"id":"b","type":"nps","text":"t","branches":[{"min":0,"goto":"a"}]}]"#;
        let err = survey(back).unwrap_err();
        assert_eq!(err.field, "questions[1].branches[0].goto");
        assert_eq!(err.reason, "must be the id of a later question, or end");
        let itself = r#"[{"id":"a","type":"nps","text":"t","branches":[{"goto":"a"}]}]"#;
        assert!(survey(itself).is_err());
        let nowhere = r#"[{"id":"a","type":"nps","text":"t","branches":[{"min":1}]}]"#;
        assert_eq!(survey(nowhere).unwrap_err().reason, "is required");
    }

    #[test]
    fn score_bounds_are_on_the_question_scale() {
        let with = |branch: &str| {
            survey(
                &[
                    r#"[{"id":"a","type":"rating","text":"t","branches":["#,
                    branch,
                    "]}]",
                ]
                .concat(),
            )
        };
        let err = with(r#"{"min":0,"goto":"end"}"#).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.reason),
            (
                "questions[0].branches[0].min",
                "must be a whole number from 1 to 5"
            )
        );
        assert_eq!(
            with(r#"{"min":4,"max":2,"goto":"end"}"#)
                .unwrap_err()
                .reason,
            "must not be above max"
        );
        assert_eq!(
            with(r#"{"max":2,"goto":"end"}"#).unwrap()[0].branches[0].when,
            When::Score { min: 1, max: 2 }
        );
        assert_eq!(
            with(r#"{"goto":"end"}"#).unwrap()[0].branches[0].when,
            When::Always
        );
        assert_eq!(
            with(r#"{"options":["a"],"goto":"end"}"#)
                .unwrap_err()
                .reason,
            "is not a known field"
        );
    }

    #[test]
    fn option_conditions_name_real_options() {
        let with = |other: &str, branch: &str| {
            survey(
                &[
                    r#"[{"id":"a","type":"multi","text":"t","#,
                    other,
                    r#""options":[{"id":"x","label":"X"},{"id":"y","label":"Y"}],"branches":["#,
                    branch,
                    "]}]",
                ]
                .concat(),
            )
        };
        assert_eq!(
            with("", r#"{"options":["z"],"goto":"end"}"#)
                .unwrap_err()
                .field,
            "questions[0].branches[0].options"
        );
        assert!(
            with("", r#"{"options":["other"],"goto":"end"}"#).is_err(),
            "no other option here"
        );
        let q = with(r#""other":"O","#, r#"{"options":["other"],"goto":"end"}"#).unwrap();
        assert_eq!(
            q[0].branches[0].when,
            When::Chosen {
                options: vec![],
                other: true
            }
        );
        assert_eq!(
            with("", r#"{"options":[],"goto":"end"}"#).unwrap()[0].branches[0].when,
            When::Always
        );
        assert!(with("", r#"{"min":1,"goto":"end"}"#).is_err());
    }

    #[test]
    fn text_and_contact_questions_only_have_unconditional_branches() {
        let q = survey(r#"[{"id":"a","type":"text","text":"t","branches":[{"goto":"end"}]},{"id":"b","type":"nps","text":"t"}]"#).unwrap();
        assert_eq!(next(&q, 0, Some(&Answer::Text("hi".into()))), Goto::End);
        assert_eq!(
            next(&q, 0, None),
            Goto::End,
            "an unconditional branch also takes a skip"
        );
        assert!(survey(
            r#"[{"id":"a","type":"contact","text":"t","branches":[{"min":1,"goto":"end"}]}]"#
        )
        .is_err());
    }
}
