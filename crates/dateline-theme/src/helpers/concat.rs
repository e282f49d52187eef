//! `{{concat "a" b "c" separator="-"}}` joins its arguments; `{{split "a,b" separator=","}}`
//! cuts text into a list (for `{{#foreach (split …)}}`). Both as in Ghost.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonRender, RenderContext, RenderError, ScopedJson,
};
use serde_json::Value as Json;

use super::{hash_text, text};

pub(crate) struct Concat;

impl HelperDef for Concat {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let separator = hash_text(h, "separator").unwrap_or_default();
        let parts: Vec<String> = h.params().iter().map(|p| p.value().render()).collect();
        text(parts.join(&separator))
    }
}

pub(crate) struct Split;

impl HelperDef for Split {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let source = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        let separator = hash_text(h, "separator").unwrap_or_else(|| ",".to_owned());
        let parts = source
            .split(separator.as_str())
            .map(|part| Json::String(part.to_owned()))
            .collect();
        Ok(ScopedJson::Derived(Json::Array(parts)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn joins_and_splits() {
        let data = json!({"slug": "news"});
        assert_eq!(
            render(
                r#"{{concat "/tag/" slug "/"}} {{concat "a" "b" separator="-"}}"#,
                data
            ),
            "/tag/news/ a-b"
        );
        assert_eq!(
            render(
                r#"{{#foreach (split "x,y,z" separator=",")}}{{this}}{{#unless @last}}|{{/unless}}{{/foreach}}"#,
                json!({})
            ),
            "x|y|z"
        );
    }
}
