//! What of a URL may leave the page. Before the page's URL and referrer go into a payload, query parameters that
//! look like secrets or personal data are removed: by default every parameter whose name looks like a token, a
//! password or an email address (`access_token`, `apiKey`, `sessionid`, `e-mail`, …), and any parameter whose
//! value looks like an email address. The `stripParams` option replaces the list of names; values that look like
//! email addresses always go.

/// Words that make a parameter name private when the name is one of them or has one of them as a part
/// (`user_email`, `authToken`, `x-api-key`).
const PRIVATE_WORDS: [&str; 21] = [
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
];

/// Names written without separators that are private as a whole.
const PRIVATE_NAMES: [&str; 9] = [
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
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (url, None),
    };
    let mut out = String::with_capacity(url.len());
    match rest.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            push_query(&mut out, query, names);
        }
        None => out.push_str(rest),
    }
    if let Some(fragment) = fragment {
        out.push('#');
        match fragment.split_once('?') {
            Some((route, query)) => {
                out.push_str(route);
                push_query(&mut out, query, names);
            }
            None if fragment.contains('=') => {
                let mut kept = String::new();
                push_query(&mut kept, fragment, names);
                out.push_str(kept.strip_prefix('?').unwrap_or_default());
            }
            None => out.push_str(fragment),
        }
    }
    out
}

/// Appends `?` and the parameters of `query` that may be sent, or nothing when none may.
fn push_query(out: &mut String, query: &str, names: Option<&[String]>) {
    let mut first = true;
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let private = match names {
            Some(list) => list.iter().any(|n| n.eq_ignore_ascii_case(name)),
            None => private_name(name),
        };
        if private || looks_like_email(value) {
            continue;
        }
        out.push(if first { '?' } else { '&' });
        out.push_str(part);
        first = false;
    }
}

/// Whether a parameter name looks like it holds a secret or an email address: one of its words (split at
/// punctuation and at lower-to-upper case changes) is a private word, or the whole name is a private name.
fn private_name(name: &str) -> bool {
    let mut word = String::new();
    let mut whole = String::new();
    let mut previous_lower = false;
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let boundary = !c.is_ascii_alphanumeric() || (previous_lower && c.is_ascii_uppercase());
        if boundary && PRIVATE_WORDS.contains(&word.as_str()) {
            return true;
        }
        if boundary {
            word.clear();
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            whole.push(c.to_ascii_lowercase());
        }
        previous_lower = c.is_ascii_lowercase();
        if chars.peek().is_none() && PRIVATE_WORDS.contains(&word.as_str()) {
            return true;
        }
    }
    PRIVATE_NAMES.contains(&whole.as_str())
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
