//! The widget's stylesheets as they ship: `launcher.css` (the button, which the eager core draws) and `card.css`
//! (the dialog and the survey card, which the full widget adds), each with its comments and the white space CSS
//! does not need removed at compile time, so the comments that explain them cost the widget no bytes. (A
//! stylesheet must not hold `/*` inside a string, nor a `: ` that matters; they have no reason to.)

/// Whether white space next to `byte` can go: around braces, semicolons and commas, and after colons (a space
/// before a colon can be a descendant combinator, as in `.stars :checked`).
const fn tight(byte: u8, after: bool) -> bool {
    matches!(byte, b'{' | b'}' | b';' | b',') || (after && byte == b':')
}

/// Writes the stylesheet without comments, with each run of white space made one space or none where
/// [`tight`] allows, into `out` (when it is long enough); returns the length of the result.
const fn compact(src: &[u8], out: &mut [u8]) -> usize {
    let (mut i, mut len, mut space, mut prev) = (0, 0, false, b'{');
    while i < src.len() {
        let byte = src[i];
        if byte == b'/' && i + 1 < src.len() && src[i + 1] == b'*' {
            i += 2;
            while i + 1 < src.len() && !(src[i] == b'*' && src[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            space = true;
            continue;
        }
        if byte.is_ascii_whitespace() {
            space = true;
        } else {
            // `prev` starts as a brace, so the stylesheet never starts with a space.
            if space && !tight(prev, true) && !tight(byte, false) {
                if len < out.len() {
                    out[len] = b' ';
                }
                len += 1;
            }
            if len < out.len() {
                out[len] = byte;
            }
            len += 1;
            space = false;
            prev = byte;
        }
        i += 1;
    }
    len
}

/// Defines `$name`, the stylesheet `$file` compacted at compile time.
macro_rules! compacted {
    ($(#[$doc:meta])* $name:ident = $file:literal) => {
        $(#[$doc])*
        pub const $name: &str = {
            const SOURCE: &[u8] = include_str!($file).as_bytes();
            const LEN: usize = compact(SOURCE, &mut []);
            const BYTES: [u8; LEN] = {
                let mut out = [0; LEN];
                compact(SOURCE, &mut out);
                out
            };
            match core::str::from_utf8(&BYTES) {
                Ok(css) => css,
                Err(_) => panic!(concat!($file, " is not UTF-8")),
            }
        };
    };
}

compacted!(
    /// The button's stylesheet, which the eager core puts into the shadow root.
    LAUNCHER = "launcher.css"
);
compacted!(
    /// The dialog's and the survey card's stylesheet, which the full widget adds after [`LAUNCHER`].
    CARD = "card.css"
);

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The source's words in order, with its comments cut out by a plain search and the spaces [`tight`] drops
    /// dropped by plain replacing.
    fn words_without_comments(source: &str) -> Vec<String> {
        let mut rest = source;
        let mut kept = String::new();
        while let Some(start) = rest.find("/*") {
            kept.push_str(&rest[..start]);
            kept.push(' ');
            let end = rest[start..].find("*/").expect("every comment is closed");
            rest = &rest[start + end + 2..];
        }
        kept.push_str(rest);
        let mut one = kept.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        for tight in ["{", "}", ";", ","] {
            one = one
                .replace(&format!(" {tight}"), tight)
                .replace(&format!("{tight} "), tight);
        }
        one.replace(": ", ":")
            .split(' ')
            .map(String::from)
            .collect()
    }

    #[test]
    fn the_shipped_stylesheets_are_their_sources_without_comments() {
        for (css, source) in [
            (LAUNCHER, include_str!("launcher.css")),
            (CARD, include_str!("card.css")),
        ] {
            assert!(source.contains("/*"), "the source explains itself");
            assert!(!css.contains("/*") && !css.contains("*/"));
            assert!(!css.contains('\n') && !css.contains("  ") && !css.contains("; "));
            assert_eq!(
                css.split(' ').map(String::from).collect::<Vec<_>>(),
                words_without_comments(source)
            );
            assert!(css.len() < source.len());
        }
        // What must keep its space does.
        assert!(CARD.contains(".stars input:focus-visible + span{"));
        assert!(LAUNCHER.contains("calc(28px + max(44px,2.75em))"));
    }

    #[test]
    fn compacting_handles_edges() {
        let run = |src: &str| {
            let mut out = [0u8; 64];
            let len = compact(src.as_bytes(), &mut out);
            String::from_utf8(out[..len].to_vec()).unwrap()
        };
        assert_eq!(run("  a {\n  b: c d;\n}\n"), "a{b:c d;}");
        assert_eq!(run("a/* x */b"), "a b");
        assert_eq!(run("/* only */"), "");
        assert_eq!(run("a /* never closed"), "a");
        assert_eq!(run("é\t/**/ ü"), "é ü");
        assert_eq!(
            run("p :is(a, b) > i { x: f(1, 2) }"),
            "p :is(a,b) > i{x:f(1,2)}"
        );
    }
}
