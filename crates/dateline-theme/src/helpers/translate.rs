//! `{{t "Read more"}}`: Ghost's theme translation helper. Dateline has no theme translations
//! yet, so the text passes through, with `{name}` placeholders filled from the arguments
//! (`{{t "Page {page} of {pages}" page=1 pages=3}}`) as Ghost fills them.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonRender, RenderContext, RenderError, ScopedJson,
};

use super::text;

pub(crate) struct Translate;

impl HelperDef for Translate {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let mut message = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        for (key, value) in h.hash() {
            message = message.replace(&format!("{{{key}}}"), &value.value().render());
        }
        text(message)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn passes_text_through_with_placeholders() {
        assert_eq!(render(r#"{{t "Read more"}}"#, json!({})), "Read more");
        assert_eq!(
            render(
                r#"{{t "Page {page} of {pages}" page=2 pages=pagination.pages}}"#,
                json!({"pagination": {"pages": 5}})
            ),
            "Page 2 of 5"
        );
        assert_eq!(render(r#"{{t "<b>"}}"#, json!({})), "&lt;b&gt;");
    }
}
