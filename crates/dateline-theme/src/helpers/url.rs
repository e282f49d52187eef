//! Link helpers. View models hold absolute URLs; like Ghost, `{{url}}`, `{{img_url}}` and
//! `{{page_url}}` print them site-relative (`/news/slug/`) unless asked for `absolute="true"`,
//! so a page works behind any host name the proxy serves it on.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
};

use super::{hash_flag, page_value, site_url, this, write_url};

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

/// `{{img_url feature_image}}`: an image URL. Sized variants (`size="m"`) need the image
/// service, so every size is the original for now.
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
