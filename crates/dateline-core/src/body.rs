//! Turning imported HTML into Markdown an editor can work with, but only where nothing is lost.
//!
//! An imported post (Ghost, WordPress) arrives as HTML. Markdown is nicer to edit, but a
//! conversion that drops a Ghost card's classes or an embed's attributes would silently change
//! what readers see. So each top-level block is converted with `htmd`, rendered back with
//! [`markdown::render`], and kept as Markdown only if the result is the same HTML as before
//! (see `normalise` for what "the same" ignores). Blocks that do not survive stay as raw HTML
//! blocks, which are valid Markdown and render verbatim, so most of an article stays editable
//! and the rest stays exact.
//!
//! Raw HTML only survives Markdown if CommonMark sees it as one HTML block: such a block must
//! start with a tag or comment and ends at the first blank line. Blank lines inside the HTML are
//! therefore removed (where whitespace collapses anyway) or written as `&#10;` (inside `<pre>`,
//! `<textarea>` and attribute values, where the newline matters). HTML that begins with bare
//! text or an inline element cannot start an HTML block at all; CommonMark would wrap it in a
//! paragraph, so such a document is returned unchanged.

use std::ops::Range;

use htmd::HtmlToMarkdown;
use htmd::options::{
    BrStyle, BulletListMarker, CodeBlockFence, CodeBlockStyle, HeadingStyle, HrStyle, LinkStyle,
    Options, TranslationMode,
};

use crate::markdown;
use crate::plaintext::dom::{self, Node, NodeData};
use crate::plaintext::{decode_attribute, decode_entities};

/// Markdown for `html` that renders back to equivalent HTML: real Markdown for the blocks that
/// convert without loss, raw HTML blocks for the rest. HTML that cannot be carried losslessly
/// at all (it starts with bare text) is returned unchanged.
pub fn markdown_from_html(html: &str) -> String {
    let normalised = normalise_newlines(html);
    let converted = match chunks(&normalised) {
        Some(chunks) => by_blocks(&normalised, &chunks),
        None => None,
    };
    converted
        .or_else(|| whole_document(&normalised))
        .unwrap_or_else(|| html.to_owned())
}

/// A blank line: it ends any HTML block and separates Markdown blocks.
const BLOCK_SEPARATOR: &str = "\n\n";

/// Browsers read `\r\n` and `\r` as `\n` before parsing, and CommonMark treats all three as
/// line endings; settling on `\n` first keeps the blank-line handling below simple.
fn normalise_newlines(html: &str) -> String {
    html.replace("\r\n", "\n").replace('\r', "\n")
}

/// Whether `markdown` renders to HTML equivalent to `html`.
fn round_trips(markdown: &str, html: &str) -> bool {
    normalise(&markdown::render(markdown)) == normalise(html)
}

/// Each chunk as Markdown where it converts losslessly, as an HTML block otherwise.
fn by_blocks(html: &str, chunks: &[Range<usize>]) -> Option<String> {
    let converters = Converters::new();
    let pieces: Vec<Piece> = chunks
        .iter()
        .map(|chunk| Piece::for_chunk(&html[chunk.clone()], &converters))
        .collect();
    let preferred: Vec<&str> = pieces.iter().map(Piece::preferred).collect();
    let document = preferred.join(BLOCK_SEPARATOR);
    if round_trips(&document, html) {
        return Some(document);
    }
    assemble_carefully(html, chunks, &pieces)
}

/// The whole document as one raw HTML block, when that survives.
fn whole_document(html: &str) -> Option<String> {
    let block = html_block(html.trim());
    round_trips(&block, html).then_some(block)
}

