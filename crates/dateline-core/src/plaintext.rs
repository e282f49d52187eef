//! The `plaintext` of a post, derived from its HTML exactly as Ghost 5 derives it.
//!
//! Ghost stores `html-to-text` 8.2.1's rendering of the HTML with its excerpt options (no word
//! wrap, newlines in the source kept, links and images reduced to their text, headings not
//! uppercased, `<hr>`, captions, footnotes and signup cards left out, quotes without `>`).
//! Excerpts, search and feeds read that column, and imported posts carry Ghost's value, so
//! Dateline reproduces it rather than inventing its own. This module is a port of the parts of
//! `html-to-text` those options reach, including its quirks; `dom` mirrors the `htmlparser2`
//! parser it uses, which is laxer than an HTML5 parser (for instance `<p><div>` nests).

use std::borrow::Cow;
use std::sync::LazyLock;

// html-to-text drops blank text between list items with JavaScript's `\s`, the same class
// Ghost's heading ids trim.
use crate::markdown::is_js_whitespace;

/// Ghost's `plaintext` for `html`.
pub fn from_html(html: &str) -> String {
    let document = dom::parse(html);
    let mut text = TextBuilder::new();
    // `html-to-text` converts only the `<body>` elements when there are any.
    let bodies = bodies(&document);
    if bodies.is_empty() {
        walk(&document, None, &mut text);
    } else {
        for body in bodies {
            walk(std::slice::from_ref(body), None, &mut text);
        }
    }
    text.finish()
}

/// The outermost `<body>` elements, in document order.
fn bodies(nodes: &[dom::Node]) -> Vec<&dom::Node> {
    let mut found = Vec::new();
    for node in nodes {
        if let dom::NodeData::Element(element) = &node.data {
            if element.name == "body" {
                found.push(node);
            } else {
                found.extend(bodies(&element.children));
            }
        }
    }
    found
}

/// How `html-to-text` lays out one element under Ghost's options.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Skip,
    Inline,
    Block { leading: usize, trailing: usize },
    LineBreak,
    Pre,
    UnorderedList,
    OrderedList,
}

/// Picks the format the most specific of Ghost's selectors gives `element`.
fn format_of(element: &dom::Element) -> Format {
    if is_skipped(element) {
        return Format::Skip;
    }
    match element.name.as_str() {
        "article" | "aside" | "footer" | "form" | "header" | "main" | "nav" | "section" => {
            Format::Block {
                leading: 1,
                trailing: 1,
            }
        }
        "blockquote" | "p" | "table" | "h4" | "h5" | "h6" => Format::Block {
            leading: 2,
            trailing: 2,
        },
        "h1" | "h2" | "h3" => Format::Block {
            leading: 3,
            trailing: 2,
        },
        "br" => Format::LineBreak,
        "pre" => Format::Pre,
        "ul" => Format::UnorderedList,
        "ol" => Format::OrderedList,
        // `div` is inline for compatibility with html-to-text 5; `a` loses its href.
        _ => Format::Inline,
    }
}

/// Ghost's `skip` selectors: images, rules, captions, footnotes and signup cards.
fn is_skipped(element: &dom::Element) -> bool {
    matches!(element.name.as_str(), "img" | "hr" | "figcaption")
        || element.has_class("kg-signup-card")
        || (element.name == "a" && element.attr("rel") == Some("footnote"))
        || (element.name == "div" && element.has_class("footnotes"))
}

fn walk(nodes: &[dom::Node], parent: Option<&dom::Element>, text: &mut TextBuilder) {
    for node in nodes {
        match &node.data {
            dom::NodeData::Text(raw) => text.add_inline(&decode_entities(raw)),
            dom::NodeData::Element(element) if !element.is_script_or_style() => {
                format_element(element, parent, text);
            }
            _ => {}
        }
    }
}

fn format_element(element: &dom::Element, parent: Option<&dom::Element>, text: &mut TextBuilder) {
    match format_of(element) {
        Format::Skip => {}
        Format::Inline => walk(&element.children, Some(element), text),
        Format::Block { leading, trailing } => {
            text.open_block(leading, false);
            walk(&element.children, Some(element), text);
            text.close_block(trailing, None);
        }
        Format::LineBreak => text.add_line_break(),
        Format::Pre => {
            text.open_block(2, true);
            walk(&element.children, Some(element), text);
            text.close_block(2, None);
        }
        Format::UnorderedList => {
            let mut bullets = std::iter::repeat(" * ".to_owned());
            format_list(element, parent, text, &mut bullets);
        }
        Format::OrderedList => {
            let mut numbers = ordered_prefixes(element);
            format_list(element, parent, text, &mut numbers);
        }
    }
}

/// Lays out a list: one block per item, the prefix on its first line and the continuation
/// lines indented to the longest prefix. Nested lists sit closer and lose the prefix's
/// leading space.
fn format_list(
    list: &dom::Element,
    parent: Option<&dom::Element>,
    text: &mut TextBuilder,
    prefixes: &mut dyn Iterator<Item = String>,
) {
    let nested = parent.is_some_and(|p| p.name == "li");
    let items: Vec<(&dom::Node, String)> = list
        .children
        .iter()
        .filter(|child| !is_blank_js_text(child))
        .map(|child| {
            let prefix = match &child.data {
                dom::NodeData::Element(e) if e.name == "li" => {
                    let prefix = prefixes.next().unwrap_or_default();
                    if nested {
                        prefix.trim_start().to_owned()
                    } else {
                        prefix
                    }
                }
                _ => String::new(),
            };
            (child, prefix)
        })
        .collect();
    if items.is_empty() {
        return;
    }
    let width = items
        .iter()
        .map(|(_, p)| p.encode_utf16().count())
        .max()
        .unwrap_or(0);
    let (leading, trailing) = if nested { (1, 1) } else { (2, 2) };
    text.open_block(leading, false);
    for (item, prefix) in items {
        text.open_block(1, false);
        walk(std::slice::from_ref(item), Some(list), text);
        let indent = format!("\n{}", " ".repeat(width));
        let pad = " ".repeat(width.saturating_sub(prefix.encode_utf16().count()));
        let transform = move |body: String| format!("{prefix}{pad}{}", body.replace('\n', &indent));
        text.close_block(1, Some(&transform));
    }
    text.close_block(trailing, None);
}

