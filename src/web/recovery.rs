//! Recovery in the survey card, the browser side of [`crate::recovery`]: when a survey's last answer makes its
//! plan's rule hold, the case starts (a fresh reference from the browser's random source, the visitor's count of
//! earlier failures from storage, whether the host page identified them by email), and each step the visitor takes
//! is read back from the card into it. [`super::surveys`] shows the steps and sends the case with the response.

use crate::prelude::*;

use super::outlet::Outlet;
use super::survey_card::Card;
use super::{context, follow_up};
use crate::host_data::Scalar;
use crate::locale::Key;
use crate::receipt::Told;
use crate::recovery::case::Motive;
use crate::recovery::flow::{Flow, Step};
use crate::recovery::plan::{Plan, Remedy};
use crate::recovery::reference::Reference;
use crate::recovery::rule::Facts;
use crate::recovery::screen::{self, Words};
use crate::submission::{Answer as Sent, AnswerValue, Trigger};
use crate::survey::answer::Answer;
use crate::survey::question::Question;
use crate::survey::response::{check, Problem};
use wasm_bindgen::JsValue;

/// Storage key of the number of failures this visitor reported (a recovery started), kept with consent only.
const FAILURES: &str = "rebound:failures";

/// A recovery under way on the card.
pub struct Recovering {
    flow: Flow,
    plan: Plan,
    /// The question on screen for the step the flow is at.
    question: Option<Question>,
}