/// Adjacent Markdown blocks can merge (two lists become one). When the quick assembly does not
/// round-trip, each chunk is checked again together with the piece chosen before it, and falls
/// back to its HTML block when the pair does not survive. Returns `None` when even that fails.
fn assemble_carefully(html: &str, chunks: &[Range<usize>], pieces: &[Piece]) -> Option<String> {
    let mut chosen: Vec<&str> = Vec::with_capacity(pieces.len());
    let mut previous: Option<(&Range<usize>, &str)> = None;
    for (chunk, piece) in chunks.iter().zip(pieces) {
        let choice = match previous {
            Some((previous_chunk, previous_choice)) => {
                let pair_html = &html[previous_chunk.start..chunk.end];
                piece.choices().find(|choice| {
                    round_trips(&[previous_choice, choice].join(BLOCK_SEPARATOR), pair_html)
                })?
            }
            None => piece.preferred(),
        };
        chosen.push(choice);
        previous = Some((chunk, choice));
    }
    let document = chosen.join(BLOCK_SEPARATOR);
    round_trips(&document, html).then_some(document)
}

/// One chunk's conversions: Markdown when it round-trips on its own, and its HTML block.
struct Piece {
    markdown: Option<String>,
    html: String,
}

impl Piece {
    fn for_chunk(chunk: &str, converters: &Converters) -> Self {
        Piece {
            markdown: converters.lossless_markdown(chunk),
            html: html_block(chunk),
        }
    }

    fn preferred(&self) -> &str {
        self.markdown.as_deref().unwrap_or(&self.html)
    }

    fn choices(&self) -> impl Iterator<Item = &str> {
        self.markdown
            .as_deref()
            .into_iter()
            .chain([self.html.as_str()])
    }
}

/// The two ways `htmd` can convert: plain Markdown first, then Markdown with inline HTML where
/// plain Markdown would drop attributes.
struct Converters {
    plain: HtmlToMarkdown,
    faithful: HtmlToMarkdown,
}

impl Converters {
    fn new() -> Self {
        Converters {
            plain: converter(TranslationMode::Pure),
            faithful: converter(TranslationMode::Faithful),
        }
    }

    fn lossless_markdown(&self, chunk: &str) -> Option<String> {
        let target = normalise(chunk);
        [&self.plain, &self.faithful]
            .into_iter()
            .filter_map(|converter| converter.convert(chunk).ok())
            .find(|markdown| normalise(&markdown::render(markdown)) == target)
    }
}

/// The Markdown style Dateline writes: ATX headings, `-` bullets, fenced code, `\` line breaks
/// (trailing spaces vanish in editors).
fn converter(translation_mode: TranslationMode) -> HtmlToMarkdown {
    HtmlToMarkdown::builder()
        .options(Options {
            heading_style: HeadingStyle::Atx,
            hr_style: HrStyle::Dashes,
            br_style: BrStyle::Backslash,
            link_style: LinkStyle::Inlined,
            code_block_style: CodeBlockStyle::Fenced,
            code_block_fence: CodeBlockFence::Backticks,
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            translation_mode,
            ..Options::default()
        })
        .build()
}

/// Byte ranges of the top-level blocks of `html`, each of which can stand alone as a
/// Markdown block or a raw HTML block. Inline content between blocks joins the block before
/// it; `None` when the document itself starts with inline content.
fn chunks(html: &str) -> Option<Vec<Range<usize>>> {
    let mut chunks: Vec<Range<usize>> = Vec::new();
    let mut inline_run: Option<Range<usize>> = None;
    for node in dom::parse(html) {
        if is_blank_text(&node) {
            continue;
        }
        if starts_html_block(&node) {
            if let Some(run) = inline_run.take() {
                attach_inline(&mut chunks, run, html)?;
            }
            chunks.push(node.span.clone());
        } else {
            let run = inline_run.get_or_insert(node.span.clone());
            run.end = node.span.end;
        }
    }
    if let Some(run) = inline_run {
        attach_inline(&mut chunks, run, html)?;
    }
    Some(chunks)
}

/// Keeps an inline run as its own chunk when its first line is a lone tag (a CommonMark HTML
/// block of type 7), otherwise extends the previous chunk over it.
fn attach_inline(chunks: &mut Vec<Range<usize>>, run: Range<usize>, html: &str) -> Option<()> {
    let first_line = html[run.clone()].lines().next().unwrap_or_default();
    if is_lone_tag(first_line) {
        chunks.push(run);
        return Some(());
    }
    chunks.last_mut()?.end = run.end;
    Some(())
}

fn is_blank_text(node: &Node) -> bool {
    matches!(&node.data, NodeData::Text(text) if text.chars().all(is_html_space))
}

