//! `{{t "Read more"}}`: Ghost's theme translation helper. The text is looked up in the theme's
//! `locales/<page language>.json` (the story's on an article, the site's elsewhere; falling
//! back to `en`) and passes through when it is not there; `{name}` placeholders are filled
//! from the arguments (`{{t "Page {page} of {pages}" page=1 pages=3}}`) as Ghost fills them,
//! numbers in the digits of the language.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonRender, RenderContext, RenderError, ScopedJson,
};

use super::date::language;
use super::{root, text};
use crate::moment::localise_digits;

pub(crate) struct Translate;

impl HelperDef for Translate {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let key = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        let mut message = match root(ctx, "$locale").get(&key).and_then(|t| t.as_str()) {
            Some(translated) if !translated.is_empty() => translated.to_owned(),
            _ => key,
        };
        for (key, value) in h.hash() {
            let value = match value.value() {
                number @ serde_json::Value::Number(_) => {
                    localise_digits(number.render(), language(ctx, rc))
                }
                other => other.render(),
            };
            message = message.replace(&format!("{{{key}}}"), &value);
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
        let persian = json!({"$page": {"lang": "fa"}, "$locale": {"Page {page} of {pages}": "صفحه‌ی {page} از {pages}"}});
        assert_eq!(
            render(r#"{{t "Page {page} of {pages}" page=2 pages=12}}"#, persian),
            "صفحه‌ی ۲ از ۱۲"
        );
    }
}
