//! Ghost's Mobiledoc documents (the `mobiledoc` column of posts written before Ghost's Lexical
//! editor) rendered to the HTML Ghost stores in `html`.
//!
//! Older Ghost sites still hold Mobiledoc posts, and an import must show them as Ghost did, so
//! this follows `mobiledoc-dom-renderer` 0.3 with Ghost's section renderer (an `aside` is Ghost's
//! alternative blockquote), heading ids and blank-trailing-paragraph rule from
//! `@tryghost/kg-mobiledoc-html-renderer`, and the web templates of `@tryghost/kg-default-cards`.
//! Output is serialised the SimpleDOM way: empty attributes are bare names and no `&nbsp;` is
//! escaped. Where Ghost would throw (an unknown section type, card or atom, a dangling index)
//! we skip or fall back and keep going, because one odd card should not lose a whole post.

use serde_json::{Map, Value};

use crate::lexical::dom::{Content, Dialect, Element};
use crate::lexical::js::{self, Props};

/// Why a Mobiledoc document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum MobiledocError {
    #[error("the Mobiledoc document is not valid JSON: {0}")]
    InvalidJson(#[from] serde_json::Error),
    #[error("the Mobiledoc document is not a JSON object")]
    NotAnObject,
    #[error("unsupported Mobiledoc version {0:?} (expected 0.3.x)")]
    UnsupportedVersion(String),
    #[error("unexpected Mobiledoc structure at `{path}`: expected {expected}")]
    UnexpectedStructure {
        path: String,
        expected: &'static str,
    },
}

/// Renders a Mobiledoc 0.3 document (the JSON text Ghost stores) to Ghost's HTML.
pub fn to_html(json: &str) -> Result<String, MobiledocError> {
    let value: Value = serde_json::from_str(json)?;
    let document = value.as_object().ok_or(MobiledocError::NotAnObject)?;
    let version = document
        .get("version")
        .map(js::to_string)
        .unwrap_or_default();
    if !version.starts_with("0.3.") {
        return Err(MobiledocError::UnsupportedVersion(version));
    }
    let document = Document::parse(document)?;
    let mut nodes = document.render_sections()?;
    drop_blank_trailing_paragraph(&mut nodes);
    HeadingIds::new(document.ghost_major).add_to(&mut nodes);
    let mut html = String::new();
    for node in &nodes {
        node.write(Dialect::SimpleDom, &mut html);
    }
    Ok(html)
}

fn unexpected(path: String, expected: &'static str) -> MobiledocError {
    MobiledocError::UnexpectedStructure { path, expected }
}

/// The parts of a Mobiledoc document the sections refer to by index.
struct Document<'a> {
    markups: &'a [Value],
    atoms: &'a [Value],
    cards: &'a [Value],
    sections: &'a [Value],
    /// Decides the heading slug rules; Ghost assumes 4 when the document does not say.
    ghost_major: u64,
}

impl<'a> Document<'a> {
    fn parse(document: &'a Map<String, Value>) -> Result<Self, MobiledocError> {
        let ghost_major = document
            .get("ghostVersion")
            .filter(|v| js::truthy(v))
            .and_then(|v| js::major_version(&js::to_string(v)))
            .unwrap_or(4);
        Ok(Document {
            markups: array_field(document, "markups")?,
            atoms: array_field(document, "atoms")?,
            cards: array_field(document, "cards")?,
            sections: array_field(document, "sections")?,
            ghost_major,
        })
    }

    fn render_sections(&self) -> Result<Vec<Content>, MobiledocError> {
        let mut nodes = Vec::with_capacity(self.sections.len());
        for (index, section) in self.sections.iter().enumerate() {
            let path = format!("sections[{index}]");
            let section = section
                .as_array()
                .ok_or_else(|| unexpected(path.clone(), "a section array"))?;
            if let Some(node) = self.render_section(section, &path)? {
                nodes.push(node);
            }
        }
        Ok(nodes)
    }

    /// Section types: 1 markup, 2 image, 3 list, 10 card. Other types are skipped.
    fn render_section(
        &self,
        section: &[Value],
        path: &str,
    ) -> Result<Option<Content>, MobiledocError> {
        match section.first().and_then(Value::as_u64) {
            Some(1) => self.markup_section(section, path),
            Some(2) => Ok(image_section(section)),
            Some(3) => self.list_section(section, path),
            Some(10) => Ok(self.card_section(section)),
            _ => Ok(None),
        }
    }

    fn markup_section(
        &self,
        section: &[Value],
        path: &str,
    ) -> Result<Option<Content>, MobiledocError> {
        let Some(element) = section
            .get(1)
            .and_then(Value::as_str)
            .and_then(section_element)
        else {
            return Ok(None);
        };
        let markers = optional_array(section.get(2), || format!("{path}[2]"))?;
        Ok(Some(
            self.render_markers(element, markers, &format!("{path}[2]"))?
                .into(),
        ))
    }

    fn list_section(
        &self,
        section: &[Value],
        path: &str,
    ) -> Result<Option<Content>, MobiledocError> {
        let tag = section
            .get(1)
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let tag = match tag.as_deref() {
            Some("ul") => "ul",
            Some("ol") => "ol",
            _ => return Ok(None),
        };
        let mut list = Element::new(tag);
        for (index, item) in optional_array(section.get(2), || format!("{path}[2]"))?
            .iter()
            .enumerate()
        {
            let item_path = format!("{path}[2][{index}]");
            let markers = item
                .as_array()
                .ok_or_else(|| unexpected(item_path.clone(), "a list item array of markers"))?;
            list.push(self.render_markers(Element::new("li"), markers, &item_path)?);
        }
        Ok(Some(list.into()))
    }

    /// Renders markers into `element`: each opens markups, adds text or an atom, and closes
    /// a number of the open markups. Markups Ghost does not allow are skipped and their close
    /// counted off, as Ghost does; the section element itself is never closed early.
    fn render_markers(
        &self,
        element: Element,
        markers: &[Value],
        path: &str,
    ) -> Result<Element, MobiledocError> {
        let mut root = element;
        let mut open: Vec<Element> = Vec::new();
        for (index, marker) in markers.iter().enumerate() {
            let marker_path = format!("{path}[{index}]");
            let marker = marker
                .as_array()
                .ok_or_else(|| unexpected(marker_path.clone(), "a marker array"))?;
            let opens = optional_array(marker.get(1), || format!("{marker_path}[1]"))?;
            let mut closes = marker.get(2).map_or(0.0, js::to_number);
            for markup in opens {
                match self
                    .markup_element(markup)
                    .filter(|_| open.len() < MAX_MARKUP_DEPTH)
                {
                    Some(element) => open.push(element),
                    None => closes -= 1.0,
                }
            }
            let content = match marker.first().and_then(Value::as_u64) {
                Some(0) => Some(Content::Text(
                    marker
                        .get(3)
                        .map(js::to_string_or_empty)
                        .unwrap_or_default(),
                )),
                Some(1) => self.atom(marker.get(3)),
                _ => None,
            };
            if let Some(content) = content {
                open.last_mut().unwrap_or(&mut root).push(content);
            }
            let mut remaining = closes;
            while remaining >= 1.0 && !open.is_empty() {
                close_innermost(&mut root, &mut open);
                remaining -= 1.0;
            }
        }
        while !open.is_empty() {
            close_innermost(&mut root, &mut open);
        }
        Ok(root)
    }

