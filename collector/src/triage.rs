//! Triage: the priority a new response gets from the rules in the config file, with the reason
//! spelled out on the case ("priority high: rating 1, wants_contact"), and its response-time
//! target.
//!
//! Each rule is a priority and a list of [`Condition`]s that must all hold. The case gets the
//! highest priority among the rules that match (the first such rule explains it), or the
//! default priority when none does. Rules see the response's JSON body, whose `visitor` object
//! (what the host page gave `Rebound.identify`, if anything) the collector completes with
//! `visitor.earlier_cases`: how many other cases the same visitor opened on the same site before,
//! where the visitor is known by `visitor.id` when the host page identified them, or else by the
//! e-mail address they left.
//!
//! The target is the reply time the response's site promises for the priority
//! (`[sites.<id>.reply_within]`), else the collector's `[inbox.targets]`.

mod condition;
mod priority;

use std::collections::HashMap;
use std::time::Duration;

use rebound::recovery::unhappy::AT_MOST;
use serde::Deserialize;
use serde_json::{json, Value};

pub use condition::{Condition, ConditionError};

use crate::widget_rule::WidgetRule;
pub use priority::{Priority, ReplyWithin, Targets};

/// One `[[inbox.rules]]` entry as written: `when`, conditions in the collector's language, or
/// `rule`, a rule in the widget's own ([`WidgetRule`]).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// The priority the rule gives.
    pub priority: Priority,
    /// Conditions that must all hold.
    #[serde(default)]
    pub when: Vec<String>,
    /// A rule in the widget's language, in place of `when`.
    #[serde(default)]
    pub rule: Option<Value>,
}

/// The `[inbox]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InboxConfig {
    /// Response-time targets.
    pub targets: Targets,
    /// The priority when no rule matches.
    pub default_priority: Priority,
    /// The rules; [`default_rules`] when the file has none.
    pub rules: Vec<RuleConfig>,
}

impl Default for InboxConfig {
    fn default() -> Self {
        Self {
            targets: Targets::default(),
            default_priority: Priority::Normal,
            rules: default_rules(),
        }
    }
}

/// What makes an answer unhappy, whichever score it is, as conditions: `rating <= 2`,
/// `nps <= 6`, `csat <= 2`. They are the widget's own definition
/// (`rebound::recovery::unhappy::AT_MOST`, which its recovery reads too), so "unhappy" means the
/// same in the browser, in the default rules and in the trends ([`crate::trends`]).
pub fn unhappy() -> [String; 3] {
    AT_MOST.map(|(kind, max)| format!("{kind} <= {max}"))
}

/// The highest middling score of each of [`AT_MOST`]'s scores, in its order; above is happy.
const MIDDLING_AT_MOST: [u8; 3] = [3, 8, 3];

/// Each score's unhappy, middling and happy range, as conditions.
fn scales() -> [[String; 3]; 3] {
    let unhappy = unhappy();
    [0, 1, 2].map(|i| {
        let (kind, middling) = (AT_MOST[i].0, MIDDLING_AT_MOST[i]);
        [
            unhappy[i].clone(),
            format!("{kind} <= {middling}"),
            format!("{kind} >= {}", middling + 1),
        ]
    })
}

