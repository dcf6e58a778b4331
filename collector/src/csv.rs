//! CSV as the exports write it (RFC 4180, CRLF line ends), with cells a spreadsheet will not
//! run as formulas.

/// Appends one CSV row (RFC 4180, CRLF line ends).
pub fn row(out: &mut String, cells: &[String]) {
    for (index, text) in cells.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&cell(text));
    }
    out.push_str("\r\n");
}

/// One cell, safe for a spreadsheet: a cell starting with `=`, `+`, `-`, `@` (or a tab or
/// carriage return, which some spreadsheets skip before those) would be run as a formula, so it
/// gets a leading `'`, which shows the text as typed. Cells with separators or quotes are
/// quoted.
fn cell(cell: &str) -> String {
    let guarded = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\t=1"), "'\t=1");
        assert_eq!(cell("a=b"), "a=b");
    }

    #[test]
    fn separators_and_quotes_are_quoted() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn a_row_ends_with_crlf() {
        let mut out = String::new();
        row(&mut out, &["a".to_owned(), "b c".to_owned(), String::new()]);
        assert_eq!(out, "a,b c,\r\n");
    }
}