fn is_blank_js_text(node: &dom::Node) -> bool {
    matches!(&node.data, dom::NodeData::Text(raw) if raw.chars().all(is_js_whitespace))
}

/// The ` 1. `, ` 2. ` … prefixes of an `<ol>`, honouring `start` and `type` as html-to-text
/// reads them.
fn ordered_prefixes(list: &dom::Element) -> impl Iterator<Item = String> + use<> {
    let start = list.attr("start").filter(|s| !s.is_empty()).unwrap_or("1");
    let first = parse_js_number(start);
    let style = list.attr("type").unwrap_or("1").to_owned();
    (0..).map(move |offset| {
        let index = match first {
            Some(first) => ordered_index(first + offset, &style),
            None => "NaN".to_owned(),
        };
        format!(" {index}. ")
    })
}

/// JavaScript's `Number(text)` for the integers list starts are written as.
fn parse_js_number(text: &str) -> Option<i64> {
    let trimmed = text.trim_matches(is_js_whitespace);
    if trimmed.is_empty() {
        return Some(0);
    }
    trimmed.parse::<i64>().ok()
}

fn ordered_index(index: i64, style: &str) -> String {
    match style {
        "a" => letter_sequence(index, b'a'),
        "A" => letter_sequence(index, b'A'),
        "i" => roman(index).to_lowercase(),
        "I" => roman(index),
        _ => index.to_string(),
    }
}

/// `a`…`z`, `aa`… as html-to-text letters lists, with JavaScript's truncating arithmetic
/// (so index 0 becomes the character before `a`).
fn letter_sequence(mut index: i64, base: u8) -> String {
    let mut digits = Vec::new();
    loop {
        index -= 1;
        digits.push(index % 26);
        index /= 26;
        if index <= 0 {
            break;
        }
    }
    digits
        .iter()
        .rev()
        .filter_map(|d| {
            u32::try_from(i64::from(base) + d)
                .ok()
                .and_then(char::from_u32)
        })
        .collect()
}

/// Roman numerals digit by digit, as html-to-text writes them (no upper bound).
fn roman(index: i64) -> String {
    const ONES: [char; 4] = ['I', 'X', 'C', 'M'];
    const FIVES: [char; 3] = ['V', 'L', 'D'];
    let digits: Vec<u32> = index
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let places = digits.len();
    let mut out = String::new();
    for (place_from_left, digit) in digits.into_iter().enumerate() {
        let place = places - 1 - place_from_left;
        let one = ONES.get(place).copied().unwrap_or('?');
        let five = FIVES.get(place).copied().unwrap_or('?');
        let next_one = ONES.get(place + 1).copied().unwrap_or('?');
        let ones = usize::try_from(digit % 5).unwrap_or(0);
        match digit {
            4 => out.extend([one, five]),
            9 => out.extend([one, next_one]),
            5..=8 => {
                out.push(five);
                out.extend(std::iter::repeat_n(one, ones));
            }
            _ => out.extend(std::iter::repeat_n(one, ones)),
        }
    }
    out
}

/// html-to-text's whitespace with `preserveNewlines` on: newlines are kept, these collapse.
fn is_collapsible(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{c}' | '\u{200b}')
}

/// Port of html-to-text's `BlockTextBuilder` with word wrap off.
struct TextBuilder {
    root: Block,
    /// Blocks opened inside the root, innermost last.
    open: Vec<Block>,
}

struct Block {
    /// Line breaks this block wants before it (recorded when it is emptied into its parent).
    leading: usize,
    /// Text of finished child blocks, already joined.
    raw: String,
    /// Inline text after the last child block.
    lines: Lines,
    /// Line breaks owed by the last child block before any following text.
    stashed_breaks: usize,
    pre: bool,
}

impl Block {
    fn new(leading: usize, pre: bool) -> Self {
        Block {
            leading,
            raw: String::new(),
            lines: Lines::default(),
            stashed_breaks: 0,
            pre,
        }
    }

    fn text(&self) -> String {
        if self.lines.is_empty() {
            self.raw.clone()
        } else {
            format!("{}{}", self.raw, self.lines.render())
        }
    }

    /// Appends a finished child block, separated by the larger of the two line-break wishes.
    fn add_text(&mut self, text: &str, leading: usize, trailing: usize) {
        let current = self.text();
        let breaks = self.stashed_breaks.max(leading);
        self.lines.clear();
        if current.is_empty() {
            self.raw = text.to_owned();
            self.leading = breaks;
        } else {
            self.raw = format!("{current}{}{text}", "\n".repeat(breaks));
        }
        self.stashed_breaks = trailing;
    }
}

/// Port of html-to-text's `InlineTextBuilder` without wrapping: finished lines of words.
#[derive(Default)]
struct Lines {
    done: Vec<Vec<String>>,
    words: Vec<String>,
    stashed_space: bool,
}

impl Lines {
    fn is_empty(&self) -> bool {
        self.done.is_empty() && self.words.is_empty()
    }

    fn clear(&mut self) {
        self.done.clear();
        self.words.clear();
    }

    fn start_new_line(&mut self, count: usize) {
        self.done.push(std::mem::take(&mut self.words));
        self.done.extend((1..count).map(|_| Vec::new()));
    }

    fn concat_word(&mut self, word: &str) {
        match self.words.last_mut() {
            Some(last) => last.push_str(word),
            None => self.words.push(word.to_owned()),
        }
    }

