//! Ghost's Lexical documents (the `lexical` column of a Ghost 5 post) rendered to the HTML that
//! Ghost 5.130 stores beside them in `html`.
//!
//! Imports, re-renders after an edit and exports must give the bytes Ghost gives, so this module
//! follows `@tryghost/kg-lexical-html-renderer` and the web renderers of
//! `@tryghost/kg-default-nodes` closely, quirks included: the order in which nested text formats
//! open (it depends on V8's sort), heading ids deduplicated with `-1`, `-2`, a nested list placed
//! inside the item before it, a blank trailing paragraph dropped. Ghost is lenient with node types
//! it does not know, and so are we: their children render, or nothing does.
//!
//! HTML that Ghost copies into a card (captions, embed and HTML card bodies) is kept as written.
//! Ghost re-serialises some of it through a DOM, which only changes markup no editor produces.
//! The helpers that [`crate::mobiledoc`] shares (escaping, JavaScript value rules, image
//! `srcset`s, Markdown) live here in `pub(crate)` submodules so both renderers agree.

use std::collections::HashMap;

use serde_json::{Map, Value};

use self::js::Props;

/// Why a Lexical document could not be rendered. Unknown node types are not errors: only a
/// document whose shape is not a Lexical tree at all is refused.
#[derive(Debug, thiserror::Error)]
pub enum LexicalError {
    #[error("the Lexical document is not valid JSON: {0}")]
    InvalidJson(#[from] serde_json::Error),
    #[error("the Lexical document has no `root` object")]
    MissingRoot,
    #[error("unexpected Lexical structure at `{path}`: expected {expected}")]
    UnexpectedStructure {
        path: String,
        expected: &'static str,
    },
}

/// Renders a Lexical document (the JSON text Ghost stores) to Ghost's HTML.
pub fn to_html(json: &str) -> Result<String, LexicalError> {
    let document: Value = serde_json::from_str(json)?;
    let root = document
        .get("root")
        .and_then(Value::as_object)
        .ok_or(LexicalError::MissingRoot)?;
    let children = parse_children(root, "root")?;
    Ok(Renderer::default().render_root(&children))
}

/// A Lexical document holding `html` in one HTML card (Ghost's own card type), which Ghost's
/// editor opens and renders back to this HTML between its card markers: how a body that was
/// never Lexical (written in Markdown, sent as HTML) is handed to Ghost's tools.
pub fn html_card_document(html: &str) -> String {
    serde_json::json!({
        "root": {
            "children": [{ "type": "html", "version": 1, "html": html }],
            "direction": null, "format": "", "indent": 0, "type": "root", "version": 1
        }
    })
    .to_string()
}

/// A Lexical node reduced to what rendering needs. Parsing first keeps the renderer free of
/// JSON checks and reports a malformed tree with the path to the bad node.
enum Node<'a> {
    Text {
        text: String,
        format: u32,
    },
    LineBreak,
    Link {
        url: Option<String>,
        rel: Option<String>,
        children: Vec<Node<'a>>,
    },
    Element {
        kind: Block,
        children: Vec<Node<'a>>,
    },
    Card {
        kind: &'a str,
        data: &'a Map<String, Value>,
    },
    /// A leaf Ghost does not render, such as an unknown type without children.
    Opaque,
}

/// The element nodes that render with their own tags; `Generic` ones render only their children.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    Paragraph,
    Heading(u8),
    Quote,
    Aside,
    List {
        ordered: bool,
        start: Option<String>,
    },
    ListItem,
    Generic,
}

fn unexpected(path: String, expected: &'static str) -> LexicalError {
    LexicalError::UnexpectedStructure { path, expected }
}

fn parse_children<'a>(
    node: &'a Map<String, Value>,
    path: &str,
) -> Result<Vec<Node<'a>>, LexicalError> {
    let items = match node.get("children") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(unexpected(format!("{path}.children"), "an array of nodes")),
    };
    let mut nodes = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let child_path = format!("{path}.children[{index}]");
        let Value::Object(map) = item else {
            return Err(unexpected(child_path, "a node object"));
        };
        if let Some(parsed) = parse_node(map, &child_path)? {
            nodes.push(parsed);
        }
    }
    Ok(nodes)
}

/// Parses one node; `None` for nodes Ghost strips before rendering (the editor's `@` link search).
fn parse_node<'a>(
    map: &'a Map<String, Value>,
    path: &str,
) -> Result<Option<Node<'a>>, LexicalError> {
    let kind = map.get("type").and_then(Value::as_str).unwrap_or("");
    let element = |block: Block| -> Result<Option<Node<'a>>, LexicalError> {
        Ok(Some(Node::Element {
            kind: block,
            children: parse_children(map, path)?,
        }))
    };
    match kind {
        "text" | "extended-text" | "tk" | "tab" | "zwnj" => Ok(Some(Node::Text {
            text: map
                .get("text")
                .map(js::to_string_or_empty)
                .unwrap_or_default(),
            format: text_format(map.get("format")),
        })),
        "linebreak" => Ok(Some(Node::LineBreak)),
        "link" | "autolink" => Ok(Some(Node::Link {
            url: truthy_string(map.get("url")),
            rel: truthy_string(map.get("rel")),
            children: parse_children(map, path)?,
        })),
        "at-link" | "at-link-search" => Ok(None),
        "paragraph" => element(Block::Paragraph),
        "heading" | "extended-heading" => {
            element(heading_level(map).map_or(Block::Generic, Block::Heading))
        }
        "quote" | "extended-quote" => element(Block::Quote),
        "aside" => element(Block::Aside),
        "list" => element(list_block(map)),
        "listitem" => element(Block::ListItem),
        _ if cards::is_card(kind) => Ok(Some(Node::Card { kind, data: map })),
        _ if matches!(map.get("children"), Some(Value::Array(_))) => element(Block::Generic),
        _ => Ok(Some(Node::Opaque)),
    }
}

/// Lexical stores formats as a bit set (bold 1, italic 2, …) but accepts a format's name too.
fn text_format(value: Option<&Value>) -> u32 {
    match value {
        Some(Value::Number(number)) => number.as_f64().map_or(0, js::to_uint32),
        Some(Value::String(name)) => FORMATS
            .iter()
            .find(|format| format.name == name)
            .map_or(0, |format| format.bit),
        _ => 0,
    }
}

fn truthy_string(value: Option<&Value>) -> Option<String> {
    value.filter(|v| js::truthy(v)).map(js::to_string)
}

fn heading_level(map: &Map<String, Value>) -> Option<u8> {
    match map.get("tag").and_then(Value::as_str)? {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Lexical derives a list's tag from `listType`, not from the stored `tag`, and only writes a
/// `start` attribute when it is not 1.
fn list_block(map: &Map<String, Value>) -> Block {
    let ordered = map.get("listType").and_then(Value::as_str) == Some("number");
    let start = match map.get("start") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => None,
        Some(other) => Some(js::to_string(other)),
    };
    Block::List { ordered, start }
}

/// One inline text format and the tag Ghost wraps it in, in Ghost's opening order.
struct Format {
    name: &'static str,
    bit: u32,
    tag: &'static str,
}

const FORMATS: [Format; 8] = [
    Format {
        name: "bold",
        bit: 1,
        tag: "strong",
    },
    Format {
        name: "italic",
        bit: 2,
        tag: "em",
    },
    Format {
        name: "strikethrough",
        bit: 4,
        tag: "s",
    },
    Format {
        name: "underline",
        bit: 8,
        tag: "u",
    },
    Format {
        name: "code",
        bit: 16,
        tag: "code",
    },
    Format {
        name: "subscript",
        bit: 32,
        tag: "sub",
    },
    Format {
        name: "superscript",
        bit: 64,
        tag: "sup",
    },
    Format {
        name: "highlight",
        bit: 128,
        tag: "mark",
    },
];

fn format_tag(bit: u32) -> &'static str {
    FORMATS
        .iter()
        .find(|f| f.bit == bit)
        .map_or("span", |f| f.tag)
}

/// Rendering state shared across the document: heading ids must be unique in the whole post.
#[derive(Default)]
struct Renderer {
    used_ids: HashMap<String, u32>,
}

impl Renderer {
    fn render_root(&mut self, children: &[Node<'_>]) -> String {
        let mut output: Vec<String> = children
            .iter()
            .filter_map(|child| self.export_top_level(child))
            .collect();
        // Koenig keeps a blank paragraph at the end of a document; Ghost never renders it.
        if let Some(last) = children.last()
            && matches!(
                last,
                Node::Element {
                    kind: Block::Paragraph,
                    ..
                }
            )
            && js::trim(&text_content(last)).is_empty()
        {
            output.pop();
        }
        output.concat()
    }

    fn export_top_level(&mut self, node: &Node<'_>) -> Option<String> {
        match node {
            Node::Card { kind, data } => Some(cards::render(kind, &Props::new(data))),
            Node::Element { kind, children } => Some(self.export_block(kind, node, children)),
            Node::Link { children, .. } => Some(self.export_children(children)),
            Node::Text { .. } | Node::LineBreak | Node::Opaque => None,
        }
    }

    fn export_block(&mut self, kind: &Block, node: &Node<'_>, children: &[Node<'_>]) -> String {
        match kind {
            Block::Paragraph => format!("<p>{}</p>", self.export_children(children)),
            Block::Heading(level) => {
                let id = self.heading_id(&text_content(node));
                format!(
                    "<h{level} id=\"{id}\">{}</h{level}>",
                    self.export_children(children)
                )
            }
            Block::Quote => format!(
                "<blockquote>{}</blockquote>",
                self.export_children(children)
            ),
            Block::Aside => format!(
                "<blockquote class=\"kg-blockquote-alt\">{}</blockquote>",
                self.export_children(children)
            ),
            Block::List { ordered, start } => {
                self.export_list(*ordered, start.as_deref(), children)
            }
            Block::ListItem | Block::Generic => self.export_children(children),
        }
    }

    /// Slugs a heading and makes it unique the way Ghost does: the second `intro` is `intro-1`.
    fn heading_id(&mut self, text: &str) -> String {
        let id = js::slugify(text, 4);
        match self.used_ids.get_mut(&id) {
            Some(count) => {
                let unique = format!("{id}-{count}");
                *count += 1;
                unique
            }
            None => {
                self.used_ids.insert(id.clone(), 1);
                id
            }
        }
    }

