//! The HTML policy for contributors: what markup from an untrusted author may reach readers.
//!
//! Staff HTML is trusted and never passes through here. Contributors' HTML (and anything they
//! wrote as Markdown, after [`crate::markdown::render`]) keeps the markup of a normal article and
//! Ghost's card classes, so it still looks right in Ghost themes, and loses everything that can
//! run code or reach outside the page: scripts, styles, event handlers, `javascript:` URLs,
//! forms, and iframes except embeds from a few well-known players.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use ammonia::{Builder, Url, UrlRelative};

/// Hosts whose players may be embedded in an `<iframe>`, over HTTPS only.
const EMBED_HOSTS: &[&str] = &[
    "youtube.com",
    "www.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "open.spotify.com",
    "w.soundcloud.com",
];

/// Tags of ordinary article markup plus the containers Ghost cards use.
const TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "div",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Attributes allowed per tag; `filter_attribute` narrows some of them further.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    // `rel` is not listed: ammonia sets it to `noopener noreferrer` on every link.
    ("a", &["href", "title", "target"]),
    ("img", &["src", "alt", "width", "height", "loading"]),
    (
        "iframe",
        &[
            "src",
            "title",
            "width",
            "height",
            "frameborder",
            "allowfullscreen",
            "loading",
        ],
    ),
    ("code", &["class"]),
    ("pre", &["class"]),
    ("figure", &["class"]),
    ("div", &["class"]),
    ("blockquote", &["class"]),
    ("ol", &["start"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan"]),
    // Heading ids are the anchors of a post's table of contents.
    ("h1", &["id"]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
];

/// The policy is built once; building it checks its own consistency.
static POLICY: LazyLock<Builder<'static>> = LazyLock::new(policy);

/// Cleans HTML written by an untrusted contributor; see the module documentation.
pub fn untrusted_html(html: &str) -> String {
    empty_iframes(&POLICY.clean(html).to_string())
}

fn policy() -> Builder<'static> {
    let mut builder = Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attributes)| (*tag, attributes.iter().copied().collect()))
                .collect(),
        )
        .generic_attributes(HashSet::from(["lang", "title"]))
        .clean_content_tags(HashSet::from(["script", "style"]))
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        // Posts link to their own site with relative and `__GHOST_URL__/…` URLs.
        .url_relative(UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .attribute_filter(filter_attribute);
    builder
}

/// Empties iframes, and removes those left without a `src` (not from an embed host).
///
/// Browsers never show an iframe's content, so html5ever keeps it as raw text and ammonia
/// writes it back verbatim: `<iframe><script>…` would reach feeds, emails or any parser that
/// reads iframes differently as live markup. Ammonia's output is canonical (attribute values
/// double-quoted with `"` escaped, `<` escaped in all text except iframe content), so a scan for
/// start tags finds every iframe reliably, and its raw text ends at the first `</iframe>`.
fn empty_iframes(html: &str) -> String {
    const END: &str = "</iframe>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let tag_len = serialized_tag_len(&rest[lt..]);
        let (text_and_tag, after) = rest.split_at(lt + tag_len);
        let (text, tag) = text_and_tag.split_at(lt);
        out.push_str(text);
        rest = after;
        if !(tag.starts_with("<iframe ") || tag == "<iframe>") {
            out.push_str(tag);
            continue;
        }
        let end = rest.find(END);
        if tag.contains(" src=\"") {
            out.push_str(tag);
            rest = end.map_or("", |end| &rest[end..]);
        } else {
            rest = end.map_or("", |end| &rest[end + END.len()..]);
        }
    }
    out.push_str(rest);
    out
}

/// Length of the tag at the start of `html`, up to and including its `>` outside quotes.
fn serialized_tag_len(html: &str) -> usize {
    let mut quoted = false;
    for (i, b) in html.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// Narrows attribute values ammonia lets through by name alone.
fn filter_attribute<'v>(element: &str, attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
    let keep = match (element, attribute) {
        ("iframe", "src") => is_embed_url(value),
        ("a", "target") => value == "_blank",
        ("img" | "iframe", "loading") => matches!(value, "lazy" | "eager"),
        (_, "width" | "height" | "colspan" | "rowspan" | "start" | "frameborder") => {
            !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
        }
        (_, "class") => return allowed_classes(element, value).map(Into::into),
        _ => true,
    };
    keep.then_some(value.into())
}

/// Whether an iframe may load `src`: an HTTPS page on one of the embed hosts, default port.
fn is_embed_url(src: &str) -> bool {
    Url::parse(src).is_ok_and(|url| {
        url.scheme() == "https"
            && url.port().is_none()
            && url
                .host_str()
                .is_some_and(|host| EMBED_HOSTS.contains(&host))
    })
}

