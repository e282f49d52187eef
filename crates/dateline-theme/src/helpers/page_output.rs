//! Helpers that print what the engine computed for the whole page before rendering:
//! `{{ghost_head}}`, `{{ghost_foot}}`, `{{meta_title}}`, `{{meta_description}}` and
//! `{{body_class}}` (see [`crate::head`] and [`crate::page`]).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
    RenderError, ScopedJson,
};

use super::{page_value, text};

/// Prints markup the engine built and escaped itself.
fn write_markup(ctx: &Context, key: &str, out: &mut dyn Output) -> HelperResult {
    out.write(&page_value(ctx, key).render())?;
    Ok(())
}

pub(crate) struct GhostHead;

impl HelperDef for GhostHead {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        write_markup(ctx, "ghost_head", out)
    }
}

pub(crate) struct GhostFoot;

impl HelperDef for GhostFoot {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        write_markup(ctx, "ghost_foot", out)
    }
}

pub(crate) struct BodyClass;

impl HelperDef for BodyClass {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        out.write(&handlebars::html_escape(
            &page_value(ctx, "body_class").render(),
        ))?;
        Ok(())
    }
}

/// `{{meta_title}}`, and `{{meta_title page=" – page %"}}`: on a later page of a listing the
/// theme's words (`%` standing for the number, as Ghost replaces it) end the title instead of
/// Ghost's ` (Page N)`.
pub(crate) struct MetaTitle;

impl HelperDef for MetaTitle {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let paged = page_value(ctx, "meta_title_paged");
        let wording = h.hash_get("page").map(|v| v.value().render());
        match (wording, paged["base"].as_str(), paged["page"].as_u64()) {
            (Some(wording), Some(base), Some(page)) => {
                let title = format!("{base}{}", wording.replacen('%', &page.to_string(), 1));
                text(title.trim())
            }
            _ => text(page_value(ctx, "meta_title").render()),
        }
    }
}

pub(crate) struct MetaDescription;

impl HelperDef for MetaDescription {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        text(page_value(ctx, "meta_description").render())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn prints_page_values() {
        let data = json!({"$render": {
            "ghost_head": "<meta name=\"x\" content=\"y\">",
            "ghost_foot": "<script></script>",
            "meta_title": "A & B",
            "meta_description": null,
            "body_class": "post-template tag-news",
        }});
        assert_eq!(
            render(
                "{{ghost_head}}|{{ghost_foot}}|{{meta_title}}|{{meta_description}}|{{body_class}}",
                data
            ),
            "<meta name=\"x\" content=\"y\">|<script></script>|A &amp; B||post-template tag-news"
        );
    }

    #[test]
    fn a_themes_page_wording_replaces_ghosts_on_later_pages_only() {
        let later = json!({"$render": {
            "meta_title": "News - The New Region (Page 2)",
            "meta_title_paged": {"base": "News - The New Region", "page": 2},
        }});
        let template = r#"{{meta_title page=" – page %"}}|{{meta_title}}"#;
        assert_eq!(
            render(template, later),
            "News - The New Region – page 2|News - The New Region (Page 2)"
        );
        let first =
            json!({"$render": {"meta_title": "News - The New Region", "meta_title_paged": null}});
        assert_eq!(
            render(template, first),
            "News - The New Region|News - The New Region"
        );
    }
}
