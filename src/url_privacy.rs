//! What of a URL may leave the page. Before the page's URL and referrer go into a payload, query parameters that
//! look like secrets or personal data are removed: by default every parameter whose name looks like a token, a
//! password or an email address (`access_token`, `apiKey`, `sessionid`, `e-mail`, …), and any parameter whose
//! value looks like an email address. The `stripParams` option replaces the list of names; values that look like
//! email addresses always go.

use crate::prelude::*;

/// Words that make a parameter name private when the name is one of them or has one of them as a part
/// (`user_email`, `x-api-key`), including the usual names written as one word (`sessionid`, `authToken`).
const PRIVATE: [&str; 30] = [
    "token",
    "auth",
    "key",
    "apikey",
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "session",
    "sid",
    "code",
    "email",
    "mail",
    "otp",
    "signature",
    "sig",
    "jwt",
    "credential",
    "credentials",
    "ssn",
    "accesstoken",
    "authtoken",
    "idtoken",
    "refreshtoken",
    "sessionid",
    "clientsecret",
    "privatekey",
    "emailaddress",
    "apisecret",
];

/// `url` without the query parameters that must not leave the page. `names` replaces the default rule on names
/// (compared without case) when given. The path is kept as it is, and so is a fragment unless it holds
/// parameters (`#access_token=…`, `#/route?token=…`), which are filtered the same way.
pub fn strip(url: &str, names: Option<&[String]>) -> String {
    let (rest, fragment) = match cut(url, b'#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (url, None),
    };
    let mut out = String::with_capacity(url.len());
    match cut(rest, b'?') {
        Some((path, query)) => {
            out.push_str(path);
            push_query(&mut out, query, names);
        }
        None => out.push_str(rest),
    }
    if let Some(fragment) = fragment {
        out.push('#');
        match cut(fragment, b'?') {
            Some((route, query)) => {
                out.push_str(route);
                push_query(&mut out, query, names);
            }
            None if fragment.bytes().any(|b| b == b'=') => {
                let mut kept = String::new();
                push_query(&mut kept, fragment, names);
                out.push_str(kept.get(1..).unwrap_or_default());
            }
            None => out.push_str(fragment),
        }
    }
    out
}

/// `s` split around the first `byte` (an ASCII character), or `None` without one. Bytes rather than
/// `split_once`: the string searchers cost about a kilobyte of wasm.
fn cut(s: &str, byte: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == byte)?;
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// Appends `?` and the parameters of `query` that may be sent, or nothing when none may.
fn push_query(out: &mut String, mut query: &str, names: Option<&[String]>) {
    let mut first = true;
    while !query.is_empty() {
        let (part, rest) = cut(query, b'&').unwrap_or((query, ""));
        query = rest;
        let (name, value) = cut(part, b'=').unwrap_or((part, ""));
        let private = match names {
            Some(list) => list.iter().any(|n| n.eq_ignore_ascii_case(name)),
            None => private_name(name),
        };
        if part.is_empty() || private || looks_like_email(value) {
            continue;
        }
        out.push(if first { '?' } else { '&' });
        out.push_str(part);
        first = false;
    }
}

/// Whether a parameter name looks like it holds a secret or an email address: one of its words (split at
/// anything but letters and digits) is a private word, compared without case (`accessToken` is the word
/// `accesstoken`).
fn private_name(name: &str) -> bool {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| PRIVATE.iter().any(|p| p.eq_ignore_ascii_case(word)))
}

/// Whether a (percent-encoded) value looks like an email address: something, an `@` (or `%40`), and a domain with
/// a dot.
fn looks_like_email(value: &str) -> bool {
    // Bytes and slice patterns rather than `find("%40")`: a substring search costs more than a kilobyte of wasm.
    let bytes = value.as_bytes();
    let at = (0..bytes.len()).find_map(|i| match bytes.get(i..) {
        Some([b'@', ..]) => Some((i, 1)),
        Some([b'%', b'4', b'0', ..]) => Some((i, 3)),
        _ => None,
    });
    let Some((at, marker)) = at else {
        return false;
    };
    let domain = bytes.get(at + marker..).unwrap_or_default();
    at > 0 && domain.first() != Some(&b'.') && domain.contains(&b'.')
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn default(url: &str) -> String {
        strip(url, None)
    }

    #[test]
    fn emails_and_tokens_go_and_the_rest_stays_in_order() {
        assert_eq!(
            default("https://shop.example/?email=a@b.c&utm_source=x"),
            "https://shop.example/?utm_source=x"
        );
        assert_eq!(
            default("/checkout?step=2&access_token=abc&lang=de&pwd=x"),
            "/checkout?step=2&lang=de"
        );
        assert_eq!(default("/a?token=1&sig=2"), "/a");
        assert_eq!(default("/a?"), "/a");
        assert_eq!(default("/plain/path"), "/plain/path");
    }

    #[test]
    fn names_that_look_private_in_any_spelling() {
        for name in [
            "token",
            "TOKEN",
            "access_token",
            "accessToken",
            "authToken",
            "x-api-key",
            "apiKey",
            "api_key",
            "apikey",
            "sessionid",
            "session_id",
            "PHPSESSID_sid",
            "user_email",
            "e-mail",
            "E-Mail",
            "otp",
            "password",
            "new_pass",
            "client_secret",
            "code",
            "jwt",
            "signature",
            "auth",
            "oauth_code",
        ] {
            assert!(private_name(name), "{name}");
        }
        for name in [
            "utm_source",
            "page",
            "q",
            "monkey",
            "passenger",
            "sort",
            "lang",
            "step",
            "ref",
        ] {
            assert!(!private_name(name), "{name}");
        }
    }

    #[test]
    fn any_value_that_looks_like_an_email_goes() {
        assert_eq!(default("/a?u=ana%40example.com&v=1"), "/a?v=1");
        assert_eq!(default("/a?to=ana@example.com"), "/a");
        assert_eq!(default("/a?handle=@ana&x=a@b"), "/a?handle=@ana&x=a@b");
    }

    #[test]
    fn parameters_in_the_fragment_are_filtered_too() {
        assert_eq!(
            default("https://app.example/cb#access_token=x&state=1"),
            "https://app.example/cb#state=1"
        );
        assert_eq!(default("/spa#/orders?token=x&tab=2"), "/spa#/orders?tab=2");
        assert_eq!(default("/doc#section-2"), "/doc#section-2");
        assert_eq!(default("/a?token=1#top"), "/a#top");
    }

    #[test]
    fn a_configured_list_replaces_the_names_but_not_the_email_rule() {
        let list = vec!["ref".to_string(), "Campaign".to_string()];
        assert_eq!(
            strip("/a?ref=x&campaign=y&token=z&u=a@b.co", Some(&list)),
            "/a?token=z"
        );
        assert_eq!(strip("/a?token=z", Some(&[][..])), "/a?token=z");
    }
}
