//! The dateline: the place a story was reported from, leading its first paragraph
//! ("ERBIL, Kurdistan Region of Iraq - Iraqi Prime Minister…", as the editor typed it).
//!
//! Dateline keeps it as a field of the post so the theme can style it, feeds and JSON-LD can
//! state it, and editors can change it without editing the body. Stories imported from Ghost
//! carry it as plain text at the start of the body instead ("ERBIL, Kurdistan Region of Iraq -
//! Iraqi…"); [`detect_dateline`] finds it there for the importer, and [`mark_dateline`] marks up
//! the existing text rather than printing the place twice.

/// How far into the first paragraph a dateline may end, in characters; a spaced dash later
/// than this is punctuation inside a sentence, not a dateline.
const MAX_DATELINE_CHARS: usize = 80;

/// The dashes newsrooms type after a dateline, spaced: hyphen, en dash, em dash, double hyphen.
const SEPARATORS: &[&str] = &[" - ", " – ", " — ", " -- "];

/// The same separators as HTML entities, since some editors store them that way.
const ENTITY_SEPARATORS: &[&str] = &[" &ndash; ", " &mdash; ", " &#8211; ", " &#8212; "];

/// The dateline leading a Ghost HTML body, if there is one: an ALL-CAPS place name, optionally
/// followed by `, ` and a region ("Kurdistan Region of Iraq"), then a spaced dash, all within
/// the first 80 characters of the first paragraph. Returns the dateline without the dash.
///
/// Requiring the dash keeps ordinary sentences out: "NATO said on Monday…" starts with capitals
/// but is not a dateline.
pub fn detect_dateline(html: &str) -> Option<String> {
    let start = first_paragraph_content(html)?;
    let text = leading_text(&html[start..], MAX_DATELINE_CHARS + 4);
    let (end, _) = SEPARATORS
        .iter()
        .filter_map(|sep| text.find(sep).map(|at| (at, sep)))
        .min_by_key(|(at, _)| *at)?;
    if text[..end].chars().count() > MAX_DATELINE_CHARS {
        return None;
    }
    let candidate = &text[..end];
    let (place, region) = match candidate.split_once(", ") {
        Some((place, region)) => (place, Some(region)),
        None => (candidate, None),
    };
    if !is_caps_place(place) || !region.is_none_or(is_region) {
        return None;
    }
    Some(candidate.to_owned())
}