/// The rules a collector uses until its config says otherwise: a case the widget's recovery
/// opened keeps the severity it decided (urgent or high: a repeat failure is raised there); an
/// unhappy visitor (by rating, NPS or CSAT) who asked to be contacted, has a full cart or
/// complained before is high; one who did all three is urgent.
pub fn default_rules() -> Vec<RuleConfig> {
    let rule = |priority, when: &[&str]| RuleConfig {
        priority,
        when: when.iter().map(|&c| c.to_owned()).collect(),
        rule: None,
    };
    let scales = scales();
    let mut rules = Vec::new();
    for [unhappy, _, _] in &scales {
        let unhappy = unhappy.as_str();
        rules.extend([
            rule(
                Priority::Urgent,
                &[unhappy, "wants_contact", "visitor.earlier_cases >= 1"],
            ),
            rule(Priority::High, &[unhappy, "wants_contact"]),
            rule(Priority::High, &[unhappy, "context.cart_value >= 100"]),
            rule(Priority::High, &[unhappy, "visitor.earlier_cases >= 1"]),
        ]);
    }
    // After the score rules, so that a case both raise explains itself by what the visitor answered.
    rules.extend([
        rule(Priority::Urgent, &["recovery.severity == \"urgent\""]),
        rule(Priority::High, &["recovery.severity == \"high\""]),
    ]);
    rules.extend(
        scales
            .iter()
            .map(|[_, middling, _]| rule(Priority::Normal, &[middling])),
    );
    rules.push(rule(Priority::Normal, &["wants_contact"]));
    rules.extend(
        scales
            .iter()
            .map(|[_, _, happy]| rule(Priority::Low, &[happy])),
    );
    rules
}

/// What triage decided for one response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Triage {
    /// The case's priority.
    pub priority: Priority,
    /// Why, for people: `priority high: rating 1, wants_contact`.
    pub reason: String,
    /// How soon it should be answered.
    pub target: Duration,
}

/// What must hold for a rule to give its priority.
#[derive(Debug)]
enum Test {
    /// Every one of these conditions.
    Conditions(Vec<Condition>),
    /// This rule in the widget's language.
    Widget(WidgetRule),
}

impl Test {
    /// What held, for the priority reason, if the test holds for `facts`.
    fn explain(&self, facts: &Value) -> Option<Vec<String>> {
        match self {
            Self::Conditions(conditions) => conditions
                .iter()
                .map(|condition| condition.explain(facts))
                .collect(),
            Self::Widget(rule) => rule.explain(facts).map(|label| vec![label]),
        }
    }
}

#[derive(Debug)]
struct Rule {
    priority: Priority,
    test: Test,
}

/// The parsed rules and targets.
#[derive(Debug)]
pub struct Rules {
    rules: Vec<Rule>,
    default_priority: Priority,
    targets: Targets,
    /// The targets of the sites that promise their own reply times.
    site_targets: HashMap<String, Targets>,
}

impl Default for Rules {
    fn default() -> Self {
        // The default rules are fixed text that the tests parse.
        Self::new(&InboxConfig::default()).unwrap_or_else(|error| panic!("{error}"))
    }
}

impl Rules {
    /// Parses the rules of an `[inbox]` table, with its targets for every site.
    pub fn new(config: &InboxConfig) -> Result<Self, ConditionError> {
        Self::promising(config, std::iter::empty())
    }