/// Whether CommonMark starts an HTML block (types 1–6) at this node.
fn starts_html_block(node: &Node) -> bool {
    match &node.data {
        NodeData::Element(element) => {
            BLOCK_ELEMENTS.contains(&element.name.as_str())
                || matches!(
                    element.name.as_str(),
                    "pre" | "script" | "style" | "textarea"
                )
        }
        NodeData::Comment(_) | NodeData::Directive(_) => true,
        NodeData::Text(_) => false,
    }
}

/// CommonMark's HTML block type 7 start: a complete open or closing tag alone on its line.
fn is_lone_tag(line: &str) -> bool {
    let line = line.trim_end_matches([' ', '\t']);
    let nodes = dom::parse(line);
    line.starts_with('<')
        && line.ends_with('>')
        && nodes.len() == 1
        && matches!(&nodes[0].data, NodeData::Element(e) if e.children.is_empty())
}

/// CommonMark's HTML block type 6 tag names, which are also where whitespace stops mattering.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r')
}

/// `source` as a raw HTML block: the same HTML without blank lines.
fn html_block(source: &str) -> String {
    let tree = dom::parse(source);
    let mut block = String::with_capacity(source.len());
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let blank = line.trim_matches([' ', '\t', '\n']).is_empty();
        if !blank || block.is_empty() {
            block.push_str(line);
        } else if newline_matters_at(source, &tree, offset) && block.ends_with('\n') {
            // Spell the previous line's newline as a reference so this line is not blank.
            block.pop();
            block.push_str("&#10;");
            block.push_str(line);
        }
        offset += line.len();
    }
    block.trim_end_matches('\n').to_owned()
}

/// Whether a newline at `offset` of `source` is content (in preformatted text or a quoted
/// attribute value) rather than collapsible whitespace.
fn newline_matters_at(source: &str, nodes: &[Node], offset: usize) -> bool {
    let Some(node) = nodes.iter().find(|n| n.span.contains(&offset)) else {
        return false;
    };
    let NodeData::Element(element) = &node.data else {
        return false;
    };
    if element.children.iter().any(|c| c.span.contains(&offset)) {
        return is_preformatted(&element.name)
            || newline_matters_at(source, &element.children, offset);
    }
    in_quoted_value(&source[node.span.start..], offset - node.span.start)
}

/// Whether `offset` falls inside a quoted attribute value of the start tag `tag` begins with.
fn in_quoted_value(tag: &str, offset: usize) -> bool {
    let mut quote = None;
    for (index, byte) in tag.bytes().enumerate() {
        if index == offset {
            return quote.is_some();
        }
        match (quote, byte) {
            (None, b'>') => return false,
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if open == byte => quote = None,
            _ => {}
        }
    }
    false
}

fn is_preformatted(name: &str) -> bool {
    matches!(name, "pre" | "textarea" | "listing")
}

/// HTML reduced to what a reader can tell apart: the element tree with attributes sorted and
/// decoded, text decoded and its whitespace collapsed (outside preformatted elements), and
/// whitespace next to block boundaries dropped. Blank lines inside comments, scripts and styles
/// are ignored too, since HTML blocks cannot carry them. A heading `id` that is just Ghost's
/// slug of the heading text is dropped, because Markdown headings get exactly that id.
fn normalise(html: &str) -> Vec<Normal> {
    let html = normalise_newlines(html);
    normalise_nodes(&dom::parse(&html), Context::Flow, true)
}