    fn render(&self) -> String {
        self.done
            .iter()
            .chain(std::iter::once(&self.words))
            .map(|words| words.join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// html-to-text's `shrinkWrapAdd`: words join the line, newlines start new lines, and a
    /// word glued to the previous text (no whitespace between) extends the last word.
    fn add(&mut self, text: &str) {
        let previously_stashed = self.stashed_space;
        let mut first = true;
        for token in words_and_newlines(text) {
            if token == "\n" {
                self.start_new_line(1);
            } else if first && !previously_stashed && !text.starts_with(is_collapsible) {
                self.concat_word(token);
            } else {
                self.words.push(token.to_owned());
            }
            first = false;
        }
        self.stashed_space = (previously_stashed && first) || text.ends_with(is_collapsible);
    }
}

/// Splits `text` into words and single `"\n"` tokens, dropping collapsible whitespace.
fn words_and_newlines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(is_collapsible);
        if rest.is_empty() {
            return None;
        }
        let end = if rest.starts_with('\n') {
            1
        } else {
            rest.find(|c: char| c == '\n' || is_collapsible(c))
                .unwrap_or(rest.len())
        };
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some(token)
    })
}

/// A transformation of a finished block's text before it joins its parent (list prefixes).
type BlockTransform<'t> = &'t dyn Fn(String) -> String;

impl TextBuilder {
    fn new() -> Self {
        TextBuilder {
            root: Block::new(1, false),
            open: Vec::new(),
        }
    }

    fn current(&mut self) -> &mut Block {
        self.open.last_mut().unwrap_or(&mut self.root)
    }

    fn add_inline(&mut self, text: &str) {
        let block = self.current();
        if block.pre {
            block.raw.push_str(text);
            return;
        }
        if text.is_empty() || (block.stashed_breaks > 0 && text.chars().all(is_collapsible)) {
            return;
        }
        let newlines_only = text.chars().all(|c| c == '\n' || is_collapsible(c));
        let newlines = text.chars().filter(|c| *c == '\n').count();
        if newlines_only && newlines > 0 {
            block.lines.start_new_line(newlines);
            return;
        }
        if block.stashed_breaks > 0 {
            block.lines.start_new_line(block.stashed_breaks);
        }
        block.lines.add(text);
        block.stashed_breaks = 0;
    }

    fn add_line_break(&mut self) {
        let block = self.current();
        if block.pre {
            block.raw.push('\n');
        } else {
            block.lines.start_new_line(1);
        }
    }

    fn open_block(&mut self, leading: usize, pre: bool) {
        let pre = pre || self.current().pre;
        self.open.push(Block::new(leading, pre));
    }

    fn close_block(&mut self, trailing: usize, transform: Option<BlockTransform<'_>>) {
        let Some(block) = self.open.pop() else {
            return;
        };
        let text = match transform {
            Some(transform) => transform(block.text()),
            None => block.text(),
        };
        let trailing = block.stashed_breaks.max(trailing);
        self.current().add_text(&text, block.leading, trailing);
    }

    fn finish(self) -> String {
        self.root.text()
    }
}

/// Decodes character references in text the way browsers (and the `he` library behind
/// html-to-text) do, including `&amp` without a semicolon and Windows-1252 numeric quirks.
pub(crate) fn decode_entities(raw: &str) -> Cow<'_, str> {
    decode(raw, false)
}

/// Decodes character references in an attribute value: as in text, except that a name without
/// its semicolon stays literal before `=` or an alphanumeric (`href="?a=1&copy=2"`).
pub(crate) fn decode_attribute(raw: &str) -> Cow<'_, str> {
    decode(raw, true)
}

fn decode(raw: &str, in_attribute: bool) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut decoded = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        let reference = &rest[at..];
        let (replacement, used) = decode_reference(reference, in_attribute);
        decoded.push_str(&replacement);
        rest = &reference[used..];
    }
    decoded.push_str(rest);
    Cow::Owned(decoded)
}

/// Decodes the character reference at the start of `text` (which starts with `&`), returning
/// the replacement and how many bytes it stood for (`("&", 1)` when it is a bare ampersand).
fn decode_reference(text: &str, in_attribute: bool) -> (Cow<'_, str>, usize) {
    let body = &text[1..];
    if let Some(numeric) = body.strip_prefix('#') {
        return decode_numeric(numeric).map_or((Cow::Borrowed("&"), 1), |(c, used)| {
            (Cow::Owned(c.to_string()), used + 2)
        });
    }
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    if name_len == 0 {
        return (Cow::Borrowed("&"), 1);
    }
    let after = &body[name_len..];
    let with_semicolon = after.starts_with(';');
    let candidate = &text[..1 + name_len + usize::from(with_semicolon)];
    let decoded = decode_named(candidate);
    // Legacy names are single characters; anything longer matched only a prefix of the name.
    let literal_in_attribute =
        !with_semicolon && (decoded.chars().count() != 1 || after.starts_with('='));
    if in_attribute && literal_in_attribute {
        return (Cow::Borrowed(candidate), candidate.len());
    }
    (decoded, candidate.len())
}

/// `&#65;` / `&#x41;` (semicolon optional): the code point, with the HTML standard's
/// replacements, and the bytes used after `&#`.
fn decode_numeric(numeric: &str) -> Option<(char, usize)> {
    let (radix, digits_from) = match numeric.as_bytes().first() {
        Some(b'x' | b'X') => (16, 1),
        _ => (10, 0),
    };
    let digits = &numeric[digits_from..];
    let len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if len == 0 {
        return None;
    }
    let value = digits[..len].chars().fold(0u32, |acc, c| {
        acc.saturating_mul(radix)
            .saturating_add(c.to_digit(radix).unwrap_or(0))
    });
    let used = digits_from + len + usize::from(digits[len..].starts_with(';'));
    Some((code_point(value), used))
}

fn code_point(value: u32) -> char {
    const WINDOWS_1252: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let mapped = match value {
        0 => 0xFFFD,
        0x80..=0x9F => WINDOWS_1252[usize::try_from(value - 0x80).unwrap_or(0)],
        _ => value,
    };
    char::from_u32(mapped).unwrap_or('\u{FFFD}')
}

