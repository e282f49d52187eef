//! `{{lang}}`: the language of what is shown, for `<html lang="{{lang}}">`: the current
//! story's when it has one (Dateline stories carry their language), else the site's locale,
//! which is all Ghost's helper prints.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonRender, RenderContext, RenderError, ScopedJson,
};

use super::{root, text, this};

pub(crate) struct Lang;

impl HelperDef for Lang {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let own = this(ctx, rc, "lang");
        let lang = if own.is_string() {
            own.render()
        } else {
            root(ctx, "$site")["locale"].render()
        };
        text(lang)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn the_storys_language_else_the_sites() {
        let data = json!({"posts": [{"lang": "ar"}, {}]});
        assert_eq!(
            render("{{lang}}|{{#foreach posts}}{{lang}};{{/foreach}}", data),
            "en|ar;en;"
        );
    }
}
