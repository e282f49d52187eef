//! Ghost's cut of an excerpt, as its `downsize` dependency makes it, so excerpts and social
//! descriptions end on the same word as on Ghost.
//!
//! The rules, which differ from "split at whitespace": a word is a run of letters (any
//! script), ASCII digits, hyphens and apostrophes, so a lone `*` or `(` is no word while a
//! spaced `-` is one; a word counts once the character after it is read, and that character
//! is kept; whitespace inside the kept text stays as it is and the ends are trimmed. Ghost's
//! `{{excerpt}}` cuts the HTML-escaped text, so `&#39;` in "Iraq&#39;s" is three words there:
//! [`excerpt`] does the same and gives back plain text for the template to escape.

/// How to cut: after this many words, or this many characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    Words(usize),
    Characters(usize),
}

/// `text` cut by `cut`, as `downsize` cuts text without markup.
pub(crate) fn downsize(text: &str, cut: Cut) -> &str {
    let (limit, by_words) = match cut {
        Cut::Words(n) => (n, true),
        Cut::Characters(n) => (n, false),
    };
    let mut counted = 0;
    let mut in_word = false;
    let mut end = text.len();
    for (at, c) in text.char_indices() {
        if counted >= limit {
            end = at;
            break;
        }
        if by_words {
            let word = is_word_char(c);
            if word != in_word {
                in_word = word;
                if !word {
                    counted += 1;
                }
            }
        } else {
            counted += 1;
        }
    }
    text[..end].trim()
}

/// Ghost's `{{excerpt}}`: `text` escaped as lodash escapes it, cut, and unescaped again.
pub(crate) fn excerpt(text: &str, cut: Cut) -> String {
    let escaped = escape(text);
    unescape(downsize(&escaped, cut))
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == '-' || c == '\''
}

/// The five characters lodash's `_.escape` replaces.
const ENTITIES: [(char, &str); 5] = [
    ('&', "&amp;"),
    ('<', "&lt;"),
    ('>', "&gt;"),
    ('"', "&quot;"),
    ('\'', "&#39;"),
];

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match ENTITIES.iter().find(|(raw, _)| *raw == c) {
            Some((_, entity)) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

/// Whole entities back to their characters; a cut one stays as it was cut.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(_, e)| rest.starts_with(e)) {
            Some((raw, entity)) => {
                out.push(*raw);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{Cut, downsize, excerpt};

    #[test]
    fn words_are_runs_of_letters_digits_hyphens_and_apostrophes() {
        assert_eq!(downsize("a b c d", Cut::Words(2)), "a b");
        assert_eq!(downsize("a * b c d", Cut::Words(2)), "a * b");
        assert_eq!(downsize("a. b, c d", Cut::Words(2)), "a. b,");
        assert_eq!(downsize("one (two) three", Cut::Words(2)), "one (two)");
        assert_eq!(downsize("a - b", Cut::Words(2)), "a -");
        assert_eq!(downsize("é à b", Cut::Words(2)), "é à");
        assert_eq!(downsize("a  b   c", Cut::Words(2)), "a  b");
        assert_eq!(downsize("short", Cut::Words(50)), "short");
        assert_eq!(downsize("", Cut::Words(5)), "");
    }

    #[test]
    fn characters_count_every_character() {
        assert_eq!(downsize("abc def", Cut::Characters(4)), "abc");
        assert_eq!(downsize("عربي نص", Cut::Characters(3)), "عرب");
    }

    #[test]
    fn excerpts_count_the_escaped_text_as_ghost_does() {
        // `&#39;` makes "Iraq's" three words, and the bullets are no words at all.
        let text = "BAGHDAD - Iraq's government * agreed on a plan";
        assert_eq!(excerpt(text, Cut::Words(5)), "BAGHDAD - Iraq's");
        assert_eq!(excerpt("x&y z", Cut::Words(2)), "x&");
        assert_eq!(excerpt("A <b> c", Cut::Characters(6)), "A <");
    }
}