/// `html` with `dateline` marked up as `<span class="dateline">PLACE —</span>` at the start of
/// the first paragraph. When the paragraph already opens with the dateline and a spaced dash
/// (as Ghost imports do), that text becomes the span, dash and all as the editor typed it, so
/// the story reads as it did on Ghost ("ERBIL, Kurdistan Region of Iraq -"); otherwise the span
/// is inserted with an em dash. A body without a paragraph is returned unchanged: there is no
/// sentence for the dateline to lead.
pub fn mark_dateline(html: &str, dateline: &str) -> String {
    let dateline = dateline.trim();
    let Some(start) = first_paragraph_content(html).filter(|_| !dateline.is_empty()) else {
        return html.to_owned();
    };
    let rest = &html[start..];
    let existing = [dateline.to_owned(), escape_text(dateline)]
        .into_iter()
        .find_map(|text| {
            let after = rest.strip_prefix(text.as_str())?;
            SEPARATORS
                .iter()
                .chain(ENTITY_SEPARATORS)
                .find(|sep| after.starts_with(**sep))
                .map(|sep| text.len() + sep.len())
        });
    let mut marked = String::with_capacity(html.len() + 40);
    marked.push_str(&html[..start]);
    match existing {
        Some(end) => {
            // The typed text up to the dash, which ends the span; the space after it stays.
            marked.push_str(r#"<span class="dateline">"#);
            marked.push_str(rest[..end].trim_end());
            marked.push_str("</span> ");
            marked.push_str(&rest[end..]);
        }
        None => {
            marked.push_str(r#"<span class="dateline">"#);
            marked.push_str(&crate::html::escape(dateline));
            marked.push_str(" —</span> ");
            marked.push_str(rest);
        }
    }
    marked
}

/// Byte offset just after the first `<p>` (or `<p class=…>`) opening tag.
fn first_paragraph_content(html: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = html[from..].find("<p") {
        let at = from + found + 2;
        match html.as_bytes().get(at) {
            Some(b'>') => return Some(at + 1),
            Some(b' ' | b'\t' | b'\n' | b'\r') => {
                return html[at..].find('>').map(|end| at + end + 1);
            }
            _ => from = at,
        }
    }
    None
}

/// Up to `limit` characters of text from the start of `html`, with inline tags dropped and the
/// entities a dateline can contain decoded, stopping at the end of the paragraph.
fn leading_text(html: &str, limit: usize) -> String {
    let mut text = String::new();
    let mut count = 0;
    let mut rest = html;
    while count < limit {
        let Some(c) = rest.chars().next() else { break };
        if c == '<' {
            if rest.starts_with("</p") {
                break;
            }
            let Some(end) = rest.find('>') else { break };
            rest = &rest[end + 1..];
            continue;
        }
        if c == '&'
            && let Some((decoded, len)) = decode_entity(rest)
        {
            text.push(decoded);
            count += 1;
            rest = &rest[len..];
            continue;
        }
        text.push(c);
        count += 1;
        rest = &rest[c.len_utf8()..];
    }
    text
}

fn decode_entity(text: &str) -> Option<(char, usize)> {
    const ENTITIES: &[(&str, char)] = &[
        ("&amp;", '&'),
        ("&nbsp;", ' '),
        ("&#160;", ' '),
        ("&ndash;", '–'),
        ("&#8211;", '–'),
        ("&mdash;", '—'),
        ("&#8212;", '—'),
        ("&#39;", '\''),
        ("&#x27;", '\''),
        ("&rsquo;", '’'),
    ];
    ENTITIES
        .iter()
        .find(|(entity, _)| text.starts_with(entity))
        .map(|(entity, c)| (*c, entity.len()))
}

/// An ALL-CAPS place name: words of capital letters joined by spaces, hyphens, apostrophes or
/// periods ("ERBIL", "NEW YORK", "ST. LOUIS", "AL-QAIM"), with at least two letters.
fn is_caps_place(place: &str) -> bool {
    let mut letters = 0;
    let mut previous = ' ';
    for c in place.chars() {
        let ok = if c.is_alphabetic() {
            letters += 1;
            !c.is_lowercase()
        } else {
            matches!(c, ' ' | '-' | '\'' | '’' | '.') && previous != ' ' && previous != '-'
        };
        if !ok {
            return false;
        }
        previous = c;
    }
    letters >= 2 && place.starts_with(|c: char| c.is_uppercase())
}

/// The region after the comma: capitalised words ("Kurdistan Region of Iraq", "D.C.").
fn is_region(region: &str) -> bool {
    region.starts_with(|c: char| c.is_uppercase())
        && region
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.' | ','))
}

/// `text` escaped as HTML text content is stored (`&`, `<`, `>`), for finding it in a body.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "<p>ERBIL, Kurdistan Region of Iraq - Iraqi Prime Minister Mohammed Shia' al-Sudani on Monday gave an address.</p><p>Second.</p>";

    #[test]
    fn detects_place_and_region() {
        assert_eq!(
            detect_dateline(SEED).as_deref(),
            Some("ERBIL, Kurdistan Region of Iraq")
        );
    }

    #[test]
    fn detects_a_bare_place_and_other_dashes() {
        assert_eq!(
            detect_dateline("<p>BAGHDAD - Iraq's federal government</p>").as_deref(),
            Some("BAGHDAD")
        );
        assert_eq!(
            detect_dateline("<p class=\"x\">NEW YORK — The UN</p>").as_deref(),
            Some("NEW YORK")
        );
        assert_eq!(
            detect_dateline("<p><strong>ST. LOUIS</strong> &ndash; A storm</p>").as_deref(),
            Some("ST. LOUIS")
        );
        assert_eq!(
            detect_dateline("<figure></figure><p>AL-QAIM, Iraq – Troops</p>").as_deref(),
            Some("AL-QAIM, Iraq")
        );
    }

    #[test]
    fn sentences_are_not_datelines() {
        for html in [
            "<p>NATO said on Monday that it would expand the mission.</p>",
            "<p>NATO said - in a statement - that it would stay.</p>",
            "<p>The NATO Mission in Iraq - set up in 2018 - advises.</p>",
            "<p>Erbil - the capital</p>",
            "<p>UN Security Council - members met</p>",
            "<p>I - for one - disagree.</p>",
            "<p>A</p><p>BAGHDAD - later paragraph</p>",
            "<pre>BAGHDAD - code</pre>",
            "<p>BAGHDAD, 12 May - Numbers are not a region</p>",
            "<p>BAGHDAD-based analysts say</p>",
            "",
        ] {
            assert_eq!(detect_dateline(html), None, "{html}");
        }
        let far = format!("<p>{} - too late</p>", "A".repeat(90));
        assert_eq!(detect_dateline(&far), None);
    }

    #[test]
    fn marks_an_existing_dateline_once_with_the_dash_as_typed() {
        let marked = mark_dateline(SEED, "ERBIL, Kurdistan Region of Iraq");
        assert!(
            marked.starts_with(
                r#"<p><span class="dateline">ERBIL, Kurdistan Region of Iraq -</span> Iraqi Prime Minister"#
            ),
            "{marked}"
        );
        assert_eq!(marked.matches("ERBIL").count(), 1);
    }

    #[test]
    fn inserts_a_missing_dateline() {
        assert_eq!(
            mark_dateline("<h2>Hi</h2><p>Troops left.</p>", "MOSUL"),
            r#"<h2>Hi</h2><p><span class="dateline">MOSUL —</span> Troops left.</p>"#
        );
    }

    #[test]
    fn escapes_the_dateline_and_matches_its_escaped_form() {
        assert_eq!(
            mark_dateline("<p>A &amp; B &ndash; Text</p>", "A & B"),
            r#"<p><span class="dateline">A &amp; B &ndash;</span> Text</p>"#
        );
        assert_eq!(
            mark_dateline("<p>Text</p>", "<b>"),
            r#"<p><span class="dateline">&lt;b&gt; —</span> Text</p>"#
        );
    }

    #[test]
    fn leaves_bodies_without_paragraphs_alone() {
        assert_eq!(mark_dateline("<h2>Only</h2>", "ERBIL"), "<h2>Only</h2>");
        assert_eq!(mark_dateline("<p>Text</p>", "  "), "<p>Text</p>");
    }
}
