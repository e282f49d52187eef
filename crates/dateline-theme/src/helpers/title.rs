//! `{{title}}`: the title of the post, page, tag or author in context, always HTML-escaped —
//! as Ghost's helper does, so `{{{title}}}` cannot turn a title into markup either.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
};
use serde_json::Value as Json;

use super::this;

pub(crate) struct Title;

impl HelperDef for Title {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        match this(ctx, rc, "title") {
            Json::Null => Ok(()),
            title => {
                out.write(&crate::html::escape(&title.render()))?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn escapes_the_title_in_context_even_unescaped() {
        let data = json!({"post": {"title": "Q&A: <b>bold</b>"}, "posts": [{"title": "One"}]});
        assert_eq!(
            render(
                "{{#post}}{{title}}|{{{title}}}{{/post}}|{{#foreach posts}}{{title}}{{/foreach}}|{{title}}",
                data
            ),
            "Q&amp;A: &lt;b&gt;bold&lt;/b&gt;|Q&amp;A: &lt;b&gt;bold&lt;/b&gt;|One|"
        );
    }
}
