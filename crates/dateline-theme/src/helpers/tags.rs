//! `{{tags}}`: the current post's public tags as links, like Ghost's helper (`separator`,
//! `prefix`, `suffix`, `autolink="false"`, `visibility="all"`, `from`, `to`, `limit`).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
};
use serde_json::Value as Json;

use super::{hash_number, hash_text, list, site_url, this};
use crate::html::escape;

pub(crate) struct Tags;

impl HelperDef for Tags {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(tags) = this(ctx, rc, "tags").as_array() else {
            return Ok(());
        };
        let visibility = hash_text(h, "visibility").unwrap_or_else(|| "public".to_owned());
        let allowed: Vec<&str> = list(&visibility).collect();
        let visible: Vec<&Json> = tags
            .iter()
            .filter(|t| {
                let own = t["visibility"].as_str().unwrap_or("public");
                allowed.contains(&"all") || allowed.contains(&own)
            })
            .collect();
        let autolink = hash_text(h, "autolink").is_none_or(|v| v != "false");
        let site = site_url(ctx);
        let length = i64::try_from(visible.len()).unwrap_or(i64::MAX);
        let from = hash_number(h, "from").unwrap_or(1).max(1);
        let mut to = hash_number(h, "to").unwrap_or(length);
        if let Some(limit) = hash_number(h, "limit") {
            to = to.min(from - 1 + limit);
        }
        let shown: Vec<String> = (1..)
            .zip(visible)
            .filter(|(n, _)| *n >= from && *n <= to)
            .map(|(_, tag)| {
                let name = escape(&tag["name"].render());
                if autolink {
                    let url = site.relative(tag["url"].as_str().unwrap_or("")).to_owned();
                    format!("<a href=\"{}\">{name}</a>", escape(&url))
                } else {
                    name
                }
            })
            .collect();
        if shown.is_empty() {
            return Ok(());
        }
        let separator = hash_text(h, "separator").unwrap_or_else(|| ", ".to_owned());
        let prefix = hash_text(h, "prefix").unwrap_or_default();
        let suffix = hash_text(h, "suffix").unwrap_or_default();
        out.write(&format!("{prefix}{}{suffix}", shown.join(&separator)))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn links_public_tags() {
        let data = json!({"post": {"tags": [
            {"name": "#internal", "visibility": "internal", "url": "http://localhost:2368/404/"},
            {"name": "News", "visibility": "public", "url": "http://localhost:2368/tag/news/"},
            {"name": "World", "visibility": "public", "url": "http://localhost:2368/tag/world/"},
        ]}});
        assert_eq!(
            render("{{#post}}{{tags}}{{/post}}", data.clone()),
            r#"<a href="/tag/news/">News</a>, <a href="/tag/world/">World</a>"#
        );
        assert_eq!(
            render(
                r#"{{#post}}{{tags autolink="false" separator=" · " prefix="In " limit=1}}{{/post}}"#,
                data
            ),
            "In News"
        );
    }
}
