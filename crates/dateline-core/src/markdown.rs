//! Markdown to HTML for post bodies written (or converted) as Markdown.
//!
//! The dialect is CommonMark plus the GitHub extensions authors expect from Ghost's Markdown
//! card: tables, footnotes, strikethrough and bare-URL autolinks. Raw HTML passes through
//! untouched because authors are trusted staff; contributors' HTML goes through
//! [`crate::sanitize`] after rendering. Smart punctuation stays off so that rendering never
//! rewrites what the author typed, which also lets [`crate::body`] check a round trip exactly.
//!
//! Headings get Ghost's ids (`## Oil exports` → `<h2 id="oil-exports">`), so anchors and tables
//! of contents made for Ghost keep working.

use std::fmt;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::Sourcepos;
use comrak::options::Plugins;
use comrak::{Options, markdown_to_html_with_plugins};

/// Renders Markdown to HTML with Dateline's one set of options.
pub fn render(markdown: &str) -> String {
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&GhostHeadingIds);
    markdown_to_html_with_plugins(markdown, &options(), &plugins)
}

/// Every comrak option Dateline relies on lives here, so the dialect is defined in one place.
fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.footnotes = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.parse.smart = false;
    // Authors are trusted; untrusted HTML is cleaned by `sanitize` after rendering.
    options.render.r#unsafe = true;
    options
}

/// Writes `<hN id="…">` with Ghost's slug of the heading text instead of comrak's anchor links.
struct GhostHeadingIds;

impl HeadingAdapter for GhostHeadingIds {
    fn enter(
        &self,
        output: &mut dyn fmt::Write,
        heading: &HeadingMeta,
        _sourcepos: Option<Sourcepos>,
    ) -> fmt::Result {
        let id = heading_id(&heading.content);
        if id.is_empty() {
            write!(output, "<h{}>", heading.level)
        } else {
            // `heading_id` percent-encodes everything but URL-safe ASCII, so it needs no escaping.
            write!(output, "<h{} id=\"{id}\">", heading.level)
        }
    }

    fn exit(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta) -> fmt::Result {
        writeln!(output, "</h{}>", heading.level)
    }
}

/// Ghost's heading id for `text` (the Ghost 4–5 rule of `@tryghost/kg-utils`' `slugify`).
///
/// Ghost removes ASCII symbols, turns whitespace runs into `-`, then deletes a leading or
/// trailing `-` and every run of two or more (so `a - b` becomes `ab`, as in Ghost), and
/// percent-encodes the rest like JavaScript's `encodeURIComponent`. Matching it byte for byte
/// keeps links to `#section` anchors of imported posts working.
pub(crate) fn heading_id(text: &str) -> String {
    let lowered = text.trim_matches(is_js_whitespace).to_lowercase();
    let mut dashed = String::with_capacity(lowered.len());
    let mut in_space = false;
    for c in lowered.chars().filter(|c| !is_ghost_symbol(*c)) {
        if is_js_whitespace(c) {
            if !in_space {
                dashed.push('-');
            }
            in_space = true;
        } else {
            dashed.push(c);
            in_space = false;
        }
    }
    encode_uri_component(&drop_dash_runs(&dashed))
}

/// Ghost's `replace(/^-|-{2,}|-$/g, '')`, scanned left to right like the regular expression:
/// one dash at the very start, every run of two or more, and a dash at the very end vanish.
fn drop_dash_runs(slug: &str) -> String {
    let chars: Vec<char> = slug.chars().collect();
    let mut kept = String::with_capacity(slug.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '-' {
            kept.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| **c == '-').count();
        if i == 0 {
            i += 1;
        } else if run >= 2 {
            i += run;
        } else {
            if i + 1 < chars.len() {
                kept.push('-');
            }
            i += 1;
        }
    }
    kept
}

/// The ASCII symbols Ghost 4–5 strips from heading ids (`-` is not among them).
fn is_ghost_symbol(c: char) -> bool {
    "[]!\"#$%&'()*+,./:;<=>?@\\^_{|}~".contains(c)
}

/// JavaScript's `\s`, which Ghost's regular expressions use: Unicode white space without
/// U+0085, plus the byte-order mark.
pub(crate) fn is_js_whitespace(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// JavaScript's `encodeURIComponent`: UTF-8 bytes outside its unreserved set become `%XX`.
fn encode_uri_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ghost_ids() {
        assert_eq!(
            render("## Oil exports"),
            "<h2 id=\"oil-exports\">Oil exports</h2>\n"
        );
        assert_eq!(
            render("# What the *agreement* covers"),
            "<h1 id=\"what-the-agreement-covers\">What the <em>agreement</em> covers</h1>\n"
        );
    }

    #[test]
    fn heading_ids_follow_ghost_slugify() {
        assert_eq!(heading_id("test! one? {two}"), "test-one-two");
        assert_eq!(heading_id(" \ttest    one  two! \t"), "test-one-two");
        assert_eq!(heading_id("ñéïñ"), "%C3%B1%C3%A9%C3%AF%C3%B1");
        assert_eq!(heading_id("Iraq's 2027 budget"), "iraqs-2027-budget");
        // Ghost deletes dash runs rather than collapsing them.
        assert_eq!(heading_id("Erbil - Baghdad"), "erbilbaghdad");
        assert_eq!(heading_id("-edge-"), "edge");
        assert_eq!(heading_id("--edge"), "-edge");
        assert_eq!(heading_id("!!!"), "");
    }

    #[test]
    fn empty_heading_has_no_id() {
        assert_eq!(render("## !!!"), "<h2>!!!</h2>\n");
    }

    #[test]
    fn gfm_extensions_are_on() {
        let html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ www.example.com");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>gone</del>"), "{html}");
        assert!(
            html.contains("<a href=\"http://www.example.com\">www.example.com</a>"),
            "{html}"
        );
    }

    #[test]
    fn footnotes_render() {
        let html = render("Claim.[^1]\n\n[^1]: Source.");
        assert!(html.contains("class=\"footnotes\""), "{html}");
        assert!(html.contains("Source."), "{html}");
    }

    #[test]
    fn punctuation_is_left_alone() {
        assert_eq!(
            render("\"Quoted\" -- it's..."),
            "<p>&quot;Quoted&quot; -- it's...</p>\n"
        );
    }

    #[test]
    fn raw_html_passes_through() {
        let html =
            "<figure class=\"kg-card\"><iframe src=\"https://example.com\"></iframe></figure>";
        assert_eq!(render(html), format!("{html}\n"));
        assert_eq!(render("a <span>b</span>"), "<p>a <span>b</span></p>\n");
    }
}
