//! Building the inbox's HTML as text: [`Escaped`] for every dynamic value, and the page frame
//! shared by all pages. Pages are plain documents that work without JavaScript.

use std::fmt::{self, Display, Write as _};

use serde_json::Value;

/// The path of the stylesheet; served from the collector so that the CSP needs no inline style.
pub const STYLESHEET: &str = "/inbox/inbox.css";

/// The stylesheet: readable on a phone (one column, large tap targets) and on a desktop.
pub const CSS: &str = "\
body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f5f5f7}
header,main{max-width:60rem;margin:auto;padding:.75rem 1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
h1{font-size:1.3rem;margin:.25rem 0}h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
a{color:#0050b3}
ol.queue{list-style:none;padding:0;margin:0}
ol.queue li{background:#fff;border-radius:.5rem;margin:.5rem 0;padding:.75rem;border-left:.4rem solid #aaa}
ol.queue li.urgent,ol.queue li.high{border-left-color:#c62828}ol.queue li.normal{border-left-color:#f9a825}
.meta{color:#555;font-size:.9rem}.overdue{color:#fff;background:#c62828;border-radius:.25rem;padding:0 .35rem;font-weight:600}
.badge{font-weight:600;text-transform:uppercase;font-size:.8rem}
form.filters,form.change{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
label{display:flex;flex-direction:column;font-size:.9rem}
input,select,textarea,button{font:inherit;padding:.45rem;min-height:2.5rem;box-sizing:border-box}
textarea{width:100%;min-height:6rem}form.change label.notes{flex-basis:100%}
section{background:#fff;border-radius:.5rem;padding:.75rem;margin:.75rem 0;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem .75rem;margin:0}
dt{color:#555}dd{margin:0}
.error{background:#ffebee;border-radius:.5rem;padding:.75rem}
";

/// A value written into HTML text or a quoted attribute, with the five special characters
/// escaped.
pub struct Escaped<'a>(pub &'a str);

impl Display for Escaped<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for character in self.0.chars() {
            match character {
                '&' => formatter.write_str("&amp;")?,
                '<' => formatter.write_str("&lt;")?,
                '>' => formatter.write_str("&gt;")?,
                '"' => formatter.write_str("&quot;")?,
                '\'' => formatter.write_str("&#39;")?,
                other => formatter.write_char(other)?,
            }
        }
        Ok(())
    }
}

/// A whole page around `body` (already HTML), with a header holding `header_extra`.
pub fn page(title: &str, header_extra: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · Rebound inbox</title><link rel=\"stylesheet\" href=\"{STYLESHEET}\"></head>\
         <body><header><h1>{}</h1>{header_extra}</header><main>{body}</main></body></html>",
        Escaped(title),
        Escaped(title),
    )
}

/// A JSON value for people: strings as they are, objects as a definition list.
pub fn json_value(out: &mut String, value: &Value) {
    match value {
        Value::String(text) => {
            let _ = write!(out, "{}", Escaped(text));
        }
        Value::Object(object) => {
            out.push_str("<dl>");
            for (key, value) in object {
                let _ = write!(out, "<dt>{}</dt><dd>", Escaped(key));
                json_value(out, value);
                out.push_str("</dd>");
            }
            out.push_str("</dl>");
        }
        Value::Array(items) => {
            let texts: Vec<String> = items
                .iter()
                .map(|item| {
                    let mut text = String::new();
                    json_value(&mut text, item);
                    text
                })
                .collect();
            out.push_str(&texts.join(", "));
        }
        other => {
            let _ = write!(out, "{}", Escaped(&other.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_what_could_open_markup_or_close_an_attribute() {
        assert_eq!(
            Escaped("<script>\"x\" & 'y'</script>").to_string(),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn renders_json_values_escaped() {
        let mut out = String::new();
        json_value(
            &mut out,
            &json!({"cart_value": 120, "items": ["<b>", "x"], "plan": "pro"}),
        );
        assert_eq!(
            out,
            "<dl><dt>cart_value</dt><dd>120</dd><dt>items</dt><dd>&lt;b&gt;, x</dd>\
             <dt>plan</dt><dd>pro</dd></dl>"
        );
    }

    #[test]
    fn the_page_escapes_its_title() {
        let html = page("<x>", "", "<p>body</p>");
        assert!(html.contains("<title>&lt;x&gt; · Rebound inbox</title>"));
        assert!(html.contains("<main><p>body</p></main>"));
    }
}
