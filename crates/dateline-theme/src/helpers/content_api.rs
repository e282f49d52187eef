//! `{{content_api_url}}` and `{{content_api_key}}`: where a theme's own scripts (search, "load
//! more", related posts) reach the site's Content API, and the key they send, printed as Ghost
//! prints them (unescaped, as Ghost's `SafeString`).
//!
//! The key is the site's frontend key, which Ghost keeps on an internal integration for exactly
//! this and which is public by design; the caller puts it in the page data (see
//! [`crate::SiteContext::with_content_api_key`]). Without one the helper prints nothing, as
//! Ghost does when it finds no key.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};
use serde_json::Value as Json;

use super::{page_value, site_url};

/// The Content API's path below the site (Dateline, like Ghost 5+, has no version in it).
pub(crate) const CONTENT_API_PATH: &str = "/ghost/api/content/";

/// `{{content_api_url}}` (absolute, the default) or `{{content_api_url absolute="false"}}`.
pub(crate) struct ContentApiUrl;

impl HelperDef for ContentApiUrl {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        // Ghost's test: only a missing, null or true `absolute` keeps the URL absolute.
        let absolute = match h.hash_get("absolute").map(|v| v.value()) {
            None | Some(Json::Null | Json::Bool(true)) => true,
            Some(Json::String(s)) => s == "true",
            Some(_) => false,
        };
        let site = site_url(ctx);
        let url = site.join(CONTENT_API_PATH);
        out.write(if absolute { &url } else { site.relative(&url) })?;
        Ok(())
    }
}

/// `{{content_api_key}}`.
pub(crate) struct ContentApiKey;

impl HelperDef for ContentApiKey {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        if let Some(key) = page_value(ctx, "content_api_key").as_str() {
            out.write(key)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn the_content_api_url_is_absolute_unless_asked_otherwise() {
        let template = r#"{{content_api_url}}|{{content_api_url absolute=true}}|{{content_api_url absolute="false"}}|{{content_api_url absolute=false}}"#;
        assert_eq!(
            render(template, json!({})),
            "http://localhost:2368/ghost/api/content/|http://localhost:2368/ghost/api/content/|/ghost/api/content/|/ghost/api/content/"
        );
        let subdirectory = json!({"$site": {"url": "https://example.com/news"}});
        assert_eq!(
            render(template, subdirectory),
            "https://example.com/news/ghost/api/content/|https://example.com/news/ghost/api/content/|/news/ghost/api/content/|/news/ghost/api/content/"
        );
    }

    #[test]
    fn the_content_api_key_is_the_pages_frontend_key() {
        let data = json!({"$render": {"content_api_key": "0123456789abcdef0123456789"}});
        assert_eq!(
            render(r#"<div data-key="{{content_api_key}}"></div>"#, data),
            r#"<div data-key="0123456789abcdef0123456789"></div>"#
        );
        assert_eq!(render("[{{content_api_key}}]", json!({})), "[]");
    }
}
