//! `{{json value}}` and `{{json key=value …}}` (Ghost 6.23): the value, or the hash arguments
//! as an object, as JSON a theme can put inside `<script>`: `<`, `>`, `&` and the two
//! JavaScript line separators are escaped, as Ghost escapes them, and the output is not
//! HTML-escaped.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};
use serde_json::Value as Json;

pub(crate) struct ToJson;

impl HelperDef for ToJson {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let value = if h.hash().is_empty() {
            h.param(0).map_or(Json::Null, |p| p.value().clone())
        } else {
            Json::Object(
                h.hash()
                    .iter()
                    .map(|(key, value)| ((*key).to_owned(), value.value().clone()))
                    .collect(),
            )
        };
        let mut text = String::new();
        for c in value.to_string().chars() {
            match c {
                '<' => text.push_str("\\u003C"),
                '>' => text.push_str("\\u003E"),
                '&' => text.push_str("\\u0026"),
                '\u{2028}' => text.push_str("\\u2028"),
                '\u{2029}' => text.push_str("\\u2029"),
                c => text.push(c),
            }
        }
        out.write(&text)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn prints_script_safe_json_unescaped() {
        let data = json!({"post": {"title": "</script> & more\u{2028}"}, "n": 3});
        assert_eq!(
            render(
                "{{json post}}|{{json n}}|{{json missing}}|{{json size=n}}",
                data
            ),
            r#"{"title":"\u003C/script\u003E \u0026 more\u2028"}|3|null|{"size":3}"#
        );
    }
}
