//! Reading typed fields out of a configuration [`Value`] tree. Every getter knows the path of the field it reads,
//! so a mistake is reported the way the web team wrote it (`questions[1].type`), and none of them can panic.

use crate::prelude::*;

use crate::json;
use crate::value::Value;

/// Longest id of a survey, question or option, in characters: what the payload contract allows.
const MAX_ID: usize = 100;

/// One mistake in a definition: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fault {
    /// Path of the field, e.g. `questions[1].type`.
    pub field: String,
    /// What the field must be, e.g. `must be a non-empty string`.
    pub reason: &'static str,
    /// What it was instead, for a value of the wrong kind (`a number`).
    pub got: Option<&'static str>,
}

/// The result of reading one part of a definition. The fault is boxed: every `?` then moves one pointer instead
/// of a string and two more words, which keeps the many small readers small in wasm.
pub(crate) type Parsed<T> = Result<T, Box<Fault>>;

/// A fault whose value had the right kind but a wrong content.
pub(crate) fn fault(field: String, reason: &'static str) -> Box<Fault> {
    Box::new(Fault {
        field,
        reason,
        got: None,
    })
}

/// A fault whose value had the wrong kind: the message also says what it was.
pub(crate) fn wrong(field: String, reason: &'static str, value: &Value) -> Box<Fault> {
    Box::new(Fault {
        field,
        reason,
        got: Some(value.kind()),
    })
}

/// `path.key`, or just `key` at the top of a survey.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.into()
    } else {
        [path, ".", key].concat()
    }
}

/// `path[i]`, the path of one item of a list.
pub(crate) fn item(path: &str, i: usize) -> String {
    [path, "[", &json::to_string(&(i as u32)), "]"].concat()
}

/// The fields of one object in a definition (borrowed for `'a`), with the object's path (borrowed for `'p`).
pub(crate) struct Fields<'a, 'p> {
    entries: &'a [(String, Value)],
    path: &'p str,
}

impl<'a, 'p> Fields<'a, 'p> {
    /// `value` read as an object found at `path`.
    pub fn new(value: &'a Value, path: &'p str) -> Parsed<Self> {
        match value {
            Value::Map(entries) => Ok(Fields { entries, path }),
            other => Err(wrong(path.into(), "must be an object", other)),
        }
    }

    /// Checks that every key is in one of `lists`: a misspelt key would otherwise be silently ignored.
    pub fn known(&self, lists: &[&[&str]]) -> Parsed<()> {
        match self
            .entries
            .iter()
            .find(|(key, _)| !lists.iter().any(|list| list.contains(&key.as_str())))
        {
            Some((key, _)) => Err(fault(self.path(key), "is not a known field")),
            None => Ok(()),
        }
    }

    /// The path of `key` in this object.
    pub fn path(&self, key: &str) -> String {
        join(self.path, key)
    }

    /// A fault for `key` having no value where one is needed.
    pub fn missing(&self, key: &str) -> Box<Fault> {
        fault(self.path(key), "is required")
    }

