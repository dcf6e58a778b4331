//! The follow-up on a recovery case, the second contract beside the payload
//! (`schema/case-status.v1.json`): the visitor's browser kept the case's reference and secret, and
//! asks what became of it. [`CaseKey`] is that pair, as the widget sends it in the payload's
//! `recovery` block and as the status request names it; [`matching`] finds the case it opens
//! without telling, by its time, whether the reference exists; [`FollowUp`] is the answer.
//!
//! The collector keeps only the secret's SHA-256 ([`digest`]): the stored response loses it
//! ([`stored_body`]), so neither the admin API, the exports, the inbox nor a copy of the database
//! can follow a case up in the visitor's name. The digests are compared in constant time
//! (`subtle`), and against a dummy's when no case has the reference, so that neither a wrong
//! secret nor an unknown reference answers any sooner.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

/// Crockford's base 32 as the widget writes it: digits and capitals without I, L, O and U.
const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters after `RB-` in a reference.
const REFERENCE_LENGTH: usize = 4;
/// Characters in a secret.
pub const SECRET_LENGTH: usize = 28;
/// Compared with when no case has the reference, so that the work is the same.
const DUMMY_SECRET: &str = "0000000000000000000000000000";

/// The SHA-256 of `secret`, in lowercase hex: what the store keeps of it.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What is stored of a response whose JSON is `body`, parsed as `response`: the body itself, or,
/// when its recovery block carries the case's secret, the same JSON without it.
pub fn stored_body(body: String, response: &Value) -> String {
    if response.pointer("/recovery/secret").is_none() {
        return body;
    }
    let mut kept = response.clone();
    if let Some(recovery) = kept.get_mut("recovery").and_then(Value::as_object_mut) {
        recovery.remove("secret");
    }
    kept.to_string()
}

/// A case's reference (`RB-7KQ2`) and its unguessable secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseKey {
    /// What the visitor quotes.
    pub reference: String,
    /// What only the visitor's browser and the collector know.
    pub secret: String,
}

fn in_alphabet(text: &str, length: usize) -> bool {
    text.len() == length && text.chars().all(|c| ALPHABET.contains(c))
}

impl CaseKey {
    /// The pair a status request names, when both have the contract's shape (`^RB-[…]{4}$` and
    /// 28 characters of the same alphabet); anything else can match no case.
    pub fn parse(reference: &str, secret: &str) -> Option<Self> {
        let short = reference.strip_prefix("RB-")?;
        (in_alphabet(short, REFERENCE_LENGTH) && in_alphabet(secret, SECRET_LENGTH)).then(|| Self {
            reference: reference.to_owned(),
            secret: secret.to_owned(),
        })
    }

    /// The pair in a response's `recovery` block, if it has one.
    pub fn of(response: &Value) -> Option<Self> {
        let recovery = response.get("recovery")?;
        Self::parse(
            recovery.get("reference")?.as_str()?,
            recovery.get("secret")?.as_str()?,
        )
    }
}

/// What a resolver published for the visitor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisitorNote {
    /// The note itself.
    pub note: Option<String>,
    /// Whom it is from, like "Ana, Fernwood support".
    pub from: Option<String>,
}

/// A case with the reference asked for, as the store finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The site the case came from, whose origins may read the answer.
    pub site: String,
    /// The SHA-256 of the case's secret ([`digest`]).
    pub secret_sha256: String,
    /// When it was resolved, if it is.
    pub resolved_at: Option<String>,
    /// The note for the visitor.
    pub note: VisitorNote,
}

/// The case among `candidates` (those with the reference asked for) whose secret is `secret`.
///
/// Every candidate is compared, in constant time, and the dummy secret too when there is none, so
/// that the time taken does not depend on which (if any) matches.
pub fn matching(candidates: Vec<Candidate>, secret: &str) -> Option<Candidate> {
    let given = digest(secret);
    let given = given.as_bytes();
    if candidates.is_empty() {
        // The result is thrown away; `black_box` keeps the comparison from being optimised out.
        std::hint::black_box(digest(DUMMY_SECRET).as_bytes().ct_eq(given));
        return None;
    }
    let mut found = None;
    let mut any = Choice::from(0);
    for candidate in candidates {
        let equal = candidate.secret_sha256.as_bytes().ct_eq(given);
        any |= equal;
        if found.is_none() && bool::from(equal) {
            found = Some(candidate);
        }
    }
    std::hint::black_box(any);
    found
}

