//! The body the widget actually sends: a [`Submission`] with what the host page attached to every answer
//! (`Rebound.identify` as `visitor`, `Rebound.setContext` as `context`) and the optional `diagnostics`, its page
//! URL and referrer first cleared of private query parameters ([`url_privacy`](crate::url_privacy)).

use crate::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::host_data::HostData;
use crate::json::Object;
use crate::submission::Submission;
use crate::url_privacy;

/// What is attached to every answer sent from now on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attached {
    /// Who the visitor is, from `Rebound.identify`.
    pub visitor: HostData,
    /// What they were doing, from `Rebound.setContext`.
    pub context: HostData,
    /// Recent errors and failed requests, when the `signals` option asks for them.
    pub diagnostics: Diagnostics,
}

impl Attached {
    /// The JSON body for `submission`: its URLs cleared of private parameters (`strip` replaces the default
    /// names, see [`url_privacy::strip`]) and each attachment written only when it holds something.
    pub fn body(&self, mut submission: Submission, strip: Option<&[String]>) -> String {
        for url in [&mut submission.page.url, &mut submission.page.referrer] {
            *url = url_privacy::strip(url, strip);
        }
        fn given(data: &HostData) -> Option<&HostData> {
            (!data.is_empty()).then_some(data)
        }
        let mut out = String::new();
        let mut o = Object::new(&mut out);
        submission.write_fields(&mut o);
        o.maybe("visitor", given(&self.visitor))
            .maybe("context", given(&self.context))
            .maybe(
                "diagnostics",
                Some(&self.diagnostics).filter(|d| !d.is_empty()),
            );
        drop(o);
        out
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::host_data::Scalar;
    use crate::submission::tests::{sample, schema, valid_text as valid};

    /// A submission whose page URL and referrer carry private parameters.
    fn submission() -> Submission {
        let mut s = sample(vec![]);
        s.page.url = "https://shop.example/cart?email=a@b.c&utm_source=x".into();
        s.page.referrer = "https://mail.example/open?session=s1&folder=in".into();
        s
    }

    #[test]
    fn nothing_attached_is_the_plain_submission_with_private_parameters_gone() {
        let body = Attached::default().body(submission(), None);
        let v = valid(&body);
        assert_eq!(v["page"]["url"], "https://shop.example/cart?utm_source=x");
        assert_eq!(v["page"]["referrer"], "https://mail.example/open?folder=in");
        for key in ["visitor", "context", "diagnostics"] {
            assert!(v.get(key).is_none(), "{key} in {body}");
        }
    }

    #[test]
    fn host_data_and_diagnostics_are_attached_and_valid() {
        let mut attached = Attached {
            visitor: HostData(vec![
                ("id".into(), Scalar::Text("u-42".into())),
                ("email".into(), Scalar::Text("ana@example.com".into())),
            ]),
            context: HostData(vec![
                ("order_id".into(), Scalar::Text("A-17".into())),
                ("cart_value".into(), Scalar::Number(129.99)),
                ("vip".into(), Scalar::Flag(true)),
            ]),
            diagnostics: Diagnostics::default(),
        };
        attached.diagnostics.error(
            "boom",
            "https://shop.example/app.js?v=2",
            "2026-11-23T09:39:00.000Z".into(),
        );
        attached
            .diagnostics
            .request("https://shop.example/api/x?token=1", 404);
        let v = valid(&attached.body(submission(), None));
        assert_eq!(
            v["visitor"],
            serde_json::json!({"id": "u-42", "email": "ana@example.com"})
        );
        assert_eq!(v["context"]["cart_value"], 129.99);
        assert_eq!(
            v["diagnostics"]["errors"][0]["source"],
            "https://shop.example/app.js"
        );
        assert_eq!(
            v["diagnostics"]["failed_requests"][0],
            serde_json::json!({"url": "https://shop.example/api/x", "status": 404})
        );
    }

    #[test]
    fn the_configured_list_decides_which_names_go() {
        let strip = vec!["utm_source".to_string()];
        let v = valid(&Attached::default().body(submission(), Some(&strip)));
        // The email value still goes: that rule does not depend on the list.
        assert_eq!(v["page"]["url"], "https://shop.example/cart");
        assert_eq!(
            v["page"]["referrer"],
            "https://mail.example/open?session=s1&folder=in"
        );
    }

    #[test]
    fn the_schema_refuses_attachments_the_widget_never_makes() {
        let body = Attached::default().body(submission(), None);
        let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let schema = schema();
        for (key, bad) in [
            ("visitor", serde_json::json!({"tags": ["a"]})),
            ("context", serde_json::json!({"note": "x".repeat(501)})),
            ("context", serde_json::json!({"": 1})),
            ("diagnostics", serde_json::json!({"errors": []})),
            (
                "diagnostics",
                serde_json::json!({"failed_requests": [{"url": "/x", "status": 1000}]}),
            ),
            ("diagnostics", serde_json::json!({"clicks": []})),
        ] {
            v[key] = bad;
            assert!(!schema.is_valid(&v), "accepted {key}: {}", v[key]);
            v.as_object_mut().unwrap().remove(key);
        }
        assert!(schema.is_valid(&v));
    }
}
