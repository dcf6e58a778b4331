//! What the feedback dialog consists of: one table of elements, parents before children, with their classes,
//! texts (as locale keys) and attributes, and the indexes of the elements the widget reads or changes. The browser
//! layer builds it with one loop, which keeps the wasm far smaller than one call per element; as plain data it is
//! checked natively.

use crate::locale::Key;

/// One element: the index of its parent in [`TREE`] (or [`ROOT`]), tag, class, text, accessible name, attributes.
pub struct Node(
    pub usize,
    pub &'static str,
    pub &'static str,
    pub Option<Key>,
    pub Option<Key>,
    pub &'static [(&'static str, &'static str)],
);

/// Parent index meaning the widget's frame, which the eager core builds with the button.
pub const ROOT: usize = usize::MAX;

/// Indexes of the elements the dialog reads or changes. The dialog.
pub const PANEL: usize = 0;
/// The form inside the dialog.
pub const FORM: usize = 1;
/// The five rating choices.
pub const STARS: usize = 4;
/// The message box.
pub const MESSAGE: usize = 21;
/// The contact consent checkbox.
pub const CONSENT: usize = 23;
/// The label around the email field, shown only with consent.
pub const EMAIL_ROW: usize = 25;
/// The email field.
pub const EMAIL: usize = 26;
/// Live region for errors, present before it is used so screen readers announce changes.
pub const STATUS: usize = 27;
/// The form's Close button.
pub const CLOSE_FORM: usize = 29;
/// The Send button.
pub const SEND: usize = 30;
/// The thank-you view that replaces the form.
pub const DONE: usize = 31;
/// The thank-you text, focused when it appears.
pub const THANKS: usize = 32;
/// The thank-you view's Close button.
pub const CLOSE_DONE: usize = 34;
/// Copies the visitor's message when the endpoint refused it for good.
pub const COPY: usize = 35;

const HIDDEN_STAR: &[(&str, &str)] = &[("aria-hidden", "true")];
const BUTTON: &[(&str, &str)] = &[("type", "button")];

