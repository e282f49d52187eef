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

pub(crate) struct MetaTitle;

impl HelperDef for MetaTitle {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        text(page_value(ctx, "meta_title").render())
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
}