impl Recovering {
    /// Starts recovery by `plan` when its rule holds for the `answers` sent to `questions` (a survey's, or none
    /// for the feedback form); also returns the apology, naming what the visitor said in `locale` when the rule
    /// points at it.
    pub fn start(
        outlet: &Outlet,
        (plan, questions): (&Plan, &[Question]),
        locale: &str,
        trigger: Trigger,
        answers: &[Sent],
    ) -> Option<(Recovering, String)> {
        let attached = outlet.attached.borrow();
        let facts = Facts {
            answers,
            visitor: &attached.visitor,
            context: &attached.context,
            trigger,
        };
        if !plan.when.holds(&facts) {
            return None;
        }
        let subject = plan.when.subject(&facts);
        let said = subject
            .as_ref()
            .and_then(|s| screen::said(s, questions, locale));
        let words = Words {
            texts: &outlet.texts,
            plan,
        };
        let apology = screen::apology(&words, said);
        // Known already: the host page identified them by email, or they gave a contact with consent.
        let identified = attached.visitor.0.iter().any(|(key, value)| {
            key == "email" && matches!(value, Scalar::Text(t) if t.contains('@'))
        }) || answers
            .iter()
            .any(|a| matches!(a.value, AnswerValue::Contact { .. }));
        drop(attached);
        let storage = &outlet.storage;
        let before = storage
            .get(FAILURES)
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0);
        storage.set(FAILURES, &crate::json::to_string(&(before + 1)));
        let mut bytes = [0u8; 20];
        context::random(&outlet.window, &mut bytes);
        let reference = Reference::from_random(bytes);
        follow_up::keep(storage, &reference);
        let flow = Flow::start(plan, reference, before, identified);
        let mut recovering = Recovering {
            flow,
            plan: plan.clone(),
            question: None,
        };
        recovering.question = screen::question(&recovering.flow, &words);
        Some((recovering, apology))
    }

    /// Whether the step on screen is the last the visitor answers.
    pub fn last(&self) -> bool {
        self.flow.last_step()
    }

    /// The question on screen, until the last step.
    pub fn question(&self) -> Option<&Question> {
        self.question.as_ref()
    }

    /// The case as it stands, for the response's next version.
    pub fn case(&self) -> crate::recovery::case::Case {
        self.flow.case.clone()
    }

    /// Takes the visitor's `answer` to the step on screen (`None`: skipped) and goes on to the next one.
    pub fn take(&mut self, outlet: &Outlet, answer: Option<Answer>) -> Result<Step, Problem> {
        let question = self.question.as_ref().ok_or(Problem::Required)?;
        check(question, answer.as_ref())?;
        let step = match self.flow.step {
            Step::Fair => {
                let motive = answer
                    .as_ref()
                    .and_then(|a| screen::motive(a, &self.plan))
                    .ok_or(Problem::Required)?;
                self.flow.chose(motive)
            }
            _ => self.flow.reach(screen::contact(answer.as_ref())),
        };
        self.question = screen::question(&self.flow, &self.words(outlet));
        Ok(step)
    }

    /// The texts of the steps: the plan's own, the site's, the built-in ones.
    fn words<'a>(&'a self, outlet: &'a Outlet) -> Words<'a> {
        Words {
            texts: &outlet.texts,
            plan: &self.plan,
        }
    }

    /// The closing words for what became of the case's last version: thanks, the case number and the reply
    /// time when it arrived; saved and the case number while it waits; refused when it was refused.
    fn closing(&self, outlet: &Outlet, key: Key) -> String {
        let words = self.words(outlet);
        let reference = &self.flow.case.reference.short;
        match key {
            Key::Thanks => screen::closing(&words, reference),
            Key::Saved => [
                words.get(Key::Saved),
                " ",
                &screen::fill(words.get(Key::CaseNumber), reference),
            ]
            .concat(),
            other => words.get(other).into(),
        }
    }

    /// What the site gives at once, as the card shows it: its text and the remedy (for a voucher, the copy
    /// button's label with it).
    fn remedy(&self, outlet: &Outlet) -> Option<(String, Remedy, String)> {
        let remedy = self.flow.case.remedy.clone()?;
        let words = self.words(outlet);
        let text = match &remedy {
            Remedy::Voucher(code) => screen::fill(words.get(Key::Voucher), code),
            Remedy::Link { label, .. } => label.get(outlet.texts.locale).into(),
        };
        Some((text, remedy, words.get(Key::CopyCode).into()))
    }

    /// Shows on `card` what became of the case's last version (`told`): the closing words and, unless it was
    /// refused, what the site gives at once.
    pub fn conclude(&self, outlet: &Outlet, card: &Card, told: Told) {
        let key = match told {
            Told::Thanks | Told::ArrivedLater => Key::Thanks,
            Told::Saved => Key::Saved,
            Told::Refused => Key::Failed,
        };
        let text = self.closing(outlet, key);
        if told == Told::ArrivedLater {
            return card.amend(&text);
        }
        card.busy(false);
        card.finish(&text);
        let remedy = self.remedy(outlet).filter(|_| told != Told::Refused);
        if let (Some((text, remedy, copy)), Some(doc)) = (remedy, super::document()) {
            match &remedy {
                Remedy::Voucher(code) => card.remedy(&doc, &text, Some((code, &copy)), None),
                Remedy::Link { url, .. } => card.remedy(&doc, &text, None, Some(url)),
            }
        }
    }

    /// The `recovery` event's detail: the reference, what the visitor asked for and how to reach them.
    pub fn detail(&self) -> JsValue {
        let case = &self.flow.case;
        let detail = js_sys::Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = js_sys::Reflect::set(&detail, &key.into(), &value);
        };
        set("reference", case.reference.short.as_str().into());
        set("rule", case.rule.as_str().into());
        set("severity", case.severity.name().into());
        let (motive, text) = match &case.motive {
            Some(Motive::Solution(s)) => (s.name(), None),
            Some(Motive::Other(t)) => ("other", Some(t.as_str())),
            None => ("", None),
        };
        set("motive", motive.into());
        if let Some(text) = text {
            set("motiveText", text.into());
        }
        if let Some((email, phone)) = &case.contact {
            let contact = js_sys::Object::new();
            for (key, value) in [("email", email), ("phone", phone)] {
                if let Some(value) = value {
                    let _ = js_sys::Reflect::set(&contact, &key.into(), &value.into());
                }
            }
            set("contact", contact.into());
        }
        detail.into()
    }
}