/// The answer to a status request that matched: `open` until the case is resolved, then
/// `resolved` with when and, if the resolver wrote one, the note and whom it is from.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FollowUp {
    /// The reference asked for.
    pub reference: String,
    /// `open` or `resolved`.
    pub status: &'static str,
    /// The note for the visitor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whom the note is from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// When the case was resolved, RFC 3339 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
}

impl FollowUp {
    /// What the visitor is told about `case`, found by `reference`.
    pub fn of(reference: String, case: Candidate) -> Self {
        match case.resolved_at {
            Some(resolved_at) => Self {
                reference,
                status: "resolved",
                // A signature alone says nothing.
                from: case.note.from.filter(|_| case.note.note.is_some()),
                note: case.note.note,
                resolved_at: Some(resolved_at),
            },
            None => Self {
                reference,
                status: "open",
                note: None,
                from: None,
                resolved_at: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &str = "0123456789ABCDEFGHJKMNPQRSTV";

    fn candidate(secret: &str, resolved_at: Option<&str>) -> Candidate {
        Candidate {
            site: "shop".to_owned(),
            secret_sha256: digest(secret),
            resolved_at: resolved_at.map(str::to_owned),
            note: VisitorNote {
                note: Some("Fixed.".to_owned()),
                from: Some("Ana".to_owned()),
            },
        }
    }

    #[test]
    fn keys_have_the_contracts_shape() {
        assert!(CaseKey::parse("RB-7KQ2", SECRET).is_some());
        for (reference, secret) in [
            ("RB-7KQ", SECRET),
            ("RB-7KQ22", SECRET),
            ("rb-7KQ2", SECRET),
            ("RB-7KQI", SECRET),
            ("RB-7KQ2", &SECRET[1..]),
            ("RB-7KQ2", "0123456789ABCDEFGHJKMNPQRSTu"),
            ("RB-7KQ2", "0123456789ABCDEFGHJKMNPQRSTÜ"),
        ] {
            assert_eq!(
                CaseKey::parse(reference, secret),
                None,
                "{reference} {secret}"
            );
        }
    }

    #[test]
    fn a_response_carries_its_key_in_the_recovery_block() {
        let response = json!({"recovery": {"reference": "RB-7KQ2", "secret": SECRET}});
        assert_eq!(
            CaseKey::of(&response).map(|key| key.reference),
            Some("RB-7KQ2".to_owned())
        );
        assert_eq!(CaseKey::of(&json!({"answers": []})), None);
    }

    #[test]
    fn only_the_secrets_digest_is_kept() {
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let response = json!({"kind": "survey", "recovery": {"reference": "RB-7KQ2", "secret": SECRET, "motive": "refund"}});
        let stored = stored_body(response.to_string(), &response);
        assert!(!stored.contains(SECRET), "{stored}");
        let stored: Value = serde_json::from_str(&stored).expect("JSON");
        assert_eq!(
            stored["recovery"],
            json!({"reference": "RB-7KQ2", "motive": "refund"})
        );
        // A body without a secret is stored as it came, byte for byte.
        let plain = r#"{"kind":  "feedback"}"#.to_owned();
        assert_eq!(
            stored_body(plain.clone(), &json!({"kind": "feedback"})),
            plain
        );
    }

    #[test]
    fn only_the_right_secret_matches() {
        let other = "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZ";
        let found = matching(
            vec![candidate(other, None), candidate(SECRET, None)],
            SECRET,
        );
        assert_eq!(found.map(|c| c.secret_sha256), Some(digest(SECRET)));
        assert_eq!(matching(vec![candidate(other, None)], SECRET), None);
        assert_eq!(matching(Vec::new(), SECRET), None);
    }

    #[test]
    fn the_note_is_told_only_once_resolved() {
        let open = FollowUp::of("RB-7KQ2".to_owned(), candidate(SECRET, None));
        assert_eq!(
            serde_json::to_value(open).expect("JSON"),
            json!({"reference": "RB-7KQ2", "status": "open"})
        );
        let resolved = FollowUp::of(
            "RB-7KQ2".to_owned(),
            candidate(SECRET, Some("2026-12-01T10:00:00.000Z")),
        );
        assert_eq!(
            serde_json::to_value(resolved).expect("JSON"),
            json!({"reference": "RB-7KQ2", "status": "resolved", "note": "Fixed.",
                   "from": "Ana", "resolved_at": "2026-12-01T10:00:00.000Z"})
        );
    }
}
