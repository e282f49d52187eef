//! `{{authors}}`: the current post's authors as links, joined like Ghost's helper
//! (`separator=", "`, `prefix`, `suffix`, `autolink="false"`, `from`, `to`, `limit`).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
};

use super::{hash_number, hash_text, site_url, this};
use crate::html::escape;

pub(crate) struct Authors;

impl HelperDef for Authors {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(authors) = this(ctx, rc, "authors").as_array() else {
            return Ok(());
        };
        let autolink = hash_text(h, "autolink").is_none_or(|v| v != "false");
        let separator = hash_text(h, "separator").unwrap_or_else(|| ", ".to_owned());
        let site = site_url(ctx);
        let length = i64::try_from(authors.len()).unwrap_or(i64::MAX);
        let from = hash_number(h, "from").unwrap_or(1).max(1);
        let mut to = hash_number(h, "to").unwrap_or(length);
        if let Some(limit) = hash_number(h, "limit") {
            to = to.min(from - 1 + limit);
        }
        let shown: Vec<String> = (1..)
            .zip(authors)
            .filter(|(n, _)| *n >= from && *n <= to)
            .map(|(_, author)| {
                let name = escape(&author["name"].render());
                if autolink {
                    let url = site
                        .relative(author["url"].as_str().unwrap_or(""))
                        .to_owned();
                    format!("<a href=\"{}\">{name}</a>", escape(&url))
                } else {
                    name
                }
            })
            .collect();
        if shown.is_empty() {
            return Ok(());
        }
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
    fn links_each_author() {
        let data = json!({"post": {"authors": [
            {"name": "A & B", "url": "http://localhost:2368/author/a/"},
            {"name": "C", "url": "http://localhost:2368/author/c/"},
        ]}});
        assert_eq!(
            render("{{#post}}{{authors}}{{/post}}", data.clone()),
            r#"<a href="/author/a/">A &amp; B</a>, <a href="/author/c/">C</a>"#
        );
        assert_eq!(
            render(
                r#"{{#post}}{{authors autolink="false" separator=" and " limit=1}}{{/post}}"#,
                data
            ),
            "A &amp; B"
        );
    }
}