    /// Ghost writes a nested list inside the `<li>` before it, which is still open when the item
    /// holding the nested list comes along.
    fn export_list(&mut self, ordered: bool, start: Option<&str>, items: &[Node<'_>]) -> String {
        let tag = if ordered { "ol" } else { "ul" };
        let mut html = match start {
            Some(start) => format!("<{tag} start=\"{start}\">"),
            None => format!("<{tag}>"),
        };
        let mut item_open = false;
        for item in items {
            let Node::Element {
                kind: Block::ListItem,
                children,
            } = item
            else {
                continue;
            };
            if let Some(Node::Element {
                kind: Block::List { ordered, start },
                children: nested,
            }) = children.first()
            {
                html.push_str(&self.export_list(*ordered, start.as_deref(), nested));
                if item_open {
                    html.push_str("</li>");
                    item_open = false;
                }
            } else {
                if item_open {
                    html.push_str("</li>");
                }
                html.push_str("<li>");
                html.push_str(&self.export_children(children));
                item_open = true;
            }
        }
        if item_open {
            html.push_str("</li>");
        }
        html.push_str(&format!("</{tag}>"));
        html
    }

    /// Renders children without their own tags: runs of text, links and line breaks go through
    /// the text formatter, nested elements contribute their children, cards inside are skipped.
    fn export_children(&mut self, children: &[Node<'_>]) -> String {
        let mut html = String::new();
        let mut run: Vec<&Node<'_>> = Vec::new();
        for child in children {
            let inline = matches!(
                child,
                Node::Text { .. } | Node::LineBreak | Node::Link { .. }
            );
            if !inline && !run.is_empty() {
                html.push_str(&self.render_text_run(&run));
                run.clear();
            }
            match child {
                _ if inline => run.push(child),
                Node::Element { children, .. } => html.push_str(&self.export_children(children)),
                _ => {}
            }
        }
        if !run.is_empty() {
            html.push_str(&self.render_text_run(&run));
        }
        html
    }

    /// Ghost's `TextContent.render`: opens format tags in an order chosen by the text that
    /// follows and closes them when the next text lacks the format. Closing pops the innermost
    /// tag whichever format asked for it, as Ghost does, so the output matches Ghost's quirks.
    fn render_text_run(&mut self, nodes: &[&Node<'_>]) -> String {
        let mut html = String::new();
        let mut open: Vec<u32> = Vec::new();
        for (index, node) in nodes.iter().enumerate() {
            match node {
                Node::LineBreak => html.push_str("<br>"),
                Node::Link { url, rel, children } => {
                    html.push_str(&self.render_link(url.as_deref(), rel.as_deref(), children));
                }
                Node::Text { text, format: 0 } => {
                    html.push_str(&dom::escape_text(text, dom::Dialect::Jsdom))
                }
                Node::Text { text, format } => {
                    let remaining = &nodes[index + 1..];
                    for bit in formats_to_open(*format, &open, remaining) {
                        html.push('<');
                        html.push_str(format_tag(bit));
                        html.push('>');
                        open.push(bit);
                    }
                    html.push_str(&dom::escape_text(text, dom::Dialect::Jsdom));
                    close_formats(&mut html, &mut open, next_text_or_link(remaining));
                }
                _ => {}
            }
        }
        while let Some(bit) = open.pop() {
            html.push_str(&format!("</{}>", format_tag(bit)));
        }
        html
    }

    fn render_link(
        &mut self,
        url: Option<&str>,
        rel: Option<&str>,
        children: &[Node<'_>],
    ) -> String {
        let mut html = String::from("<a");
        for (name, value) in [("href", url), ("rel", rel)] {
            if let Some(value) = value {
                html.push_str(&format!(
                    " {name}=\"{}\"",
                    dom::escape_attr(value, dom::Dialect::Jsdom)
                ));
            }
        }
        html.push('>');
        html.push_str(&self.export_children(children));
        html.push_str("</a>");
        html
    }
}

/// The formats a text node opens, sorted the way Ghost sorts them: formats the following text
/// keeps using open first. Links end the look-ahead because every format closes before a link.
fn formats_to_open(format: u32, open: &[u32], remaining: &[&Node<'_>]) -> Vec<u32> {
    let mut to_open: Vec<u32> = FORMATS
        .iter()
        .map(|f| f.bit)
        .filter(|bit| format & bit != 0 && !open.contains(bit))
        .collect();
    let upcoming: Vec<u32> = remaining
        .iter()
        .take_while(|node| !matches!(node, Node::Link { .. }))
        .filter_map(|node| match node {
            Node::Text { format, .. } => Some(*format),
            _ => None,
        })
        .collect();
    let first_use = |bit: u32| upcoming.iter().position(|f| f & bit != 0);
    js::v8_small_sort(&mut to_open, |a, b| match (first_use(*a), first_use(*b)) {
        (None, _) => 1,
        (_, None) => -1,
        (Some(a), Some(b)) => a as i64 - b as i64,
    });
    to_open
}

fn next_text_or_link<'n, 'a>(remaining: &[&'n Node<'a>]) -> Option<&'n Node<'a>> {
    remaining
        .iter()
        .copied()
        .find(|node| matches!(node, Node::Text { .. } | Node::Link { .. }))
}

fn close_formats(html: &mut String, open: &mut Vec<u32>, next: Option<&Node<'_>>) {
    for bit in open.clone() {
        let keep = matches!(next, Some(Node::Text { format, .. }) if format & bit != 0);
        if !keep && let Some(innermost) = open.pop() {
            html.push_str(&format!("</{}>", format_tag(innermost)));
        }
    }
}

/// Lexical's `getTextContent`: text, `\n` for a line break, and a blank line between blocks.
fn text_content(node: &Node<'_>) -> String {
    match node {
        Node::Text { text, .. } => text.clone(),
        Node::LineBreak => "\n".to_owned(),
        Node::Link { children, .. } | Node::Element { children, .. } => {
            let mut text = String::new();
            for (index, child) in children.iter().enumerate() {
                text.push_str(&text_content(child));
                if matches!(child, Node::Element { .. }) && index + 1 != children.len() {
                    text.push_str("\n\n");
                }
            }
            text
        }
        Node::Card { .. } | Node::Opaque => String::new(),
    }
}

/// The web renderers of Ghost's cards (`kg-default-nodes`), one function per card type.
mod cards {
    use serde_json::Value;

    use super::dom::{Dialect, Element, escape_attr};
    use super::js::{self, Props};
    use super::{fragments, images};

    /// The card types rendered here. Other cards (signup, call to action, header v2, …) fall
    /// back to rendering nothing, like any unknown leaf.
    pub(super) fn is_card(kind: &str) -> bool {
        matches!(
            kind,
            "image"
                | "codeblock"
                | "markdown"
                | "html"
                | "embed"
                | "horizontalrule"
                | "bookmark"
                | "gallery"
                | "callout"
                | "button"
                | "toggle"
                | "video"
                | "audio"
                | "file"
                | "paywall"
                | "product"
                | "header"
                | "email"
                | "email-cta"
        )
    }

    pub(super) fn render(kind: &str, card: &Props<'_>) -> String {
        match kind {
            "image" => image(card),
            "codeblock" => codeblock(card),
            "markdown" => fragments::markdown(&card.string("markdown")),
            "html" => html(card),
            "embed" => embed(card),
            "horizontalrule" => "<hr>".to_owned(),
            "bookmark" => bookmark(card),
            "gallery" => gallery(card),
            "callout" => callout(card),
            "button" => button(card),
            "toggle" => toggle(card),
            "video" => video(card),
            "audio" => audio(card),
            "file" => file(card),
            "paywall" => "<!--members-only-->".to_owned(),
            "product" => product(card),
            "header" if card.number_or("version", 1.0) == 1.0 => header_v1(card),
            // Email-only cards and unported card versions render nothing on the web.
            _ => String::new(),
        }
    }

    fn figcaption(caption: &str) -> Element {
        Element::new("figcaption").with_raw(caption)
    }

    fn image(card: &Props<'_>) -> String {
        let src = card.string("src");
        if js::trim(&src).is_empty() {
            return String::new();
        }
        let card_width = card.string_or("cardWidth", "regular");
        let caption = card.string("caption");
        let mut class = String::from("kg-card kg-image-card");
        if card_width != "regular" {
            class.push_str(&format!(" kg-width-{card_width}"));
        }
        if !caption.is_empty() {
            class.push_str(" kg-card-hascaption");
        }
        let mut img = images::content_image(card, &src);
        if img.attr("srcset").is_some() && card.number("width").is_some_and(|w| w >= 720.0) {
            if card_width == "regular" {
                img.set_attr("sizes", "(min-width: 720px) 720px");
            }
            if card_width == "wide" && card.number("width").is_some_and(|w| w >= 1200.0) {
                img.set_attr("sizes", "(min-width: 1200px) 1200px");
            }
        }
        let mut figure = Element::new("figure").with_attr("class", class);
        figure.push(images::linked(img, &card.string("href")));
        if !caption.is_empty() {
            figure.push(figcaption(&caption));
        }
        figure.to_html(Dialect::Jsdom)
    }

    fn codeblock(card: &Props<'_>) -> String {
        let code = card.string("code");
        if js::trim(&code).is_empty() {
            return String::new();
        }
        let mut code_el = Element::new("code");
        let language = card.string("language");
        if !language.is_empty() {
            code_el.set_attr("class", format!("language-{language}"));
        }
        let pre = Element::new("pre").with_child(code_el.with_text(code));
        let caption = card.string("caption");
        if caption.is_empty() {
            return pre.to_html(Dialect::Jsdom);
        }
        Element::new("figure")
            .with_attr("class", "kg-card kg-code-card")
            .with_child(pre)
            .with_child(figcaption(&caption))
            .to_html(Dialect::Jsdom)
    }

    /// The HTML card's body goes out untouched between Ghost's comment markers; restricted web
    /// visibility wraps it in Ghost's gated-block comments instead.
    fn html(card: &Props<'_>) -> String {
        let body = card.string("html");
        if body.is_empty() {
            return String::new();
        }
        let wrapped = format!("\n<!--kg-card-begin: html-->\n{body}\n<!--kg-card-end: html-->\n");
        match fragments::web_visibility(card.value("visibility")) {
            fragments::WebVisibility::Everyone => wrapped,
            fragments::WebVisibility::Hidden => String::new(),
            fragments::WebVisibility::Gated {
                non_member,
                segment,
            } => format!(
                "\n<!--kg-gated-block:begin nonMember:{non_member} memberSegment:\"{segment}\" -->{wrapped}<!--kg-gated-block:end-->\n"
            ),
        }
    }

    fn embed(card: &Props<'_>) -> String {
        let body = card.string("html");
        let body = if card.string("embedType") == "twitter" {
            js::trim(&body).to_owned()
        } else if body.is_empty() && card.string("url").is_empty() {
            return String::new();
        } else {
            body
        };
        let caption = card.string("caption");
        let class = if caption.is_empty() {
            "kg-card kg-embed-card"
        } else {
            "kg-card kg-embed-card kg-card-hascaption"
        };
        let mut figure = Element::new("figure")
            .with_attr("class", class)
            .with_raw(body);
        if !caption.is_empty() {
            figure.push(figcaption(&caption));
        }
        figure.to_html(Dialect::Jsdom)
    }

    fn bookmark(card: &Props<'_>) -> String {
        let url = card.string("url");
        if js::trim(&url).is_empty() {
            return String::new();
        }
        let metadata = card.object("metadata");
        let caption = card.string("caption");
        let class = if caption.is_empty() {
            "kg-card kg-bookmark-card"
        } else {
            "kg-card kg-bookmark-card kg-card-hascaption"
        };
        let mut details = Element::new("div").with_attr("class", "kg-bookmark-metadata");
        let icon = metadata.string("icon");
        if !icon.is_empty() {
            details.push(
                Element::new("img")
                    .with_attr("class", "kg-bookmark-icon")
                    .with_attr("src", icon)
                    .with_attr("alt", ""),
            );
        }
        // Ghost swaps these two classes on purpose, for older themes.
        for (field, class) in [
            ("publisher", "kg-bookmark-author"),
            ("author", "kg-bookmark-publisher"),
        ] {
            let text = metadata.string(field);
            if !text.is_empty() {
                details.push(
                    Element::new("span")
                        .with_attr("class", class)
                        .with_text(text),
                );
            }
        }
        let content = Element::new("div")
            .with_attr("class", "kg-bookmark-content")
            .with_child(div_text("kg-bookmark-title", metadata.string("title")))
            .with_child(div_text(
                "kg-bookmark-description",
                metadata.string("description"),
            ))
            .with_child(details);
        let mut container = Element::new("a")
            .with_attr("class", "kg-bookmark-container")
            .with_attr("href", url)
            .with_child(content);
        let thumbnail = metadata.string("thumbnail");
        if !thumbnail.is_empty() {
            let img = Element::new("img")
                .with_attr("src", thumbnail)
                .with_attr("alt", "")
                .with_attr("onerror", "this.style.display = 'none'");
            container.push(
                Element::new("div")
                    .with_attr("class", "kg-bookmark-thumbnail")
                    .with_child(img),
            );
        }
        let mut figure = Element::new("figure")
            .with_attr("class", class)
            .with_child(container);
        if !caption.is_empty() {
            figure.push(figcaption(&caption));
        }
        figure.to_html(Dialect::Jsdom)
    }

    fn div_text(class: &str, text: String) -> Element {
        Element::new("div")
            .with_attr("class", class)
            .with_text(text)
    }

    fn gallery(card: &Props<'_>) -> String {
        let rows = images::gallery_rows(card.value("images"));
        if rows.is_empty() {
            return String::new();
        }
        let mut figure = Element::new("figure")
            .with_attr("class", "kg-card kg-gallery-card kg-width-wide")
            .with_child(images::gallery_container(&rows));
        let caption = card.string("caption");
        if !caption.is_empty() {
            figure.push(figcaption(&caption));
            figure.set_attr(
                "class",
                "kg-card kg-gallery-card kg-width-wide kg-card-hascaption",
            );
        }
        figure.to_html(Dialect::Jsdom)
    }

    /// Callout text keeps only inline formatting tags, as Ghost's `cleanDOM` leaves it.
    fn callout(card: &Props<'_>) -> String {
        let color = card.string_or("backgroundColor", "blue");
        let color_is_class =
            !color.is_empty() && color.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let color = if color_is_class {
            color
        } else {
            "white".to_owned()
        };
        let mut div = Element::new("div").with_attr(
            "class",
            format!("kg-card kg-callout-card kg-callout-card-{color}"),
        );
        // A stored empty emoji stays empty; only a missing one gets Ghost's default bulb.
        let emoji = match card.raw("calloutEmoji") {
            None => "💡".to_owned(),
            Some(value) if js::truthy(value) => js::to_string(value),
            Some(_) => String::new(),
        };
        if !emoji.is_empty() {
            div.push(
                Element::new("div")
                    .with_attr("class", "kg-callout-emoji")
                    .with_text(emoji),
            );
        }
        let text = fragments::keep_inline_tags(&card.string("calloutText"));
        div.push(
            Element::new("div")
                .with_attr("class", "kg-callout-text")
                .with_raw(text),
        );
        div.to_html(Dialect::Jsdom)
    }

    fn button(card: &Props<'_>) -> String {
        let url = card.string("buttonUrl");
        if js::trim(&url).is_empty() {
            return String::new();
        }
        let alignment = card.string_or("alignment", "center");
        let mut class = String::from("kg-card kg-button-card");
        if !alignment.is_empty() {
            class.push_str(&format!(" kg-align-{alignment}"));
        }
        let link = Element::new("a")
            .with_attr("href", url)
            .with_attr("class", "kg-btn kg-btn-accent")
            .with_text(card.string_or("buttonText", "Button Title"));
        Element::new("div")
            .with_attr("class", class)
            .with_child(link)
            .to_html(Dialect::Jsdom)
    }

    /// Ghost builds the toggle from a template string and parses it, so the whitespace between
    /// its tags is part of the output.
    fn toggle(card: &Props<'_>) -> String {
        format!(
            "<div class=\"kg-card kg-toggle-card\" data-kg-toggle-state=\"close\">\n            <div class=\"kg-toggle-heading\">\n                <h4 class=\"kg-toggle-heading-text\">{heading}</h4>\n                <button class=\"kg-toggle-card-icon\" aria-label=\"Expand toggle to read content\">\n                    <svg id=\"Regular\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n                        <path class=\"cls-1\" d=\"M23.25,7.311,12.53,18.03a.749.749,0,0,1-1.06,0L.75,7.311\"></path>\n                    </svg>\n                </button>\n            </div>\n            <div class=\"kg-toggle-content\">{content}</div>\n        </div>",
            heading = card.string("heading"),
            content = card.string("content"),
        )
    }

    const PLAY_PATH: &str = "M23.14 10.608 2.253.164A1.559 1.559 0 0 0 0 1.557v20.887a1.558 1.558 0 0 0 2.253 1.392L23.14 13.393a1.557 1.557 0 0 0 0-2.785Z";
    const UNMUTE_PATH: &str = "M15.189 2.021a9.728 9.728 0 0 0-7.924 4.85.249.249 0 0 1-.221.133H5.25a3 3 0 0 0-3 3v2a3 3 0 0 0 3 3h1.794a.249.249 0 0 1 .221.133 9.73 9.73 0 0 0 7.924 4.85h.06a1 1 0 0 0 1-1V3.02a1 1 0 0 0-1.06-.998Z";
    const MUTE_PATH: &str = "M16.177 4.3a.248.248 0 0 0 .073-.176v-1.1a1 1 0 0 0-1.061-1 9.728 9.728 0 0 0-7.924 4.85.249.249 0 0 1-.221.133H5.25a3 3 0 0 0-3 3v2a3 3 0 0 0 3 3h.114a.251.251 0 0 0 .177-.073ZM23.707 1.706A1 1 0 0 0 22.293.292l-22 22a1 1 0 0 0 0 1.414l.009.009a1 1 0 0 0 1.405-.009l6.63-6.631A.251.251 0 0 1 8.515 17a.245.245 0 0 1 .177.075 10.081 10.081 0 0 0 6.5 2.92 1 1 0 0 0 1.061-1V9.266a.247.247 0 0 1 .073-.176Z";

    /// The video card is a parsed template too: the whitespace is Ghost's, the `<video>` tag's
    /// attributes come out on one line with boolean attributes as `=""`, as the parser writes them.
    fn video(card: &Props<'_>) -> String {
        let src = card.string("src");
        if js::trim(&src).is_empty() {
            return String::new();
        }
        let caption = card.string("caption");
        let mut classes = vec!["kg-card kg-video-card".to_owned()];
        let card_width = card.string_or("cardWidth", "regular");
        if !card_width.is_empty() {
            classes.push(format!("kg-width-{card_width}"));
        }
        if !caption.is_empty() {
            classes.push("kg-card-hascaption".to_owned());
        }
        let width = card.string_or("width", "null");
        let height = card.string_or("height", "null");
        let custom = card.string("customThumbnailSrc");
        let thumbnail = card.string("thumbnailSrc");
        let shown_thumbnail = if custom.is_empty() {
            &thumbnail
        } else {
            &custom
        };
        let looping = card.flag("loop");
        let attr = |value: &str| escape_attr(value, Dialect::Jsdom).into_owned();
        let figcaption = if caption.is_empty() {
            String::new()
        } else {
            format!("<figcaption>{caption}</figcaption>")
        };
        format!(
            "<figure class=\"{classes}\" {thumbnail_attrs}>\n            <div class=\"kg-video-container\">\n                <video src=\"{src}\" poster=\"https://img.spacergif.org/v1/{width}x{height}/0a/spacer.png\" width=\"{width}\" height=\"{height}\"{autoplay} playsinline=\"\" preload=\"metadata\" style=\"background: transparent url('{background}') 50% 50% / cover no-repeat;\"></video>\n                <div class=\"kg-video-overlay\">\n                    <button class=\"kg-video-large-play-icon\" aria-label=\"Play video\">\n                        <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n                            <path d=\"{PLAY_PATH}\"></path>\n                        </svg>\n                    </button>\n                </div>\n                <div class=\"kg-video-player-container{hide}\">\n                    <div class=\"kg-video-player\">\n                        <button class=\"kg-video-play-icon\" aria-label=\"Play video\">\n                            <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n                                <path d=\"{PLAY_PATH}\"></path>\n                            </svg>\n                        </button>\n                        <button class=\"kg-video-pause-icon kg-video-hide\" aria-label=\"Pause video\">\n                            <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n                                <rect x=\"3\" y=\"1\" width=\"7\" height=\"22\" rx=\"1.5\" ry=\"1.5\"></rect>\n                                <rect x=\"14\" y=\"1\" width=\"7\" height=\"22\" rx=\"1.5\" ry=\"1.5\"></rect>\n                            </svg>\n                        </button>\n                        <span class=\"kg-video-current-time\">0:00</span>\n                        <div class=\"kg-video-time\">\n                            /<span class=\"kg-video-duration\">{duration}</span>\n                        </div>\n                        <input type=\"range\" class=\"kg-video-seek-slider\" max=\"100\" value=\"0\">\n                        <button class=\"kg-video-playback-rate\" aria-label=\"Adjust playback speed\">1×</button>\n                        <button class=\"kg-video-unmute-icon\" aria-label=\"Unmute\">\n                            <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n                                <path d=\"{UNMUTE_PATH}\"></path>\n                            </svg>\n                        </button>\n                        <button class=\"kg-video-mute-icon kg-video-hide\" aria-label=\"Mute\">\n                            <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">\n                                <path d=\"{MUTE_PATH}\"></path>\n                            </svg>\n                        </button>\n                        <input type=\"range\" class=\"kg-video-volume-slider\" max=\"100\" value=\"100\">\n                    </div>\n                </div>\n            </div>\n            {figcaption}\n        </figure>",
            classes = attr(&classes.join(" ")),
            thumbnail_attrs = video_thumbnail_attrs(&thumbnail, &custom),
            src = attr(&src),
            width = attr(&width),
            height = attr(&height),
            autoplay = if looping {
                " loop=\"\" autoplay=\"\" muted=\"\""
            } else {
                ""
            },
            background = attr(shown_thumbnail),
            hide = if looping { " kg-video-hide" } else { "" },
            duration = js::minutes_seconds(card.number("duration").unwrap_or(0.0)),
        )
    }

    /// Ghost's template leaves these two attributes unquoted, so an empty thumbnail makes the
    /// parser read the next attribute as its value; this reproduces what the parser makes of it.
    fn video_thumbnail_attrs(thumbnail: &str, custom: &str) -> String {
        let unquoted = |value: &str| -> String {
            value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_owned()
        };
        let attr = |value: &str| escape_attr(value, Dialect::Jsdom).into_owned();
        let thumbnail = unquoted(thumbnail);
        if thumbnail.is_empty() {
            let swallowed = format!("data-kg-custom-thumbnail={}", unquoted(custom));
            return format!("data-kg-thumbnail=\"{}\"", attr(&swallowed));
        }
        format!(
            "data-kg-thumbnail=\"{}\" data-kg-custom-thumbnail=\"{}\"",
            attr(&thumbnail),
            attr(&unquoted(custom))
        )
    }

    fn svg(attrs: &[(&'static str, &str)]) -> Element {
        attrs
            .iter()
            .fold(Element::new("svg"), |svg, (name, value)| {
                svg.with_attr(*name, *value)
            })
    }

    fn path_el(d: &str) -> Element {
        Element::new("path").with_attr("d", d)
    }

    fn evenodd_path(d: &str) -> Element {
        Element::new("path")
            .with_attr("fill-rule", "evenodd")
            .with_attr("clip-rule", "evenodd")
            .with_attr("d", d)
    }

    fn pause_rect(x: &str) -> Element {
        [
            ("x", x),
            ("y", "1"),
            ("width", "7"),
            ("height", "22"),
            ("rx", "1.5"),
            ("ry", "1.5"),
        ]
        .iter()
        .fold(Element::new("rect"), |rect, (name, value)| {
            rect.with_attr(*name, *value)
        })
    }

    fn icon_button(class: &str, label: &str, icon: Element) -> Element {
        Element::new("button")
            .with_attr("class", class)
            .with_attr("aria-label", label)
            .with_child(icon)
    }

    fn range(class: &str, value: &str) -> Element {
        Element::new("input")
            .with_attr("type", "range")
            .with_attr("class", class)
            .with_attr("max", "100")
            .with_attr("value", value)
    }

    fn audio(card: &Props<'_>) -> String {
        let src = card.string("src");
        if js::trim(&src).is_empty() {
            return String::new();
        }
        let thumbnail = card.string("thumbnailSrc");
        let (thumbnail_class, placeholder_class) = if thumbnail.is_empty() {
            (
                "kg-audio-thumbnail kg-audio-hide",
                "kg-audio-thumbnail placeholder",
            )
        } else {
            (
                "kg-audio-thumbnail",
                "kg-audio-thumbnail placeholder kg-audio-hide",
            )
        };
        let placeholder_icon = svg(&[("width", "24"), ("height", "24"), ("fill", "none")])
            .with_child(evenodd_path(AUDIO_ICON_PATHS[0]))
            .with_child(evenodd_path(AUDIO_ICON_PATHS[1]))
            .with_child(evenodd_path(AUDIO_ICON_PATHS[2]));
        let view_box = [("viewBox", "0 0 24 24")];
        let player = Element::new("div")
            .with_attr("class", "kg-audio-player")
            .with_child(icon_button(
                "kg-audio-play-icon",
                "Play audio",
                svg(&view_box).with_child(path_el(PLAY_PATH)),
            ))
            .with_child(icon_button(
                "kg-audio-pause-icon kg-audio-hide",
                "Pause audio",
                svg(&view_box)
                    .with_child(pause_rect("3"))
                    .with_child(pause_rect("14")),
            ))
            .with_child(
                Element::new("span")
                    .with_attr("class", "kg-audio-current-time")
                    .with_text("0:00"),
            )
            .with_child(
                Element::new("div")
                    .with_attr("class", "kg-audio-time")
                    .with_text("/")
                    .with_child(
                        Element::new("span")
                            .with_attr("class", "kg-audio-duration")
                            .with_text(card.string_or("duration", "0")),
                    ),
            )
            .with_child(range("kg-audio-seek-slider", "0"))
            .with_child(
                Element::new("button")
                    .with_attr("class", "kg-audio-playback-rate")
                    .with_attr("aria-label", "Adjust playback speed")
                    .with_text("1×"),
            )
            .with_child(icon_button(
                "kg-audio-unmute-icon",
                "Unmute",
                svg(&view_box).with_child(path_el(UNMUTE_PATH)),
            ))
            .with_child(icon_button(
                "kg-audio-mute-icon kg-audio-hide",
                "Mute",
                svg(&view_box).with_child(path_el(MUTE_PATH)),
            ))
            .with_child(range("kg-audio-volume-slider", "100"));
        Element::new("div")
            .with_attr("class", "kg-card kg-audio-card")
            .with_child(
                Element::new("img")
                    .with_attr("src", thumbnail)
                    .with_attr("alt", "audio-thumbnail")
                    .with_attr("class", thumbnail_class),
            )
            .with_child(
                Element::new("div")
                    .with_attr("class", placeholder_class)
                    .with_child(placeholder_icon),
            )
            .with_child(
                Element::new("div")
                    .with_attr("class", "kg-audio-player-container")
                    .with_child(
                        Element::new("audio")
                            .with_attr("src", src)
                            .with_attr("preload", "metadata"),
                    )
                    .with_child(div_text("kg-audio-title", card.string("title")))
                    .with_child(player),
            )
            .to_html(Dialect::Jsdom)
    }

    const AUDIO_ICON_PATHS: [&str; 3] = [
        "M7.5 15.33a.75.75 0 1 0 0 1.5.75.75 0 0 0 0-1.5Zm-2.25.75a2.25 2.25 0 1 1 4.5 0 2.25 2.25 0 0 1-4.5 0ZM15 13.83a.75.75 0 1 0 0 1.5.75.75 0 0 0 0-1.5Zm-2.25.75a2.25 2.25 0 1 1 4.5 0 2.25 2.25 0 0 1-4.5 0Z",
        "M14.486 6.81A2.25 2.25 0 0 1 17.25 9v5.579a.75.75 0 0 1-1.5 0v-5.58a.75.75 0 0 0-.932-.727.755.755 0 0 1-.059.013l-4.465.744a.75.75 0 0 0-.544.72v6.33a.75.75 0 0 1-1.5 0v-6.33a2.25 2.25 0 0 1 1.763-2.194l4.473-.746Z",
        "M3 1.5a.75.75 0 0 0-.75.75v19.5a.75.75 0 0 0 .75.75h18a.75.75 0 0 0 .75-.75V5.133a.75.75 0 0 0-.225-.535l-.002-.002-3-2.883A.75.75 0 0 0 18 1.5H3ZM1.409.659A2.25 2.25 0 0 1 3 0h15a2.25 2.25 0 0 1 1.568.637l.003.002 3 2.883a2.25 2.25 0 0 1 .679 1.61V21.75A2.25 2.25 0 0 1 21 24H3a2.25 2.25 0 0 1-2.25-2.25V2.25c0-.597.237-1.169.659-1.591Z",
    ];

    fn file(card: &Props<'_>) -> String {
        let src = card.string("src");
        if js::trim(&src).is_empty() {
            return String::new();
        }
        let size = js::bytes_to_size(js::to_number(
            card.value("fileSize").unwrap_or(&Value::Null),
        ));
        let metadata = Element::new("div")
            .with_attr("class", "kg-file-card-metadata")
            .with_child(div_text("kg-file-card-filename", card.string("fileName")))
            .with_child(div_text("kg-file-card-filesize", size));
        let contents = Element::new("div")
            .with_attr("class", "kg-file-card-contents")
            .with_child(div_text("kg-file-card-title", card.string("fileTitle")))
            .with_child(div_text("kg-file-card-caption", card.string("fileCaption")))
            .with_child(metadata);
        let style = Element::new("style").with_text(
            ".a{fill:none;stroke:currentColor;stroke-linecap:round;stroke-linejoin:round;stroke-width:1.5px;}",
        );
        let icon = svg(&[("viewBox", "0 0 24 24")])
            .with_child(Element::new("defs").with_child(style))
            .with_child(Element::new("title").with_text("download-circle"))
            .with_child(
                Element::new("polyline")
                    .with_attr("class", "a")
                    .with_attr("points", "8.25 14.25 12 18 15.75 14.25"),
            )
            .with_child(
                [
                    ("class", "a"),
                    ("x1", "12"),
                    ("y1", "6.75"),
                    ("x2", "12"),
                    ("y2", "18"),
                ]
                .iter()
                .fold(Element::new("line"), |line, (name, value)| {
                    line.with_attr(*name, *value)
                }),
            )
            .with_child(
                [("class", "a"), ("cx", "12"), ("cy", "12"), ("r", "11.25")]
                    .iter()
                    .fold(Element::new("circle"), |circle, (name, value)| {
                        circle.with_attr(*name, *value)
                    }),
            );
        let container = Element::new("a")
            .with_attr("class", "kg-file-card-container")
            .with_attr("href", src)
            .with_attr("title", "Download")
            .with_attr("download", "")
            .with_child(contents)
            .with_child(
                Element::new("div")
                    .with_attr("class", "kg-file-card-icon")
                    .with_child(icon),
            );
        Element::new("div")
            .with_attr("class", "kg-card kg-file-card")
            .with_child(container)
            .to_html(Dialect::Jsdom)
    }

    const STAR_ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path d=\"M12.729,1.2l3.346,6.629,6.44.638a.805.805,0,0,1,.5,1.374l-5.3,5.253,1.965,7.138a.813.813,0,0,1-1.151.935L12,19.934,5.48,23.163a.813.813,0,0,1-1.151-.935L6.294,15.09.99,9.837a.805.805,0,0,1,.5-1.374l6.44-.638L11.271,1.2A.819.819,0,0,1,12.729,1.2Z\"></path></svg>";

    /// The product card is another parsed template; optional parts leave their whitespace behind.
    fn product(card: &Props<'_>) -> String {
        let title = card.string("productTitle");
        let description = card.string("productDescription");
        let image_src = card.string("productImageSrc");
        let rating_enabled = card.flag("productRatingEnabled");
        let button_enabled = card.flag("productButtonEnabled");
        let button = card.string("productButton");
        let url = card.string("productUrl");
        let button_filled = button_enabled && !url.is_empty() && !button.is_empty();
        if title.is_empty()
            && description.is_empty()
            && !button_filled
            && image_src.is_empty()
            && !rating_enabled
        {
            return String::new();
        }
        let attr = |value: &str| escape_attr(value, Dialect::Jsdom).into_owned();
        let image = if image_src.is_empty() {
            String::new()
        } else {
            let mut img = format!("<img src=\"{}\"", attr(&image_src));
            for (name, field) in [
                ("width", "productImageWidth"),
                ("height", "productImageHeight"),
            ] {
                let value = card.string(field);
                if !value.is_empty() {
                    img.push_str(&format!(" {name}=\"{}\"", attr(&value)));
                }
            }
            img.push_str(" class=\"kg-product-card-image\" loading=\"lazy\">");
            img
        };
        let rating = if rating_enabled {
            let stars = card.number_or("productStarRating", 5.0);
            let spans: String = (1..=5)
                .map(|i| {
                    let active = if stars >= f64::from(i) { "kg-product-card-rating-active" } else { "" };
                    format!("\n                        <span class=\"{active} kg-product-card-rating-star\">{STAR_ICON}</span>")
                })
                .collect();
            format!(
                "\n                    <div class=\"kg-product-card-rating\">{spans}\n                    </div>\n                "
            )
        } else {
            String::new()
        };
        let button_html = if button_enabled {
            format!(
                "\n                    <a href=\"{}\" class=\"kg-product-card-button kg-product-card-btn-accent\" target=\"_blank\" rel=\"noopener noreferrer\"><span>{button}</span></a>\n                ",
                attr(&url)
            )
        } else {
            String::new()
        };
        format!(
            "<div class=\"kg-card kg-product-card\">\n            <div class=\"kg-product-card-container\">\n                {image}\n                <div class=\"kg-product-card-title-container\">\n                    <h4 class=\"kg-product-card-title\">{title}</h4>\n                </div>\n                {rating}\n\n                <div class=\"kg-product-card-description\">{description}</div>\n                {button_html}\n            </div>\n        </div>"
        )
    }

    /// Version 1 header cards; their heading ids are slugs of the heading's HTML, as in Ghost.
    fn header_v1(card: &Props<'_>) -> String {
        let header = card.string("header");
        let subheader = card.string("subheader");
        let button_url = card.string("buttonUrl");
        let button_text = card.string("buttonText");
        let button_enabled =
            card.flag("buttonEnabled") && !button_url.is_empty() && !button_text.is_empty();
        if header.is_empty() && subheader.is_empty() && !button_enabled {
            return String::new();
        }
        let style = card.string_or("style", "dark");
        let background = card.string("backgroundImageSrc");
        let classes = js::class_list(&[
            "kg-card",
            "kg-header-card",
            "kg-width-full",
            &format!("kg-size-{}", card.string_or("size", "small")),
            &format!("kg-style-{style}"),
        ]);
        let background_style = if style == "image" {
            format!("background-image: url({background})")
        } else {
            String::new()
        };
        let mut div = Element::new("div")
            .with_attr("class", classes)
            .with_attr("data-kg-background-image", background)
            .with_attr("style", background_style);
        if !header.is_empty() {
            div.push(header_line("h2", "kg-header-card-header", &header));
        }
        let subheader_shown = js::trim(subheader.trim_end_matches("<br>"));
        if !subheader_shown.is_empty() {
            div.push(header_line("h3", "kg-header-card-subheader", &subheader));
        }
        if button_enabled {
            div.push(
                Element::new("a")
                    .with_attr("class", "kg-header-card-button")
                    .with_attr("href", button_url)
                    .with_text(button_text),
            );
        }
        div.to_html(Dialect::Jsdom)
    }

    fn header_line(tag: &'static str, class: &str, html: &str) -> Element {
        Element::new(tag)
            .with_attr("class", class)
            .with_attr("id", js::slugify(html, 4))
            .with_raw(html)
    }
}

/// Pieces of card bodies both renderers need: Markdown, inline-only HTML, visibility rules.
pub(crate) mod fragments {
    use serde_json::Value;

    use super::js;

    /// Markdown cards as Ghost renders them (tables, strikethrough, footnotes, raw HTML), here
    /// with comrak standing in for Ghost's markdown-it.
    pub(crate) fn markdown(source: &str) -> String {
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.strikethrough = true;
        options.extension.footnotes = true;
        options.extension.autolink = true;
        options.render.r#unsafe = true;
        comrak::markdown_to_html(source, &options)
    }

    /// Tags Ghost keeps in callout text; every other tag is dropped and its content kept.
    const INLINE_TAGS: [&str; 13] = [
        "a", "strong", "em", "b", "i", "br", "code", "mark", "s", "del", "u", "sup", "sub",
    ];

    /// Drops the tags of elements that are not inline formatting, keeping their content, the
    /// way Ghost's `cleanDOM` unwraps them (an editor's `<span>` or `<p>` around callout text).
    pub(crate) fn keep_inline_tags(html: &str) -> String {
        let mut kept = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            kept.push_str(&rest[..start]);
            let tail = &rest[start..];
            let Some(length) = tag_length(tail) else {
                kept.push_str(tail);
                return kept;
            };
            let tag = &tail[..length];
            if tag_name(tag)
                .is_none_or(|name| INLINE_TAGS.contains(&name.to_ascii_lowercase().as_str()))
            {
                kept.push_str(tag);
            }
            rest = &tail[length..];
        }
        kept.push_str(rest);
        kept
    }

    /// The length of the tag or comment at the start of `html`, honouring quoted attributes.
    fn tag_length(html: &str) -> Option<usize> {
        if html.starts_with("<!--") {
            return html.find("-->").map(|end| end + 3);
        }
        let mut quote: Option<char> = None;
        for (index, c) in html.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => return Some(index + 1),
                _ => {}
            }
        }
        None
    }

    /// The element name of a start or end tag; `None` for comments and other markup.
    fn tag_name(tag: &str) -> Option<&str> {
        let name = tag.strip_prefix("</").or_else(|| tag.strip_prefix('<'))?;
        let end = name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        let name = &name[..end];
        name.starts_with(|c: char| c.is_ascii_alphabetic())
            .then_some(name)
    }

    /// Who sees a card on the web, from Ghost's card visibility settings.
    pub(crate) enum WebVisibility {
        Everyone,
        Hidden,
        Gated { non_member: String, segment: String },
    }

    const ALL_MEMBERS: &str = "status:free,status:-free";

    /// Ghost's `renderWithVisibility` for the web, including its migration of the older
    /// `showOnWeb`/`emailOnly` format.
    pub(crate) fn web_visibility(visibility: Option<&Value>) -> WebVisibility {
        let Some(visibility) = visibility.and_then(Value::as_object) else {
            return WebVisibility::Everyone;
        };
        let web = visibility.get("web").and_then(Value::as_object);
        let is_new_format = web.is_some_and(|web| {
            web.contains_key("nonMember") && web.get("memberSegment").is_some_and(|s| !s.is_null())
        }) && visibility
            .get("email")
            .and_then(|e| e.get("memberSegment"))
            .is_some_and(|s| !s.is_null());
        let (non_member, segment) = if is_new_format {
            let web = web.cloned().unwrap_or_default();
            (
                web.get("nonMember").cloned(),
                web.get("memberSegment")
                    .map(js::to_string)
                    .unwrap_or_default(),
            )
        } else {
            old_format_web(visibility)
        };
        let non_member_true = matches!(non_member, Some(Value::Bool(true)));
        let non_member_false = matches!(non_member, Some(Value::Bool(false)));
        if non_member_false && segment.is_empty() {
            return WebVisibility::Hidden;
        }
        if non_member_true && segment == ALL_MEMBERS {
            return WebVisibility::Everyone;
        }
        WebVisibility::Gated {
            non_member: non_member
                .as_ref()
                .map_or_else(|| "undefined".to_owned(), js::to_string),
            segment,
        }
    }

    fn old_format_web(visibility: &serde_json::Map<String, Value>) -> (Option<Value>, String) {
        let present = |key: &str| visibility.get(key).filter(|v| !v.is_null());
        match (present("showOnWeb"), present("emailOnly")) {
            (None, None) => (Some(Value::Bool(true)), ALL_MEMBERS.to_owned()),
            (_, Some(email_only)) => {
                let shown = !js::truthy(email_only);
                (
                    Some(Value::Bool(shown)),
                    if shown {
                        ALL_MEMBERS.to_owned()
                    } else {
                        String::new()
                    },
                )
            }
            (Some(show_on_web), None) => {
                let segment = if js::truthy(show_on_web) {
                    ALL_MEMBERS.to_owned()
                } else {
                    String::new()
                };
                (Some(show_on_web.clone()), segment)
            }
        }
    }
}

/// Ghost's image rules shared by image and gallery cards: local images get a `srcset` of the
/// sizes Ghost generates by default, and images wider than the default maximum are announced at
/// the size Ghost stores them.
pub(crate) mod images {
    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::dom::Element;
    use super::js::{self, Props};

    /// Ghost's default `imageOptimization.contentImageSizes`.
    const CONTENT_IMAGE_SIZES: [f64; 4] = [600.0, 1000.0, 1600.0, 2400.0];
    /// Ghost's default `imageOptimization.defaultMaxWidth`.
    const DEFAULT_MAX_WIDTH: f64 = 2000.0;

    /// Images under `/content/images/`, relative or behind Ghost's `__GHOST_URL__` placeholder.
    pub(crate) fn is_local_content_image(src: &str) -> bool {
        if let Some(rest) = src.strip_prefix("__GHOST_URL__") {
            return rest
                .strip_prefix('/')
                .unwrap_or(rest)
                .starts_with("content/images/");
        }
        src.strip_prefix('/')
            .is_some_and(|rest| rest.contains("content/images/"))
    }

    /// Ghost resizes every local image except icons and vector images.
    pub(crate) fn can_transform(src: &str) -> bool {
        let file = src.rsplit('/').next().unwrap_or(src);
        let extension = match file.rfind('.') {
            Some(dot) if dot > 0 => &file[dot..],
            _ => "",
        };
        !matches!(extension, ".ico" | ".svg" | ".svgz")
    }

    /// The responsive widths Ghost offers for an image `width` pixels wide.
    fn available_widths(width: f64) -> Vec<f64> {
        let mut widths: Vec<f64> = CONTENT_IMAGE_SIZES
            .iter()
            .copied()
            .filter(|w| *w <= width)
            .collect();
        if widths.last().is_some_and(|largest| width > *largest) && width < CONTENT_IMAGE_SIZES[3] {
            widths.push(width);
        }
        widths
    }

    /// Ghost's `srcset` for an image, if it makes one: local transformable images and Unsplash.
    pub(crate) fn srcset(src: &str, width: Option<f64>) -> Option<String> {
        let width = width?;
        let local = is_local_content_image(src);
        if local && !can_transform(src) {
            return None;
        }
        let widths = available_widths(width);
        if local {
            let split = src.rfind("/content/images/")?;
            let (images_path, filename) = (
                &src[..split + "/content/images".len()],
                &src[split + "/content/images/".len()..],
            );
            let sources: Vec<String> = widths
                .iter()
                .filter(|w| **w <= width)
                .map(|w| {
                    let w_text = js::number_to_string(*w);
                    if *w == width {
                        format!("{src} {w_text}w")
                    } else {
                        format!("{images_path}/size/w{w_text}/{filename} {w_text}w")
                    }
                })
                .collect();
            if !sources.is_empty() {
                return Some(sources.join(", "));
            }
        }
        if src.contains("images.unsplash.com") {
            let sources: Vec<String> = widths
                .iter()
                .map(|w| {
                    let w_text = js::number_to_string(*w);
                    format!("{} {w_text}w", with_query_param(src, "w", &w_text))
                })
                .collect();
            return Some(sources.join(", ")).filter(|s| !s.is_empty());
        }
        None
    }

    /// Sets one query parameter the way `URLSearchParams.set` does for simple URLs.
    fn with_query_param(url: &str, name: &str, value: &str) -> String {
        let (before_hash, hash) = url
            .split_once('#')
            .map_or((url, None), |(b, h)| (b, Some(h)));
        let (base, query) = before_hash.split_once('?').unwrap_or((before_hash, ""));
        let mut pairs: Vec<String> = Vec::new();
        let mut replaced = false;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let key = pair.split('=').next().unwrap_or(pair);
            if key == name {
                if !replaced {
                    pairs.push(format!("{name}={value}"));
                    replaced = true;
                }
            } else {
                pairs.push(pair.to_owned());
            }
        }
        if !replaced {
            pairs.push(format!("{name}={value}"));
        }
        let mut result = format!("{base}?{}", pairs.join("&"));
        if let Some(hash) = hash {
            result.push('#');
            result.push_str(hash);
        }
        result
    }

    /// Whether Ghost announces the image at its stored (resized) size rather than the original.
    fn is_resized(src: &str, width: f64) -> bool {
        width > DEFAULT_MAX_WIDTH && is_local_content_image(src) && can_transform(src)
    }

    /// The height Ghost gives an image scaled to the default maximum width.
    fn resized_height(width: f64, height: f64) -> f64 {
        js::round(DEFAULT_MAX_WIDTH / (width / height))
    }

    /// The `<img>` of an image card: dimensions, the resized dimensions and the `srcset`.
    pub(crate) fn content_image(card: &Props<'_>, src: &str) -> Element {
        let mut img = Element::new("img")
            .with_attr("src", src)
            .with_attr("class", "kg-image")
            .with_attr("alt", card.string("alt"))
            .with_attr("loading", "lazy");
        let title = card.string("title");
        if !title.is_empty() {
            img.set_attr("title", title);
        }
        let (width, height) = (card.value("width"), card.value("height"));
        if let (Some(width), Some(height)) = (width, height) {
            img.set_attr("width", js::to_string(width));
            img.set_attr("height", js::to_string(height));
        }
        set_dimensions_and_srcset(&mut img, src, width, height);
        img
    }

    fn set_dimensions_and_srcset(
        img: &mut Element,
        src: &str,
        width: Option<&Value>,
        height: Option<&Value>,
    ) {
        let width_number = width.map_or(0.0, js::to_number);
        if is_resized(src, width_number) {
            let height_number = height.map_or(0.0, js::to_number);
            img.set_attr("width", js::number_to_string(DEFAULT_MAX_WIDTH));
            img.set_attr(
                "height",
                js::number_to_string(resized_height(width_number, height_number)),
            );
        }
        if let Some(srcset) = srcset(src, width.map(js::to_number)) {
            img.set_attr("srcset", srcset);
        }
    }

    /// Wraps an image in a link when the card has one.
    pub(crate) fn linked(img: Element, href: &str) -> Element {
        if href.is_empty() {
            img
        } else {
            Element::new("a").with_attr("href", href).with_child(img)
        }
    }

    /// A gallery image Ghost shows: one with a file name, a source and both dimensions.
    pub(crate) struct GalleryImage<'a> {
        card: Props<'a>,
    }

    /// Gallery images grouped into rows by their `row`. Ghost moves the second-to-last image
    /// down a row when the last row would hold a single image.
    pub(crate) fn gallery_rows(images: Option<&Value>) -> BTreeMap<usize, Vec<GalleryImage<'_>>> {
        let valid: Vec<Props<'_>> = images
            .and_then(Value::as_array)
            .map(|images| {
                images
                    .iter()
                    .filter_map(Value::as_object)
                    .map(Props::new)
                    .filter(|image| {
                        ["fileName", "src", "width", "height"]
                            .iter()
                            .all(|f| image.value(f).is_some())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let count = valid.len();
        let mut rows: BTreeMap<usize, Vec<GalleryImage<'_>>> = BTreeMap::new();
        for (index, card) in valid.into_iter().enumerate() {
            let Some(mut row) = card.raw("row").and_then(Value::as_u64) else {
                continue;
            };
            if count > 1 && count % 3 == 1 && index == count - 2 {
                row += 1;
            }
            let Ok(row) = usize::try_from(row) else {
                continue;
            };
            rows.entry(row).or_default().push(GalleryImage { card });
        }
        rows
    }

    /// The rows of a gallery card, each image in its own `kg-gallery-image` box.
    pub(crate) fn gallery_container(rows: &BTreeMap<usize, Vec<GalleryImage<'_>>>) -> Element {
        let row_count = rows.keys().next_back().map_or(0, |last| last + 1);
        let mut container = Element::new("div").with_attr("class", "kg-gallery-container");
        for row in rows.values() {
            let mut row_div = Element::new("div").with_attr("class", "kg-gallery-row");
            for image in row {
                let img = gallery_img(&image.card, row_count == 1 && row.len() == 1);
                let div = Element::new("div")
                    .with_attr("class", "kg-gallery-image")
                    .with_child(linked(img, &image.card.string("href")));
                row_div.push(div);
            }
            container.push(row_div);
        }
        container
    }

    fn gallery_img(image: &Props<'_>, alone: bool) -> Element {
        let src = image.string("src");
        let mut img = Element::new("img")
            .with_attr("src", src.clone())
            .with_attr("width", image.string("width"))
            .with_attr("height", image.string("height"))
            .with_attr("loading", "lazy")
            .with_attr("alt", image.string("alt"));
        let title = image.string("title");
        if !title.is_empty() {
            img.set_attr("title", title);
        }
        set_dimensions_and_srcset(&mut img, &src, image.value("width"), image.value("height"));
        let width = image.number("width").unwrap_or(0.0);
        if img.attr("srcset").is_some() && width >= 720.0 {
            let sizes = if alone && width >= 1200.0 {
                "(min-width: 1200px) 1200px"
            } else {
                "(min-width: 720px) 720px"
            };
            img.set_attr("sizes", sizes);
        }
        img
    }
}

/// A small element tree and the two serialisers Ghost's renderers use: jsdom's for Lexical and
/// SimpleDOM's for Mobiledoc. They differ in escaping and in how empty attributes are written.
pub(crate) mod dom {
    use std::borrow::Cow;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Dialect {
        /// jsdom: `&nbsp;` escaped, empty attributes written as `name=""`.
        Jsdom,
        /// SimpleDOM: no `&nbsp;` escape, empty attributes written as a bare `name`.
        SimpleDom,
    }

    #[derive(Debug, Clone)]
    pub(crate) enum Content {
        Element(Element),
        Text(String),
        /// HTML inserted as is (captions, embed code, raw card sections).
        Raw(String),
    }

    #[derive(Debug, Clone)]
    pub(crate) struct Element {
        name: Cow<'static, str>,
        attrs: Vec<(Cow<'static, str>, String)>,
        children: Vec<Content>,
    }

    impl From<Element> for Content {
        fn from(element: Element) -> Self {
            Content::Element(element)
        }
    }

    impl Element {
        pub(crate) fn new(name: impl Into<Cow<'static, str>>) -> Self {
            Element {
                name: name.into(),
                attrs: Vec::new(),
                children: Vec::new(),
            }
        }

        pub(crate) fn name(&self) -> &str {
            &self.name
        }

        /// Sets an attribute; like the DOM, an existing attribute keeps its position.
        pub(crate) fn set_attr(
            &mut self,
            name: impl Into<Cow<'static, str>>,
            value: impl Into<String>,
        ) {
            let name = name.into();
            let value = value.into();
            match self
                .attrs
                .iter_mut()
                .find(|(existing, _)| *existing == name)
            {
                Some(slot) => slot.1 = value,
                None => self.attrs.push((name, value)),
            }
        }

        pub(crate) fn with_attr(
            mut self,
            name: impl Into<Cow<'static, str>>,
            value: impl Into<String>,
        ) -> Self {
            self.set_attr(name, value);
            self
        }

        pub(crate) fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(existing, _)| existing == name)
                .map(|(_, value)| value.as_str())
        }

        pub(crate) fn push(&mut self, child: impl Into<Content>) {
            self.children.push(child.into());
        }

        pub(crate) fn with_child(mut self, child: impl Into<Content>) -> Self {
            self.push(child);
            self
        }

        pub(crate) fn with_text(self, text: impl Into<String>) -> Self {
            self.with_child(Content::Text(text.into()))
        }

        pub(crate) fn with_raw(self, html: impl Into<String>) -> Self {
            self.with_child(Content::Raw(html.into()))
        }

        pub(crate) fn children(&self) -> &[Content] {
            &self.children
        }

        pub(crate) fn children_mut(&mut self) -> &mut Vec<Content> {
            &mut self.children
        }

        pub(crate) fn to_html(&self, dialect: Dialect) -> String {
            let mut html = String::new();
            self.write(dialect, &mut html);
            html
        }

        pub(crate) fn write(&self, dialect: Dialect, html: &mut String) {
            html.push('<');
            html.push_str(&self.name);
            for (name, value) in &self.attrs {
                html.push(' ');
                html.push_str(name);
                if dialect == Dialect::SimpleDom && value.is_empty() {
                    continue;
                }
                html.push_str("=\"");
                html.push_str(&escape_attr(value, dialect));
                html.push('"');
            }
            html.push('>');
            if is_void(&self.name) {
                return;
            }
            for child in &self.children {
                child.write(dialect, html);
            }
            html.push_str("</");
            html.push_str(&self.name);
            html.push('>');
        }
    }

    impl Content {
        pub(crate) fn write(&self, dialect: Dialect, html: &mut String) {
            match self {
                Content::Element(element) => element.write(dialect, html),
                Content::Text(text) => html.push_str(&escape_text(text, dialect)),
                Content::Raw(raw) => html.push_str(raw),
            }
        }
    }

    fn is_void(name: &str) -> bool {
        matches!(
            name,
            "area"
                | "base"
                | "br"
                | "col"
                | "embed"
                | "hr"
                | "img"
                | "input"
                | "link"
                | "meta"
                | "param"
                | "source"
                | "track"
                | "wbr"
        )
    }

    /// Escapes text content as the serialiser does: `&`, `<`, `>` (and U+00A0 for jsdom).
    pub(crate) fn escape_text(text: &str, dialect: Dialect) -> Cow<'_, str> {
        escape(text, dialect, |c| matches!(c, '&' | '<' | '>'))
    }

    /// Escapes an attribute value as the serialiser does: `&`, `"` (and U+00A0 for jsdom).
    pub(crate) fn escape_attr(value: &str, dialect: Dialect) -> Cow<'_, str> {
        escape(value, dialect, |c| matches!(c, '&' | '"'))
    }

    fn escape(text: &str, dialect: Dialect, special: impl Fn(char) -> bool) -> Cow<'_, str> {
        let needs = |c: char| special(c) || (dialect == Dialect::Jsdom && c == '\u{a0}');
        if !text.chars().any(needs) {
            return Cow::Borrowed(text);
        }
        let mut escaped = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            match c {
                '&' => escaped.push_str("&amp;"),
                '<' if needs(c) => escaped.push_str("&lt;"),
                '>' if needs(c) => escaped.push_str("&gt;"),
                '"' if needs(c) => escaped.push_str("&quot;"),
                '\u{a0}' if needs(c) => escaped.push_str("&nbsp;"),
                other => escaped.push(other),
            }
        }
        Cow::Owned(escaped)
    }
}

