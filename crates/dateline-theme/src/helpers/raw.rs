//! `{{{{raw}}}}…{{{{/raw}}}}`: the content printed exactly as written, `{{ }}` and all, as in
//! Ghost. Themes use it to ship client-side templates (a search result card in Handlebars or
//! Mustache syntax) inside a page. The parser already keeps a raw block's content as text (and
//! the template dialect leaves it untranslated); the helper only has to print it.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, Renderable,
};

pub(crate) struct Raw;

impl HelperDef for Raw {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        match h.template() {
            Some(content) => content.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn prints_its_content_untouched() {
        let html = render(
            "<p>{{title}}</p>{{{{raw}}}}<template>{{title}} {{#each results}}<b>{{{name}}}</b>{{/each}}{{> card}}</template>{{{{/raw}}}}<p>{{@site.url}}</p>",
            json!({"title": "A & B"}),
        );
        assert_eq!(
            html,
            "<p>A &amp; B</p><template>{{title}} {{#each results}}<b>{{{name}}}</b>{{/each}}{{> card}}</template><p>http://localhost:2368</p>"
        );
    }
}
