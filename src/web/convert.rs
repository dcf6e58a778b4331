//! Turns JavaScript values (a `dataset`, `window.ReboundConfig`, a parsed config file) into [`Value`] trees, so
//! the configuration rules never touch `JsValue`.

use crate::prelude::*;
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
        // Loops by index rather than iterator adapters: the same work in fewer bytes of wasm.
        let array: &Array = v.unchecked_ref();
        let mut items = Vec::new();
        for i in 0..array.length() {
            items.push(convert(&array.get(i), depth + 1));
        }
        Value::List(items)
    } else {
        let entries = Object::entries(v.unchecked_ref());
        let mut map = Vec::new();
        for i in 0..entries.length() {
            let pair: Array = entries.get(i).unchecked_into();
            map.push((
                pair.get(0).as_string().unwrap_or_default(),
                convert(&pair.get(1), depth + 1),
            ));
        }
        Value::Map(map)
    }
}