/// A named reference such as `&hellip;` or `&amp` (already cut to `&` + name + optional `;`).
///
/// The common names are decoded here; the other 2,000-odd come from html5ever's table of the
/// HTML standard, reached through ammonia (a parse of the reference alone) rather than copied.
fn decode_named(candidate: &str) -> Cow<'_, str> {
    let common = match candidate {
        "&amp;" | "&amp" => Some("&"),
        "&lt;" | "&lt" => Some("<"),
        "&gt;" | "&gt" => Some(">"),
        "&quot;" | "&quot" => Some("\""),
        "&apos;" => Some("'"),
        "&nbsp;" | "&nbsp" => Some("\u{a0}"),
        _ => None,
    };
    if let Some(common) = common {
        return Cow::Borrowed(common);
    }
    static TEXT_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(ammonia::Builder::empty);
    let serialized = TEXT_ONLY.clean(candidate).to_string();
    let decoded = serialized
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    if decoded == candidate {
        Cow::Borrowed(candidate)
    } else {
        Cow::Owned(decoded)
    }
}

/// A parser that builds the same tree as `htmlparser2` 6 (the parser under html-to-text 8):
/// lower-cased names, `openImpliesClose` rules instead of HTML5 tree construction, void
/// elements, raw text in `<script>`, `<style>` and `<title>`, and attribute values and text
/// left undecoded. Every node records the byte range of the source it came from.
pub(crate) mod dom {
    use std::ops::Range;

    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Node {
        /// Bytes of the source this node covers, from its start tag to its (possibly implied)
        /// end.
        pub(crate) span: Range<usize>,
        pub(crate) data: NodeData,
    }

    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum NodeData {
        Element(Element),
        /// Undecoded text, as written in the source.
        Text(String),
        Comment(String),
        /// `<!doctype …>`, `<?…>` and other declarations, with their `!` or `?`.
        Directive(String),
    }

    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Element {
        pub(crate) name: String,
        /// Undecoded attribute values in source order; the first of a repeated name wins.
        pub(crate) attrs: Vec<(String, String)>,
        pub(crate) children: Vec<Node>,
    }

