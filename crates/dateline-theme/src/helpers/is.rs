//! `{{#is "home, paged"}}…{{else}}…{{/is}}`: whether the page is one of Ghost's contexts
//! (`home`, `index`, `paged`, `post`, `page`, `tag`, `author`, `error`).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
    Renderable,
};

use super::{list, page_value};

pub(crate) struct Is;

impl HelperDef for Is {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let wanted = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        let contexts = page_value(ctx, "context").as_array();
        let matches = contexts.is_some_and(|contexts| {
            list(&wanted).any(|name| contexts.iter().any(|c| c.as_str() == Some(name)))
        });
        let branch = if matches { h.template() } else { h.inverse() };
        match branch {
            Some(template) => template.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn tests_the_page_contexts() {
        let data = json!({"$render": {"context": ["paged", "index"]}});
        let t = r#"{{#is "home"}}H{{else}}not home{{/is}} {{#is "post, paged"}}P{{/is}}"#;
        assert_eq!(render(t, data), "not home P");
    }
}