    /// The value of `key`; `null` counts as absent, as JSON writers use it for "not set".
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Value::Null))
    }

    /// A non-empty string, trimmed.
    pub fn text(&self, key: &str) -> Parsed<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Str(s)) if !s.trim().is_empty() => Ok(Some(s.trim())),
            Some(other) => Err(wrong(self.path(key), "must be a non-empty string", other)),
        }
    }

    /// A non-empty string, trimmed, that must be there.
    pub fn required_text(&self, key: &str) -> Parsed<&'a str> {
        self.text(key)?.ok_or_else(|| self.missing(key))
    }

    /// An id of a survey, question or option: required text of at most [`MAX_ID`] characters, the longest the
    /// payload contract takes.
    pub fn id(&self) -> Parsed<&'a str> {
        let id = self.required_text("id")?;
        if id.chars().nth(MAX_ID).is_some() {
            return Err(fault(self.path("id"), "must be at most 100 characters"));
        }
        Ok(id)
    }

    /// A number from `min` to `max`; `reason` says so in the words of the field.
    pub fn number(
        &self,
        key: &str,
        min: f64,
        max: f64,
        reason: &'static str,
    ) -> Parsed<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            // Written so that NaN, which JavaScript can hand over, fails too.
            Some(Value::Num(n)) if *n >= min && *n <= max => Ok(Some(*n)),
            Some(Value::Num(_)) => Err(fault(self.path(key), reason)),
            Some(other) => Err(wrong(self.path(key), reason, other)),
        }
    }

    /// A whole number from `min` to `max`.
    pub fn whole(
        &self,
        key: &str,
        min: u32,
        max: u32,
        reason: &'static str,
    ) -> Parsed<Option<u32>> {
        match self.number(key, min.into(), max.into(), reason)? {
            Some(n) if n.fract() != 0.0 => Err(fault(self.path(key), reason)),
            n => Ok(n.map(|n| n as u32)),
        }
    }

    /// `true` or `false`.
    pub fn flag(&self, key: &str) -> Parsed<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong(self.path(key), "must be true or false", other)),
        }
    }

    /// A list; absent means empty.
    pub fn list(&self, key: &str) -> Parsed<&'a [Value]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::List(items)) => Ok(items),
            Some(other) => Err(wrong(self.path(key), "must be a list", other)),
        }
    }

    /// The position in `names` of the string at `key`; `reason` lists the names.
    pub fn pick(&self, key: &str, names: &[&str], reason: &'static str) -> Parsed<Option<usize>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Str(s)) => match names.iter().position(|n| n == s) {
                Some(i) => Ok(Some(i)),
                None => Err(fault(self.path(key), reason)),
            },
            Some(other) => Err(wrong(self.path(key), reason, other)),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::survey::tests::json;

    fn read<T>(text: &str, get: impl Fn(&Fields) -> Parsed<T>) -> Parsed<T> {
        let value = json(text);
        get(&Fields::new(&value, "q[0]")?)
    }

    #[test]
    fn paths_name_the_field_as_written() {
        assert_eq!(join("", "id"), "id");
        assert_eq!(join("questions[1]", "type"), "questions[1].type");
        assert_eq!(item("questions", 12), "questions[12]");
        assert_eq!(item(&join("a", "b"), 0), "a.b[0]");
    }

    #[test]
    fn a_non_object_says_what_it_was() {
        let err = Fields::new(&Value::List(vec![]), "trigger").err().unwrap();
        assert_eq!(
            *err,
            Fault {
                field: "trigger".into(),
                reason: "must be an object",
                got: Some("a list")
            }
        );
    }

    #[test]
    fn unknown_keys_are_faults() {
        assert_eq!(
            read(r#"{"a":1,"b":2}"#, |f| f.known(&[&["a"], &["b"]])),
            Ok(())
        );
        let err = read(r#"{"a":1,"requried":true}"#, |f| {
            f.known(&[&["a", "required"]])
        })
        .unwrap_err();
        assert_eq!(err.field, "q[0].requried");
        assert_eq!(err.reason, "is not a known field");
    }

    #[test]
    fn null_is_absent() {
        assert_eq!(
            read(r#"{"a":null}"#, |f| f
                .text("a")
                .map(|t| t.map(String::from))),
            Ok(None)
        );
        assert_eq!(
            read(r#"{"a":null}"#, |f| f.list("a").map(<[Value]>::len)),
            Ok(0)
        );
    }

    #[test]
    fn ids_are_required_and_fit_the_payload() {
        let long = ["{\"id\":\"", &"x".repeat(101), "\"}"].concat();
        let err = read(&long, |f| f.id().map(|_| ())).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.reason),
            ("q[0].id", "must be at most 100 characters")
        );
        let fits = ["{\"id\":\"", &"é".repeat(100), "\"}"].concat();
        assert_eq!(read(&fits, |f| f.id().map(str::len)), Ok(200));
        let err = read("{}", |f| f.id().map(|_| ())).unwrap_err();
        assert_eq!(err.field, "q[0].id");
    }

    #[test]
    fn text_is_trimmed_and_never_empty() {
        assert_eq!(
            read(r#"{"a":" hi "}"#, |f| f
                .text("a")
                .map(|t| t.map(String::from))),
            Ok(Some("hi".into()))
        );
        let err = read(r#"{"a":"  "}"#, |f| f.text("a").map(|_| ())).unwrap_err();
        assert_eq!(
            (err.reason, err.got),
            ("must be a non-empty string", Some("a string"))
        );
        let err = read(r#"{"a":3}"#, |f| f.text("a").map(|_| ())).unwrap_err();
        assert_eq!(err.got, Some("a number"));
    }

    #[test]
    fn numbers_are_checked_against_their_range() {
        let get = |text: &str| {
            read(text, |f| {
                f.number("n", 0.0, 10.0, "must be a number from 0 to 10")
            })
        };
        assert_eq!(get(r#"{"n":2.5}"#), Ok(Some(2.5)));
        assert_eq!(get(r#"{"n":10}"#), Ok(Some(10.0)));
        assert_eq!(get(r#"{"n":11}"#).unwrap_err().got, None);
        assert_eq!(get(r#"{"n":"3"}"#).unwrap_err().got, Some("a string"));
        let value = Value::Map(vec![("n".into(), Value::Num(f64::NAN))]);
        assert!(Fields::new(&value, "")
            .unwrap()
            .number("n", 0.0, 10.0, "")
            .is_err());
    }

    #[test]
    fn whole_numbers_refuse_fractions() {
        let get = |text: &str| {
            read(text, |f| {
                f.whole("n", 1, 5, "must be a whole number from 1 to 5")
            })
        };
        assert_eq!(get(r#"{"n":5}"#), Ok(Some(5)));
        assert_eq!(get(r#"{"n":2.5}"#).unwrap_err().field, "q[0].n");
        assert!(get(r#"{"n":0}"#).is_err());
    }

    #[test]
    fn flags_lists_and_names() {
        assert_eq!(read(r#"{"f":false}"#, |f| f.flag("f")), Ok(Some(false)));
        assert_eq!(
            read(r#"{"f":"yes"}"#, |f| f.flag("f")).unwrap_err().got,
            Some("a string")
        );
        assert_eq!(
            read(r#"{"l":[1,2]}"#, |f| f.list("l").map(<[Value]>::len)),
            Ok(2)
        );
        assert_eq!(
            read(r#"{"l":{}}"#, |f| f.list("l").map(|_| ()))
                .unwrap_err()
                .got,
            Some("an object")
        );
        let names = ["once", "until_answered"];
        assert_eq!(
            read(r#"{"s":"until_answered"}"#, |f| f.pick("s", &names, "r")),
            Ok(Some(1))
        );
        assert_eq!(
            read(r#"{"s":"twice"}"#, |f| f.pick("s", &names, "r"))
                .unwrap_err()
                .got,
            None
        );
        assert_eq!(
            read(r#"{"s":2}"#, |f| f.pick("s", &names, "r"))
                .unwrap_err()
                .got,
            Some("a number")
        );
    }
}