/// Every element of the dialog, parents before children.
pub const TREE: [Node; 36] = [
    Node(
        ROOT,
        "div",
        "panel",
        None,
        None,
        &[
            ("role", "dialog"),
            ("aria-labelledby", "title"),
            ("hidden", ""),
        ],
    ),
    Node(PANEL, "form", "", None, None, &[("novalidate", "")]),
    Node(FORM, "fieldset", "", None, None, &[]),
    Node(2, "legend", "", Some(Key::Title), None, &[("id", "title")]),
    Node(2, "div", "stars", None, None, &[]),
    Node(4, "label", "", None, None, &[]),
    Node(
        5,
        "input",
        "",
        None,
        Some(Key::Rating1),
        &[("type", "radio"), ("name", "rating"), ("value", "1")],
    ),
    Node(5, "span", "", Some(Key::Star), None, HIDDEN_STAR),
    Node(4, "label", "", None, None, &[]),
    Node(
        8,
        "input",
        "",
        None,
        Some(Key::Rating2),
        &[("type", "radio"), ("name", "rating"), ("value", "2")],
    ),
    Node(8, "span", "", Some(Key::Star), None, HIDDEN_STAR),
    Node(4, "label", "", None, None, &[]),
    Node(
        11,
        "input",
        "",
        None,
        Some(Key::Rating3),
        &[("type", "radio"), ("name", "rating"), ("value", "3")],
    ),
    Node(11, "span", "", Some(Key::Star), None, HIDDEN_STAR),
    Node(4, "label", "", None, None, &[]),
    Node(
        14,
        "input",
        "",
        None,
        Some(Key::Rating4),
        &[("type", "radio"), ("name", "rating"), ("value", "4")],
    ),
    Node(14, "span", "", Some(Key::Star), None, HIDDEN_STAR),
    Node(4, "label", "", None, None, &[]),
    Node(
        17,
        "input",
        "",
        None,
        Some(Key::Rating5),
        &[("type", "radio"), ("name", "rating"), ("value", "5")],
    ),
    Node(17, "span", "", Some(Key::Star), None, HIDDEN_STAR),
    Node(FORM, "label", "field", Some(Key::Message), None, &[]),
    Node(
        20,
        "textarea",
        "",
        None,
        None,
        &[("name", "message"), ("rows", "3"), ("maxlength", "5000")],
    ),
    Node(FORM, "label", "check", None, None, &[]),
    Node(
        22,
        "input",
        "",
        None,
        None,
        &[("type", "checkbox"), ("name", "consent")],
    ),
    Node(22, "span", "", Some(Key::Consent), None, &[]),
    Node(
        FORM,
        "label",
        "field",
        Some(Key::Email),
        None,
        &[("hidden", "")],
    ),
    Node(
        EMAIL_ROW,
        "input",
        "",
        None,
        None,
        &[
            ("type", "email"),
            ("name", "email"),
            ("autocomplete", "email"),
            ("maxlength", "254"),
        ],
    ),
    Node(FORM, "p", "status", None, None, &[("aria-live", "polite")]),
    Node(FORM, "div", "actions", None, None, &[]),
    Node(28, "button", "", Some(Key::Close), None, BUTTON),
    Node(
        28,
        "button",
        "primary",
        Some(Key::Send),
        None,
        &[("type", "submit")],
    ),
    Node(PANEL, "div", "done", None, None, &[("hidden", "")]),
    Node(
        DONE,
        "p",
        "",
        Some(Key::Thanks),
        None,
        &[("tabindex", "-1")],
    ),
    Node(DONE, "div", "actions", None, None, &[]),
    Node(33, "button", "", Some(Key::Close), None, BUTTON),
    Node(
        FORM,
        "button",
        "copy",
        Some(Key::Copy),
        None,
        &[("type", "button"), ("hidden", "")],
    ),
];

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The named indexes must point at the elements they name; a wrong index would wire the wrong element.
    #[test]
    fn named_indexes_point_at_their_elements() {
        let tag = |i: usize| (TREE[i].1, TREE[i].2);
        assert_eq!(tag(PANEL), ("div", "panel"));
        assert_eq!(tag(FORM), ("form", ""));
        assert_eq!(tag(MESSAGE), ("textarea", ""));
        assert_eq!(TREE[CONSENT].5[0], ("type", "checkbox"));
        assert_eq!(TREE[EMAIL].5[0], ("type", "email"));
        assert_eq!(TREE[EMAIL].0, EMAIL_ROW);
        assert_eq!(tag(STATUS), ("p", "status"));
        assert_eq!(TREE[SEND].3, Some(Key::Send));
        assert_eq!(TREE[CLOSE_FORM].3, Some(Key::Close));
        assert_eq!(TREE[CLOSE_DONE].3, Some(Key::Close));
        assert_eq!(tag(DONE), ("div", "done"));
        assert_eq!(tag(STARS), ("div", "stars"));
        assert_eq!((tag(COPY), TREE[COPY].0), (("button", "copy"), FORM));
        assert_eq!(TREE[THANKS].3, Some(Key::Thanks));
        for (i, star) in (5..20).step_by(3).enumerate() {
            assert_eq!(
                (TREE[star].1, TREE[star + 1].1, TREE[star + 2].1),
                ("label", "input", "span")
            );
            assert_eq!(
                TREE[star + 1].4.map(|k| k as usize),
                Some(Key::Rating1 as usize + i)
            );
            let value = ["1", "2", "3", "4", "5"][i];
            assert_eq!(TREE[star + 1].5[2], ("value", value));
            assert_eq!(TREE[star + 2].3, Some(Key::Star));
        }
        assert!(
            TREE.iter().enumerate().all(|(i, n)| n.0 == ROOT || n.0 < i),
            "parents come first"
        );
    }
}
