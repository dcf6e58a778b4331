//! A minimal JSON writer for the payload. The widget only ever writes JSON of a shape it knows, so a few dozen
//! lines replace `serde_json` and its formatting machinery, which would cost kilobytes of wasm.

use crate::prelude::*;

/// A value that can write itself as JSON.
pub trait ToJson {
    /// Appends this value's JSON text to `out`.
    fn write_json(&self, out: &mut String);
}

/// Writes `value` into a new string.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// `s` cut to at most `max` characters, so that a long title or URL never makes the endpoint reject the answer.
pub fn clip(s: &str, max: usize) -> &str {
    // `get` rather than indexing: the end is always a char boundary, and this keeps panic code out of the wasm.
    match s.char_indices().nth(max) {
        Some((end, _)) => s.get(..end).unwrap_or(s),
        None => s,
    }
}

/// Writes a JSON object field by field.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    /// Opens an object in `out`.
    pub fn new(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    /// Adds one field.
    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        self.key(key);
        value.write_json(self.out);
        self
    }

    /// Writes the separator and `key:`. Kept out of line so that each type `field` is used with adds only the
    /// call, not another copy of this.
    #[inline(never)]
    fn key(&mut self, key: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        key.write_json(self.out);
        self.out.push(':');
    }

    /// Adds one field when there is a value; an optional field is left out rather than written as `null`.
    pub fn maybe<T: ToJson + ?Sized>(&mut self, key: &str, value: Option<&T>) -> &mut Self {
        match value {
            Some(value) => self.field(key, value),
            None => self,
        }
    }
}

impl Drop for Object<'_> {
    fn drop(&mut self) {
        self.out.push('}');
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    out.push_str("\\u00");
                    out.push(HEX[(c as usize) >> 4] as char);
                    out.push(HEX[(c as usize) & 15] as char);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        u64::from(*self).write_json(out);
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        // Digits are produced backwards into a small buffer: no `core::fmt` needed.
        let mut digits = [0u8; 20];
        let mut n = *self;
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in digits.get(i..).unwrap_or_default() {
            out.push(d as char);
        }
    }
}

impl ToJson for f64 {
    /// Integers exactly, other numbers with up to six decimals (enough for money and measures; no `core::fmt`),
    /// anything not finite or beyond ±1.8e19 as `null`.
    fn write_json(&self, out: &mut String) {
        let abs = self.abs();
        if !self.is_finite() || abs >= 1.8e19 {
            out.push_str("null");
            return;
        }
        if *self < 0.0 {
            out.push('-');
        }
        let millionths = (abs * 1e6).round();
        if millionths >= 9e18 {
            // Beyond what u64 holds in millionths: whole units are all that matter at this size.
            (abs.round() as u64).write_json(out);
            return;
        }
        let millionths = millionths as u64;
        (millionths / 1_000_000).write_json(out);
        // The six decimals, then without their trailing zeros.
        let mut fraction = millionths % 1_000_000;
        let mut digits = [b'0'; 6];
        for digit in digits.iter_mut().rev() {
            *digit = b'0' + (fraction % 10) as u8;
            fraction /= 10;
        }
        let end = digits
            .iter()
            .rposition(|&d| d != b'0')
            .map_or(0, |last| last + 1);
        if end > 0 {
            out.push('.');
        }
        for &digit in digits.get(..end).unwrap_or_default() {
            out.push(digit as char);
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    struct Pair(&'static str, u32);

    impl ToJson for Pair {
        fn write_json(&self, out: &mut String) {
            Object::new(out).field("name", self.0).field("n", &self.1);
        }
    }

    #[test]
    fn strings_are_escaped_so_any_parser_reads_them_back() {
        let nasty = "quote \" backslash \\ newline \n tab \t bell \u{7} nul \0 unicode é 🙂 \u{1f}";
        let text = to_string(nasty);
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, nasty);
        assert!(text.contains("\\u0007") && text.contains("\\u0000") && text.contains("\\u001f"));
    }

    #[test]
    fn numbers_write_every_digit() {
        for n in [0u32, 7, 10, 99, 1280, 65536, u32::MAX] {
            assert_eq!(to_string(&n), n.to_string());
        }
        for n in [1_795_000_000_000u64, u64::MAX] {
            assert_eq!(to_string(&n), n.to_string());
        }
        let floats = [
            (0.0, "0"),
            (129.99, "129.99"),
            (-2.5, "-2.5"),
            (0.000001, "0.000001"),
            (0.05, "0.05"),
            (1e15, "1000000000000000"),
        ];
        for (n, text) in floats {
            assert_eq!(to_string(&n), text);
            assert_eq!(serde_json::from_str::<f64>(text).unwrap(), n);
        }
        assert_eq!(to_string(&f64::NAN), "null");
        assert_eq!(to_string(&1e21), "null");
    }

    #[test]
    fn objects_and_arrays_nest() {
        let text = to_string(&vec![Pair("a", 1), Pair("b\"", 22)]);
        assert_eq!(text, r#"[{"name":"a","n":1},{"name":"b\"","n":22}]"#);
        assert_eq!(to_string(&Vec::<Pair>::new()), "[]");
        assert_eq!(to_string(&true), "true");
    }
}
