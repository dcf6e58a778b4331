//! The surveys a team can start from in the studio: checkout exit, NPS after a purchase, CSAT
//! after a support contact and a help page's dwell, each with a recovery plan. They are JSON files
//! beside this module, in the widget's format, so they read like what a team writes.

use super::definition::{check_text, DefinitionError};

/// One survey to start from.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    /// The id it is offered by, and the id of its survey unless the team picks another.
    pub id: &'static str,
    /// What it is for, as the studio offers it.
    pub title: &'static str,
    /// The definition, in the widget's survey format.
    pub json: &'static str,
}

/// Every template, in the order the studio offers them.
pub const ALL: [Template; 4] = [
    Template {
        id: "checkout-exit",
        title: "Checkout exit: “What stopped you today?”",
        json: include_str!("templates/checkout-exit.json"),
    },
    Template {
        id: "nps-after-purchase",
        title: "NPS after a purchase",
        json: include_str!("templates/nps-after-purchase.json"),
    },
    Template {
        id: "csat-after-support",
        title: "CSAT after a support contact",
        json: include_str!("templates/csat-after-support.json"),
    },
    Template {
        id: "help-dwell",
        title: "Help page: “Did this page answer your question?”",
        json: include_str!("templates/help-dwell.json"),
    },
];

/// The template offered as `id`.
pub fn find(id: &str) -> Option<Template> {
    ALL.into_iter().find(|template| template.id == id)
}

impl Template {
    /// The template's text as the survey `survey_id`: its `id` replaced, and checked, so
    /// that an id the widget would refuse is named like any other mistake. A new survey's id is
    /// also a part of the studio's URLs, so it is kept to lowercase letters, digits, `-` and `_`.
    pub fn instantiate(&self, survey_id: &str) -> Result<String, Vec<DefinitionError>> {
        let url_safe =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        if survey_id.is_empty() || survey_id.len() > 64 || !survey_id.chars().all(url_safe) {
            return Err(vec![DefinitionError {
                field: "id".to_owned(),
                message: "the id must be 1 to 64 lowercase letters, digits, - or _".to_owned(),
            }]);
        }
        // The survey's id is the template's first key, and no question shares it; the checker
        // makes sure the text says the new id.
        let text = self.json.replacen(
            &format!("\"id\": \"{}\"", self.id),
            &format!("\"id\": {}", serde_json::Value::from(survey_id)),
            1,
        );
        check_text(survey_id, &text).map(|_| text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::studio::definition::check;

    #[test]
    fn every_template_passes_the_widgets_checker() {
        for template in ALL {
            let definition: serde_json::Value =
                serde_json::from_str(template.json).expect("template is JSON");
            assert_eq!(definition["id"], template.id, "{}", template.id);
            assert_eq!(check(template.id, &definition), [], "{}", template.id);
            assert!(
                definition["recovery"].is_object(),
                "{} has a recovery plan",
                template.id
            );
        }
    }

    #[test]
    fn a_template_takes_the_id_it_is_given() {
        let template = find("help-dwell").expect("template");
        let text = template.instantiate("help-faq").expect("valid");
        assert!(text.starts_with("{\n  \"id\": \"help-faq\","), "{text}");
        assert!(find("nope").is_none());
        for id in ["", "Help", "a/b", "a b"] {
            let errors = template.instantiate(id).expect_err(id);
            assert_eq!(errors[0].field, "id");
        }
    }
}