    /// The element for a markup index, if the markup exists and is one Ghost allows.
    fn markup_element(&self, index: &Value) -> Option<Element> {
        let markup = self
            .markups
            .get(usize::try_from(index.as_u64()?).ok()?)?
            .as_array()?;
        let tag = markup.first()?.as_str()?.to_ascii_lowercase();
        let tag: &'static str = MARKUP_TAGS.iter().find(|allowed| **allowed == tag)?;
        let mut element = Element::new(tag);
        if let Some(attributes) = markup.get(1).and_then(Value::as_array) {
            for pair in attributes.chunks(2) {
                let Some(name) = pair[0].as_str().filter(|name| is_attribute_name(name)) else {
                    continue;
                };
                let value = pair
                    .get(1)
                    .map_or_else(|| "undefined".to_owned(), js::to_string);
                let value = if tag == "a" && name == "href" {
                    sanitize_href(value)
                } else {
                    value
                };
                element.set_attr(name.to_owned(), value);
            }
        }
        Some(element)
    }

    /// Atoms: Ghost's only atom is the soft return (`<br>`); others show their text value.
    fn atom(&self, index: Option<&Value>) -> Option<Content> {
        let index = usize::try_from(index?.as_u64()?).ok()?;
        let atom = self.atoms.get(index)?.as_array()?;
        match atom.first().and_then(Value::as_str) {
            Some("soft-return") => Some(Element::new("br").into()),
            _ => Some(Content::Text(
                atom.get(1).map(js::to_string_or_empty).unwrap_or_default(),
            )),
        }
    }

    fn card_section(&self, section: &[Value]) -> Option<Content> {
        let index = usize::try_from(section.get(1)?.as_u64()?).ok()?;
        let card = self.cards.get(index)?.as_array()?;
        let name = card.first()?.as_str()?;
        static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
        let payload = card.get(1).and_then(Value::as_object).unwrap_or(&EMPTY);
        cards::render(name, &Props::new(payload), self.ghost_major)
    }
}

fn close_innermost(root: &mut Element, open: &mut Vec<Element>) {
    if let Some(closed) = open.pop() {
        open.last_mut().unwrap_or(root).push(closed);
    }
}

/// Markups nested deeper than this are dropped like disallowed ones. No editor nests more
/// than a handful, and the element tree is serialised recursively, so a hostile document must
/// not be able to nest without bound.
const MAX_MARKUP_DEPTH: usize = 256;

/// The markup tags `mobiledoc-dom-renderer` allows.
const MARKUP_TAGS: [&str; 10] = [
    "b", "i", "strong", "em", "a", "u", "sub", "sup", "s", "code",
];

/// The element for a markup section tag, or `None` for tags Ghost does not render.
fn section_element(tag: &str) -> Option<Element> {
    let tag = tag.to_ascii_lowercase();
    let name: &'static str = match tag.as_str() {
        "p" => "p",
        "h1" => "h1",
        "h2" => "h2",
        "h3" => "h3",
        "h4" => "h4",
        "h5" => "h5",
        "h6" => "h6",
        "blockquote" => "blockquote",
        // Koenig stored its alternative blockquote style as an `aside` section.
        "aside" => return Some(Element::new("blockquote").with_attr("class", "kg-blockquote-alt")),
        "pull-quote" => return Some(Element::new("div").with_attr("class", "pull-quote")),
        _ => return None,
    };
    Some(Element::new(name))
}

/// Image sections predate Ghost's image card and no Ghost editor writes them. Ghost's SimpleDOM
/// loses their source (the renderer sets a property, not an attribute), which would drop the
/// picture from an import, so here the `src` is kept.
fn image_section(section: &[Value]) -> Option<Content> {
    let src = section
        .get(1)
        .filter(|v| !v.is_null())
        .map(js::to_string)
        .unwrap_or_default();
    Some(Element::new("img").with_attr("src", src).into())
}

fn array_field<'a>(
    document: &'a Map<String, Value>,
    name: &str,
) -> Result<&'a [Value], MobiledocError> {
    optional_array(document.get(name), || name.to_owned())
}

fn optional_array(
    value: Option<&Value>,
    path: impl FnOnce() -> String,
) -> Result<&[Value], MobiledocError> {
    match value {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(unexpected(path(), "an array")),
    }
}

/// Attribute names are written out as they are, so only plain names are accepted.
fn is_attribute_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// `mobiledoc-dom-renderer` defuses `javascript:` and `vbscript:` links with an `unsafe:` prefix.
fn sanitize_href(url: String) -> String {
    let trimmed = url.trim_start_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    let scheme_end = trimmed.find(':');
    let scheme = scheme_end.map(|end| trimmed[..end].to_ascii_lowercase());
    let valid_scheme = scheme.as_deref().is_some_and(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if valid_scheme && matches!(scheme.as_deref(), Some("javascript" | "vbscript")) {
        format!("unsafe:{url}")
    } else {
        url
    }
}

/// Text of the text nodes under `content`; raw HTML from cards is not text to Ghost here.
fn text_content(content: &Content) -> String {
    match content {
        Content::Text(text) => text.clone(),
        Content::Element(element) => element.children().iter().map(text_content).collect(),
        Content::Raw(_) => String::new(),
    }
}

/// Koenig keeps a blank paragraph at the end of a document; Ghost never renders it.
fn drop_blank_trailing_paragraph(nodes: &mut Vec<Content>) {
    if let Some(last @ Content::Element(element)) = nodes.last()
        && element.name() == "p"
        && text_content(last).is_empty()
    {
        nodes.pop();
    }
}

/// Ghost gives every heading with content an id slugged from its text; repeats get `-1`, `-2`.
struct HeadingIds {
    ghost_major: u64,
    used: std::collections::HashMap<String, u32>,
}

impl HeadingIds {
    fn new(ghost_major: u64) -> Self {
        HeadingIds {
            ghost_major,
            used: std::collections::HashMap::new(),
        }
    }

    fn add_to(&mut self, nodes: &mut [Content]) {
        for node in nodes {
            if let Content::Element(element) = node {
                self.visit(element);
            }
        }
    }

    fn visit(&mut self, element: &mut Element) {
        let is_heading = element.name().len() == 2
            && element.name().starts_with('h')
            && element.name().ends_with(|c: char| c.is_ascii_digit());
        if is_heading
            && !element.children().is_empty()
            && element.attr("id").is_none_or(str::is_empty)
        {
            let text: String = element.children().iter().map(text_content).collect();
            let id = self.unique(js::slugify(&text, self.ghost_major));
            element.set_attr("id", id);
        }
        self.add_to(element.children_mut());
    }

    fn unique(&mut self, id: String) -> String {
        match self.used.get_mut(&id) {
            Some(count) => {
                *count += 1;
                format!("{id}-{count}")
            }
            None => {
                self.used.insert(id.clone(), 0);
                id
            }
        }
    }
}

/// Handlebars as Ghost's card templates use it, followed by the cards' `dedent`, which strips
/// each line's indentation and joins the lines.
mod hbs {
    use serde_json::Value;

    use crate::lexical::js;

    /// `{{value}}`: HTML-escaped, empty for a missing value.
    pub(super) fn text(value: Option<&Value>) -> String {
        escape(&raw(value))
    }

    /// `{{{value}}}`: inserted as it is.
    pub(super) fn raw(value: Option<&Value>) -> String {
        match value {
            None | Some(Value::Null) => String::new(),
            Some(value) => inline(&js::to_string(value)),
        }
    }

    /// `{{#if value}}`: JavaScript truthiness, except that an empty list is false.
    pub(super) fn truthy(value: Option<&Value>) -> bool {
        value.is_some_and(|v| js::truthy(v) && !v.as_array().is_some_and(Vec::is_empty))
    }

    fn escape(text: &str) -> String {
        let mut escaped = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => escaped.push_str("&amp;"),
                '<' => escaped.push_str("&lt;"),
                '>' => escaped.push_str("&gt;"),
                '"' => escaped.push_str("&quot;"),
                '\'' => escaped.push_str("&#x27;"),
                '`' => escaped.push_str("&#x60;"),
                '=' => escaped.push_str("&#x3D;"),
                other => escaped.push(other),
            }
        }
        escaped
    }

    /// What `dedent` leaves of a value placed mid-line: its later lines lose their indentation
    /// and every line break.
    pub(super) fn inline(value: &str) -> String {
        let mut lines = value.split('\n');
        let mut joined = lines.next().unwrap_or_default().to_owned();
        for line in lines {
            joined.push_str(line.trim_start_matches(js::is_whitespace));
        }
        joined
    }

    /// The final `trim` of `dedent`.
    pub(super) fn finish(html: &str) -> String {
        js::trim(html).to_owned()
    }
}

