//! `{{t "Read more"}}`: Ghost's theme translation helper. The text is looked up in the theme's
//! `locales/<site language>.json` (falling back to `en`) and passes through when it is not
//! there; `{name}` placeholders are filled from the arguments
//! (`{{t "Page {page} of {pages}" page=1 pages=3}}`) as Ghost fills them.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonRender, RenderContext, RenderError, ScopedJson,
};

use super::{root, text};

pub(crate) struct Translate;

impl HelperDef for Translate {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let key = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        let mut message = match root(ctx, "$locale").get(&key).and_then(|t| t.as_str()) {
            Some(translated) if !translated.is_empty() => translated.to_owned(),
            _ => key,
        };
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

    #[test]
    fn translates_with_the_themes_locale() {
        let data =
            json!({"$locale": {"Read more": "اقرأ المزيد", "{n} posts": "{n} مقالات", "Empty": ""}});
        assert_eq!(
            render(
                r#"{{t "Read more"}}|{{t "{n} posts" n=3}}|{{t "Empty"}}"#,
                data
            ),
            "اقرأ المزيد|3 مقالات|Empty"
        );
    }
}
