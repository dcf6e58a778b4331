//! The contract as a property: valid bodies from the fixtures, mutated at every one of their
//! fields (wrong types, arrays for objects, missing members, NULs, lone surrogates, numbers
//! beyond `f64`), are each stored when `schema/submission.v1.json` accepts them and the
//! collector's NUL rule allows, and otherwise refused with a 4xx JSON error naming a field;
//! never a 5xx, and nothing refused is stored.

use axum::http::StatusCode;
use axum::Router;
use serde_json::{json, Value};

use crate::support::{
    admin_json, plain_router, post_request, send, submission, survey_submission, TEXT_PLAIN,
};

/// The contract the widget's tests also check against.
fn schema() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../../../schema/submission.v1.json")).expect("JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema")
}

/// Every place in `value`, as JSON Pointers, the body itself included.
fn pointers(value: &Value, at: String, into: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                pointers(member, format!("{at}/{key}"), into);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{index}"), into);
            }
        }
        _ => {}
    }
    into.push(at);
}

/// A placeholder that the text-level mutations replace once the body is serialized.
const MARK: &str = "\"@@mutation@@\"";

/// What to put at a place: JSON values, or text that no `Value` can hold.
fn replacements(original: &Value) -> Vec<(Value, Option<&'static str>)> {
    let mut all: Vec<(Value, Option<&'static str>)> = [
        json!(null),
        json!(true),
        json!(7),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!("x"),
        json!("\0"),
        json!([]),
        json!({}),
        json!([[]]),
    ]
    .into_iter()
    .map(|value| (value, None))
    .collect();
    match original {
        Value::Object(members) => {
            // What serde would read as a struct.
            all.push((Value::Array(members.values().cloned().collect()), None));
        }
        Value::String(text) => all.push((json!(format!("{text}\0")), None)),
        _ => {}
    }
    for text in ["\"\\ud800\"", "\"a\\udc00\"", "1e400", "-1e999"] {
        all.push((json!("@@mutation@@"), Some(text)));
    }
    all
}

/// One mutated body, as text, with the id `n` unless the mutation is at `id` itself.
fn mutated(
    base: &Value,
    pointer: &str,
    replacement: Option<Value>,
    text: Option<&str>,
    n: usize,
) -> String {
    let mut body = base.clone();
    body["id"] = json!(format!("0b6a2c1e-7d4f-4a8b-9c3d-{n:012x}"));
    match replacement {
        Some(value) if pointer.is_empty() => body = value,
        Some(value) => *body.pointer_mut(pointer).expect("place") = value,
        None => {
            let (parent, key) = pointer.rsplit_once('/').expect("a member, not the body");
            match body.pointer_mut(parent).expect("parent") {
                Value::Object(members) => {
                    members.remove(key);
                }
                Value::Array(items) => {
                    items.remove(key.parse().expect("index"));
                }
                other => panic!("{parent} holds {other}"),
            }
        }
    }
    let body = body.to_string();
    match text {
        Some(text) => body.replace(MARK, text),
        None => body,
    }
}

/// Whether any string or key in `value` holds a NUL, which the collector refuses beyond the
/// contract.
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(members) => members
            .iter()
            .any(|(key, member)| key.contains('\0') || holds_nul(member)),
        _ => false,
    }
}

/// Posts every mutation of `base` and returns how many were accepted.
async fn post_mutations(router: &Router, base: &Value, first: usize) -> usize {
    let schema = schema();
    let mut places = Vec::new();
    pointers(base, String::new(), &mut places);
    let mut accepted = 0;
    let mut n = first;
    for pointer in &places {
        let mut changes: Vec<(Option<Value>, Option<&str>)> =
            replacements(base.pointer(pointer).expect("place"))
                .into_iter()
                .map(|(value, text)| (Some(value), text))
                .collect();
        if !pointer.is_empty() {
            // Leaving the member out.
            changes.push((None, None));
        }
        for (replacement, text) in changes {
            n += 1;
            let body = mutated(base, pointer, replacement, text, n);
            let reply = send(router, post_request(body.clone(), Some(TEXT_PLAIN))).await;
            let valid = serde_json::from_str::<Value>(&body)
                .is_ok_and(|value| schema.is_valid(&value) && !holds_nul(&value));
            if valid {
                assert!(
                    reply.status.is_success(),
                    "{pointer}: {} for {body}",
                    reply.status
                );
                accepted += 1;
                continue;
            }
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{pointer}: {body}");
            let error = reply.json();
            let named = error["field"]
                .as_str()
                .is_some_and(|field| !field.is_empty());
            // Text that is not JSON at all has no field to name; every mutation here is JSON
            // text, so each refusal names one.
            assert_eq!(
                error["error"], "invalid_field",
                "{pointer}: {error} for {body}"
            );
            assert!(named, "{pointer}: {error}");
            assert!(error["message"].is_string(), "{error}");
        }
    }
    accepted
}

#[tokio::test]
async fn mutated_bodies_are_refused_naming_a_field_or_stored_when_valid() {
    let router = plain_router();
    let mut accepted = post_mutations(&router, &submission("", true), 0).await;
    accepted += post_mutations(&router, &survey_submission("", true), 100_000).await;
    let cases = admin_json(&router, "/v1/cases?per_page=1").await;
    assert_eq!(
        cases["total"], accepted,
        "only the valid mutations were stored"
    );
    // Mutations such as a new title or no referrer keep the body valid.
    assert!(accepted > 0);
}