#[derive(Debug, Clone, PartialEq)]
enum Normal {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Normal>,
    },
    Text(String),
    Comment(String),
    Directive(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Context {
    Flow,
    Preformatted,
    RawText,
}

fn normalise_nodes(nodes: &[Node], context: Context, block_parent: bool) -> Vec<Normal> {
    let mut normal: Vec<Normal> = nodes
        .iter()
        .map(|node| normalise_node(node, context))
        .collect();
    if context == Context::Flow {
        trim_at_boundaries(&mut normal, block_parent);
    }
    normal
}

fn normalise_node(node: &Node, context: Context) -> Normal {
    match &node.data {
        NodeData::Text(raw) => Normal::Text(match context {
            Context::Flow => collapse_whitespace(&decode_entities(raw)),
            Context::Preformatted => decode_entities(raw).into_owned(),
            Context::RawText => without_blank_lines(raw),
        }),
        NodeData::Comment(text) => Normal::Comment(without_blank_lines(text)),
        NodeData::Directive(text) => Normal::Directive(text.clone()),
        NodeData::Element(element) => normalise_element(element, context),
    }
}

fn normalise_element(element: &dom::Element, context: Context) -> Normal {
    let inner = if element.is_script_or_style() {
        Context::RawText
    } else if is_preformatted(&element.name) || context == Context::Preformatted {
        Context::Preformatted
    } else {
        Context::Flow
    };
    let block = is_block_for_whitespace(&element.name);
    let mut children = normalise_nodes(&element.children, inner, block);
    if is_preformatted(&element.name) {
        drop_leading_newline(&mut children);
    }
    let mut attrs: Vec<(String, String)> = element
        .attrs
        .iter()
        .map(|(name, value)| (name.clone(), decode_attribute(value).into_owned()))
        .collect();
    attrs.sort();
    if is_heading(&element.name) {
        let slug = markdown::heading_id(&text_content(&children));
        attrs.retain(|(name, value)| !(name == "id" && *value == slug));
    }
    Normal::Element {
        name: element.name.clone(),
        attrs,
        children,
    }
}

/// Browsers drop one newline right after `<pre>` (and `<textarea>`, `<listing>`).
fn drop_leading_newline(children: &mut [Normal]) {
    if let Some(Normal::Text(text)) = children.first_mut()
        && let Some(rest) = text.strip_prefix('\n')
    {
        *text = rest.to_owned();
    }
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn text_content(nodes: &[Normal]) -> String {
    nodes
        .iter()
        .map(|node| match node {
            Normal::Text(text) => text.clone(),
            Normal::Element { children, .. } => text_content(children),
            Normal::Comment(_) | Normal::Directive(_) => String::new(),
        })
        .collect()
}

fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if is_html_space(c) {
            if !in_space {
                collapsed.push(' ');
            }
            in_space = true;
        } else {
            collapsed.push(c);
            in_space = false;
        }
    }
    collapsed
}

/// Lines of only spaces and tabs removed, as `html_block` removes them.
fn without_blank_lines(text: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    let mut index = 0;
    lines.retain(|line| {
        let keep = index == 0 || index == last || !line.trim_matches([' ', '\t']).is_empty();
        index += 1;
        keep
    });
    lines.join("\n")
}

/// Drops whitespace that touches a block boundary (a block element, a `<br>`, or the edge of
/// a block parent), then empty text. Only boundaries where browsers drop the whitespace count,
/// so `a <b> x </b>` keeps its spaces.
fn trim_at_boundaries(nodes: &mut Vec<Normal>, block_parent: bool) {
    let boundary = |node: Option<&Normal>| match node {
        None => block_parent,
        Some(Normal::Element { name, .. }) => is_block_for_whitespace(name),
        Some(_) => false,
    };
    for index in 0..nodes.len() {
        let before = boundary(index.checked_sub(1).and_then(|i| nodes.get(i)));
        let after = boundary(nodes.get(index + 1));
        if let Some(Normal::Text(text)) = nodes.get_mut(index) {
            let mut trimmed: &str = text;
            if before {
                trimmed = trimmed.trim_start_matches(' ');
            }
            if after {
                trimmed = trimmed.trim_end_matches(' ');
            }
            *text = trimmed.to_owned();
        }
    }
    nodes.retain(|node| !matches!(node, Normal::Text(text) if text.is_empty()));
}

