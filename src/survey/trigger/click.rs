//! The `click` trigger: fires when the visitor clicks an element matching a CSS `selector`. The browser layer
//! answers whether a click matches (with `Element.closest`), so selectors work exactly as in the page's own CSS.

use crate::prelude::*;

use super::{Event, Machine};
use crate::survey::fields::{Fields, Parsed};

/// The click trigger's selector.
#[derive(Clone, Debug, PartialEq)]
pub struct Click {
    /// The CSS selector, e.g. `#cancel-subscription`.
    pub selector: String,
}

impl Click {
    /// Reads `selector`.
    pub(crate) fn parse(f: &Fields) -> Parsed<Click> {
        f.known(&[&["type", "selector"]])?;
        Ok(Click {
            selector: f
                .text("selector")?
                .ok_or_else(|| f.missing("selector"))?
                .into(),
        })
    }
}

impl Machine for Click {
    fn on(&mut self, event: &Event, _now: f64) -> bool {
        matches!(event, Event::Click { closest, .. } if closest(&self.selector))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::trigger::tests::trigger;
    use crate::survey::trigger::Trigger;

    #[test]
    fn fires_when_the_browser_says_the_click_matches() {
        let Ok(Trigger::Click(mut c)) = trigger(r##"{"type":"click","selector":" #cancel "}"##)
        else {
            panic!()
        };
        assert_eq!(c.selector, "#cancel");
        let asked = core::cell::RefCell::new(Vec::new());
        let on_cancel = |selector: &str| {
            asked.borrow_mut().push(selector.to_string());
            selector == "#cancel"
        };
        fn click<'a>(closest: &'a dyn Fn(&str) -> bool) -> Event<'a> {
            Event::Click {
                closest,
                spot: None,
            }
        }
        assert!(c.on(&click(&on_cancel), 0.0));
        assert!(!c.on(&click(&|_: &str| false), 0.0));
        assert!(!c.on(&Event::Activity, 0.0));
        assert_eq!(*asked.borrow(), ["#cancel"]);
    }

    #[test]
    fn the_selector_is_required() {
        assert_eq!(
            trigger(r#"{"type":"click"}"#).unwrap_err().field,
            "trigger.selector"
        );
        assert_eq!(
            trigger(r#"{"type":"click","selector":""}"#)
                .unwrap_err()
                .reason,
            "must be a non-empty string"
        );
    }
}
