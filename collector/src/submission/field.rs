//! [`FieldPath`]: how a refusal names the part of the body at fault, `answers[0].value` or
//! `page.title`, with `$` for the body itself, whichever check found it.

use std::fmt::Write as _;

/// The path of a field in a submission, built one step at a time.
#[derive(Clone, Debug, Default)]
pub(super) struct FieldPath(String);

impl FieldPath {
    /// Steps into the member `key` of an object.
    pub(super) fn key(&mut self, key: &str) {
        if !self.0.is_empty() {
            self.0.push('.');
        }
        self.0.push_str(key);
    }

    /// Steps into the item `index` of an array.
    pub(super) fn index(&mut self, index: usize) {
        // Writing to a String cannot fail.
        let _ = write!(self.0, "[{index}]");
    }

    /// The path as a refusal names it.
    pub(super) fn into_field(self) -> String {
        if self.0.is_empty() {
            "$".to_owned()
        } else {
            self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keys_and_indexes_and_the_body_itself() {
        assert_eq!(FieldPath::default().into_field(), "$");
        let mut path = FieldPath::default();
        path.key("answers");
        path.index(2);
        path.key("value");
        assert_eq!(path.into_field(), "answers[2].value");
    }
}
