//! Responsive images for the site's own files: the intrinsic `width`/`height` (so the page
//! does not shift while images load), a `srcset` of the resized variants the media store
//! makes on Ghost's `/content/images/size/w…/` URLs, and lazy loading for images in a body.

use std::fmt::Write;

use super::SiteContext;

/// Widths offered in a `srcset`, each one the media store allows: steps for phones, tablets,
/// desktop columns and their high-density screens.
pub(crate) const SRCSET_WIDTHS: &[u32] = &[300, 600, 960, 1200, 1600, 2000];

/// What the column of an article body is at most wide: the CSS `--measure` (42rem).
const BODY_SIZES: &str = "(min-width: 42rem) 42rem, 100vw";

/// A local image's size and variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sized {
    pub width: u32,
    pub height: u32,
    /// Site-relative, as `{{img_url}}` prints: `/content/images/size/w600/… 600w, …`, ending
    /// with the original at its own width. Widths the image does not reach are left out, as
    /// the store never enlarges.
    pub srcset: String,
}

impl SiteContext {
    /// The size and `srcset` of an image by its absolute URL; `None` unless it is an original
    /// on this site whose size is known.
    pub(crate) fn sized_image(&self, url: &str) -> Option<Sized> {
        let path = self.image_path(url)?;
        let (width, height) = self.image_size(url)?;
        let original = self.site_url().relative(url);
        let base = &original[..original.len() - path.len()];
        let mut srcset = String::new();
        for w in SRCSET_WIDTHS.iter().filter(|w| **w < width) {
            let _ = write!(srcset, "{base}size/w{w}/{path} {w}w, ");
        }
        let _ = write!(srcset, "{original} {width}w");
        Some(Sized {
            width,
            height,
            srcset,
        })
    }

    /// `html` with every `<img>` of a body given what it lacks: the `width`, `height` and
    /// `srcset` of the site's own images, and `loading="lazy" decoding="async"` for all (a
    /// body image is never the first thing a reader sees). Attributes already written, as
    /// Ghost's image cards write them, are kept.
    pub(crate) fn size_body_images(&self, html: String) -> String {
        if !html.contains("<img") {
            return html;
        }
        let mut out = String::with_capacity(html.len() + 512);
        let mut rest = html.as_str();
        while let Some(start) = rest.find("<img") {
            let Some(len) = tag_len(&rest[start..]) else {
                break;
            };
            let tag = &rest[start..start + len];
            out.push_str(&rest[..start]);
            out.push_str(&self.complete_img(tag));
            rest = &rest[start + len..];
        }
        out.push_str(rest);
        out
    }

