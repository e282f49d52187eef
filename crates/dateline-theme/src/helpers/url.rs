//! Link helpers. View models hold absolute URLs; like Ghost, `{{url}}`, `{{img_url}}` and
//! `{{page_url}}` print them site-relative (`/news/slug/`) unless asked for `absolute="true"`,
//! so a page works behind any host name the proxy serves it on.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
};

use super::{hash_flag, hash_text, page_value, root, site_url, this, write_url};

/// `{{url}}`: the URL of the current post, tag, author or navigation item.
pub(crate) struct Url;

impl HelperDef for Url {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let url = this(ctx, rc, "url").render();
        write_url(out, rc, &link(ctx, &url, hash_flag(h, "absolute")))
    }
}

/// `{{img_url feature_image size="m" format="webp"}}`: an image URL. A size the theme
/// declares in `config.image_sizes` points a local image at its resized variant
/// (`/content/images/size/w600/…`, which the media store makes on first request); images
/// elsewhere, and sizes the theme does not declare, keep the original.
pub(crate) struct ImgUrl;

impl HelperDef for ImgUrl {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let url = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        let width = hash_text(h, "size")
            .and_then(|size| root(ctx, "$image_sizes")[size.as_str()]["width"].as_u64());
        let url = match width {
            Some(width) => sized(&url, width, hash_text(h, "format").as_deref()),
            None => url,
        };
        write_url(out, rc, &link(ctx, &url, hash_flag(h, "absolute")))
    }
}

/// `{{page_url next}}`: the URL of page N of the current listing (`/tag/news/page/2/`). Also
/// accepts Ghost's `"next"` and `"prev"`.
pub(crate) struct PageUrl;

impl HelperDef for PageUrl {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(base) = page_value(ctx, "listing_url").as_str() else {
            return Ok(());
        };
        let pagination = &ctx.data()["pagination"];
        let page = h.param(0).and_then(|p| match p.value() {
            serde_json::Value::String(s) if s == "next" || s == "prev" => {
                pagination[s.as_str()].as_u64()
            }
            serde_json::Value::String(s) => s.parse().ok(),
            value => value.as_u64(),
        });
        let url = match page {
            None => return Ok(()),
            Some(1) => base.to_owned(),
            Some(n) => format!("{base}page/{n}/"),
        };
        write_url(out, rc, &link(ctx, &url, hash_flag(h, "absolute")))
    }
}

/// The URL of the `width` variant of a local image; others are returned as they are.
fn sized(url: &str, width: u64, format: Option<&str>) -> String {
    const IMAGES: &str = "/content/images/";
    let Some(at) = url.find(IMAGES) else {
        return url.to_owned();
    };
    let rest = &url[at + IMAGES.len()..];
    let resizable = !rest.starts_with("size/")
        && [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"]
            .iter()
            .any(|ext| rest.to_ascii_lowercase().ends_with(ext));
    if !resizable {
        return url.to_owned();
    }
    let format = format.map(|f| format!("format/{f}/")).unwrap_or_default();
    format!("{}size/w{width}/{format}{rest}", &url[..at + IMAGES.len()])
}

fn link(ctx: &Context, url: &str, absolute: bool) -> String {
    if absolute || url.is_empty() {
        url.to_owned()
    } else {
        site_url(ctx).relative(url).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn url_is_relative_unless_absolute() {
        let data = json!({"post": {"url": "http://localhost:2368/a-story/"}});
        assert_eq!(
            render("{{#post}}{{url}}{{/post}}", data.clone()),
            "/a-story/"
        );
        assert_eq!(
            render(r#"{{#post}}{{url absolute="true"}}{{/post}}"#, data),
            "http://localhost:2368/a-story/"
        );
        let external = json!({"post": {"url": "https://elsewhere.org/x?a=1&b=2"}});
        assert_eq!(
            render("{{#post}}{{url}}{{/post}}", external),
            "https://elsewhere.org/x?a=1&amp;b=2"
        );
    }

    #[test]
    fn page_url_builds_listing_pages() {
        let data = json!({"pagination": {"page": 2, "next": 3, "prev": 1}});
        assert_eq!(
            render(
                "{{page_url pagination.next}} {{page_url 1}} {{page_url \"prev\"}}",
                data
            ),
            "/tag/news/page/3/ /tag/news/ /tag/news/"
        );
    }

    #[test]
    fn img_url_points_at_the_themes_sizes() {
        let data = json!({
            "i": "http://localhost:2368/content/images/2026/11/a.jpg",
            "ext": "https://static.ghost.org/cover.jpg",
            "$image_sizes": {"m": {"width": 600}},
        });
        assert_eq!(
            render(
                r#"{{img_url i size="m"}} {{img_url i size="m" format="webp"}} {{img_url ext size="m"}}"#,
                data
            ),
            "/content/images/size/w600/2026/11/a.jpg /content/images/size/w600/format/webp/2026/11/a.jpg https://static.ghost.org/cover.jpg"
        );
    }

    #[test]
    fn img_url_keeps_the_original() {
        assert_eq!(
            render(
                r#"{{img_url i size="m"}}"#,
                json!({"i": "http://localhost:2368/content/images/a.jpg"})
            ),
            "/content/images/a.jpg"
        );
    }
}