/// Keeps `language-*` classes on code blocks (for syntax highlighting) and Ghost's `kg-*`
/// card classes on card containers; drops the attribute when nothing is left.
fn allowed_classes(element: &str, value: &str) -> Option<String> {
    let prefix = match element {
        "code" | "pre" => "language-",
        _ => "kg-",
    };
    let kept: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|class| is_prefixed_name(class, prefix))
        .collect();
    (!kept.is_empty()).then(|| kept.join(" "))
}

fn is_prefixed_name(class: &str, prefix: &str) -> bool {
    class.strip_prefix(prefix).is_some_and(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_+#.".contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::plaintext::{decode_attribute, dom};

    fn assert_clean_of(html: &str, forbidden: &[&str]) {
        let cleaned = untrusted_html(html).to_lowercase();
        for needle in forbidden {
            assert!(
                !cleaned.contains(needle),
                "{needle:?} survived in {cleaned:?} (from {html:?})"
            );
        }
    }

    #[test]
    fn keeps_article_markup() {
        let html = "<h2 id=\"oil\">Oil</h2><p>A <em>b</em> <strong>c</strong> <s>d</s> <u>e</u> \
                    H<sub>2</sub>O x<sup>2</sup><br></p><blockquote><p>Q</p></blockquote>\
                    <ul><li>one</li></ul><ol start=\"3\"><li>three</li></ol><hr>\
                    <table><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan=\"2\">d</td></tr></tbody></table>";
        assert_eq!(untrusted_html(html), html);
    }

    #[test]
    fn keeps_images_and_ghost_cards() {
        let html = "<figure class=\"kg-card kg-image-card kg-width-wide\"><img src=\"/content/images/a.jpg\" \
                    alt=\"A\" width=\"600\" height=\"400\" loading=\"lazy\"><figcaption>Caption</figcaption></figure>";
        assert_eq!(untrusted_html(html), html);
        assert_eq!(
            untrusted_html("<div class=\"kg-card kg-callout-card evil\" style=\"x\">Hi</div>"),
            "<div class=\"kg-card kg-callout-card\">Hi</div>"
        );
        assert_eq!(
            untrusted_html("<figure class=\"wp-block\">x</figure>"),
            "<figure>x</figure>"
        );
    }

    #[test]
    fn keeps_code_language_classes_only() {
        assert_eq!(
            untrusted_html("<pre><code class=\"language-rust other\">fn main() {}</code></pre>"),
            "<pre><code class=\"language-rust\">fn main() {}</code></pre>"
        );
        assert_eq!(
            untrusted_html("<code class=\"language-\">x</code>"),
            "<code>x</code>"
        );
    }

    #[test]
    fn links_get_noopener_and_keep_title_and_blank_target() {
        assert_eq!(
            untrusted_html(
                "<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"T\" target=\"_blank\" rel=\"opener\">x</a>"
            ),
            "<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"T\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>"
        );
        assert_eq!(
            untrusted_html("<a href=\"/tag/news/\" target=\"_top\">x</a>"),
            "<a href=\"/tag/news/\" rel=\"noopener noreferrer\">x</a>"
        );
        assert_eq!(
            untrusted_html("<a href=\"mailto:news@example.com\">m</a>"),
            "<a href=\"mailto:news@example.com\" rel=\"noopener noreferrer\">m</a>"
        );
    }

    #[test]
    fn allows_embeds_from_known_players_only() {
        let youtube = "<iframe src=\"https://www.youtube-nocookie.com/embed/xyz\" width=\"560\" height=\"315\" \
                       frameborder=\"0\" allowfullscreen=\"\" title=\"Video\"></iframe>";
        assert_eq!(untrusted_html(youtube), youtube);
        for src in [
            "https://player.vimeo.com/video/1",
            "https://open.spotify.com/embed/track/1",
            "https://w.soundcloud.com/player/?url=x",
            "https://youtube.com/embed/1",
        ] {
            let html = format!("<iframe src=\"{src}\"></iframe>");
            assert_eq!(untrusted_html(&html), html);
        }
        for src in [
            "http://www.youtube.com/embed/xyz",
            "https://evil.example/embed",
            "https://www.youtube.com.evil.example/embed",
            "https://www.youtube.com:8443/embed",
            "//www.youtube.com/embed/xyz",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
        ] {
            let cleaned =
                untrusted_html(&format!("<p>a</p><iframe src=\"{src}\"></iframe><p>b</p>"));
            assert_eq!(cleaned, "<p>a</p><p>b</p>", "{src}");
        }
    }

    #[test]
    fn iframe_content_never_becomes_markup() {
        let cleaned = untrusted_html(
            "<iframe src=\"https://www.youtube.com/embed/x\"><script>alert(1)</script></iframe>",
        );
        assert_eq!(
            cleaned,
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>"
        );
        let nested =
            untrusted_html("<a title=\"<iframe>\">x</a><iframe><iframe><p>y</iframe><p>z</p>");
        assert_eq!(
            nested,
            "<a title=\"&lt;iframe&gt;\" rel=\"noopener noreferrer\">x</a><p>z</p>"
        );
    }

    #[test]
    fn strips_scripts_styles_and_handlers() {
        assert_clean_of(
            "<p onclick=\"alert(1)\">a</p><script>alert(2)</script><style>p{}</style>\
             <img src=x onerror=alert(3)><svg onload=alert(4)><circle/></svg>\
             <body onload=alert(5)><details open ontoggle=alert(6)>",
            &[
                "onclick", "alert", "<script", "<style", "onerror", "<svg", "onload", "ontoggle",
            ],
        );
    }

    #[test]
    fn strips_javascript_urls_in_every_disguise() {
        assert_clean_of(
            "<a href=\"javascript:alert(1)\">1</a>\
             <a href=\"JaVaScRiPt:alert(2)\">2</a>\
             <a href=\"java\tscript:alert(3)\">3</a>\
             <a href=\"&#106;avascript:alert(4)\">4</a>\
             <a href=\" javascript:alert(5)\">5</a>\
             <a href=\"vbscript:msgbox(6)\">6</a>\
             <a href=\"data:text/html;base64,PHNjcmlwdD4=\">7</a>\
             <img src=\"javascript:alert(8)\">",
            &["javascript", "vbscript", "data:", "alert"],
        );
    }

    #[test]
    fn strips_dangerous_containers() {
        assert_clean_of(
            "<form action=\"https://evil.example\"><input name=q><button>go</button></form>\
             <object data=\"x.swf\"></object><embed src=\"x.swf\"><base href=\"https://evil.example\">\
             <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">\
             <link rel=stylesheet href=x><math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>\
             <!-- <script>alert(2)</script> --><noscript><p title=\"</noscript><img src=x onerror=alert(3)>\"></p></noscript>",
            &[
                "<form", "<input", "<button", "<object", "<embed", "<base", "<meta", "<link",
                "xlink", "alert", "<!--", "onerror",
            ],
        );
    }

    #[test]
    fn escapes_mutation_xss() {
        assert_clean_of(
            "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>\
             <math><mtext><table><mglyph><style><img src=x onerror=alert(2)>",
            &["onerror", "alert(", "<style", "<svg", "<math"],
        );
    }

    #[test]
    fn drops_bad_attribute_values() {
        assert_eq!(
            untrusted_html("<img src=\"a.jpg\" width=\"100%\" height=\"1e9\" loading=\"soon\">"),
            "<img src=\"a.jpg\">"
        );
        assert_eq!(
            untrusted_html("<p style=\"color:red\" class=\"kg-x\" id=\"x\">p</p>"),
            "<p>p</p>"
        );
    }

    /// Every element and attribute in `html` is one the policy allows, and no URL runs script.
    fn assert_within_policy(html: &str) {
        fn check(nodes: &[dom::Node]) {
            for node in nodes {
                let dom::NodeData::Element(element) = &node.data else {
                    continue;
                };
                assert!(TAGS.contains(&element.name.as_str()), "{}", element.name);
                let allowed = TAG_ATTRIBUTES
                    .iter()
                    .find(|(tag, _)| *tag == element.name)
                    .map_or(&[][..], |(_, attributes)| *attributes);
                for (name, value) in &element.attrs {
                    assert!(
                        allowed.contains(&name.as_str())
                            || ["rel", "lang", "title"].contains(&name.as_str()),
                        "{name} on {}",
                        element.name
                    );
                    let value = decode_attribute(value).to_lowercase();
                    assert!(!value.trim_start().starts_with("javascript:"), "{value}");
                }
                check(&element.children);
            }
        }
        check(&dom::parse(html));
    }

    proptest! {
        #[test]
        fn output_stays_within_policy_and_is_stable(parts in proptest::collection::vec(
            prop_oneof![
                Just("<script>alert(1)</script>"), Just("<img src=x onerror=alert(1)>"),
                Just("<a href=\"javascript:alert(1)\" onclick=\"x\">"), Just("</a>"),
                Just("<iframe src=\"https://evil.example\">"), Just("</iframe>"),
                Just("<iframe src=\"https://www.youtube.com/embed/x\">"), Just("<svg onload=alert(1)>"),
                Just("<style>p{}</style>"), Just("<p style=\"x\">"), Just("</p>"),
                Just("\""), Just("<"), Just(">"), Just("text"),
                Just("<!--"), Just("-->"), Just("<math><mi>"), Just("<noscript>"),
                Just("<textarea>"), Just("</textarea>"), Just("<div class=\"kg-card x\">"),
                Just("<table><tr><td>"), Just("<pre><code class=\"language-js\">"), Just("<form>"),
            ],
            0..30,
        )) {
            let cleaned = untrusted_html(&parts.concat());
            assert_within_policy(&cleaned);
            prop_assert_eq!(untrusted_html(&cleaned), cleaned);
        }
    }
}