    /// Parses the rules of an `[inbox]` table, with the reply times that some sites promise in
    /// place of its targets.
    pub fn promising<'a>(
        config: &InboxConfig,
        sites: impl IntoIterator<Item = (&'a String, &'a ReplyWithin)>,
    ) -> Result<Self, ConditionError> {
        let rules = config
            .rules
            .iter()
            .map(|rule| {
                let test = match (&rule.rule, rule.when.is_empty()) {
                    (None, false) => Test::Conditions(
                        rule.when
                            .iter()
                            .map(|text| Condition::parse(text))
                            .collect::<Result<_, _>>()?,
                    ),
                    (Some(written), true) => {
                        Test::Widget(WidgetRule::parse(written).map_err(ConditionError::new)?)
                    }
                    _ => {
                        return Err(ConditionError::new(format!(
                            "a {} rule needs either `when` or `rule`, not both nor neither",
                            rule.priority
                        )))
                    }
                };
                Ok(Rule {
                    priority: rule.priority,
                    test,
                })
            })
            .collect::<Result<_, ConditionError>>()?;
        Ok(Self {
            rules,
            default_priority: config.default_priority,
            targets: config.targets,
            site_targets: sites
                .into_iter()
                .map(|(site, promised)| (site.clone(), promised.over(config.targets)))
                .collect(),
        })
    }

    /// How many rules there are, for `check-config`.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules, so every case gets the default priority.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The reply time promised for a case of `priority` on `site`.
    pub fn target(&self, site: &str, priority: Priority) -> Duration {
        self.site_targets
            .get(site)
            .unwrap_or(&self.targets)
            .of(priority)
    }

    /// Triage of a response `body` whose visitor opened `earlier_cases` cases before; its
    /// target is what the body's `site` promises.
    pub fn triage(&self, body: &Value, earlier_cases: u64) -> Triage {
        let mut facts = body.clone();
        if let Value::Object(object) = &mut facts {
            let visitor = object.entry("visitor").or_insert_with(|| json!({}));
            if let Value::Object(visitor) = visitor {
                visitor.insert("earlier_cases".to_owned(), json!(earlier_cases));
            }
        }
        let mut best: Option<(Priority, Vec<String>)> = None;
        for rule in &self.rules {
            if best
                .as_ref()
                .is_some_and(|(priority, _)| *priority >= rule.priority)
            {
                continue;
            }
            if let Some(explained) = rule.test.explain(&facts) {
                best = Some((rule.priority, explained));
            }
        }
        let (priority, reason) = match best {
            Some((priority, explained)) => (
                priority,
                format!("priority {priority}: {}", explained.join(", ")),
            ),
            None => (
                self.default_priority,
                format!("priority {}: no rule matched", self.default_priority),
            ),
        };
        Triage {
            priority,
            reason,
            target: self.target(body["site"].as_str().unwrap_or_default(), priority),
        }
    }
}