/// The web templates of Ghost's Mobiledoc cards (`kg-default-cards`).
mod cards {
    use serde_json::Value;

    use super::hbs;
    use crate::lexical::dom::{Content, Element};
    use crate::lexical::js::{self, Props};
    use crate::lexical::{fragments, images};

    /// Renders a card; `None` where Ghost renders nothing (an empty card, an email-only card,
    /// or a card Ghost would not know).
    pub(super) fn render(name: &str, card: &Props<'_>, ghost_major: u64) -> Option<Content> {
        match name {
            "image" => image(card),
            "markdown" => markdown(card),
            "html" => html(card),
            "code" => code(card),
            "embed" => embed(card),
            "hr" => Some(Element::new("hr").into()),
            "paywall" => Some(Content::Raw("<!--members-only-->".to_owned())),
            "bookmark" => bookmark(card),
            "gallery" => gallery(card),
            "video" => video(card),
            "audio" => audio(card),
            "file" => file(card),
            "callout" => callout(card),
            "button" => button(card),
            "toggle" => toggle(card),
            "header" => header(card, ghost_major),
            _ => None,
        }
    }

    fn raw(html: String) -> Option<Content> {
        Some(Content::Raw(html))
    }

    fn figcaption(caption: &str) -> Element {
        Element::new("figcaption").with_raw(caption)
    }

    fn image(card: &Props<'_>) -> Option<Content> {
        let src = card.string("src");
        if src.is_empty() {
            return None;
        }
        let card_width = card.string("cardWidth");
        let mut class = String::from("kg-card kg-image-card");
        if !card_width.is_empty() {
            class.push_str(&format!(" kg-width-{card_width}"));
        }
        let mut img = images::content_image(card, &src);
        let width = card.number("width").unwrap_or(0.0);
        if img.attr("srcset").is_some() && width >= 720.0 {
            if card_width.is_empty() {
                img.set_attr("sizes", "(min-width: 720px) 720px");
            }
            if card_width == "wide" && width >= 1200.0 {
                img.set_attr("sizes", "(min-width: 1200px) 1200px");
            }
        }
        let caption = card.string("caption");
        if !caption.is_empty() {
            class.push_str(" kg-card-hascaption");
        }
        let mut figure = Element::new("figure")
            .with_attr("class", class)
            .with_child(images::linked(img, &card.string("href")));
        if !caption.is_empty() {
            figure.push(figcaption(&caption));
        }
        Some(figure.into())
    }

    fn markdown(card: &Props<'_>) -> Option<Content> {
        let source = card.string("markdown");
        if source.is_empty() {
            return None;
        }
        raw(format!(
            "<!--kg-card-begin: markdown-->{}<!--kg-card-end: markdown-->",
            fragments::markdown(&source)
        ))
    }

    fn html(card: &Props<'_>) -> Option<Content> {
        let body = card.string("html");
        if body.is_empty() {
            return None;
        }
        raw(format!(
            "<!--kg-card-begin: html-->{body}<!--kg-card-end: html-->"
        ))
    }

    fn code(card: &Props<'_>) -> Option<Content> {
        let source = card.string("code");
        if source.is_empty() {
            return None;
        }
        let mut code = Element::new("code");
        let language = card.string("language");
        if !language.is_empty() {
            code.set_attr("class", format!("language-{language}"));
        }
        let pre = Element::new("pre").with_child(code.with_text(source));
        let caption = card.string("caption");
        if caption.is_empty() {
            return Some(pre.into());
        }
        Some(
            Element::new("figure")
                .with_attr("class", "kg-card kg-code-card")
                .with_child(pre)
                .with_child(figcaption(&caption))
                .into(),
        )
    }

    fn embed(card: &Props<'_>) -> Option<Content> {
        let body = card.string("html");
        if body.is_empty() {
            return None;
        }
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
        Some(figure.into())
    }

    fn bookmark(card: &Props<'_>) -> Option<Content> {
        let metadata = card
            .value("metadata")
            .and_then(Value::as_object)
            .map(Props::new)?;
        if card.string("url").is_empty() || metadata.string("title").is_empty() {
            return None;
        }
        let meta = |field: &str| hbs::text(metadata.raw(field));
        let caption = card.raw("caption");
        let mut html = format!(
            "<figure class=\"kg-card kg-bookmark-card{}\"><a class=\"kg-bookmark-container\" href=\"{}\"><div class=\"kg-bookmark-content\"><div class=\"kg-bookmark-title\">{}</div><div class=\"kg-bookmark-description\">{}</div><div class=\"kg-bookmark-metadata\">",
            if hbs::truthy(caption) {
                " kg-card-hascaption"
            } else {
                ""
            },
            hbs::text(card.raw("url")),
            meta("title"),
            meta("description"),
        );
        if hbs::truthy(metadata.raw("icon")) {
            html.push_str(&format!(
                "<img class=\"kg-bookmark-icon\" src=\"{}\" alt=\"\">",
                meta("icon")
            ));
        }
        // Ghost swaps these two classes on purpose, for older themes.
        if hbs::truthy(metadata.raw("publisher")) {
            html.push_str(&format!(
                "<span class=\"kg-bookmark-author\">{}</span>",
                meta("publisher")
            ));
        }
        if hbs::truthy(metadata.raw("author")) {
            html.push_str(&format!(
                "<span class=\"kg-bookmark-publisher\">{}</span>",
                meta("author")
            ));
        }
        html.push_str("</div></div>");
        if hbs::truthy(metadata.raw("thumbnail")) {
            html.push_str(&format!(
                "<div class=\"kg-bookmark-thumbnail\"><img src=\"{}\" alt=\"\"></div>",
                meta("thumbnail")
            ));
        }
        html.push_str("</a>");
        if hbs::truthy(caption) {
            html.push_str(&format!("<figcaption>{}</figcaption>", hbs::raw(caption)));
        }
        html.push_str("</figure>");
        raw(hbs::finish(&html))
    }