    impl Element {
        pub(crate) fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        pub(crate) fn has_class(&self, class: &str) -> bool {
            self.attr("class")
                .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class))
        }

        /// `htmlparser2` gives these their own node types, which html-to-text never prints.
        pub(crate) fn is_script_or_style(&self) -> bool {
            matches!(self.name.as_str(), "script" | "style")
        }
    }

    const VOID: &[&str] = &[
        "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input",
        "isindex", "keygen", "link", "meta", "param", "source", "track", "wbr",
    ];

    pub(crate) fn is_void(name: &str) -> bool {
        VOID.contains(&name)
    }

    /// Which open elements a start tag closes while they are the current element.
    fn closed_by(opening: &str) -> &'static [&'static str] {
        const FORM: &[&str] = &[
            "input", "option", "optgroup", "select", "button", "datalist", "textarea",
        ];
        match opening {
            "tr" => &["tr", "th", "td"],
            "th" => &["th"],
            "td" => &["thead", "th", "td"],
            "body" => &["head", "link", "script"],
            "li" => &["li"],
            "select" | "input" | "output" | "button" | "datalist" | "textarea" => FORM,
            "option" => &["option"],
            "optgroup" => &["optgroup", "option"],
            "dd" | "dt" => &["dt", "dd"],
            "rt" | "rp" => &["rt", "rp"],
            "tbody" | "tfoot" => &["thead", "tbody"],
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "address" | "article" | "aside"
            | "blockquote" | "details" | "div" | "dl" | "fieldset" | "figcaption" | "figure"
            | "footer" | "form" | "header" | "hr" | "main" | "nav" | "ol" | "pre" | "section"
            | "table" | "ul" => &["p"],
            _ => &[],
        }
    }

    /// Parses an HTML fragment or document into `htmlparser2`'s tree.
    pub(crate) fn parse(html: &str) -> Vec<Node> {
        let mut tree = TreeBuilder::default();
        let mut tokens = Tokenizer::new(html);
        while let Some(token) = tokens.next_token() {
            tree.feed(token);
        }
        tree.finish(html.len())
    }

    /// One piece of markup, with the bytes it spans.
    #[derive(Debug)]
    enum Token<'a> {
        Text(&'a str, Range<usize>),
        Open {
            name: String,
            attrs: Vec<(String, String)>,
            self_closing: bool,
            at: Range<usize>,
        },
        Close(String, Range<usize>),
        Comment(String, Range<usize>),
        Directive(&'a str, Range<usize>),
    }

    /// The `htmlparser2` tokenizer's behaviour, written as a scanner rather than its state
    /// machine. Positions only ever stop at ASCII bytes, so slicing is always on a character
    /// boundary.
    struct Tokenizer<'a> {
        src: &'a str,
        pos: usize,
        /// Inside `<script>`, `<style>` or `<title>`, only the matching end tag is markup.
        raw_text_end: Option<&'static str>,
    }

    fn is_space(b: u8) -> bool {
        matches!(b, b' ' | b'\n' | b'\t' | b'\x0c' | b'\r')
    }

    impl<'a> Tokenizer<'a> {
        fn new(src: &'a str) -> Self {
            Tokenizer {
                src,
                pos: 0,
                raw_text_end: None,
            }
        }

        fn byte(&self, at: usize) -> Option<u8> {
            self.src.as_bytes().get(at).copied()
        }

        fn find_from(&self, from: usize, needle: &str) -> Option<usize> {
            self.src.get(from..)?.find(needle).map(|i| from + i)
        }

        fn next_token(&mut self) -> Option<Token<'a>> {
            if self.pos >= self.src.len() {
                return None;
            }
            if let Some(name) = self.raw_text_end {
                return Some(self.raw_text(name));
            }
            let markup = self.next_markup(self.pos);
            if markup > self.pos {
                let start = self.pos;
                self.pos = markup;
                return Some(Token::Text(&self.src[start..markup], start..markup));
            }
            Some(self.markup(markup))
        }

        /// Where the next real markup starts at or after `from` (`src.len()` when none does);
        /// a `<` that cannot start a tag is text.
        fn next_markup(&self, from: usize) -> usize {
            let mut scan = from;
            while let Some(lt) = self.find_from(scan, "<") {
                match self.byte(lt + 1) {
                    Some(b'!' | b'?') => return lt,
                    Some(b) if b.is_ascii_alphabetic() => return lt,
                    Some(b'/') => {
                        let after = self.skip_spaces(lt + 2);
                        match self.byte(after) {
                            Some(b'>') => scan = after + 1,
                            Some(_) => return lt,
                            None => return self.src.len(),
                        }
                    }
                    _ => scan = lt + 1,
                }
            }
            self.src.len()
        }

        fn skip_spaces(&self, mut at: usize) -> usize {
            while self.byte(at).is_some_and(is_space) {
                at += 1;
            }
            at
        }

        fn markup(&mut self, lt: usize) -> Token<'a> {
            match self.byte(lt + 1) {
                Some(b'/') => self.close_tag(lt),
                Some(b'!') => self.declaration(lt),
                Some(b'?') => self.directive(lt, lt + 2),
                _ => self.open_tag(lt),
            }
        }

        /// Consumes up to the first `>` at or after `search` and builds a token of the text
        /// from `content` on; at the end of input that text is emitted as text, as
        /// `htmlparser2` does.
        fn until_gt(
            &mut self,
            lt: usize,
            (content, search): (usize, usize),
            make: impl Fn(&'a str, Range<usize>) -> Token<'a>,
        ) -> Token<'a> {
            let content = content.min(self.src.len());
            match self.find_from(search.max(content), ">") {
                Some(gt) => {
                    self.pos = gt + 1;
                    make(&self.src[content..gt], lt..gt + 1)
                }
                None => {
                    self.pos = self.src.len();
                    Token::Text(&self.src[content..], content..self.src.len())
                }
            }
        }

        fn declaration(&mut self, lt: usize) -> Token<'a> {
            let rest = &self.src[lt..];
            if rest.starts_with("<!--") {
                return self.comment(lt, lt + 4, "-->", |c| c.to_owned());
            }
            if rest.len() >= 9
                && rest.is_char_boundary(9)
                && rest[2..9].eq_ignore_ascii_case("[cdata[")
            {
                return self.comment(lt, lt + 9, "]]>", |c| format!("[CDATA[{c}]]"));
            }
            // `htmlparser2` swallows the character after `<!` (and after `<!-`) before it
            // looks for the closing `>`, so `<!>` does not end where it seems to.
            let search = if rest.starts_with("<!-") {
                lt + 4
            } else {
                lt + 3
            };
            self.directive(lt, search)
        }

        /// `<!…>` or `<?…>`, kept with its `!` or `?` as `htmlparser2` names it.
        fn directive(&mut self, lt: usize, search: usize) -> Token<'a> {
            let src = self.src;
            self.until_gt(lt, (lt + 2, search), |_, at| {
                Token::Directive(&src[at.start + 1..at.end - 1], at)
            })
        }

        fn comment(
            &mut self,
            lt: usize,
            content: usize,
            end: &str,
            wrap: impl Fn(&str) -> String,
        ) -> Token<'a> {
            match self.find_from(content, end) {
                Some(at) => {
                    self.pos = at + end.len();
                    Token::Comment(wrap(&self.src[content..at]), lt..self.pos)
                }
                None => {
                    // An unterminated comment runs to the end, unless nothing follows its opening.
                    self.pos = self.src.len();
                    let text = self.src.get(content..).unwrap_or_default();
                    if text.is_empty() {
                        return Token::Text("", self.pos..self.pos);
                    }
                    Token::Comment(wrap(text), lt..self.pos)
                }
            }
        }

        fn close_tag(&mut self, lt: usize) -> Token<'a> {
            let name_start = self.skip_spaces(lt + 2);
            if !self
                .byte(name_start)
                .is_some_and(|b| b.is_ascii_alphabetic())
            {
                // `</1>` and the like are comments to htmlparser2.
                return self.until_gt(lt, (name_start, name_start), |text, at| {
                    Token::Comment(text.to_owned(), at)
                });
            }
            let name_end = self.scan(name_start, |b| b == b'>' || is_space(b));
            let name = self.src[name_start..name_end].to_lowercase();
            if name_end >= self.src.len() {
                // An end tag cut off by the end of input is dropped.
                self.pos = self.src.len();
                return Token::Text("", self.pos..self.pos);
            }
            let end = self
                .find_from(name_end, ">")
                .map_or(self.src.len(), |gt| gt + 1);
            self.pos = end;
            Token::Close(name, lt..end)
        }

        fn scan(&self, from: usize, stop: impl Fn(u8) -> bool) -> usize {
            let bytes = self.src.as_bytes();
            (from..bytes.len())
                .find(|&i| stop(bytes[i]))
                .unwrap_or(bytes.len())
        }

        fn open_tag(&mut self, lt: usize) -> Token<'a> {
            let name_end = self.scan(lt + 1, |b| b == b'/' || b == b'>' || is_space(b));
            let name = self.src[lt + 1..name_end].to_lowercase();
            if name_end == self.src.len() {
                return self.cut_off_tag_name(lt + 1, &name);
            }
            let mut attrs: Vec<(String, String)> = Vec::new();
            let mut at = name_end;
            let mut self_closing = false;
            loop {
                at = self.skip_spaces(at);
                match self.byte(at) {
                    None => {
                        // A start tag cut off by the end of input is dropped.
                        self.pos = self.src.len();
                        return Token::Text("", self.pos..self.pos);
                    }
                    Some(b'>') => break,
                    Some(b'/') => {
                        let next = self.skip_spaces(at + 1);
                        if self.byte(next) == Some(b'>') {
                            self_closing = true;
                            at = next;
                            break;
                        }
                        at = next;
                    }
                    Some(_) => {
                        let (attr, next) = self.attribute(at);
                        if !attrs.iter().any(|(n, _)| *n == attr.0) {
                            attrs.push(attr);
                        }
                        at = next;
                    }
                }
            }
            self.pos = at + 1;
            if !self_closing && matches!(name.as_str(), "script" | "style" | "title") {
                self.raw_text_end = match name.as_str() {
                    "script" => Some("script"),
                    "style" => Some("style"),
                    _ => Some("title"),
                };
            }
            Token::Open {
                name,
                attrs,
                self_closing,
                at: lt..self.pos,
            }
        }

        /// A tag name cut off by the end of input is dropped, except that `htmlparser2` emits
        /// the start of `script`, `style` or `title` (its special-tag states) as text.
        fn cut_off_tag_name(&mut self, name_start: usize, name: &str) -> Token<'a> {
            self.pos = self.src.len();
            let special = ["script", "style", "title"]
                .iter()
                .any(|special| special.starts_with(name));
            if special {
                Token::Text(&self.src[name_start..], name_start..self.pos)
            } else {
                Token::Text("", self.pos..self.pos)
            }
        }

        /// One attribute starting at `at`: its lower-cased name, raw value, and where the
        /// scan continues. At the end of input the value runs to the end.
        fn attribute(&self, at: usize) -> ((String, String), usize) {
            let name_end = self.scan(at + 1, |b| matches!(b, b'=' | b'/' | b'>') || is_space(b));
            let name = self.src[at..name_end].to_lowercase();
            let after_name = self.skip_spaces(name_end);
            if self.byte(after_name) != Some(b'=') {
                return ((name, String::new()), after_name);
            }
            let value_start = self.skip_spaces(after_name + 1);
            match self.byte(value_start) {
                Some(quote @ (b'"' | b'\'')) => {
                    let close = self.scan(value_start + 1, |b| b == quote);
                    let value = self.src[value_start + 1..close].to_owned();
                    ((name, value), (close + 1).min(self.src.len()))
                }
                _ => {
                    let end = self.scan(value_start, |b| b == b'>' || is_space(b));
                    ((name, self.src[value_start..end].to_owned()), end)
                }
            }
        }

        /// Text inside `<script>`, `<style>` or `<title>` up to the matching end tag.
        fn raw_text(&mut self, name: &'static str) -> Token<'a> {
            let start = self.pos;
            let mut scan = start;
            while let Some(lt) = self.find_from(scan, "</") {
                let name_at = self.skip_spaces(lt + 2);
                let after = name_at + name.len();
                let matches = self
                    .src
                    .get(name_at..after)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    && self.byte(after).is_some_and(|b| b == b'>' || is_space(b));
                if matches {
                    self.raw_text_end = None;
                    if lt > start {
                        self.pos = lt;
                        return Token::Text(&self.src[start..lt], start..lt);
                    }
                    return self.close_tag(lt);
                }
                scan = lt + 2;
            }
            self.pos = self.src.len();
            Token::Text(&self.src[start..], start..self.src.len())
        }
    }

    /// `htmlparser2`'s `Parser` and `domhandler` rolled into one.
    #[derive(Default)]
    struct TreeBuilder {
        roots: Vec<Node>,
        open: Vec<OpenElement>,
        /// Whether each open `svg`/`math` (true) or HTML integration point (false) allows
        /// self-closing tags.
        foreign: Vec<bool>,
        /// Text is appended to the previous node while nothing else came between.
        text_continues: bool,
    }

    struct OpenElement {
        name: String,
        attrs: Vec<(String, String)>,
        start: usize,
        children: Vec<Node>,
    }

    const FOREIGN: &[&str] = &["math", "svg"];
    const INTEGRATION: &[&str] = &[
        "mi",
        "mo",
        "mn",
        "ms",
        "mtext",
        "annotation-xml",
        "foreignObject",
        "desc",
        "title",
    ];

    impl TreeBuilder {
        fn feed(&mut self, token: Token<'_>) {
            match token {
                Token::Text(text, at) => self.text(text, at),
                Token::Open {
                    name,
                    attrs,
                    self_closing,
                    at,
                } => self.open_tag(name, attrs, self_closing, at),
                Token::Close(name, at) => self.close_tag(&name, at),
                Token::Comment(text, at) => self.add_node(Node {
                    span: at,
                    data: NodeData::Comment(text),
                }),
                Token::Directive(text, at) => self.add_node(Node {
                    span: at,
                    data: NodeData::Directive(text.to_owned()),
                }),
            }
        }

        fn siblings(&mut self) -> &mut Vec<Node> {
            match self.open.last_mut() {
                Some(parent) => &mut parent.children,
                None => &mut self.roots,
            }
        }

        fn add_node(&mut self, node: Node) {
            self.siblings().push(node);
            self.text_continues = false;
        }

        fn text(&mut self, text: &str, at: Range<usize>) {
            if text.is_empty() {
                return;
            }
            let continues = self.text_continues;
            if let Some(Node {
                span,
                data: NodeData::Text(previous),
            }) = self.siblings().last_mut().filter(|_| continues)
            {
                previous.push_str(text);
                span.end = at.end;
                return;
            }
            self.siblings().push(Node {
                span: at,
                data: NodeData::Text(text.to_owned()),
            });
            self.text_continues = true;
        }

        fn open_tag(
            &mut self,
            name: String,
            attrs: Vec<(String, String)>,
            self_closing: bool,
            at: Range<usize>,
        ) {
            self.close_implied_by(&name, at.start);
            if !is_void(&name) {
                if FOREIGN.contains(&name.as_str()) {
                    self.foreign.push(true);
                } else if INTEGRATION.contains(&name.as_str()) {
                    self.foreign.push(false);
                }
            }
            let closes_now = is_void(&name) || (self_closing && self.foreign.last() == Some(&true));
            self.open.push(OpenElement {
                name,
                attrs,
                start: at.start,
                children: Vec::new(),
            });
            self.text_continues = false;
            if closes_now {
                self.close_current(at.end);
            }
        }

        fn close_implied_by(&mut self, name: &str, at: usize) {
            let closed = closed_by(name);
            while let Some(current) = self.open.last() {
                if !closed.contains(&current.name.as_str()) {
                    break;
                }
                let current = current.name.clone();
                self.pop_foreign(&current);
                self.close_current(at);
            }
        }

        fn pop_foreign(&mut self, name: &str) {
            if FOREIGN.contains(&name) || INTEGRATION.contains(&name) {
                self.foreign.pop();
            }
        }

        fn close_tag(&mut self, name: &str, at: Range<usize>) {
            self.pop_foreign(name);
            if !self.open.is_empty() && !is_void(name) {
                if let Some(index) = self.open.iter().rposition(|e| e.name == name) {
                    while self.open.len() > index {
                        self.close_current(at.end);
                    }
                } else if name == "p" {
                    self.open_tag(name.to_owned(), Vec::new(), false, at.clone());
                    self.close_current(at.end);
                }
            } else if name == "br" || name == "p" {
                self.open_tag(name.to_owned(), Vec::new(), false, at.clone());
                if name == "p" {
                    self.close_current(at.end);
                }
            }
        }

        fn close_current(&mut self, end: usize) {
            if let Some(element) = self.open.pop() {
                let node = Node {
                    span: element.start..end.max(element.start),
                    data: NodeData::Element(Element {
                        name: element.name,
                        attrs: element.attrs,
                        children: element.children,
                    }),
                };
                self.add_node(node);
            }
        }

        fn finish(mut self, end: usize) -> Vec<Node> {
            while !self.open.is_empty() {
                self.close_current(end);
            }
            self.roots
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_separated_by_a_blank_line() {
        assert_eq!(from_html("<p>One.</p><p>Two.</p>"), "One.\n\nTwo.");
    }

    #[test]
    fn headings_get_an_extra_line_before() {
        assert_eq!(
            from_html("<p>A</p><h2 id=\"b\">B</h2><p>C</p><h4>D</h4><p>E</p>"),
            "A\n\n\nB\n\nC\n\nD\n\nE"
        );
    }

    #[test]
    fn lists_are_prefixed() {
        assert_eq!(
            from_html("<ul><li>a</li><li>b</li></ul><ol><li>c</li><li>d</li></ol>"),
            " * a\n * b\n\n 1. c\n 2. d"
        );
        let ten: String = (1..=10).map(|i| format!("<li>{i}</li>")).collect();
        assert!(from_html(&format!("<ol>{ten}</ol>")).starts_with(" 1.  1\n 2.  2"));
        assert_eq!(
            from_html("<ol start=\"3\" type=\"i\"><li>c</li><li>d</li></ol>"),
            " iii. c\n iv.  d"
        );
        assert_eq!(
            from_html("<ul><li>a<ul><li>b</li></ul></li></ul>"),
            " * a\n   * b"
        );
    }

    #[test]
    fn links_and_images_become_their_text() {
        assert_eq!(
            from_html(
                "<p>See <a href=\"https://x.example\">the report</a><img src=\"a.jpg\" alt=\"A\">.</p>"
            ),
            "See the report."
        );
    }

    #[test]
    fn skipped_parts_leave_nothing() {
        assert_eq!(
            from_html(
                "<p>A<a rel=\"footnote\" href=\"#fn1\">1</a></p><hr><figure><img src=x><figcaption>Cap</figcaption></figure>\
                 <div class=\"kg-card kg-signup-card\"><h2>Sign up</h2></div><div class=\"footnotes\"><ol><li>Note</li></ol></div><p>B</p>"
            ),
            "A\n\nB"
        );
    }

    #[test]
    fn quotes_and_pre_keep_their_text() {
        assert_eq!(
            from_html("<blockquote>Q</blockquote><pre><code>a  b\n  c</code></pre><p>x<br>y</p>"),
            "Q\n\na  b\n  c\n\nx\ny"
        );
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            from_html(
                "<p>&lt;b&gt; &amp; &quot;q&quot; &#39;s&#x27; &hellip; &copy &amp;amp; &bogus; &#128;</p>"
            ),
            "<b> & \"q\" 's' … © &amp; &bogus; €"
        );
        assert_eq!(
            decode_entities("&ampx &notit; &#0; &#xD800; &#x110000;"),
            "&x ¬it; \u{FFFD} \u{FFFD} \u{FFFD}"
        );
        assert_eq!(
            decode_attribute("?a=1&copy=2&ampx&amp;y&copy;&copy"),
            "?a=1&copy=2&ampx&y©©"
        );
    }

    #[test]
    fn scripts_styles_and_comments_are_dropped() {
        assert_eq!(
            from_html("<p>a<script>var x = '<p>no</p>';</script><style>p{}</style><!-- c -->b</p>"),
            "ab"
        );
    }

    #[test]
    fn newlines_in_the_source_are_kept() {
        // html-to-text keeps source newlines, Ghost's cards included.
        assert_eq!(from_html("<p>a</p>\n<p>b</p>"), "a\n\n\nb");
        assert_eq!(from_html("<p>a\nb   c</p>"), "a\nb c");
    }

    fn json(text: &str) -> String {
        serde_json::to_string(text).unwrap_or_default()
    }

    /// Renders a tree like the test oracle's dump of `htmlparser2`'s DOM.
    fn dump(nodes: &[dom::Node]) -> String {
        nodes
            .iter()
            .map(|node| match &node.data {
                dom::NodeData::Text(text) => json(text),
                dom::NodeData::Comment(text) => format!("<!--{text}-->"),
                dom::NodeData::Directive(text) => format!("<{text}>"),
                dom::NodeData::Element(e) => {
                    let attrs: String = e
                        .attrs
                        .iter()
                        .map(|(k, v)| format!(" {k}={}", json(v)))
                        .collect();
                    format!("<{}{attrs}>{}</{}>", e.name, dump(&e.children), e.name)
                }
            })
            .collect()
    }

    /// Trees checked against `htmlparser2` 6.1 with `decodeEntities: false`.
    #[test]
    fn parser_follows_htmlparser2() {
        let cases: &[(&str, &str)] = &[(
            "<p>a<div>b</div><ul><li>1<li>2</ul></p><br/>x</b>y",
            "<p>\"a\"</p><div>\"b\"</div><ul><li>\"1\"</li><li>\"2\"</li></ul><p></p><br></br>\"xy\"",
        )];
        for (html, expected) in cases {
            assert_eq!(dump(&dom::parse(html)), *expected, "{html}");
        }
    }

    #[test]
    fn never_panics_on_truncated_markup() {
        for html in [
            "<",
            "</",
            "<a",
            "<a href=\"x",
            "<!--",
            "<![CDATA[x",
            "<!x",
            "<?x",
            "</a x",
            "&",
            "&#",
            "&#x",
            "<script>x",
            "é<é>",
            "</1",
            "<p/>",
        ] {
            let _ = from_html(html);
        }
    }

    /// Ghost's `plaintext` column is the oracle: every post in the export must match exactly.
    #[test]
    fn matches_every_post_in_the_ghost_export() {
        let export: serde_json::Value = serde_json::from_str(include_str!(
            "../../../../shared/fixtures/ghost-5.130/ghost-export.json"
        ))
        .unwrap_or_default();
        let posts = export["db"][0]["data"]["posts"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(posts.len() >= 11, "fixture has posts");
        for post in posts {
            let html = post["html"].as_str().unwrap_or_default();
            let plaintext = post["plaintext"].as_str().unwrap_or_default();
            assert_eq!(from_html(html), plaintext, "plaintext of {}", post["slug"]);
        }
    }

    /// Cases beyond the export, each checked against html-to-text 8.2.1 run with Ghost's
    /// excerpt options.
    #[test]
    fn matches_html_to_text_on_ghost_cards() {
        let cases: &[(&str, &str)] = &[
            (
                "<figure class=\"kg-card kg-image-card kg-card-hascaption\"><img src=\"x.jpg\" class=\"kg-image\" alt=\"\" loading=\"lazy\" width=\"600\" height=\"400\"><figcaption><span style=\"white-space: pre-wrap;\">Caption</span></figcaption></figure><p>After</p>",
                "After",
            ),
            (
                "<!--kg-card-begin: html--><div class=\"x\">\n<p>Inner</p>\n</div><!--kg-card-end: html--><p>Next</p>",
                "\n\n\nInner\n\n\nNext",
            ),
            (
                "<div class=\"kg-card kg-callout-card kg-callout-card-grey\"><div class=\"kg-callout-emoji\">💡</div><div class=\"kg-callout-text\">Note this</div></div>",
                "💡Note this",
            ),
            (
                "<table><tr><th>H</th><th>I</th></tr><tr><td>a</td><td>b</td></tr></table>",
                "HIab",
            ),
            (
                "<p>Tabs\tand  spaces&nbsp;kept</p>",
                "Tabs and spaces\u{a0}kept",
            ),
            ("<h1>T</h1>", "T"),
            ("text <b>bold</b><i> it</i>", "text bold it"),
            (
                "<ol start=\"0\" type=\"a\"><li>x</li><li>y</li></ol>",
                " `. x\n a. y",
            ),
            (
                "<div class=\"kg-card kg-toggle-card\" data-kg-toggle-state=\"close\">\n            <div class=\"kg-toggle-heading\">\n                <h4 class=\"kg-toggle-heading-text\"><span style=\"white-space: pre-wrap;\">Question?</span></h4>\n                <button class=\"kg-toggle-card-icon\" aria-label=\"Expand toggle to read content\">\n                    <svg id=\"Regular\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n                        <path class=\"cls-1\" d=\"M23.25,7.311,12.53,18.03a.749.749,0,0,1-1.06,0L.75,7.311\"></path>\n                    </svg>\n                </button>\n            </div>\n            <div class=\"kg-toggle-content\"><p><span style=\"white-space: pre-wrap;\">Answer.</span></p></div>\n        </div>",
                "\n\n\n\nQuestion?\n\n\n\n\n\n\n\n\nAnswer.\n",
            ),
            (
                "<p>Text<sup class=\"footnote-ref\"><a href=\"#fn1\" id=\"fnref1\">[1]</a></sup></p><hr class=\"footnotes-sep\"><section class=\"footnotes\"><ol class=\"footnotes-list\"><li id=\"fn1\" class=\"footnote-item\"><p>Note <a href=\"#fnref1\" class=\"footnote-backref\">↩︎</a></p></li></ol></section>",
                "Text[1]\n\n 1. Note ↩︎",
            ),
            (
                "<div class=\"kg-card kg-header-card kg-v2 kg-width-full kg-content-wide \" style=\"background-color: #000000;\" data-background-color=\"#000000\">\n            \n            <div class=\"kg-header-card-content\">\n                \n                <div class=\"kg-header-card-text kg-align-center\">\n                    <h2 id=\"big-title\" class=\"kg-header-card-heading\" style=\"color: #FFFFFF;\" data-text-color=\"#FFFFFF\"><span style=\"white-space: pre-wrap;\">Big title</span></h2>\n                    <p id=\"sub\" class=\"kg-header-card-subheading\" style=\"color: #FFFFFF;\" data-text-color=\"#FFFFFF\"><span style=\"white-space: pre-wrap;\">Sub</span></p>\n                    \n                </div>\n            </div>\n        </div>",
                "\n\n\n\n\n\n\n\nBig title\n\n\nSub\n\n\n\n",
            ),
            (
                "<ul><li>One<ul><li>Nested</li><li>Two<ol><li>Deep</li></ol></li></ul></li><li>After</li></ul>",
                " * One\n   * Nested\n   * Two\n     1. Deep\n * After",
            ),
            (
                "<html><head><title>T</title></head><body><p>Body text</p></body></html>",
                "Body text",
            ),
            (
                "<ol start=\"12\"><li>twelve</li><li>thirteen<p>para in li</p></li></ol>",
                " 12. twelve\n 13. thirteen\n     \n     para in li",
            ),
        ];
        for (html, expected) in cases {
            assert_eq!(from_html(html), *expected, "{html}");
        }
    }
}
