//! The `form_error` trigger: one field of the page became invalid `times` times (default 2) on one page view, as a
//! coupon code refused twice. The browser layer reports each time a field becomes invalid (`aria-invalid="true"`
//! set by the page, or `:invalid` after a submit attempt), naming the field by its `name`, else its `id`, else a
//! CSS path, never by its value. With a `selector`, only fields inside an element matching it count.

use crate::prelude::*;

use super::settle::{Detect, KEYS};
use super::Event;
use crate::failure::Failure;
use crate::survey::fields::{Fields, Parsed};

/// The most fields counted on one page view; a page with more fields has bigger problems than one.
const FIELDS: usize = 50;

/// The form-error trigger's settings and counts.
#[derive(Clone, Debug, PartialEq)]
pub struct FormError {
    times: u32,
    selector: Option<String>,
    /// How many times each field became invalid on this page view.
    counts: Vec<(String, u32)>,
}

impl FormError {
    /// Reads `times` and `selector`.
    pub(crate) fn parse(f: &Fields) -> Parsed<FormError> {
        f.known(&[&KEYS, &["times", "selector"]])?;
        Ok(FormError {
            times: f
                .whole("times", 1, 20, "must be a whole number from 1 to 20")?
                .unwrap_or(2),
            selector: f.text("selector")?.map(Into::into),
            counts: Vec::new(),
        })
    }
}

impl Detect for FormError {
    fn detect(&mut self, event: &Event, _now: f64) -> Option<Failure> {
        let Event::FieldInvalid { field, closest } = event else {
            return None;
        };
        if self.selector.as_deref().is_some_and(|s| !closest(s)) {
            return None;
        }
        let seen = self.counts.iter().position(|(f, _)| f == field);
        let times = match seen {
            Some(i) => {
                let (_, times) = self.counts.get_mut(i)?;
                *times += 1;
                *times
            }
            None if self.counts.len() < FIELDS => {
                self.counts.push(((*field).into(), 1));
                1
            }
            None => return None,
        };
        (times >= self.times).then(|| Failure::form_error(field, times))
    }

    fn forget(&mut self) {
        self.counts.clear();
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    const T0: f64 = 1.8e12;

    fn watching(settings: &str) -> Trigger {
        let mut t =
            trigger(&[r#"{"type":"form_error","showAfter":0"#, settings, "}"].concat()).unwrap();
        t.start(T0, false);
        t.page(true, T0);
        t
    }

    fn in_checkout(selector: &str) -> bool {
        selector == "form.checkout"
    }

    fn invalid(t: &mut Trigger, field: &str, at: f64) -> bool {
        t.on(
            &Event::FieldInvalid {
                field,
                closest: &in_checkout,
            },
            T0 + at,
        )
    }

    #[test]
    fn the_same_field_refused_twice() {
        let mut t = watching("");
        assert!(!invalid(&mut t, "coupon", 1.0));
        assert!(!invalid(&mut t, "email", 2.0), "another field counts apart");
        assert!(invalid(&mut t, "coupon", 3.0));
        assert_eq!(t.failure(), Some(&Failure::form_error("coupon", 2)));
        assert!(!invalid(&mut t, "email", 4.0), "once per page view");
    }

    #[test]
    fn times_and_selector_narrow_it() {
        let mut t = watching(r#","times":3,"selector":"form.checkout""#);
        let elsewhere = |_: &str| false;
        for at in 0..5 {
            t.on(
                &Event::FieldInvalid {
                    field: "q",
                    closest: &elsewhere,
                },
                T0 + f64::from(at),
            );
        }
        assert_eq!(t.failure(), None, "the search box is not in the checkout");
        assert!(!invalid(&mut t, "card", 10.0));
        assert!(!invalid(&mut t, "card", 11.0));
        assert!(invalid(&mut t, "card", 12.0));
    }

    #[test]
    fn counts_start_again_on_each_page_view() {
        let mut t = watching("");
        assert!(!invalid(&mut t, "coupon", 1.0));
        t.page(true, T0 + 2.0);
        assert!(!invalid(&mut t, "coupon", 3.0));
        t.page(false, T0 + 4.0);
        assert!(!invalid(&mut t, "coupon", 5.0));
        assert!(
            !invalid(&mut t, "coupon", 6.0),
            "not on a page the survey does not target"
        );
        t.page(true, T0 + 7.0);
        assert!(!invalid(&mut t, "coupon", 8.0));
        assert!(invalid(&mut t, "coupon", 9.0));
    }

    #[test]
    fn settings_are_checked() {
        let Trigger::FormError(t) = watching("") else {
            panic!()
        };
        assert_eq!(t.detector().times, 2);
        for (bad, field) in [
            (r#","times":0"#, "trigger.times"),
            (r#","times":"2""#, "trigger.times"),
            (r#","selector":4"#, "trigger.selector"),
            (r#","field":"coupon""#, "trigger.field"),
        ] {
            let e = trigger(&[r#"{"type":"form_error""#, bad, "}"].concat()).unwrap_err();
            assert_eq!(e.field, field, "{bad}");
        }
    }
}