    fn gallery(card: &Props<'_>) -> Option<Content> {
        let rows = images::gallery_rows(card.value("images"));
        if rows.is_empty() {
            return None;
        }
        let caption = card.string("caption");
        let class = if caption.is_empty() {
            "kg-card kg-gallery-card kg-width-wide"
        } else {
            "kg-card kg-gallery-card kg-width-wide kg-card-hascaption"
        };
        let mut figure = Element::new("figure")
            .with_attr("class", class)
            .with_child(images::gallery_container(&rows));
        if !caption.is_empty() {
            figure.push(figcaption(&caption));
        }
        Some(figure.into())
    }

    const PLAY_PATH: &str = "M23.14 10.608 2.253.164A1.559 1.559 0 0 0 0 1.557v20.887a1.558 1.558 0 0 0 2.253 1.392L23.14 13.393a1.557 1.557 0 0 0 0-2.785Z";
    const UNMUTE_PATH: &str = "M15.189 2.021a9.728 9.728 0 0 0-7.924 4.85.249.249 0 0 1-.221.133H5.25a3 3 0 0 0-3 3v2a3 3 0 0 0 3 3h1.794a.249.249 0 0 1 .221.133 9.73 9.73 0 0 0 7.924 4.85h.06a1 1 0 0 0 1-1V3.02a1 1 0 0 0-1.06-.998Z";
    const MUTE_PATH: &str = "M16.177 4.3a.248.248 0 0 0 .073-.176v-1.1a1 1 0 0 0-1.061-1 9.728 9.728 0 0 0-7.924 4.85.249.249 0 0 1-.221.133H5.25a3 3 0 0 0-3 3v2a3 3 0 0 0 3 3h.114a.251.251 0 0 0 .177-.073ZM23.707 1.706A1 1 0 0 0 22.293.292l-22 22a1 1 0 0 0 0 1.414l.009.009a1 1 0 0 0 1.405-.009l6.63-6.631A.251.251 0 0 1 8.515 17a.245.245 0 0 1 .177.075 10.081 10.081 0 0 0 6.5 2.92 1 1 0 0 0 1.061-1V9.266a.247.247 0 0 1 .073-.176Z";
    const SVG_OPEN: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\">";
    const PAUSE_RECTS: &str = "<rect x=\"3\" y=\"1\" width=\"7\" height=\"22\" rx=\"1.5\" ry=\"1.5\"/><rect x=\"14\" y=\"1\" width=\"7\" height=\"22\" rx=\"1.5\" ry=\"1.5\"/>";

    /// The player controls shared by the video and audio templates (`kind` is `video`/`audio`).
    fn player_controls(kind: &str, duration: &str) -> String {
        format!(
            "<button class=\"kg-{kind}-play-icon\">{SVG_OPEN}<path d=\"{PLAY_PATH}\"/></svg></button><button class=\"kg-{kind}-pause-icon kg-{kind}-hide\">{SVG_OPEN}{PAUSE_RECTS}</svg></button><span class=\"kg-{kind}-current-time\">0:00</span><div class=\"kg-{kind}-time\">/<span class=\"kg-{kind}-duration\">{duration}</span></div><input type=\"range\" class=\"kg-{kind}-seek-slider\" max=\"100\" value=\"0\"><button class=\"kg-{kind}-playback-rate\">1&#215;</button><button class=\"kg-{kind}-unmute-icon\">{SVG_OPEN}<path d=\"{UNMUTE_PATH}\"/></svg></button><button class=\"kg-{kind}-mute-icon kg-{kind}-hide\">{SVG_OPEN}<path d=\"{MUTE_PATH}\"/></svg></button><input type=\"range\" class=\"kg-{kind}-volume-slider\" max=\"100\" value=\"100\">"
        )
    }

    /// Ghost's video template never fills in the duration, so the player shows none until it
    /// loads; that is kept.
    fn video(card: &Props<'_>) -> Option<Content> {
        if card.string("src").is_empty() {
            return None;
        }
        let caption = card.raw("caption");
        let mut classes = vec!["kg-card kg-video-card".to_owned()];
        if card.value("cardWidth").is_some() {
            classes.push(format!("kg-width-{}", card.string("cardWidth")));
        }
        if card.value("caption").is_some() {
            classes.push("kg-card-hascaption".to_owned());
        }
        let looping = hbs::truthy(card.raw("loop"));
        let poster_size = |field: &str| {
            card.raw(field)
                .map_or_else(|| "undefined".to_owned(), js::to_string)
        };
        let thumbnail = card
            .value("customThumbnailSrc")
            .or_else(|| card.value("thumbnailSrc"));
        let figcaption = if hbs::truthy(caption) {
            format!("<figcaption>{}</figcaption>", hbs::raw(caption))
        } else {
            String::new()
        };
        let html = format!(
            "<figure class=\"{classes}\"><div class=\"kg-video-container\"><video src=\"{src}\" poster=\"{poster}\" width=\"{width}\" height=\"{height}\"{autoplay} playsinline preload=\"metadata\" style=\"background: transparent url('{thumbnail}') 50% 50% / cover no-repeat;\"></video><div class=\"kg-video-overlay\"><button class=\"kg-video-large-play-icon\">{SVG_OPEN}<path d=\"{PLAY_PATH}\"/></svg></button></div><div class=\"kg-video-player-container{hide}\"><div class=\"kg-video-player\">{controls}</div></div></div>{figcaption}</figure>",
            classes = hbs::text(Some(&Value::String(classes.join(" ")))),
            src = hbs::text(card.raw("src")),
            poster = hbs::text(Some(&Value::String(format!(
                "https://img.spacergif.org/v1/{}x{}/0a/spacer.png",
                poster_size("width"),
                poster_size("height")
            )))),
            width = hbs::text(card.raw("width")),
            height = hbs::text(card.raw("height")),
            autoplay = if looping { " loop autoplay muted" } else { "" },
            thumbnail = hbs::text(thumbnail),
            hide = if looping { " kg-video-hide" } else { "" },
            controls = player_controls("video", ""),
        );
        raw(hbs::finish(&html))
    }

    const AUDIO_ICON: &str = "<svg width=\"24\" height=\"24\" fill=\"none\" xmlns=\"http://www.w3.org/2000/svg\"><path fill-rule=\"evenodd\" clip-rule=\"evenodd\" d=\"M7.5 15.33a.75.75 0 1 0 0 1.5.75.75 0 0 0 0-1.5Zm-2.25.75a2.25 2.25 0 1 1 4.5 0 2.25 2.25 0 0 1-4.5 0ZM15 13.83a.75.75 0 1 0 0 1.5.75.75 0 0 0 0-1.5Zm-2.25.75a2.25 2.25 0 1 1 4.5 0 2.25 2.25 0 0 1-4.5 0Z\"/><path fill-rule=\"evenodd\" clip-rule=\"evenodd\" d=\"M14.486 6.81A2.25 2.25 0 0 1 17.25 9v5.579a.75.75 0 0 1-1.5 0v-5.58a.75.75 0 0 0-.932-.727.755.755 0 0 1-.059.013l-4.465.744a.75.75 0 0 0-.544.72v6.33a.75.75 0 0 1-1.5 0v-6.33a2.25 2.25 0 0 1 1.763-2.194l4.473-.746Z\"/><path fill-rule=\"evenodd\" clip-rule=\"evenodd\" d=\"M3 1.5a.75.75 0 0 0-.75.75v19.5a.75.75 0 0 0 .75.75h18a.75.75 0 0 0 .75-.75V5.133a.75.75 0 0 0-.225-.535l-.002-.002-3-2.883A.75.75 0 0 0 18 1.5H3ZM1.409.659A2.25 2.25 0 0 1 3 0h15a2.25 2.25 0 0 1 1.568.637l.003.002 3 2.883a2.25 2.25 0 0 1 .679 1.61V21.75A2.25 2.25 0 0 1 21 24H3a2.25 2.25 0 0 1-2.25-2.25V2.25c0-.597.237-1.169.659-1.591Z\"/></svg>";

