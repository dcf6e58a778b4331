//! Where a field of a definition is in its JSON text, so that the studio can say "line 12" beside
//! a mistake and its editor can move there: the widget's reader names fields by path
//! (`surveys[0].questions[1].type`), and `serde_json` keeps no positions.

/// One step of a field's path.
#[derive(Debug, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The steps of `field` below the only survey (`surveys[0]`), or `None` for a field that is not
/// in it (such as `definition`, the text as a whole).
fn steps(field: &str) -> Option<Vec<Step<'_>>> {
    let rest = field.strip_prefix("surveys[0]")?;
    let mut steps = Vec::new();
    for part in rest.split('.').filter(|part| !part.is_empty()) {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(k, i)| (k, i));
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        for index in indices.split('[') {
            if let Ok(index) = index.trim_end_matches(']').parse() {
                steps.push(Step::Index(index));
            }
        }
    }
    Some(steps)
}

/// A walk over JSON text that finds where values begin.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Takes `byte` if it comes next (after white space).
    fn take(&mut self, byte: u8) -> bool {
        self.blank();
        let next = self.peek() == Some(byte);
        if next {
            self.at += 1;
        }
        next
    }

    /// A string's raw contents, escapes left as they are (keys are compared as written).
    fn string(&mut self) -> Option<&[u8]> {
        if !self.take(b'"') {
            return None;
        }
        let start = self.at;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => break,
                _ => self.at += 1,
            }
        }
        let contents = self.bytes.get(start..self.at)?;
        self.at += 1;
        Some(contents)
    }

    /// Passes over one value.
    fn skip(&mut self) -> Option<()> {
        self.blank();
        match self.peek()? {
            b'"' => self.string().map(drop),
            open @ (b'{' | b'[') => {
                self.at += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                if self.take(close) {
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.string()?;
                        self.take(b':').then_some(())?;
                    }
                    self.skip()?;
                    if self.take(close) {
                        return Some(());
                    }
                    self.take(b',').then_some(())?;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.at += 1;
                }
                Some(())
            }
        }
    }

    /// Where the value at `steps` begins, or, when part of the path is missing, the value that
    /// should hold it.
    fn find(&mut self, steps: &[Step<'_>]) -> usize {
        self.blank();
        let start = self.at;
        let Some((step, rest)) = steps.split_first() else {
            return start;
        };
        let found = match step {
            Step::Key(key) => self.member(key),
            Step::Index(index) => self.element(*index),
        };
        match found {
            Some(()) => self.find(rest),
            None => start,
        }
    }

    /// Moves to the value of `key` in the object here.
    fn member(&mut self, key: &str) -> Option<()> {
        self.take(b'{').then_some(())?;
        loop {
            if self.string()? == key.as_bytes() {
                return self.take(b':').then_some(());
            }
            self.take(b':').then_some(())?;
            self.skip()?;
            self.take(b',').then_some(())?;
        }
    }

    /// Moves to element `index` of the array here.
    fn element(&mut self, index: usize) -> Option<()> {
        self.take(b'[').then_some(())?;
        for _ in 0..index {
            self.skip()?;
            self.take(b',').then_some(())?;
        }
        Some(())
    }
}

/// The line (from 1) where `field`, a path as the widget's reader names it, is in `text`, the
/// definition of one survey; for a field that is missing, the line of the part that should hold
/// it. `None` for a field outside the survey.
pub fn line_of(text: &str, field: &str) -> Option<usize> {
    let steps = steps(field)?;
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        at: 0,
    };
    let at = scanner.find(&steps);
    let before = text.as_bytes().get(..at)?;
    Some(before.iter().filter(|&&byte| byte == b'\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "id": "exit",
  "trigger": { "type": "exit_intent" },
  "questions": [
    { "id": "a", "type": "nps", "text": "Say \"hi\"" },
    {
      "id": "b",
      "type": "stars",
      "options": [{ "id": "x" }, { "id": "y", "label": [1, 2] }]
    }
  ],
  "recovery": { "when": { "answer": "a", "max": 11 } }
}"#;

    #[test]
    fn paths_are_read_into_steps() {
        assert_eq!(
            steps("surveys[0].questions[1].options[0].label"),
            Some(vec![
                Step::Key("questions"),
                Step::Index(1),
                Step::Key("options"),
                Step::Index(0),
                Step::Key("label"),
            ])
        );
        assert_eq!(steps("surveys[0]"), Some(vec![]));
        assert_eq!(steps("definition"), None);
    }

    #[test]
    fn finds_the_line_of_a_field() {
        assert_eq!(line_of(TEXT, "surveys[0]"), Some(1));
        assert_eq!(line_of(TEXT, "surveys[0].trigger.type"), Some(3));
        assert_eq!(line_of(TEXT, "surveys[0].questions[1].type"), Some(8));
        assert_eq!(
            line_of(TEXT, "surveys[0].questions[1].options[1].label"),
            Some(9)
        );
        assert_eq!(line_of(TEXT, "surveys[0].recovery.when.max"), Some(12));
    }

    #[test]
    fn a_missing_field_points_at_what_should_hold_it() {
        assert_eq!(line_of(TEXT, "surveys[0].questions[1].text"), Some(6));
        assert_eq!(line_of(TEXT, "surveys[0].questions[5]"), Some(4));
        assert_eq!(line_of(TEXT, "surveys[0].targeting"), Some(1));
        assert_eq!(line_of(TEXT, "definition"), None);
        assert_eq!(line_of("{\"id\": ", "surveys[0].questions"), Some(1));
    }
}