/// The JavaScript rules Ghost's renderers lean on without saying so: truthiness, how values
/// become strings and numbers, `trim`, `Math.round`, V8's sort of short arrays, and `slugify`.
pub(crate) mod js {
    use serde_json::{Map, Value};

    /// Card properties read the way Ghost's nodes read them: a falsy value means the default.
    #[derive(Debug, Clone, Copy)]
    pub(crate) struct Props<'a>(&'a Map<String, Value>);

    impl<'a> Props<'a> {
        pub(crate) fn new(map: &'a Map<String, Value>) -> Self {
            Props(map)
        }

        /// The stored value, whatever it is.
        pub(crate) fn raw(&self, name: &str) -> Option<&'a Value> {
            self.0.get(name)
        }

        /// The stored value when truthy.
        pub(crate) fn value(&self, name: &str) -> Option<&'a Value> {
            self.0.get(name).filter(|v| truthy(v))
        }

        /// The value as JavaScript would print it, or `""` when falsy.
        pub(crate) fn string(&self, name: &str) -> String {
            self.value(name).map(to_string).unwrap_or_default()
        }

        pub(crate) fn string_or(&self, name: &str, default: &str) -> String {
            self.value(name)
                .map_or_else(|| default.to_owned(), to_string)
        }

        pub(crate) fn number(&self, name: &str) -> Option<f64> {
            self.value(name).map(to_number)
        }

        pub(crate) fn number_or(&self, name: &str, default: f64) -> f64 {
            self.number(name).unwrap_or(default)
        }

        pub(crate) fn flag(&self, name: &str) -> bool {
            self.value(name).is_some()
        }

        /// A nested object's properties (an empty set when missing).
        pub(crate) fn object(&self, name: &str) -> Props<'a> {
            static EMPTY: std::sync::LazyLock<Map<String, Value>> =
                std::sync::LazyLock::new(Map::new);
            Props(
                self.0
                    .get(name)
                    .and_then(Value::as_object)
                    .unwrap_or(&EMPTY),
            )
        }
    }

    pub(crate) fn truthy(value: &Value) -> bool {
        match value {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
            Value::String(s) => !s.is_empty(),
            Value::Array(_) | Value::Object(_) => true,
        }
    }

    /// `String(value)`.
    pub(crate) fn to_string(value: &Value) -> String {
        match value {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => i.to_string(),
                (_, Some(u)) => u.to_string(),
                _ => number_to_string(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|item| {
                    if item.is_null() {
                        String::new()
                    } else {
                        to_string(item)
                    }
                })
                .collect::<Vec<_>>()
                .join(","),
            Value::Object(_) => "[object Object]".to_owned(),
        }
    }

    /// `String(value)` for text that Lexical stores, where a missing or null text is empty.
    pub(crate) fn to_string_or_empty(value: &Value) -> String {
        if value.is_null() {
            String::new()
        } else {
            to_string(value)
        }
    }

    /// `Number(value)`.
    pub(crate) fn to_number(value: &Value) -> f64 {
        match value {
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
            Value::String(s) => {
                let s = trim(s);
                if s.is_empty() {
                    0.0
                } else {
                    s.parse().unwrap_or(f64::NAN)
                }
            }
            Value::Array(_) | Value::Object(_) => f64::NAN,
        }
    }

    /// How JavaScript prints a number: integers without a fraction, exponents with a sign.
    pub(crate) fn number_to_string(number: f64) -> String {
        if number.is_nan() {
            return "NaN".to_owned();
        }
        if number.is_infinite() {
            return if number > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }
            .to_owned();
        }
        if number == 0.0 {
            return "0".to_owned();
        }
        let magnitude = number.abs();
        if (1e-6..1e21).contains(&magnitude) {
            return format!("{number}");
        }
        let text = format!("{number:e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                format!("{mantissa}e+{exponent}")
            }
            _ => text,
        }
    }

    /// JavaScript's `ToUint32`, which bitwise operators apply to format bit sets.
    pub(crate) fn to_uint32(number: f64) -> u32 {
        if !number.is_finite() {
            return 0;
        }
        number.trunc().rem_euclid(4_294_967_296.0) as u32
    }

    /// `Math.round`: halves round up.
    pub(crate) fn round(number: f64) -> f64 {
        (number + 0.5).floor()
    }

    /// `m:ss`, as Ghost formats media durations.
    pub(crate) fn minutes_seconds(duration: f64) -> String {
        let minutes = (duration / 60.0).floor();
        let seconds = (duration - minutes * 60.0).floor();
        format!(
            "{}:{:0>2}",
            number_to_string(minutes),
            number_to_string(seconds)
        )
    }

    /// Ghost's `bytesToSize` for file cards.
    pub(crate) fn bytes_to_size(bytes: f64) -> String {
        if bytes == 0.0 || bytes.is_nan() {
            return "0 Byte".to_owned();
        }
        const UNITS: [&str; 5] = ["Bytes", "KB", "MB", "GB", "TB"];
        let exponent = (bytes.ln() / 1024f64.ln()).floor();
        let unit = if (0.0..5.0).contains(&exponent) {
            UNITS[exponent as usize]
        } else {
            "undefined"
        };
        format!(
            "{} {unit}",
            number_to_string(round(bytes / 1024f64.powf(exponent)))
        )
    }

    /// `classList.add`: tokens once each, in first-seen order.
    pub(crate) fn class_list(tokens: &[&str]) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for token in tokens {
            if !token.is_empty() && !seen.contains(token) {
                seen.push(token);
            }
        }
        seen.join(" ")
    }

    /// The characters JavaScript's `trim` and `\s` treat as white space.
    pub(crate) fn is_whitespace(c: char) -> bool {
        matches!(
            c,
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                ..='\u{200a}'
                    | '\u{2028}'
                    | '\u{2029}'
                    | '\u{202f}'
                    | '\u{205f}'
                    | '\u{3000}'
                    | '\u{feff}'
        )
    }

    pub(crate) fn trim(text: &str) -> &str {
        text.trim_matches(is_whitespace)
    }

    /// Sorts a short array exactly as V8's `Array.prototype.sort` does (a run, then binary
    /// insertion), which matters because Ghost's format comparator is not consistent.
    pub(crate) fn v8_small_sort<T: Copy>(items: &mut [T], compare: impl Fn(&T, &T) -> i64) {
        let len = items.len();
        if len < 2 {
            return;
        }
        let descending = compare(&items[1], &items[0]) < 0;
        let mut run = 2;
        while run < len {
            let order = compare(&items[run], &items[run - 1]);
            if (descending && order >= 0) || (!descending && order < 0) {
                break;
            }
            run += 1;
        }
        if descending {
            items[..run].reverse();
        }
        for start in run..len {
            let pivot = items[start];
            let (mut left, mut right) = (0, start);
            while left < right {
                let mid = left + ((right - left) >> 1);
                if compare(&pivot, &items[mid]) < 0 {
                    right = mid;
                } else {
                    left = mid + 1;
                }
            }
            items.copy_within(left..start, left + 1);
            items[left] = pivot;
        }
    }

    /// The major version `semver.coerce` finds in a Ghost version string (`"4.0"` → 4).
    pub(crate) fn major_version(version: &str) -> Option<u64> {
        let start = version.find(|c: char| c.is_ascii_digit())?;
        let digits: String = version[start..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    }

    /// `slugify` from `@tryghost/kg-utils`, as used for heading ids. Ghost 4 and 5 keep letters
    /// of every script and %-encode them; documents from Ghost 1–3 use the older ASCII slugs.
    pub(crate) fn slugify(text: &str, ghost_major: u64) -> String {
        if trim(text).is_empty() {
            return String::new();
        }
        if ghost_major < 4 {
            return legacy_slugify(text);
        }
        // Ghost 4+ ids are the same rule Markdown headings use.
        crate::markdown::heading_id(text)
    }

    fn legacy_slugify(text: &str) -> String {
        let cleaned: String = text.chars().filter(|c| !"<>&\"?".contains(*c)).collect();
        let mut slug = String::new();
        for c in trim(&cleaned).chars() {
            let c = if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            };
            if !(c == '-' && slug.ends_with('-')) {
                slug.push(c);
            }
        }
        slug.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::{LexicalError, to_html};

    const EXPORT: &str = include_str!("../../../../shared/fixtures/ghost-5.130/ghost-export.json");

    /// Renders a document whose root holds `children`.
    fn render(children: Value) -> String {
        let document = json!({"root": {"children": children, "type": "root", "version": 1}});
        match to_html(&document.to_string()) {
            Ok(html) => html,
            Err(err) => panic!("render failed: {err}"),
        }
    }

    fn text(text: &str, format: u32) -> Value {
        json!({"detail": 0, "format": format, "mode": "normal", "style": "", "text": text, "type": "extended-text", "version": 1})
    }

    fn br() -> Value {
        json!({"type": "linebreak", "version": 1})
    }

    fn paragraph(children: Value) -> Value {
        json!({"children": children, "direction": null, "format": "", "indent": 0, "type": "paragraph", "version": 1})
    }

    fn link(url: Value, rel: Value, children: Value) -> Value {
        json!({"children": children, "type": "link", "version": 1, "rel": rel, "target": null, "title": null, "url": url})
    }

    fn list(list_type: &str, start: u32, items: Vec<Value>) -> Value {
        let items: Vec<Value> = items
            .into_iter()
            .map(|children| json!({"children": children, "type": "listitem", "version": 1, "value": 1}))
            .collect();
        json!({"children": items, "type": "list", "version": 1, "listType": list_type, "start": start, "tag": "ul"})
    }

    fn card(data: Value) -> String {
        render(json!([data]))
    }

    #[test]
    fn every_fixture_post_renders_as_ghost_rendered_it() {
        let export: Value = serde_json::from_str(EXPORT).unwrap();
        let posts = export["db"][0]["data"]["posts"].as_array().unwrap();
        let mut checked = 0;
        let mut mismatches = Vec::new();
        for post in posts {
            let Some(lexical) = post["lexical"].as_str() else {
                continue;
            };
            let expected = post["html"].as_str().unwrap();
            let actual = to_html(lexical).unwrap();
            if actual != expected {
                mismatches.push(format!(
                    "{}:\n  expected {expected}\n  actual   {actual}",
                    post["slug"]
                ));
            }
            checked += 1;
        }
        assert!(
            checked >= 10,
            "the fixture should hold at least 10 Lexical posts, found {checked}"
        );
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    }

    #[test]
    fn single_formats_use_ghosts_tags() {
        for (format, tag) in [
            (1, "strong"),
            (2, "em"),
            (4, "s"),
            (8, "u"),
            (16, "code"),
            (32, "sub"),
            (64, "sup"),
            (128, "mark"),
        ] {
            assert_eq!(
                render(json!([paragraph(json!([text("x", format)]))])),
                format!("<p><{tag}>x</{tag}></p>")
            );
        }
    }

    #[test]
    fn format_names_are_accepted_like_bits() {
        assert_eq!(
            render(json!([paragraph(
                json!([text("x", 0)])
                    .as_array()
                    .map(|a| {
                        let mut node = a[0].clone();
                        node["format"] = json!("bold");
                        json!([node])
                    })
                    .unwrap()
            )])),
            "<p><strong>x</strong></p>"
        );
    }

    #[test]
    fn nested_formats_open_and_close_as_in_ghost() {
        let cases = [
            (
                json!([text("Plain ", 0), text("Strong", 1), text(" Plain", 0)]),
                "<p>Plain <strong>Strong</strong> Plain</p>",
            ),
            (
                json!([text("Strong ", 1), text("Italic", 3)]),
                "<p><strong>Strong <em>Italic</em></strong></p>",
            ),
            (
                json!([text("Italic ", 2), text("Strong", 3)]),
                "<p><em>Italic <strong>Strong</strong></em></p>",
            ),
            (
                json!([text("Strong ", 1), text("Italic", 3), text(" Strong", 1)]),
                "<p><strong>Strong <em>Italic</em> Strong</strong></p>",
            ),
            (
                json!([text("Italic ", 2), text("Strong", 3), text(" Italic", 2)]),
                "<p><em>Italic <strong>Strong</strong> Italic</em></p>",
            ),
            (
                json!([text("Test", 3), text(" test", 0), br()]),
                "<p><strong><em>Test</em></strong> test<br></p>",
            ),
        ];
        for (children, expected) in cases {
            assert_eq!(render(json!([paragraph(children)])), expected);
        }
    }

    #[test]
    fn line_breaks_stay_inside_formats_that_continue() {
        let cases = [
            (
                json!([text("First line", 0), br(), text("Second line", 0)]),
                "<p>First line<br>Second line</p>",
            ),
            (
                json!([text("One", 1), br(), br(), text("Two", 1)]),
                "<p><strong>One<br><br>Two</strong></p>",
            ),
            (
                json!([text("First bold", 1), br(), text("Second italic", 2)]),
                "<p><strong>First bold</strong><br><em>Second italic</em></p>",
            ),
            (
                json!([text("First bold", 1), br(), text("Second bold+italic", 3)]),
                "<p><strong>First bold<br><em>Second bold+italic</em></strong></p>",
            ),
            (
                json!([
                    text("One", 1),
                    br(),
                    br(),
                    text("Two", 0),
                    br(),
                    br(),
                    text("Three", 1)
                ]),
                "<p><strong>One</strong><br><br>Two<br><br><strong>Three</strong></p>",
            ),
        ];
        for (children, expected) in cases {
            assert_eq!(render(json!([paragraph(children)])), expected);
        }
    }

    #[test]
    fn links_carry_href_and_rel_only() {
        let url = json!("https://example.com");
        assert_eq!(
            render(json!([paragraph(json!([link(
                url.clone(),
                json!(null),
                json!([text("test", 0)])
            )]))])),
            "<p><a href=\"https://example.com\">test</a></p>"
        );
        assert_eq!(
            render(json!([paragraph(json!([link(
                url.clone(),
                json!("noopener noreferrer"),
                json!([text("test", 0)])
            )]))])),
            "<p><a href=\"https://example.com\" rel=\"noopener noreferrer\">test</a></p>"
        );
        assert_eq!(
            render(json!([paragraph(json!([link(
                json!(null),
                json!(null),
                json!([text("test", 0)])
            )]))])),
            "<p><a>test</a></p>"
        );
        assert_eq!(
            render(json!([paragraph(json!([link(
                url,
                json!(null),
                json!([text("test ", 0), text("bold ", 1), text("bold+italic", 3)])
            )]))])),
            "<p><a href=\"https://example.com\">test <strong>bold <em>bold+italic</em></strong></a></p>"
        );
        assert_eq!(
            render(json!([paragraph(json!([
                text("Test", 0),
                br(),
                link(
                    json!("https://ghost.org"),
                    json!(null),
                    json!([text("a link", 0)])
                ),
                text(" some text", 0)
            ]))])),
            "<p>Test<br><a href=\"https://ghost.org\">a link</a> some text</p>"
        );
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            render(json!([paragraph(json!([text(
                "<test> & \"q\" 'a'\u{a0}",
                0
            )]))])),
            "<p>&lt;test&gt; &amp; \"q\" 'a'&nbsp;</p>"
        );
        assert_eq!(
            render(json!([paragraph(json!([link(
                json!("https://x.test/?a=1&b=\"2\""),
                json!(null),
                json!([text("x", 0)])
            )]))])),
            "<p><a href=\"https://x.test/?a=1&amp;b=&quot;2&quot;\">x</a></p>"
        );
    }

    #[test]
    fn lists_nest_inside_the_previous_item() {
        let nested = list(
            "bullet",
            1,
            vec![json!([text("two.one", 0)]), json!([text("two.two", 0)])],
        );
        let outer = list(
            "number",
            1,
            vec![
                json!([text("one", 0)]),
                json!([nested]),
                json!([text("three", 0)]),
            ],
        );
        assert_eq!(
            render(json!([outer])),
            "<ol><li>one<ul><li>two.one</li><li>two.two</li></ul></li><li>three</li></ol>"
        );
        assert_eq!(
            render(json!([list(
                "number",
                2,
                vec![json!([text("two", 0)]), json!([text("three", 0)])]
            )])),
            "<ol start=\"2\"><li>two</li><li>three</li></ol>"
        );
        assert_eq!(
            render(json!([list("bullet", 1, vec![json!([text("a", 1)])])])),
            "<ul><li><strong>a</strong></li></ul>"
        );
    }

    #[test]
    fn headings_get_unique_slug_ids() {
        let heading = |tag: &str, words: &str| json!({"children": [text(words, 0)], "type": "extended-heading", "tag": tag, "version": 1});
        assert_eq!(
            render(json!([
                heading("h2", "Intro"),
                heading("h3", "Intro"),
                heading("h2", "Intro")
            ])),
            "<h2 id=\"intro\">Intro</h2><h3 id=\"intro-1\">Intro</h3><h2 id=\"intro-2\">Intro</h2>"
        );
        assert_eq!(
            render(json!([heading("h1", " What's new?  In 2025: a -- test! ")])),
            "<h1 id=\"whats-new-in-2025-atest\"> What's new?  In 2025: a -- test! </h1>"
        );
        assert_eq!(
            render(json!([heading("h2", "Ñandú")])),
            "<h2 id=\"%C3%B1and%C3%BA\">Ñandú</h2>"
        );
    }

    #[test]
    fn quotes_and_asides_are_blockquotes() {
        let quote = json!({"children": [text("q", 0)], "type": "extended-quote", "version": 1});
        let aside = json!({"children": [text("a", 0)], "type": "aside", "version": 1});
        assert_eq!(
            render(json!([quote, aside])),
            "<blockquote>q</blockquote><blockquote class=\"kg-blockquote-alt\">a</blockquote>"
        );
    }

    #[test]
    fn a_blank_trailing_paragraph_is_dropped_but_inner_ones_stay() {
        assert_eq!(render(json!([paragraph(json!([text("", 0)]))])), "");
        assert_eq!(render(json!([paragraph(json!([br()]))])), "");
        assert_eq!(
            render(json!([
                paragraph(json!([text("Before", 0)])),
                paragraph(json!([])),
                paragraph(json!([text("After", 0)]))
            ])),
            "<p>Before</p><p></p><p>After</p>"
        );
    }

    #[test]
    fn unknown_nodes_render_their_children_or_nothing() {
        let unknown_parent =
            json!({"type": "mystery-box", "children": [paragraph(json!([text("inside", 0)]))]});
        let unknown_leaf = json!({"type": "mystery-card", "payload": 1});
        let unknown_inline = json!({"type": "emoji-thing", "text": "x"});
        assert_eq!(
            render(json!([
                unknown_parent,
                unknown_leaf,
                paragraph(json!([text("a", 0), unknown_inline, text("b", 0)]))
            ])),
            "inside<p>ab</p>"
        );
    }

    #[test]
    fn malformed_documents_are_reported() {
        assert!(matches!(to_html("{"), Err(LexicalError::InvalidJson(_))));
        assert!(matches!(
            to_html("{\"other\":1}"),
            Err(LexicalError::MissingRoot)
        ));
        assert!(matches!(to_html("[]"), Err(LexicalError::MissingRoot)));
        match to_html(r#"{"root":{"children":[{"type":"paragraph","children":[1]}]}}"#) {
            Err(LexicalError::UnexpectedStructure { path, .. }) => {
                assert_eq!(path, "root.children[0].children[0]")
            }
            other => panic!("expected a structure error, got {other:?}"),
        }
        match to_html(r#"{"root":{"children":{"type":"paragraph"}}}"#) {
            Err(err @ LexicalError::UnexpectedStructure { .. }) => {
                assert_eq!(
                    err.to_string(),
                    "unexpected Lexical structure at `root.children`: expected an array of nodes"
                );
            }
            other => panic!("expected a structure error, got {other:?}"),
        }
    }

    #[test]
    fn image_card_with_local_image_gets_srcset_and_sizes() {
        let html = card(
            json!({"type": "image", "version": 1, "src": "__GHOST_URL__/content/images/2026/11/img0.jpg", "width": 3000, "height": 2000, "title": "", "alt": "A & B", "caption": "<span>Photo</span>", "cardWidth": "regular", "href": ""}),
        );
        assert_eq!(
            html,
            "<figure class=\"kg-card kg-image-card kg-card-hascaption\"><img src=\"__GHOST_URL__/content/images/2026/11/img0.jpg\" class=\"kg-image\" alt=\"A &amp; B\" loading=\"lazy\" width=\"2000\" height=\"1333\" srcset=\"__GHOST_URL__/content/images/size/w600/2026/11/img0.jpg 600w, __GHOST_URL__/content/images/size/w1000/2026/11/img0.jpg 1000w, __GHOST_URL__/content/images/size/w1600/2026/11/img0.jpg 1600w, __GHOST_URL__/content/images/size/w2400/2026/11/img0.jpg 2400w\" sizes=\"(min-width: 720px) 720px\"><figcaption><span>Photo</span></figcaption></figure>"
        );
    }

    #[test]
    fn image_card_widths_links_and_external_sources() {
        let wide = card(
            json!({"type": "image", "src": "/content/images/a.png", "width": 1200, "height": 800, "cardWidth": "wide", "href": "https://x.test"}),
        );
        assert_eq!(
            wide,
            "<figure class=\"kg-card kg-image-card kg-width-wide\"><a href=\"https://x.test\"><img src=\"/content/images/a.png\" class=\"kg-image\" alt=\"\" loading=\"lazy\" width=\"1200\" height=\"800\" srcset=\"/content/images/size/w600/a.png 600w, /content/images/size/w1000/a.png 1000w, /content/images/a.png 1200w\" sizes=\"(min-width: 1200px) 1200px\"></a></figure>"
        );
        let external = card(
            json!({"type": "image", "src": "https://cdn.test/a.jpg", "cardWidth": "full", "title": "T"}),
        );
        assert_eq!(
            external,
            "<figure class=\"kg-card kg-image-card kg-width-full\"><img src=\"https://cdn.test/a.jpg\" class=\"kg-image\" alt=\"\" loading=\"lazy\" title=\"T\"></figure>"
        );
        let unsplash = card(
            json!({"type": "image", "src": "https://images.unsplash.com/photo-1?ixlib=rb-4.0.3&q=80&w=2000", "width": 1000, "height": 500}),
        );
        assert_eq!(
            unsplash,
            "<figure class=\"kg-card kg-image-card\"><img src=\"https://images.unsplash.com/photo-1?ixlib=rb-4.0.3&amp;q=80&amp;w=2000\" class=\"kg-image\" alt=\"\" loading=\"lazy\" width=\"1000\" height=\"500\" srcset=\"https://images.unsplash.com/photo-1?ixlib=rb-4.0.3&amp;q=80&amp;w=600 600w, https://images.unsplash.com/photo-1?ixlib=rb-4.0.3&amp;q=80&amp;w=1000 1000w\" sizes=\"(min-width: 720px) 720px\"></figure>"
        );
        assert_eq!(card(json!({"type": "image", "src": "  "})), "");
        let svg = card(
            json!({"type": "image", "src": "/content/images/logo.svg", "width": 800, "height": 100}),
        );
        assert!(!svg.contains("srcset"), "{svg}");
    }

    #[test]
    fn code_cards_escape_code_and_keep_captions() {
        assert_eq!(
            card(
                json!({"type": "codeblock", "code": "if a < b && c {}", "language": "rust", "caption": ""})
            ),
            "<pre><code class=\"language-rust\">if a &lt; b &amp;&amp; c {}</code></pre>"
        );
        assert_eq!(
            card(
                json!({"type": "codeblock", "code": "x", "language": "", "caption": "A <b>caption</b>"})
            ),
            "<figure class=\"kg-card kg-code-card\"><pre><code>x</code></pre><figcaption>A <b>caption</b></figcaption></figure>"
        );
        assert_eq!(card(json!({"type": "codeblock", "code": "  \n"})), "");
    }

    #[test]
    fn html_card_is_raw_between_markers_and_honours_visibility() {
        assert_eq!(
            card(json!({"type": "html", "html": "<div class=\"x\">Hi</div>"})),
            "\n<!--kg-card-begin: html-->\n<div class=\"x\">Hi</div>\n<!--kg-card-end: html-->\n"
        );
        let members_only = json!({"web": {"nonMember": false, "memberSegment": "status:free,status:-free"}, "email": {"memberSegment": "status:free,status:-free"}});
        assert_eq!(
            card(json!({"type": "html", "html": "<p>x</p>", "visibility": members_only})),
            "\n<!--kg-gated-block:begin nonMember:false memberSegment:\"status:free,status:-free\" -->\n<!--kg-card-begin: html-->\n<p>x</p>\n<!--kg-card-end: html-->\n<!--kg-gated-block:end-->\n"
        );
        let hidden = json!({"web": {"nonMember": false, "memberSegment": ""}, "email": {"memberSegment": ""}});
        assert_eq!(
            card(json!({"type": "html", "html": "<p>x</p>", "visibility": hidden})),
            ""
        );
        assert_eq!(
            card(json!({"type": "html", "html": "<p>x</p>", "visibility": {"showOnWeb": true}})),
            "\n<!--kg-card-begin: html-->\n<p>x</p>\n<!--kg-card-end: html-->\n"
        );
        assert_eq!(card(json!({"type": "html", "html": ""})), "");
    }

    #[test]
    fn markdown_card_renders_through_comrak() {
        assert_eq!(
            card(
                json!({"type": "markdown", "markdown": "# Hi\n\n~~old~~ <b>raw</b>\n\n| a |\n|---|\n| 1 |"})
            ),
            "<h1>Hi</h1>\n<p><del>old</del> <b>raw</b></p>\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>\n"
        );
        assert_eq!(card(json!({"type": "markdown", "markdown": ""})), "");
    }

    #[test]
    fn embed_cards_keep_their_html() {
        assert_eq!(
            card(
                json!({"type": "embed", "url": "https://youtu.be/x", "embedType": "video", "html": "<iframe src=\"https://www.youtube.com/embed/x\" allowfullscreen></iframe>", "metadata": {}, "caption": "Watch"})
            ),
            "<figure class=\"kg-card kg-embed-card kg-card-hascaption\"><iframe src=\"https://www.youtube.com/embed/x\" allowfullscreen></iframe><figcaption>Watch</figcaption></figure>"
        );
        assert_eq!(
            card(
                json!({"type": "embed", "embedType": "twitter", "html": "  <blockquote class=\"twitter-tweet\">t</blockquote>\n", "url": "https://twitter.com/x"})
            ),
            "<figure class=\"kg-card kg-embed-card\"><blockquote class=\"twitter-tweet\">t</blockquote></figure>"
        );
        assert_eq!(card(json!({"type": "embed", "html": "", "url": ""})), "");
    }

    #[test]
    fn horizontal_rule_and_paywall() {
        assert_eq!(
            render(
                json!([{"type": "horizontalrule", "version": 1}, {"type": "paywall", "version": 1}])
            ),
            "<hr><!--members-only-->"
        );
    }

    #[test]
    fn bookmark_card_swaps_author_and_publisher_classes() {
        let html = card(
            json!({"type": "bookmark", "url": "https://ghost.org/", "metadata": {"icon": "https://ghost.org/icon.png", "title": "Ghost & co", "description": "Publishing", "author": "Jane", "publisher": "Ghost", "thumbnail": "https://ghost.org/t.png"}, "caption": "See <em>this</em>"}),
        );
        assert_eq!(
            html,
            "<figure class=\"kg-card kg-bookmark-card kg-card-hascaption\"><a class=\"kg-bookmark-container\" href=\"https://ghost.org/\"><div class=\"kg-bookmark-content\"><div class=\"kg-bookmark-title\">Ghost &amp; co</div><div class=\"kg-bookmark-description\">Publishing</div><div class=\"kg-bookmark-metadata\"><img class=\"kg-bookmark-icon\" src=\"https://ghost.org/icon.png\" alt=\"\"><span class=\"kg-bookmark-author\">Ghost</span><span class=\"kg-bookmark-publisher\">Jane</span></div></div><div class=\"kg-bookmark-thumbnail\"><img src=\"https://ghost.org/t.png\" alt=\"\" onerror=\"this.style.display = 'none'\"></div></a><figcaption>See <em>this</em></figcaption></figure>"
        );
        assert_eq!(
            card(json!({"type": "bookmark", "url": "", "metadata": {}})),
            ""
        );
    }

    #[test]
    fn gallery_card_groups_rows_and_balances_the_last_one() {
        let image = |n: u32, row: u32| json!({"fileName": format!("{n}.jpg"), "src": format!("https://cdn.test/{n}.jpg"), "width": 400, "height": 300, "row": row, "alt": ""});
        let html = card(
            json!({"type": "gallery", "images": [image(1, 0), image(2, 0), image(3, 0), image(4, 1)], "caption": "G"}),
        );
        let img = |n: u32| {
            format!(
                "<div class=\"kg-gallery-image\"><img src=\"https://cdn.test/{n}.jpg\" width=\"400\" height=\"300\" loading=\"lazy\" alt=\"\"></div>"
            )
        };
        assert_eq!(
            html,
            format!(
                "<figure class=\"kg-card kg-gallery-card kg-width-wide kg-card-hascaption\"><div class=\"kg-gallery-container\"><div class=\"kg-gallery-row\">{}{}</div><div class=\"kg-gallery-row\">{}{}</div></div><figcaption>G</figcaption></figure>",
                img(1),
                img(2),
                img(3),
                img(4)
            )
        );
        assert_eq!(
            card(json!({"type": "gallery", "images": [{"src": "x"}]})),
            ""
        );
    }

    #[test]
    fn callout_card_keeps_only_inline_tags() {
        assert_eq!(
            card(
                json!({"type": "callout", "calloutText": "<p><span style=\"white-space: pre-wrap;\">Be </span><b>bold</b> &amp; <a href=\"/x\">go</a></p>", "calloutEmoji": "💡", "backgroundColor": "grey"})
            ),
            "<div class=\"kg-card kg-callout-card kg-callout-card-grey\"><div class=\"kg-callout-emoji\">💡</div><div class=\"kg-callout-text\">Be <b>bold</b> &amp; <a href=\"/x\">go</a></div></div>"
        );
        assert_eq!(
            card(
                json!({"type": "callout", "calloutText": "x", "calloutEmoji": "", "backgroundColor": "rgba(0, 0, 0, 0)"})
            ),
            "<div class=\"kg-card kg-callout-card kg-callout-card-white\"><div class=\"kg-callout-text\">x</div></div>"
        );
    }

    #[test]
    fn button_card() {
        assert_eq!(
            card(
                json!({"type": "button", "buttonText": "Subscribe", "alignment": "left", "buttonUrl": "#/portal/signup"})
            ),
            "<div class=\"kg-card kg-button-card kg-align-left\"><a href=\"#/portal/signup\" class=\"kg-btn kg-btn-accent\">Subscribe</a></div>"
        );
        assert_eq!(
            card(json!({"type": "button", "buttonText": "x", "buttonUrl": ""})),
            ""
        );
    }

    #[test]
    fn toggle_card_keeps_ghosts_template_whitespace() {
        let html =
            card(json!({"type": "toggle", "heading": "<span>Q?</span>", "content": "<p>A.</p>"}));
        assert!(html.starts_with("<div class=\"kg-card kg-toggle-card\" data-kg-toggle-state=\"close\">\n            <div class=\"kg-toggle-heading\">\n                <h4 class=\"kg-toggle-heading-text\"><span>Q?</span></h4>"), "{html}");
        assert!(
            html.ends_with("<div class=\"kg-toggle-content\"><p>A.</p></div>\n        </div>"),
            "{html}"
        );
    }

    #[test]
    fn video_audio_and_file_cards() {
        let video = card(
            json!({"type": "video", "src": "/content/media/v.mp4", "width": 200, "height": 100, "duration": 65, "thumbnailSrc": "/content/images/t.jpg", "customThumbnailSrc": "", "cardWidth": "regular", "loop": false, "caption": ""}),
        );
        assert!(video.starts_with("<figure class=\"kg-card kg-video-card kg-width-regular\" data-kg-thumbnail=\"/content/images/t.jpg\" data-kg-custom-thumbnail=\"\">\n            <div class=\"kg-video-container\">\n                <video src=\"/content/media/v.mp4\" poster=\"https://img.spacergif.org/v1/200x100/0a/spacer.png\" width=\"200\" height=\"100\" playsinline=\"\" preload=\"metadata\" style=\"background: transparent url('/content/images/t.jpg') 50% 50% / cover no-repeat;\"></video>"), "{video}");
        assert!(
            video.contains("<span class=\"kg-video-duration\">1:05</span>"),
            "{video}"
        );
        assert!(
            video.ends_with("</div>\n            \n        </figure>"),
            "{video}"
        );
        let looping = card(json!({"type": "video", "src": "/v.mp4", "loop": true, "caption": "C"}));
        assert!(
            looping.contains(" loop=\"\" autoplay=\"\" muted=\"\" playsinline=\"\""),
            "{looping}"
        );
        assert!(
            looping.contains("kg-video-player-container kg-video-hide"),
            "{looping}"
        );
        assert!(
            looping.ends_with("            <figcaption>C</figcaption>\n        </figure>"),
            "{looping}"
        );

        let audio = card(
            json!({"type": "audio", "src": "/content/media/a.mp3", "title": "Episode 1", "duration": 125, "thumbnailSrc": ""}),
        );
        assert!(audio.starts_with("<div class=\"kg-card kg-audio-card\"><img src=\"\" alt=\"audio-thumbnail\" class=\"kg-audio-thumbnail kg-audio-hide\"><div class=\"kg-audio-thumbnail placeholder\"><svg width=\"24\" height=\"24\" fill=\"none\"><path fill-rule=\"evenodd\""), "{audio}");
        assert!(audio.contains("<audio src=\"/content/media/a.mp3\" preload=\"metadata\"></audio><div class=\"kg-audio-title\">Episode 1</div>"), "{audio}");
        assert!(
            audio.contains(
                "<div class=\"kg-audio-time\">/<span class=\"kg-audio-duration\">125</span></div>"
            ),
            "{audio}"
        );

        let file = card(
            json!({"type": "file", "src": "/content/files/r.pdf", "fileTitle": "Report", "fileCaption": "", "fileName": "r.pdf", "fileSize": 2_500_000}),
        );
        assert!(file.starts_with("<div class=\"kg-card kg-file-card\"><a class=\"kg-file-card-container\" href=\"/content/files/r.pdf\" title=\"Download\" download=\"\"><div class=\"kg-file-card-contents\"><div class=\"kg-file-card-title\">Report</div><div class=\"kg-file-card-caption\"></div><div class=\"kg-file-card-metadata\"><div class=\"kg-file-card-filename\">r.pdf</div><div class=\"kg-file-card-filesize\">2 MB</div></div></div>"), "{file}");
        assert!(file.ends_with("<circle class=\"a\" cx=\"12\" cy=\"12\" r=\"11.25\"></circle></svg></div></a></div>"), "{file}");
    }

    #[test]
    fn product_and_header_cards() {
        let product = card(
            json!({"type": "product", "productTitle": "Book", "productDescription": "<p>Good</p>", "productRatingEnabled": false, "productButtonEnabled": true, "productButton": "Buy", "productUrl": "https://shop.test"}),
        );
        assert_eq!(
            product,
            "<div class=\"kg-card kg-product-card\">\n            <div class=\"kg-product-card-container\">\n                \n                <div class=\"kg-product-card-title-container\">\n                    <h4 class=\"kg-product-card-title\">Book</h4>\n                </div>\n                \n\n                <div class=\"kg-product-card-description\"><p>Good</p></div>\n                \n                    <a href=\"https://shop.test\" class=\"kg-product-card-button kg-product-card-btn-accent\" target=\"_blank\" rel=\"noopener noreferrer\"><span>Buy</span></a>\n                \n            </div>\n        </div>"
        );
        let header = card(
            json!({"type": "header", "version": 1, "size": "small", "style": "dark", "header": "Big news", "subheader": "<br>", "buttonEnabled": false}),
        );
        assert_eq!(
            header,
            "<div class=\"kg-card kg-header-card kg-width-full kg-size-small kg-style-dark\" data-kg-background-image=\"\" style=\"\"><h2 class=\"kg-header-card-header\" id=\"big-news\">Big news</h2></div>"
        );
        assert_eq!(
            card(json!({"type": "header", "version": 2, "header": "x"})),
            ""
        );
    }

    #[test]
    fn email_only_cards_render_nothing_on_the_web() {
        assert_eq!(
            render(
                json!([{"type": "email", "html": "<p>Hi {first_name}</p>"}, {"type": "email-cta", "html": "x"}])
            ),
            ""
        );
    }

    /// Arbitrary JSON-ish trees of Lexical-looking nodes.
    fn lexical_tree() -> impl Strategy<Value = Value> {
        let kinds = prop_oneof![
            Just("paragraph"),
            Just("text"),
            Just("extended-text"),
            Just("linebreak"),
            Just("link"),
            Just("list"),
            Just("listitem"),
            Just("heading"),
            Just("extended-heading"),
            Just("quote"),
            Just("aside"),
            Just("image"),
            Just("gallery"),
            Just("html"),
            Just("video"),
            Just("callout"),
            Just("bookmark"),
            Just("header"),
            Just("product"),
            Just("mystery"),
            Just("tab"),
            Just("at-link"),
        ];
        let scalar = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        let leaf = (kinds.clone(), scalar.clone(), scalar.clone(), scalar).prop_map(|(kind, a, b, c)| {
            json!({"type": kind, "text": a, "format": b, "tag": c, "src": "/content/images/x.png", "width": b, "images": [{"fileName": "f", "src": a, "width": 3000, "height": c, "row": b}]})
        });
        leaf.prop_recursive(5, 64, 6, move |inner| {
            (kinds.clone(), prop::collection::vec(inner, 0..6), any::<u8>()).prop_map(|(kind, children, n)| {
                json!({"type": kind, "children": children, "listType": if n % 2 == 0 { "number" } else { "bullet" }, "start": n, "tag": format!("h{}", n % 8), "url": "https://x.test", "format": n})
            })
        })
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic(input in ".{0,200}") {
            let _ = to_html(&input);
        }

        #[test]
        fn random_lexical_trees_never_panic(children in prop::collection::vec(lexical_tree(), 0..8)) {
            let document = json!({"root": {"children": children}});
            let _ = to_html(&document.to_string());
        }
    }
}
