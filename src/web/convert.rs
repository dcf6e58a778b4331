//! Turns JavaScript values (a `dataset`, `window.ReboundConfig`, a parsed config file) into [`Value`] trees, so
//! the configuration rules never touch `JsValue`.

use crate::value::Value;
use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

/// Deeper than any sensible configuration: stops a cyclic object from recursing forever.
const MAX_DEPTH: u8 = 8;

/// Converts `v`; anything that JSON cannot hold, or nested too deep, becomes [`Value::Other`].
pub fn to_value(v: &JsValue) -> Value {
    convert(v, 0)
}

fn convert(v: &JsValue, depth: u8) -> Value {
    if v.is_null() || v.is_undefined() {
        Value::Null
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.as_f64() {
        Value::Num(n)
    } else if let Some(s) = v.as_string() {
        Value::Str(s)
    } else if depth >= MAX_DEPTH || v.is_function() || !v.is_object() {
        Value::Other
    } else if Array::is_array(v) {
        Value::List(
            Array::from(v)
                .iter()
                .map(|item| convert(&item, depth + 1))
                .collect(),
        )
    } else {
        let entries = Object::entries(v.unchecked_ref());
        Value::Map(
            entries
                .iter()
                .map(|pair| {
                    let pair = Array::from(&pair);
                    (
                        pair.get(0).as_string().unwrap_or_default(),
                        convert(&pair.get(1), depth + 1),
                    )
                })
                .collect(),
        )
    }
}
