//! The shape configuration arrives in, whether from script-tag attributes, `window.ReboundConfig` or a JSON config
//! file: a small JSON-like tree. The browser layer converts JavaScript values into it, so every rule that reads
//! configuration works on plain Rust data and is tested natively.

use crate::prelude::*;

/// One configuration value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` or `undefined`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number.
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    List(Vec<Value>),
    /// An object, its keys in their original order.
    Map(Vec<(String, Value)>),
    /// Anything JSON cannot hold (a function, a symbol): always a mistake in configuration.
    Other,
}

impl Value {
    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string this is, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number this is, if it is one.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// What kind of value this is, in the words an error message uses ("got a number").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "an object",
            Value::Other => "a function or other non-JSON value",
        }
    }
}
