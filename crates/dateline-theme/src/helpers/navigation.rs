//! `{{navigation}}` and `{{pagination}}`: Ghost's helpers that render the theme's `navigation`
//! and `pagination` partials (or the engine's defaults) with prepared data, so every theme gets
//! the current link marked and the page links computed the same way.

use dateline_core::slug::slugify;
use handlebars::{
    BlockContext, Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext,
    Renderable,
};
use serde_json::{Value as Json, json};

use super::{hash_text, page_value, root};

pub(crate) struct Navigation;

impl HelperDef for Navigation {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let secondary = hash_text(h, "type").as_deref() == Some("secondary");
        let key = if secondary {
            "secondary_navigation"
        } else {
            "navigation"
        };
        let current = page_value(ctx, "url")
            .as_str()
            .map(|url| url.trim_end_matches('/'));
        let items: Vec<Json> = root(ctx, "$site")[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|item| {
                let label = item["label"].as_str().unwrap_or("");
                let url = item["url"].as_str().unwrap_or("");
                let slug = match item["slug"].as_str() {
                    Some(slug) => slug.to_owned(),
                    None => slugify(label),
                };
                json!({
                    "label": label,
                    "url": url,
                    "slug": slug,
                    "current": current == Some(url.trim_end_matches('/')),
                })
            })
            .collect();
        if items.is_empty() {
            return Ok(());
        }
        let data = json!({
            "navigation": items,
            "isHeader": !secondary,
            "isSecondary": secondary,
        });
        render_partial("navigation", data, r, ctx, rc, out)
    }
}

pub(crate) struct Pagination;

impl HelperDef for Pagination {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        match root(ctx, "pagination") {
            pagination @ Json::Object(_) => {
                render_partial("pagination", pagination.clone(), r, ctx, rc, out)
            }
            _ => Ok(()),
        }
    }
}

/// Renders the partial `name` with `data` as its context.
fn render_partial<'reg: 'rc, 'rc>(
    name: &str,
    data: Json,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
) -> HelperResult {
    let Some(template) = r.get_template(name) else {
        return Ok(());
    };
    let mut block = BlockContext::new();
    block.set_base_value(data);
    let template_before = rc.get_current_template_name();
    rc.push_block(block);
    let result = template.render(r, ctx, rc, out);
    rc.pop_block();
    rc.set_current_template_name(template_before);
    result
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn marks_the_current_link() {
        let html = render("{{navigation}}", json!({}));
        assert!(
            html.contains(r#"<li class="nav-home"><a href="http://localhost:2368/">Home</a></li>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<li class="nav-about-us nav-current"><a href="http://localhost:2368/about/" aria-current="page">About us</a></li>"#),
            "{html}"
        );
        assert_eq!(render(r#"{{navigation type="secondary"}}"#, json!({})), "");
    }

    #[test]
    fn pagination_links_to_neighbour_pages() {
        let html = render(
            "{{pagination}}",
            json!({"pagination": {"page": 2, "pages": 3, "prev": 1, "next": 3}}),
        );
        assert!(html.contains(r#"href="/tag/news/" rel="prev""#), "{html}");
        assert!(
            html.contains(r#"href="/tag/news/page/3/" rel="next""#),
            "{html}"
        );
        assert!(html.contains("Page 2 of 3"), "{html}");
    }
}