    fn audio(card: &Props<'_>) -> Option<Content> {
        if card.string("src").is_empty() {
            return None;
        }
        let (thumbnail_class, placeholder_class) = if card.value("thumbnailSrc").is_some() {
            (
                "kg-audio-thumbnail",
                "kg-audio-thumbnail placeholder kg-audio-hide",
            )
        } else {
            (
                "kg-audio-thumbnail kg-audio-hide",
                "kg-audio-thumbnail placeholder",
            )
        };
        // A missing duration takes the template's default of 200 seconds.
        let duration = match card.raw("duration") {
            None => 200.0,
            Some(value) => js::to_number(value),
        };
        let html = format!(
            "<div class=\"kg-card kg-audio-card\"><img src=\"{thumbnail}\" alt=\"audio-thumbnail\" class=\"{thumbnail_class}\"><div class=\"{placeholder_class}\">{AUDIO_ICON}</div><div class=\"kg-audio-player-container\"><audio src=\"{src}\" preload=\"metadata\"></audio><div class=\"kg-audio-title\">{title}</div><div class=\"kg-audio-player\">{controls}</div></div></div>",
            thumbnail = hbs::text(card.raw("thumbnailSrc")),
            src = hbs::text(card.raw("src")),
            title = hbs::text(card.raw("title")),
            controls = player_controls(
                "audio",
                &hbs::text(Some(&Value::String(js::minutes_seconds(duration))))
            ),
        );
        raw(hbs::finish(&html))
    }

    /// The file card is the one template Ghost does not dedent, so its whitespace stays.
    fn file(card: &Props<'_>) -> Option<Content> {
        if card.string("src").is_empty() {
            return None;
        }
        let title = card.string("fileTitle");
        let caption = card.string("fileCaption");
        let size_class = match (title.is_empty(), caption.is_empty()) {
            (true, true) => "kg-file-card-small",
            (true, false) | (false, true) => "kg-file-card-medium",
            (false, false) => "",
        };
        let escape = |text: &str| escape_html(text);
        let title_html = if title.is_empty() {
            String::new()
        } else {
            format!("<div class=\"kg-file-card-title\">{}</div>", escape(&title))
        };
        let caption_html = if caption.is_empty() {
            String::new()
        } else {
            format!(
                "<div class=\"kg-file-card-caption\">{}</div>",
                escape(&caption)
            )
        };
        let size = js::bytes_to_size(card.value("fileSize").map_or(0.0, js::to_number));
        raw(format!(
            "\n        <div class=\"kg-card kg-file-card {size_class}\">\n            <a class=\"kg-file-card-container\" href=\"{src}\" title=\"Download\" download>\n                <div class=\"kg-file-card-contents\">\n                    {title_html}\n                    {caption_html}\n                    <div class=\"kg-file-card-metadata\">\n                        <div class=\"kg-file-card-filename\">{name}</div>\n                        <div class=\"kg-file-card-filesize\">{size}</div>\n                    </div>\n                </div>\n                <div class=\"kg-file-card-icon\">\n                    <svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><defs><style>.a{{fill:none;stroke:currentColor;stroke-linecap:round;stroke-linejoin:round;stroke-width:1.5px;}}</style></defs><title>download-circle</title><polyline class=\"a\" points=\"8.25 14.25 12 18 15.75 14.25\"/><line class=\"a\" x1=\"12\" y1=\"6.75\" x2=\"12\" y2=\"18\"/><circle class=\"a\" cx=\"12\" cy=\"12\" r=\"11.25\"/></svg>\n                </div>\n            </a>\n        </div>\n        ",
            src = escape(&card.string("src")),
            name = escape(&card.string("fileName")),
        ))
    }

