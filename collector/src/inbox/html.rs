//! The inbox's page frame and the parts the pages share, as maud templates: every dynamic value
//! is escaped by maud, and the pages are plain documents that work without JavaScript.

use maud::{html, Markup, DOCTYPE};
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
.reminder{color:#fff;background:#1565c0;border-radius:.25rem;padding:0 .35rem;font-weight:600}
.badge{font-weight:600;text-transform:uppercase;font-size:.8rem}
form.filters,form.change{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
label{display:flex;flex-direction:column;font-size:.9rem}
input,select,textarea,button{font:inherit;padding:.45rem;min-height:2.5rem;box-sizing:border-box}
textarea{width:100%;min-height:6rem}form.change label.notes{flex-basis:100%}
section{background:#fff;border-radius:.5rem;padding:.75rem;margin:.75rem 0;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem .75rem;margin:0}
dt{color:#555}dd{margin:0}
.error{background:#ffebee;border-radius:.5rem;padding:.75rem}
figure.chart{margin:.75rem 0}figure.chart svg{width:100%;height:auto}figcaption{font-weight:600}
.chart .bar{fill:#1565c0}.chart text{font-size:13px;fill:#1d1d1f}.chart .count{fill:#555}
p.headline{font-size:1.1rem;font-weight:600}
details.table table{border-collapse:collapse;margin:.25rem 0}details.table th,details.table td{padding:.1rem .6rem;text-align:left}
.figures{display:flex;flex-wrap:wrap;gap:1.5rem}.figures div{font-size:.9rem;color:#555}.figures strong{display:block;font-size:1.6rem;color:#1d1d1f}
ol.texts{padding-left:1.25rem}ol.texts li{margin:.4rem 0}
.notice{background:#e8f5e9;border-radius:.5rem;padding:.75rem}
.status{font-weight:600}.status.live{color:#1b5e20}.status.paused{color:#7a5200}.status.draft{color:#555}
table.surveys{width:100%;border-collapse:collapse}table.surveys th,table.surveys td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}
form.inline{display:inline}
.studio{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr) 27rem;align-items:start}
.studio.desktop{grid-template-columns:minmax(0,1fr)}
.studio textarea{min-height:32rem;font:14px/1.4 ui-monospace,monospace;margin:.25rem 0;white-space:pre;overflow-wrap:normal;overflow-x:auto}
.studio .preview{margin:0}
.controls{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
fieldset{border:0;padding:0;margin:0;display:flex;gap:.5rem;align-items:center}
label.choice{flex-direction:row;gap:.25rem;align-items:center}
.frame iframe{display:block;border:1px solid #888;border-radius:.5rem;background:#fff}
.studio.phone .frame iframe{width:390px;max-width:100%;height:720px}
.studio.desktop .frame iframe{width:100%;height:640px}
ul.problems{margin:.25rem 0;padding-left:1.25rem}ul.problems code.field{font-weight:600}
p.error-title{color:#b71c1c;font-weight:600;margin:.25rem 0}
body.preview-page main{max-width:none}
@media (max-width:60rem){.studio{grid-template-columns:minmax(0,1fr)}}
";

/// A whole page around `body`, with `header_extra` beside the title.
pub fn page(title: &str, header_extra: Markup, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (title) " · Rebound inbox" }
                link rel="stylesheet" href=(STYLESHEET);
            }
            body {
                header { h1 { (title) } (header_extra) }
                main { (body) }
            }
        }
    }
    .into_string()
}

/// The sign-out button, on every page of a signed-in session.
pub fn logout(csrf: &str) -> Markup {
    html! {
        form method="post" action="/inbox/logout" {
            input type="hidden" name="csrf" value=(csrf);
            button { "Sign out" }
        }
    }
}

/// A `<select>` named `name` offering `options` (value, label), with `selected` chosen.
pub fn select(name: &str, label: &str, options: &[(&str, &str)], selected: &str) -> Markup {
    html! {
        label {
            (label)
            select name=(name) {
                @for (value, text) in options {
                    option value=(value) selected[*value == selected] { (text) }
                }
            }
        }
    }
}

/// `text` as a query string value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A JSON value for people: strings as they are, objects as a definition list, arrays joined
/// with commas.
pub fn json_value(value: &Value) -> Markup {
    html! {
        @match value {
            Value::String(text) => (text),
            Value::Object(object) => dl {
                @for (key, value) in object {
                    dt { (key) }
                    dd { (json_value(value)) }
                }
            },
            Value::Array(items) => @for (index, item) in items.iter().enumerate() {
                @if index > 0 { ", " }
                (json_value(item))
            },
            other => (other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_json_values_escaped() {
        let html = json_value(&json!({"cart_value": 120, "items": ["<b>", "x"], "plan": "pro"}));
        assert_eq!(
            html.into_string(),
            "<dl><dt>cart_value</dt><dd>120</dd><dt>items</dt><dd>&lt;b&gt;, x</dd>\
             <dt>plan</dt><dd>pro</dd></dl>"
        );
    }

    #[test]
    fn the_page_escapes_its_title() {
        let html = page("<x>", html! {}, html! { p { "body" } });
        assert!(html.contains("<title>&lt;x&gt; · Rebound inbox</title>"));
        assert!(html.contains("<main><p>body</p></main>"));
    }
}
