//! `cargo xtask check FILE...`: checks configuration files where they are written, before any visitor loads them,
//! with the widget's own readers run natively: every option ([`rebound::config::Draft`]) and every survey
//! definition ([`rebound::survey::definition::parse_surveys`], recovery plans included). It prints the same
//! console lines the widget would print, one per problem, and fails when there is any.

use std::fs;

use anyhow::{bail, Context, Result};
use rebound::config::{Draft, Source};
use rebound::survey::definition::parse_surveys;
use rebound::value::Value;

/// Checks each file; fails naming how many problems were found.
pub fn run(files: &[&str]) -> Result<()> {
    if files.is_empty() {
        bail!(
            "name one or more JSON configuration files, e.g. `cargo xtask check www/surveys.json`"
        );
    }
    let mut problems = 0;
    for file in files {
        let text = fs::read_to_string(file).with_context(|| format!("could not read {file}"))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{file} is not JSON"))?;
        let lines = check(&value(json));
        for line in &lines {
            println!("{file}: {line}");
        }
        if lines.is_empty() {
            println!("{file}: no problems");
        }
        problems += lines.len();
    }
    if problems > 0 {
        bail!("{problems} problem(s) found");
    }
    Ok(())
}

/// The console lines the widget would print for a configuration file holding `config`.
fn check(config: &Value) -> Vec<String> {
    let mut lines: Vec<String> = Draft::default()
        .apply_layer(Source::File, config)
        .iter()
        .map(|e| e.message())
        .collect();
    let surveys = config.get("surveys").unwrap_or(&Value::Null);
    lines.extend(parse_surveys(surveys).1.iter().map(|e| e.message()));
    lines
}

/// The widget's value tree of a parsed JSON document.
fn value(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Value::Other, Value::Num),
        serde_json::Value::String(s) => Value::Str(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(value).collect()),
        serde_json::Value::Object(entries) => {
            Value::Map(entries.into_iter().map(|(k, v)| (k, value(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        check(&value(serde_json::from_str(text).unwrap()))
    }

    #[test]
    fn the_demo_shops_surveys_have_no_problem() {
        let text = include_str!("../../www/surveys.json");
        assert_eq!(lines(text), Vec::<String>::new());
    }

    #[test]
    fn each_problem_is_the_widgets_console_line() {
        let found = lines(
            r#"{"positon": "top-left", "surveys": [
                {"id": "a", "trigger": {"type": "api"}, "questions": [{"id": "q", "type": "stars", "text": "Hi"}]},
                {"id": "b", "trigger": {"type": "api"}, "questions": [{"id": "q", "type": "nps", "text": "Hi"}],
                 "recovery": {"when": {"answer": "q", "max": 11}}}
            ]}"#,
        );
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].starts_with("rebound: ") && found[0].contains("positon"),
            "{}",
            found[0]
        );
        assert!(found[1].starts_with("rebound: survey \"a\": questions[0].type must be one of"));
        assert_eq!(
            found[2],
            "rebound: survey \"b\": recovery.when.max must be a whole number from 0 to 10"
        );
    }
}