    fn complete_img(&self, tag: &str) -> String {
        let attrs = Attributes::of(tag);
        if !attrs.is_img {
            return tag.to_owned();
        }
        let mut extra = String::new();
        if let Some(image) = attrs.src.and_then(|src| self.sized_image(&decode_amp(src))) {
            if !attrs.has("width") && !attrs.has("height") {
                let _ = write!(
                    extra,
                    r#" width="{}" height="{}""#,
                    image.width, image.height
                );
            }
            if !attrs.has("srcset") {
                let _ = write!(extra, r#" srcset="{}""#, crate::html::escape(&image.srcset));
                if !attrs.has("sizes") {
                    let _ = write!(extra, r#" sizes="{BODY_SIZES}""#);
                }
            }
        }
        if !attrs.has("loading") {
            extra.push_str(r#" loading="lazy""#);
        }
        if !attrs.has("decoding") {
            extra.push_str(r#" decoding="async""#);
        }
        let body = tag.trim_end_matches('>');
        let (body, close) = match body.strip_suffix('/') {
            Some(body) => (body.trim_end(), " />"),
            None => (body, ">"),
        };
        format!("{body}{extra}{close}")
    }
}

/// The length of the tag starting at `html[0]` (`<img …>`), quotes respected; `None` when it
/// never closes.
fn tag_len(html: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The attribute names of a tag and its `src`.
struct Attributes<'a> {
    /// `<img` followed by a space or the end, not `<imgfoo`.
    is_img: bool,
    names: Vec<String>,
    src: Option<&'a str>,
}

impl<'a> Attributes<'a> {
    fn of(tag: &'a str) -> Self {
        let inner = tag[4..].trim_end_matches('>').trim_end_matches('/');
        let is_img = inner.starts_with(|c: char| c.is_ascii_whitespace()) || inner.is_empty();
        let mut names = Vec::new();
        let mut src = None;
        let mut rest = inner.trim_start();
        while !rest.is_empty() {
            let name_len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=')
                .unwrap_or(rest.len());
            let name = rest[..name_len].to_ascii_lowercase();
            rest = rest[name_len..].trim_start();
            let mut value = None;
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (v, remaining) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let end = after[1..].find(q).map_or(after.len(), |e| e + 1);
                        (&after[1..end], after.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_ascii_whitespace())
                            .unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                value = Some(v);
                rest = remaining.trim_start();
            }
            if name == "src" {
                src = value;
            }
            if !name.is_empty() {
                names.push(name);
            } else {
                break;
            }
        }
        Attributes { is_img, names, src }
    }

    fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }
}

/// Stored bodies escape `&` in attribute values; the URL itself has a plain one.
fn decode_amp(value: &str) -> String {
    value.replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use dateline_core::settings::Settings;

    use super::*;

    fn site() -> SiteContext {
        SiteContext::new(Settings::default(), "https://example.com/news").with_image_sizes(|path| {
            match path {
                "2026/11/wide.jpg" => Some((1400, 700)),
                "2026/11/small.png" => Some((500, 500)),
                _ => None,
            }
        })
    }

    #[test]
    fn the_logo_of_the_site_has_its_size_and_one_elsewhere_none() {
        use dateline_core::settings::Setting;

        let with_logo = |url: &str| {
            let mut settings = Settings::default();
            settings.0.insert(
                "logo".to_owned(),
                Setting {
                    key: "logo".to_owned(),
                    value: Some(url.to_owned()),
                    group: "site".to_owned(),
                    value_type: "string".to_owned(),
                    flags: None,
                },
            );
            let site = SiteContext::new(settings, "https://example.com/news")
                .with_image_sizes(|path| (path == "2026/11/small.png").then_some((500, 500)));
            let view = crate::SiteView::new(&site);
            (view.logo_width, view.logo_height)
        };
        assert_eq!(
            with_logo("__GHOST_URL__/content/images/2026/11/small.png"),
            (Some(500), Some(500))
        );
        assert_eq!(with_logo("https://cdn.example.org/logo.png"), (None, None));
    }

    #[test]
    fn srcset_stops_at_the_images_own_width() {
        let image = site()
            .sized_image("https://example.com/news/content/images/2026/11/wide.jpg")
            .unwrap();
        assert_eq!((image.width, image.height), (1400, 700));
        assert_eq!(
            image.srcset,
            "/news/content/images/size/w300/2026/11/wide.jpg 300w, \
             /news/content/images/size/w600/2026/11/wide.jpg 600w, \
             /news/content/images/size/w960/2026/11/wide.jpg 960w, \
             /news/content/images/size/w1200/2026/11/wide.jpg 1200w, \
             /news/content/images/2026/11/wide.jpg 1400w"
        );
        for other in [
            "https://cdn.example.org/content/images/2026/11/wide.jpg",
            "https://example.com/news/content/images/size/w600/2026/11/wide.jpg",
            "https://example.com/news/content/images/2026/11/unknown.jpg",
        ] {
            assert_eq!(site().sized_image(other), None, "{other}");
        }
    }

    #[test]
    fn body_images_get_size_srcset_and_lazy_loading() {
        let html = concat!(
            r#"<p>a > b</p><img src="https://example.com/news/content/images/2026/11/small.png" alt="x > y">"#,
            r#"<img src='https://elsewhere.org/a.jpg' loading="eager"/>"#,
            r#"<img class="kg-image" src="https://example.com/news/content/images/2026/11/wide.jpg" width="1400" height="700" srcset="kept" sizes="kept">"#,
            "<imgx>"
        );
        assert_eq!(
            site().size_body_images(html.to_owned()),
            concat!(
                r#"<p>a > b</p><img src="https://example.com/news/content/images/2026/11/small.png" alt="x > y" width="500" height="500" srcset="/news/content/images/size/w300/2026/11/small.png 300w, /news/content/images/2026/11/small.png 500w" sizes="(min-width: 42rem) 42rem, 100vw" loading="lazy" decoding="async">"#,
                r#"<img src='https://elsewhere.org/a.jpg' loading="eager" decoding="async" />"#,
                r#"<img class="kg-image" src="https://example.com/news/content/images/2026/11/wide.jpg" width="1400" height="700" srcset="kept" sizes="kept" loading="lazy" decoding="async">"#,
                "<imgx>"
            )
        );
    }
}