/// Elements that start and end lines, so white space at their edges is not rendered.
fn is_block_for_whitespace(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn assert_round_trip(html: &str) -> String {
        let markdown = markdown_from_html(html);
        assert_eq!(
            normalise(&markdown::render(&markdown)),
            normalise(html),
            "HTML:\n{html}\nMarkdown:\n{markdown}\nRendered:\n{}",
            markdown::render(&markdown)
        );
        markdown
    }

    #[test]
    fn plain_articles_become_markdown() {
        let html = "<h2>Oil exports</h2><p>Iraq's <strong>federal</strong> government and the \
                    <em>KRG</em> agreed, a <a href=\"https://example.com/report\">report</a> said.</p>\
                    <ul><li>Daily volumes.</li><li>Payments.</li></ul><ol><li>First</li><li>Second</li></ol>\
                    <blockquote><p>\"We cannot sleep,\" a resident said.</p></blockquote><p>Line<br>break</p>";
        let markdown = assert_round_trip(html);
        assert!(!markdown.contains('<'), "{markdown}");
        assert!(markdown.starts_with("## Oil exports\n\n"), "{markdown}");
        assert!(markdown.contains("- Daily volumes."), "{markdown}");
        assert!(
            markdown.contains("[report](https://example.com/report)"),
            "{markdown}"
        );
    }

    #[test]
    fn ghost_heading_ids_stay_markdown() {
        let html = "<p>Intro.</p><h2 id=\"what-the-agreement-covers\">What the agreement covers</h2><p>Body.</p>";
        let markdown = assert_round_trip(html);
        assert!(
            markdown.contains("## What the agreement covers"),
            "{markdown}"
        );
        assert!(!markdown.contains('<'), "{markdown}");
    }

    #[test]
    fn custom_heading_ids_stay_html() {
        let markdown = assert_round_trip("<h2 id=\"custom\">Title</h2><p>x</p>");
        assert!(
            markdown.starts_with("<h2 id=\"custom\">Title</h2>"),
            "{markdown}"
        );
    }

    #[test]
    fn ghost_cards_stay_html_and_the_rest_markdown() {
        let html = "<p>Before.</p><figure class=\"kg-card kg-image-card kg-card-hascaption\"><img src=\"__GHOST_URL__/content/images/a.jpg\" \
                    class=\"kg-image\" alt=\"A\" loading=\"lazy\" width=\"600\" height=\"400\"><figcaption><span style=\"white-space: pre-wrap;\">Caption</span></figcaption></figure>\
                    <p>After.</p><!--kg-card-begin: html--><div class=\"embed\"><iframe src=\"https://www.youtube.com/embed/x\"></iframe></div><!--kg-card-end: html-->";
        let markdown = assert_round_trip(html);
        assert!(
            markdown.starts_with("Before.\n\n<figure class=\"kg-card"),
            "{markdown}"
        );
        assert!(
            markdown.contains("\n\nAfter.\n\n<!--kg-card-begin: html-->"),
            "{markdown}"
        );
    }

    #[test]
    fn html_blocks_lose_blank_lines_but_nothing_else() {
        let html = "<figure class=\"kg-card\">\n\n<pre><code>a\n\n  \nb</code></pre>\n\n\
                    <p title=\"x\n\ny\">t</p>\n\n</figure>";
        let block = html_block(html);
        assert_eq!(
            block,
            "<figure class=\"kg-card\">\n<pre><code>a&#10;&#10;  \nb</code></pre>\n\
             <p title=\"x&#10;\ny\">t</p>\n</figure>"
        );
        assert_eq!(normalise(&markdown::render(&block)), normalise(html));
        assert!(!assert_round_trip(html).contains("\n\n"));
    }

    #[test]
    fn scripts_in_cards_survive() {
        let html = "<div class=\"kg-card\"><blockquote class=\"twitter-tweet\"><p>t</p></blockquote>\n\n<script async src=\"https://platform.twitter.com/widgets.js\">\nvar x = 1;\n\nvar y = 2;\n</script></div>";
        assert_round_trip(html);
    }

    #[test]
    fn inline_content_between_blocks_joins_an_html_block() {
        let markdown = assert_round_trip("<p>a</p> <b>bold</b> text <p>b</p>");
        assert!(
            markdown.starts_with("<p>a</p> <b>bold</b> text"),
            "{markdown}"
        );
    }

    #[test]
    fn leading_inline_content_is_returned_unchanged() {
        assert_eq!(
            markdown_from_html("Hello <b>world</b>"),
            "Hello <b>world</b>"
        );
    }

    #[test]
    fn adjacent_lists_do_not_merge() {
        assert_round_trip("<ul><li>a</li></ul><ul><li>b</li></ul>");
        assert_round_trip("<p>1. not a list</p><p>* nor this</p><p># nor a heading</p>");
    }

    #[test]
    fn normalise_ignores_only_insignificant_differences() {
        assert_eq!(
            normalise("<p>a &amp; b</p>\n<hr>\n<p>c<br>d</p>"),
            normalise("<p>a &#38; b</p><hr /><p>c<br />\nd</p>")
        );
        assert_eq!(
            normalise("<a title=\"x\" href=\"y\">z</a>"),
            normalise("<a href='y' title=x>z</a>")
        );
        assert_ne!(normalise("<p>a b</p>"), normalise("<p>ab</p>"));
        assert_ne!(normalise("<pre>a  b</pre>"), normalise("<pre>a b</pre>"));
        assert_ne!(
            normalise("<b>a</b> <i>b</i>"),
            normalise("<b>a</b><i>b</i>")
        );
        assert_ne!(normalise("<!--a-->"), normalise("<!--b-->"));
        assert_ne!(
            normalise("<p>a<b> x </b>y</p>"),
            normalise("<p>a<b>x</b>y</p>")
        );
        assert_ne!(normalise("a <!--c--> b"), normalise("a<!--c-->b"));
        assert_ne!(
            normalise("a <iframe></iframe> b"),
            normalise("a<iframe></iframe>b")
        );
    }

    /// Every post of the Ghost export renders back to its own HTML.
    #[test]
    fn every_ghost_post_round_trips() {
        let export: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/fixtures/ghost-5.130/ghost-export.json"
        ))
        .expect("export is JSON");
        let posts = export["db"][0]["data"]["posts"]
            .as_array()
            .expect("posts are a list");
        assert!(posts.len() >= 11);
        for post in posts {
            let html = post["html"].as_str().expect("every post has html");
            assert_round_trip(html);
        }
    }

    /// The fixture's plain articles (paragraphs, headings, lists, links) are pure Markdown.
    #[test]
    fn plain_ghost_posts_are_pure_markdown() {
        let export: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/fixtures/ghost-5.130/ghost-export.json"
        ))
        .expect("export is JSON");
        for post in export["db"][0]["data"]["posts"]
            .as_array()
            .expect("posts are a list")
        {
            let html = post["html"].as_str().expect("every post has html");
            let markdown = markdown_from_html(html);
            // Ghost writes quotes without a paragraph inside, which Markdown cannot express.
            if !html.contains("<blockquote>") {
                assert!(!markdown.contains('<'), "{}: {markdown}", post["slug"]);
            }
        }
    }

    /// Either the Markdown renders back to the same HTML, or the HTML came back unchanged.
    fn assert_lossless(html: &str) {
        let markdown = markdown_from_html(html);
        assert!(
            markdown == html || round_trips(&markdown, html),
            "HTML:\n{html:?}\nMarkdown:\n{markdown:?}"
        );
    }

    proptest! {
        #[test]
        fn never_panics(html in "\\PC{0,200}") {
            assert_lossless(&html);
        }

        #[test]
        fn is_lossless_on_tag_soup(parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>"), Just("</p>"), Just("<pre>"), Just("</pre>"), Just("<ul><li>"), Just("</li>"),
                Just("<h2 id=\"x\">"), Just("</h2>"), Just("<!--"), Just("-->"), Just("<br>"), Just("\n\n"),
                Just("\n"), Just("  "), Just("text"), Just("&amp;"), Just("&#10;"), Just("<b>"), Just("</b>"),
                Just("<script>"), Just("</script>"), Just("*"), Just("`"), Just("<div class=\"kg-card\">"),
                Just("</div>"), Just("<a href=\"/x\">"), Just("</a>"), Just("1. "), Just("- "), Just("#"),
                Just("<blockquote>"), Just("</blockquote>"), Just("<img src=\"a.jpg\">"), Just("\t"),
                Just("<table><tr><td>"), Just("</td></tr></table>"), Just("_"), Just("[x]"), Just("\r\n"),
            ],
            0..40,
        )) {
            assert_lossless(&parts.concat());
        }
    }
}