    /// `escapeHtml` from `@tryghost/string`.
    fn escape_html(text: &str) -> String {
        let mut escaped = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => escaped.push_str("&amp;"),
                '<' => escaped.push_str("&lt;"),
                '>' => escaped.push_str("&gt;"),
                '"' => escaped.push_str("&quot;"),
                '\'' => escaped.push_str("&#39;"),
                other => escaped.push(other),
            }
        }
        escaped
    }

    fn callout(card: &Props<'_>) -> Option<Content> {
        if card.string("calloutText").is_empty() {
            return None;
        }
        let emoji = card.raw("calloutEmoji");
        let emoji_html = if hbs::truthy(emoji) {
            format!("<div class=\"kg-callout-emoji\">{}</div>", hbs::text(emoji))
        } else {
            String::new()
        };
        let html = format!(
            "<div class=\"kg-card kg-callout-card kg-callout-card-{}\">{emoji_html}<div class=\"kg-callout-text\">{}</div></div>",
            hbs::text(card.raw("backgroundColor")),
            hbs::raw(card.raw("calloutText")),
        );
        raw(hbs::finish(&html))
    }

    fn button(card: &Props<'_>) -> Option<Content> {
        if card.string("buttonUrl").is_empty() || card.string("buttonText").is_empty() {
            return None;
        }
        let alignment = card
            .raw("alignment")
            .map_or_else(|| "left".to_owned(), |v| hbs::text(Some(v)));
        let html = format!(
            "<div class=\"kg-card kg-button-card kg-align-{alignment}\"><a href=\"{}\" class=\"kg-btn kg-btn-accent\">{}</a></div>",
            hbs::text(card.raw("buttonUrl")),
            hbs::text(card.raw("buttonText")),
        );
        raw(hbs::finish(&html))
    }

    fn toggle(card: &Props<'_>) -> Option<Content> {
        if card.string("heading").is_empty() {
            return None;
        }
        let html = format!(
            "<div class=\"kg-card kg-toggle-card\" data-kg-toggle-state=\"close\"><div class=\"kg-toggle-heading\"><h4 class=\"kg-toggle-heading-text\">{}</h4><button class=\"kg-toggle-card-icon\"><svg id=\"Regular\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path class=\"cls-1\" d=\"M23.25,7.311,12.53,18.03a.749.749,0,0,1-1.06,0L.75,7.311\"/></svg></button></div><div class=\"kg-toggle-content\">{}</div></div>",
            hbs::raw(card.raw("heading")),
            hbs::raw(card.raw("content")),
        );
        raw(hbs::finish(&html))
    }

    /// Header cards carry their own heading ids, so Ghost's heading pass leaves them alone.
    fn header(card: &Props<'_>, ghost_major: u64) -> Option<Content> {
        let header = card.string("header");
        let subheader = card.string("subheader");
        let button_enabled = card.flag("buttonEnabled")
            && card.value("buttonUrl").is_some()
            && card.value("buttonText").is_some();
        if header.is_empty() && subheader.is_empty() && !button_enabled {
            return None;
        }
        let style = card.raw("style");
        let background_style = if style.and_then(Value::as_str) == Some("image") {
            format!(
                "background-image: url({})",
                card.raw("backgroundImageSrc")
                    .map_or_else(|| "undefined".to_owned(), js::to_string)
            )
        } else {
            String::new()
        };
        let mut html = format!(
            "<div class=\"kg-card kg-header-card kg-width-full kg-size-{} kg-style-{}\" style=\"{}\" data-kg-background-image=\"{}\">",
            hbs::text(card.raw("size")),
            hbs::text(style),
            hbs::text(Some(&Value::String(background_style))),
            hbs::text(card.raw("backgroundImageSrc")),
        );
        if !header.is_empty() {
            html.push_str(&format!(
                "<h2 class=\"kg-header-card-header\" id=\"{}\">{}</h2>",
                hbs::text(Some(&Value::String(js::slugify(&header, ghost_major)))),
                hbs::raw(card.raw("header")),
            ));
        }
        if !js::trim(subheader.trim_end_matches("<br>")).is_empty() {
            html.push_str(&format!(
                "<h3 class=\"kg-header-card-subheader\" id=\"{}\">{}</h3>",
                hbs::text(Some(&Value::String(js::slugify(&subheader, ghost_major)))),
                hbs::raw(card.raw("subheader")),
            ));
        }
        if button_enabled {
            let text = hbs::text(card.raw("buttonText"));
            html.push_str(&format!(
                "<a href=\"{}\" class=\"kg-header-card-button\">{}</a>",
                hbs::text(card.raw("buttonUrl")),
                text.trim_start_matches(js::is_whitespace),
            ));
        }
        html.push_str("</div>");
        raw(hbs::finish(&html))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::{MobiledocError, to_html};

    const EXPORT: &str = include_str!("../../../../shared/fixtures/ghost-5.130/ghost-export.json");

    fn render(document: Value) -> String {
        match to_html(&document.to_string()) {
            Ok(html) => html,
            Err(err) => panic!("render failed: {err}"),
        }
    }

    /// A document of `sections` with the given markups and atoms.
    fn doc(markups: Value, atoms: Value, sections: Value) -> Value {
        json!({"version": "0.3.1", "ghostVersion": "4.0", "markups": markups, "atoms": atoms, "cards": [], "sections": sections})
    }

    fn text_doc(sections: Value) -> Value {
        doc(json!([]), json!([]), sections)
    }

    /// A document holding one card.
    fn card(name: &str, payload: Value) -> String {
        render(
            json!({"version": "0.3.1", "markups": [], "atoms": [], "cards": [[name, payload]], "sections": [[10, 0]]}),
        )
    }

    #[test]
    fn every_fixture_mobiledoc_post_renders_as_ghost_rendered_it() {
        let export: Value = serde_json::from_str(EXPORT).unwrap();
        let posts = export["db"][0]["data"]["posts"].as_array().unwrap();
        let mut checked = 0;
        for post in posts {
            let Some(mobiledoc) = post["mobiledoc"].as_str() else {
                continue;
            };
            assert_eq!(
                to_html(mobiledoc).unwrap(),
                post["html"].as_str().unwrap(),
                "post {}",
                post["slug"]
            );
            checked += 1;
        }
        assert!(checked >= 1, "the fixture should hold a Mobiledoc post");
    }

    #[test]
    fn markup_sections_and_escaping() {
        let sections = json!([
            [1, "p", [[0, [], 0, "Fish & chips <b> \u{a0}\"q\""]]],
            [1, "blockquote", [[0, [], 0, "Quote"]]],
            [1, "aside", [[0, [], 0, "Alt"]]],
            [1, "pull-quote", [[0, [], 0, "Pull"]]],
            [1, "marquee", [[0, [], 0, "dropped"]]]
        ]);
        assert_eq!(
            render(text_doc(sections)),
            "<p>Fish &amp; chips &lt;b&gt; \u{a0}\"q\"</p><blockquote>Quote</blockquote><blockquote class=\"kg-blockquote-alt\">Alt</blockquote><div class=\"pull-quote\">Pull</div>"
        );
    }

    #[test]
    fn headings_get_ids_by_ghost_version() {
        let sections = json!([
            [1, "h2", [[0, [], 0, "What's new?"]]],
            [1, "h2", [[0, [], 0, "What's new?"]]],
            [1, "H3", [[0, [], 0, "Ñandú"]]],
            [1, "h4", []]
        ]);
        assert_eq!(
            render(text_doc(sections.clone())),
            "<h2 id=\"whats-new\">What's new?</h2><h2 id=\"whats-new-1\">What's new?</h2><h3 id=\"%C3%B1and%C3%BA\">Ñandú</h3><h4></h4>"
        );
        let mut legacy = text_doc(sections);
        legacy["ghostVersion"] = json!("3.0");
        assert_eq!(
            render(legacy),
            "<h2 id=\"what-s-new\">What's new?</h2><h2 id=\"what-s-new-1\">What's new?</h2><h3 id=\"-and-\">Ñandú</h3><h4></h4>"
        );
    }

    #[test]
    fn markups_nest_and_close_by_count() {
        let markups = json!([
            ["strong"],
            ["em"],
            ["a", ["href", "https://ghost.org", "rel", "noopener"]],
            ["marquee"]
        ]);
        let sections = json!([[
            1,
            "p",
            [
                [0, [0], 0, "bold "],
                [0, [1], 2, "both"],
                [0, [], 0, " plain "],
                [0, [2], 1, "link"],
                [0, [3], 1, " unknown markup"]
            ]
        ]]);
        assert_eq!(
            render(doc(markups, json!([]), sections)),
            "<p><strong>bold <em>both</em></strong> plain <a href=\"https://ghost.org\" rel=\"noopener\">link</a> unknown markup</p>"
        );
    }

    #[test]
    fn dangerous_links_are_defused() {
        let markups = json!([
            ["a", ["href", " JavaScript:alert(1)"]],
            ["a", ["href", "/about/"]]
        ]);
        let sections = json!([[1, "p", [[0, [0], 1, "x"], [0, [1], 1, "y"]]]]);
        assert_eq!(
            render(doc(markups, json!([]), sections)),
            "<p><a href=\"unsafe: JavaScript:alert(1)\">x</a><a href=\"/about/\">y</a></p>"
        );
    }

    #[test]
    fn soft_returns_and_unknown_atoms() {
        let atoms = json!([["soft-return", "", {}], ["mention", "@jane", {}]]);
        let sections = json!([[
            1,
            "p",
            [
                [0, [], 0, "one"],
                [1, [], 0, 0],
                [0, [], 0, "two "],
                [1, [], 0, 1],
                [1, [], 0, 9]
            ]
        ]]);
        assert_eq!(
            render(doc(json!([]), atoms, sections)),
            "<p>one<br>two @jane</p>"
        );
    }

    #[test]
    fn list_sections() {
        let markups = json!([["em"]]);
        let sections = json!([
            [3, "ul", [[[0, [], 0, "one"]], [[0, [0], 1, "two"]]]],
            [3, "ol", [[[0, [], 0, "first"]]]],
            [3, "dl", [[[0, [], 0, "x"]]]]
        ]);
        assert_eq!(
            render(doc(markups, json!([]), sections)),
            "<ul><li>one</li><li><em>two</em></li></ul><ol><li>first</li></ol>"
        );
    }

    #[test]
    fn blank_trailing_paragraph_is_dropped() {
        assert_eq!(
            render(text_doc(json!([
                [1, "p", [[0, [], 0, "Hi"]]],
                [1, "p", [[0, [], 0, ""]]]
            ]))),
            "<p>Hi</p>"
        );
        assert_eq!(
            render(text_doc(json!([
                [1, "p", []],
                [1, "p", [[0, [], 0, "Hi"]]]
            ]))),
            "<p></p><p>Hi</p>"
        );
    }

    #[test]
    fn image_card_uses_bare_empty_attributes_and_srcset() {
        assert_eq!(
            card(
                "image",
                json!({"src": "__GHOST_URL__/content/images/2021/12/a.jpg", "width": 2000, "height": 1333, "alt": "", "caption": "Hello <a href=\"/x\">x</a>"})
            ),
            "<figure class=\"kg-card kg-image-card kg-card-hascaption\"><img src=\"__GHOST_URL__/content/images/2021/12/a.jpg\" class=\"kg-image\" alt loading=\"lazy\" width=\"2000\" height=\"1333\" srcset=\"__GHOST_URL__/content/images/size/w600/2021/12/a.jpg 600w, __GHOST_URL__/content/images/size/w1000/2021/12/a.jpg 1000w, __GHOST_URL__/content/images/size/w1600/2021/12/a.jpg 1600w, __GHOST_URL__/content/images/2021/12/a.jpg 2000w\" sizes=\"(min-width: 720px) 720px\"><figcaption>Hello <a href=\"/x\">x</a></figcaption></figure>"
        );
        assert_eq!(
            card(
                "image",
                json!({"src": "https://cdn.test/a.jpg", "cardWidth": "full", "alt": "A", "href": "https://x.test"})
            ),
            "<figure class=\"kg-card kg-image-card kg-width-full\"><a href=\"https://x.test\"><img src=\"https://cdn.test/a.jpg\" class=\"kg-image\" alt=\"A\" loading=\"lazy\"></a></figure>"
        );
        assert_eq!(card("image", json!({"src": ""})), "");
    }

    #[test]
    fn markdown_and_html_cards_keep_ghosts_markers() {
        assert_eq!(
            card("markdown", json!({"markdown": "## Hi\n\n- one"})),
            "<!--kg-card-begin: markdown--><h2>Hi</h2>\n<ul>\n<li>one</li>\n</ul>\n<!--kg-card-end: markdown-->"
        );
        assert_eq!(
            card("html", json!({"html": "<div>x</div>"})),
            "<!--kg-card-begin: html--><div>x</div><!--kg-card-end: html-->"
        );
        assert_eq!(card("html", json!({"html": ""})), "");
    }

    #[test]
    fn code_embed_hr_and_paywall_cards() {
        assert_eq!(
            card("code", json!({"code": "a < b", "language": "js"})),
            "<pre><code class=\"language-js\">a &lt; b</code></pre>"
        );
        assert_eq!(
            card("code", json!({"code": "x", "caption": "c"})),
            "<figure class=\"kg-card kg-code-card\"><pre><code>x</code></pre><figcaption>c</figcaption></figure>"
        );
        assert_eq!(
            card(
                "embed",
                json!({"html": "<iframe src=\"https://e.test\"></iframe>", "caption": "cap"})
            ),
            "<figure class=\"kg-card kg-embed-card kg-card-hascaption\"><iframe src=\"https://e.test\"></iframe><figcaption>cap</figcaption></figure>"
        );
        assert_eq!(card("embed", json!({"url": "https://e.test"})), "");
        assert_eq!(card("hr", json!({})), "<hr>");
        assert_eq!(card("paywall", json!({})), "<!--members-only-->");
    }

    #[test]
    fn bookmark_card_is_a_dedented_template() {
        assert_eq!(
            card(
                "bookmark",
                json!({"url": "https://ghost.org/", "metadata": {"title": "Ghost's \"site\"", "description": "A = B", "icon": "https://ghost.org/i.png", "author": "Jane", "publisher": "Ghost", "thumbnail": "https://ghost.org/t.png"}, "caption": "Read\n    more"})
            ),
            "<figure class=\"kg-card kg-bookmark-card kg-card-hascaption\"><a class=\"kg-bookmark-container\" href=\"https://ghost.org/\"><div class=\"kg-bookmark-content\"><div class=\"kg-bookmark-title\">Ghost&#x27;s &quot;site&quot;</div><div class=\"kg-bookmark-description\">A &#x3D; B</div><div class=\"kg-bookmark-metadata\"><img class=\"kg-bookmark-icon\" src=\"https://ghost.org/i.png\" alt=\"\"><span class=\"kg-bookmark-author\">Ghost</span><span class=\"kg-bookmark-publisher\">Jane</span></div></div><div class=\"kg-bookmark-thumbnail\"><img src=\"https://ghost.org/t.png\" alt=\"\"></div></a><figcaption>Readmore</figcaption></figure>"
        );
        assert_eq!(
            card(
                "bookmark",
                json!({"url": "https://ghost.org/", "metadata": {}})
            ),
            ""
        );
    }

    #[test]
    fn gallery_card() {
        let image = |n: u32| json!({"fileName": format!("{n}.jpg"), "src": format!("/content/images/{n}.jpg"), "width": 800, "height": 600, "row": 0});
        assert_eq!(
            card("gallery", json!({"images": [image(1), image(2)]})),
            "<figure class=\"kg-card kg-gallery-card kg-width-wide\"><div class=\"kg-gallery-container\"><div class=\"kg-gallery-row\"><div class=\"kg-gallery-image\"><img src=\"/content/images/1.jpg\" width=\"800\" height=\"600\" loading=\"lazy\" alt srcset=\"/content/images/size/w600/1.jpg 600w, /content/images/1.jpg 800w\" sizes=\"(min-width: 720px) 720px\"></div><div class=\"kg-gallery-image\"><img src=\"/content/images/2.jpg\" width=\"800\" height=\"600\" loading=\"lazy\" alt srcset=\"/content/images/size/w600/2.jpg 600w, /content/images/2.jpg 800w\" sizes=\"(min-width: 720px) 720px\"></div></div></div></figure>"
        );
    }

    #[test]
    fn callout_button_and_toggle_cards() {
        assert_eq!(
            card(
                "callout",
                json!({"calloutEmoji": "💡", "calloutText": "Note <b>this</b>", "backgroundColor": "grey"})
            ),
            "<div class=\"kg-card kg-callout-card kg-callout-card-grey\"><div class=\"kg-callout-emoji\">💡</div><div class=\"kg-callout-text\">Note <b>this</b></div></div>"
        );
        assert_eq!(
            card(
                "button",
                json!({"buttonUrl": "https://x.test/?a=1&b=2", "buttonText": "Go"})
            ),
            "<div class=\"kg-card kg-button-card kg-align-left\"><a href=\"https://x.test/?a&#x3D;1&amp;b&#x3D;2\" class=\"kg-btn kg-btn-accent\">Go</a></div>"
        );
        assert_eq!(
            card("toggle", json!({"heading": "Q", "content": "<p>A</p>"})),
            "<div class=\"kg-card kg-toggle-card\" data-kg-toggle-state=\"close\"><div class=\"kg-toggle-heading\"><h4 class=\"kg-toggle-heading-text\">Q</h4><button class=\"kg-toggle-card-icon\"><svg id=\"Regular\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path class=\"cls-1\" d=\"M23.25,7.311,12.53,18.03a.749.749,0,0,1-1.06,0L.75,7.311\"/></svg></button></div><div class=\"kg-toggle-content\"><p>A</p></div></div>"
        );
        assert_eq!(card("toggle", json!({"content": "x"})), "");
    }

    #[test]
    fn video_audio_and_file_cards() {
        let video = card(
            "video",
            json!({"src": "/content/media/v.mp4", "width": 1920, "height": 1080, "thumbnailSrc": "/t.jpg", "cardWidth": "wide", "loop": true}),
        );
        assert!(video.starts_with("<figure class=\"kg-card kg-video-card kg-width-wide\"><div class=\"kg-video-container\"><video src=\"/content/media/v.mp4\" poster=\"https://img.spacergif.org/v1/1920x1080/0a/spacer.png\" width=\"1920\" height=\"1080\" loop autoplay muted playsinline preload=\"metadata\" style=\"background: transparent url('/t.jpg') 50% 50% / cover no-repeat;\"></video>"), "{video}");
        assert!(video.contains("<div class=\"kg-video-player-container kg-video-hide\"><div class=\"kg-video-player\"><button class=\"kg-video-play-icon\">"), "{video}");
        assert!(video.ends_with("<input type=\"range\" class=\"kg-video-volume-slider\" max=\"100\" value=\"100\"></div></div></div></figure>"), "{video}");

        let audio = card(
            "audio",
            json!({"src": "/a.mp3", "title": "Ep & 1", "duration": 61}),
        );
        assert!(audio.starts_with("<div class=\"kg-card kg-audio-card\"><img src=\"\" alt=\"audio-thumbnail\" class=\"kg-audio-thumbnail kg-audio-hide\"><div class=\"kg-audio-thumbnail placeholder\"><svg width=\"24\" height=\"24\""), "{audio}");
        assert!(
            audio.contains("<div class=\"kg-audio-title\">Ep &amp; 1</div>"),
            "{audio}"
        );
        assert!(
            audio.contains("/<span class=\"kg-audio-duration\">1:01</span>"),
            "{audio}"
        );

        let file = card(
            "file",
            json!({"src": "/content/files/r.pdf", "fileTitle": "Report", "fileName": "r.pdf", "fileSize": 1024}),
        );
        assert!(file.starts_with("\n        <div class=\"kg-card kg-file-card kg-file-card-medium\">\n            <a class=\"kg-file-card-container\" href=\"/content/files/r.pdf\" title=\"Download\" download>\n                <div class=\"kg-file-card-contents\">\n                    <div class=\"kg-file-card-title\">Report</div>\n                    \n"), "{file:?}");
        assert!(
            file.contains("<div class=\"kg-file-card-filesize\">1 KB</div>"),
            "{file}"
        );
    }

    #[test]
    fn header_card_carries_its_own_ids() {
        assert_eq!(
            card(
                "header",
                json!({"size": "small", "style": "dark", "header": "Big news", "subheader": "More", "buttonEnabled": true, "buttonUrl": "https://x.test", "buttonText": "Read"})
            ),
            "<div class=\"kg-card kg-header-card kg-width-full kg-size-small kg-style-dark\" style=\"\" data-kg-background-image=\"\"><h2 class=\"kg-header-card-header\" id=\"big-news\">Big news</h2><h3 class=\"kg-header-card-subheader\" id=\"more\">More</h3><a href=\"https://x.test\" class=\"kg-header-card-button\">Read</a></div>"
        );
    }

    #[test]
    fn unknown_cards_and_sections_are_skipped() {
        let document = json!({"version": "0.3.1", "markups": [], "atoms": [], "cards": [["mystery", {}]],
            "sections": [[10, 0], [10, 7], [99, "x"], [2, "/content/images/a.png"], [1, "p", [[0, [], 0, "after"]]]]});
        assert_eq!(
            render(document),
            "<img src=\"/content/images/a.png\"><p>after</p>"
        );
    }

    #[test]
    fn malformed_documents_are_reported() {
        assert!(matches!(to_html("{"), Err(MobiledocError::InvalidJson(_))));
        assert!(matches!(to_html("[]"), Err(MobiledocError::NotAnObject)));
        match to_html(r#"{"version":"0.2.0","sections":[]}"#) {
            Err(err @ MobiledocError::UnsupportedVersion(_)) => assert_eq!(
                err.to_string(),
                "unsupported Mobiledoc version \"0.2.0\" (expected 0.3.x)"
            ),
            other => panic!("expected a version error, got {other:?}"),
        }
        match to_html(r#"{"version":"0.3.1","sections":[[1,"p",[[0,[],0,"ok"],"bad"]]]}"#) {
            Err(MobiledocError::UnexpectedStructure { path, .. }) => {
                assert_eq!(path, "sections[0][2][1]")
            }
            other => panic!("expected a structure error, got {other:?}"),
        }
        assert!(matches!(
            to_html(r#"{"version":"0.3.1","sections":{}}"#),
            Err(MobiledocError::UnexpectedStructure { .. })
        ));
    }

    #[test]
    fn absurdly_deep_markup_nesting_is_capped() {
        let opens: Vec<u32> = vec![0; 100_000];
        let sections = json!([[1, "p", [[0, opens, 100_000, "deep"]]]]);
        let html = render(doc(json!([["em"]]), json!([]), sections));
        assert_eq!(html.matches("<em>").count(), 256);
        assert!(html.contains("deep"));
    }

    fn mobiledoc_document() -> impl Strategy<Value = Value> {
        let scalar = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..12).prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,10}".prop_map(Value::String),
        ];
        let marker = (
            0u8..3,
            prop::collection::vec(-1i64..5, 0..3),
            -2i64..4,
            scalar.clone(),
        )
            .prop_map(|(kind, opens, closes, value)| json!([kind, opens, closes, value]));
        let markers = prop::collection::vec(marker, 0..5);
        let tags = prop_oneof![
            Just("p"),
            Just("h2"),
            Just("aside"),
            Just("ul"),
            Just("ol"),
            Just("blockquote"),
            Just("x")
        ];
        let section = (
            prop_oneof![Just(1u8), Just(2), Just(3), Just(10), Just(7)],
            tags,
            markers.clone(),
            prop::collection::vec(markers, 0..3),
            0u8..6,
        )
            .prop_map(|(kind, tag, markers, items, card)| match kind {
                1 => json!([1, tag, markers]),
                3 => json!([3, tag, items]),
                10 => json!([10, card]),
                other => json!([other, tag]),
            });
        let card_names = prop_oneof![
            Just("image"),
            Just("gallery"),
            Just("video"),
            Just("bookmark"),
            Just("header"),
            Just("file"),
            Just("audio"),
            Just("callout"),
            Just("nope")
        ];
        let card = (card_names, scalar.clone(), scalar.clone()).prop_map(|(name, a, b)| {
            json!([name, {"src": a, "width": b, "height": a, "caption": b, "metadata": {"title": a}, "images": [{"fileName": "f", "src": a, "width": b, "height": 3, "row": b}], "header": a, "duration": b}])
        });
        (prop::collection::vec(section, 0..6), prop::collection::vec(card, 0..6), scalar).prop_map(|(sections, cards, ghost_version)| {
            json!({"version": "0.3.1", "ghostVersion": ghost_version, "atoms": [["soft-return", "", {}]], "markups": [["b"], ["a", ["href", "javascript:x", "bad name", 1]], ["blink"]], "cards": cards, "sections": sections})
        })
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic(input in ".{0,200}") {
            let _ = to_html(&input);
        }

        #[test]
        fn random_mobiledoc_documents_never_panic(document in mobiledoc_document()) {
            let _ = to_html(&document.to_string());
        }
    }
}
