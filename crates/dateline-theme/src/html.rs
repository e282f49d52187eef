//! HTML escaping exactly as Handlebars.js does it (`&<>"'` and `` ` `` and `=`), so text
//! printed by templates and by Rust (`ghost_head`, datelines) looks the same as in Ghost.
//! It writes into a buffer with one pass over the bytes: escaping runs for every `{{value}}`
//! of every render, and the `handlebars` crate's own version grows its output a character at
//! a time.

/// `text` escaped, appended to `out`.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            b'`' => "&#x60;",
            b'=' => "&#x3D;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// `text` escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn matches_handlebars() {
        for text in [
            "",
            "plain",
            "a & b <c> \"d\" 'e' `f` g=h",
            "ئەربیل & ك",
            "&&",
        ] {
            assert_eq!(escape(text), handlebars::html_escape(text), "{text}");
        }
    }
}