/// Who sent a response, to find their earlier cases: `visitor.id` (a string or a number) when
/// the host page identified the visitor, else the contact e-mail in lower case, else nobody known.
pub fn visitor(body: &Value) -> Option<String> {
    match body.pointer("/visitor/id") {
        Some(Value::String(id)) if !id.is_empty() => return Some(format!("id:{id}")),
        Some(Value::Number(id)) => return Some(format!("id:{id}")),
        _ => {}
    }
    body.get("answers")?
        .as_array()?
        .iter()
        .filter(|answer| answer.get("type").and_then(Value::as_str) == Some("contact"))
        .find_map(|answer| answer.pointer("/value/email").and_then(Value::as_str))
        .map(|email| format!("email:{}", email.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(rating: u8, contact: bool) -> Value {
        let mut answers = vec![json!({"question": "rating", "type": "rating", "value": rating})];
        if contact {
            answers.push(json!({"question": "contact", "type": "contact",
                                "value": {"email": "Ana@Example.com", "consent": true}}));
        }
        json!({"answers": answers})
    }

    #[test]
    fn the_highest_matching_rule_wins_and_explains_itself() {
        let rules = Rules::default();
        let triage = rules.triage(&body(1, true), 0);
        assert_eq!(triage.priority, Priority::High);
        assert_eq!(triage.reason, "priority high: rating 1, wants_contact");
        assert_eq!(triage.target, Duration::from_secs(3600));

        let triage = rules.triage(&body(2, true), 1);
        assert_eq!(triage.priority, Priority::Urgent);
        assert_eq!(
            triage.reason,
            "priority urgent: rating 2, wants_contact, visitor.earlier_cases 1"
        );
    }

    fn survey(answers: Value) -> Value {
        json!({"kind": "survey", "survey": {"id": "exit"}, "answers": answers})
    }

    #[test]
    fn a_detractor_or_an_unsatisfied_csat_is_as_unhappy_as_a_low_rating() {
        let rules = Rules::default();
        let contact = json!({"question": "c", "type": "contact",
                             "value": {"phone": "555 0100", "consent": true}});
        let nps = |n: u8| json!({"question": "nps", "type": "nps", "value": n});
        let csat = |n: u8| json!({"question": "csat", "type": "csat", "value": n});

        let triage = rules.triage(&survey(json!([nps(6), contact.clone()])), 0);
        assert_eq!(triage.reason, "priority high: nps 6, wants_contact");
        let triage = rules.triage(&survey(json!([csat(1), contact.clone()])), 1);
        assert_eq!(
            triage.reason,
            "priority urgent: csat 1, wants_contact, visitor.earlier_cases 1"
        );
        for (answers, priority) in [
            (json!([nps(7), contact]), Priority::Normal),
            (json!([nps(8)]), Priority::Normal),
            (json!([csat(3)]), Priority::Normal),
            (json!([nps(9)]), Priority::Low),
            (json!([csat(4)]), Priority::Low),
            (json!([nps(0)]), Priority::Normal),
        ] {
            assert_eq!(
                rules.triage(&survey(answers.clone()), 0).priority,
                priority,
                "{answers}"
            );
        }
        let mut detractor_with_cart = survey(json!([nps(2)]));
        detractor_with_cart["context"] = json!({"cart_value": 250});
        assert_eq!(
            rules.triage(&detractor_with_cart, 0).reason,
            "priority high: nps 2, context.cart_value 250"
        );
    }

    #[test]
    fn a_recovery_case_keeps_the_severity_the_widget_decided() {
        let rules = Rules::default();
        let mut urgent = survey(json!([{"question": "why", "type": "text", "value": "late"}]));
        urgent["recovery"] = json!({"rule": "late", "severity": "urgent", "previous_failures": 1});
        let triage = rules.triage(&urgent, 0);
        assert_eq!(triage.priority, Priority::Urgent);
        assert_eq!(triage.reason, "priority urgent: recovery.severity urgent");
        urgent["recovery"]["severity"] = "high".into();
        assert_eq!(rules.triage(&urgent, 0).priority, Priority::High);
        urgent["recovery"]["severity"] = "normal".into();
        assert_eq!(rules.triage(&urgent, 0).priority, Priority::Normal);
    }

    #[test]
    fn host_context_raises_the_priority() {
        let mut with_cart = body(2, false);
        with_cart["context"] = json!({"cart_value": 180});
        let triage = Rules::default().triage(&with_cart, 0);
        assert_eq!(
            triage.reason,
            "priority high: rating 2, context.cart_value 180"
        );
    }

    #[test]
    fn rules_see_the_identified_visitor_and_their_earlier_cases() {
        let config: InboxConfig = toml::from_str(
            "[[rules]]\npriority = \"urgent\"\n\
             when = [\"visitor.plan == pro\", \"visitor.earlier_cases >= 2\"]\n",
        )
        .expect("config");
        let rules = Rules::new(&config).expect("rules");
        let mut pro = body(3, false);
        pro["visitor"] = json!({"id": "u-42", "plan": "pro"});
        assert_eq!(
            rules.triage(&pro, 2).reason,
            "priority urgent: visitor.plan pro, visitor.earlier_cases 2"
        );
        assert_eq!(rules.triage(&pro, 1).priority, Priority::Normal);
    }

    #[test]
    fn rules_see_the_failure_that_showed_the_survey() {
        let config: InboxConfig = toml::from_str(
            "[[rules]]\npriority = \"high\"\n\
             when = [\"failure.kind == request_failed\", \"failure.status >= 500\"]\n",
        )
        .expect("config");
        let rules = Rules::new(&config).expect("rules");
        let mut failed = body(3, false);
        failed["failure"] = json!({"kind": "request_failed", "rule": "/api/payment*",
            "url": "https://shop.example/api/payment", "status": 502, "duration_ms": 840});
        assert_eq!(
            rules.triage(&failed, 0).reason,
            "priority high: failure.kind request_failed, failure.status 502"
        );
        failed["failure"] = json!({"kind": "js_error", "message": "boom", "script": ""});
        assert_eq!(rules.triage(&failed, 0).priority, Priority::Normal);
    }

    #[test]
    fn no_match_gives_the_default_priority() {
        let triage = Rules::default().triage(&json!({"answers": []}), 0);
        assert_eq!(triage.priority, Priority::Normal);
        assert_eq!(triage.reason, "priority normal: no rule matched");
        assert_eq!(
            Rules::default().triage(&body(5, false), 0).priority,
            Priority::Low
        );
    }

    #[test]
    fn rules_come_from_the_config() {
        let config: InboxConfig = toml::from_str(
            "default_priority = \"low\"\n\
             [[rules]]\npriority = \"urgent\"\nwhen = [\"rating == 5\"]\n",
        )
        .expect("config");
        let rules = Rules::new(&config).expect("rules");
        assert_eq!(rules.len(), 1);
        assert_eq!(rules.triage(&body(5, false), 0).priority, Priority::Urgent);
        assert_eq!(rules.triage(&body(1, true), 0).priority, Priority::Low);
    }

    #[test]
    fn a_site_promises_its_own_reply_times() {
        let shop = "shop".to_owned();
        let promised = ReplyWithin {
            high: Some(Duration::from_secs(4 * 3600)),
            ..ReplyWithin::default()
        };
        let rules = Rules::promising(&InboxConfig::default(), [(&shop, &promised)]).expect("rules");
        let mut unhappy = body(1, true);
        assert_eq!(rules.triage(&unhappy, 0).target, Duration::from_secs(3600));
        unhappy["site"] = json!("shop");
        assert_eq!(
            rules.triage(&unhappy, 0).target,
            Duration::from_secs(4 * 3600)
        );
        // What the site leaves out is the collector's.
        assert_eq!(
            rules.target("shop", Priority::Urgent),
            Targets::default().urgent
        );
    }

    #[test]
    fn rules_may_be_written_in_the_widgets_language() {
        let config: InboxConfig = toml::from_str(
            "[[rules]]\npriority = \"urgent\"\n\
             rule = { all = [{ answer = \"rating\", max = 2 }, { trigger = \"button\" }] }\n\
             [[rules]]\npriority = \"high\"\nwhen = [\"rating <= 3\"]\n",
        )
        .expect("config");
        let rules = Rules::new(&config).expect("rules");
        let mut from_button = body(1, false);
        from_button["trigger"] = json!("button");
        assert_eq!(
            rules.triage(&from_button, 0).reason,
            r#"priority urgent: rule {"all":[{"answer":"rating","max":2},{"trigger":"button"}]}"#
        );
        from_button["trigger"] = json!("api");
        assert_eq!(rules.triage(&from_button, 0).priority, Priority::High);
    }

    #[test]
    fn a_rule_needs_when_or_rule_and_a_good_one() {
        for text in [
            "[[rules]]\npriority = \"high\"\n",
            "[[rules]]\npriority = \"high\"\nwhen = [\"nps <= 6\"]\nrule = { trigger = \"button\" }\n",
            "[[rules]]\npriority = \"high\"\nrule = { answer = \"rating\", max = 20 }\n",
        ] {
            let config: InboxConfig = toml::from_str(text).expect("config");
            assert!(Rules::new(&config).is_err(), "{text}");
        }
    }

    #[test]
    fn a_bad_condition_fails_the_config() {
        let config = InboxConfig {
            rules: vec![RuleConfig {
                priority: Priority::High,
                when: vec!["rating <=".to_owned()],
                rule: None,
            }],
            ..InboxConfig::default()
        };
        assert!(Rules::new(&config).is_err());
    }

    #[test]
    fn the_visitor_is_the_identified_id_or_the_email() {
        assert_eq!(
            visitor(&body(1, true)).as_deref(),
            Some("email:ana@example.com")
        );
        let mut identified = body(1, true);
        identified["visitor"] = json!({"id": "u-42"});
        assert_eq!(visitor(&identified).as_deref(), Some("id:u-42"));
        identified["visitor"] = json!({"id": 42, "plan": "pro"});
        assert_eq!(visitor(&identified).as_deref(), Some("id:42"));
        assert_eq!(visitor(&body(1, false)), None);
    }
}
