//! The case a recovery opens: what the support team needs to act within minutes, sent as the `recovery` block
//! of the survey response (`schema/submission.v1.json`) and kept up to date as the visitor goes through the
//! steps ([`crate::recovery::flow`]):
//!
//! ```json
//! "recovery": {
//!   "rule": "late-order", "severity": "urgent", "reference": "RB-7KQ2", "secret": "…",
//!   "previous_failures": 1, "motive": "refund", "motive_text": "…",
//!   "contact": { "email": "ana@example.com", "consent": true }, "remedy": { "voucher": "SORRY10" }
//! }
//! ```

use crate::prelude::*;

use super::plan::{Remedy, Severity, Solution};
use super::reference::Reference;
use crate::json::{clip, Object, ToJson};
use crate::submission::Consented;

/// Longest free text of a motive, in characters (the payload's limit for any free text).
const MAX_TEXT: usize = crate::feedback::MAX_MESSAGE;

/// What the visitor would consider fair.
#[derive(Clone, Debug, PartialEq)]
pub enum Motive {
    /// One of the solutions offered.
    Solution(Solution),
    /// In their own words.
    Other(String),
}

/// One case.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The plan's name.
    pub rule: String,
    /// How urgent it is, raised for a repeat failure.
    pub severity: Severity,
    /// Its reference.
    pub reference: Reference,
    /// How many failures this visitor reported before, in this browser.
    pub previous_failures: u32,
    /// The fair solution asked for, once chosen.
    pub motive: Option<Motive>,
    /// How the visitor may be reached (given with consent): email and phone.
    pub contact: Option<(Option<String>, Option<String>)>,
    /// What was given at once.
    pub remedy: Option<Remedy>,
}

impl ToJson for Case {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.field("rule", clip(&self.rule, 100))
            .field("severity", self.severity.name())
            .field("reference", &self.reference.short)
            .field("secret", &self.reference.secret)
            .field("previous_failures", &self.previous_failures);
        match &self.motive {
            Some(Motive::Solution(s)) => {
                o.field("motive", s.name());
            }
            Some(Motive::Other(text)) => {
                o.field("motive", "other")
                    .field("motive_text", clip(text, MAX_TEXT));
            }
            None => {}
        }
        if let Some((email, phone)) = &self.contact {
            o.field("contact", &Consented(email, phone));
        }
        o.maybe("remedy", self.remedy.as_ref());
    }
}

impl ToJson for Remedy {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        match self {
            Remedy::Voucher(code) => o.field("voucher", clip(code, 100)),
            Remedy::Link { url, .. } => o.field("link", clip(url, 2048)),
        };
    }
}
