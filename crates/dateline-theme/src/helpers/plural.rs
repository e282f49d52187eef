//! `{{plural pagination.total empty="No posts" singular="% post" plural="% posts"}}`: a count in
//! words. The strings come from the theme, which Ghost trusts with markup, so they are printed
//! as written.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};

use super::hash_text;

pub(crate) struct Plural;

impl HelperDef for Plural {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let count = h.param(0).and_then(|p| match p.value() {
            serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
            value => value.as_f64(),
        });
        let Some(count) = count else { return Ok(()) };
        let (key, fallback) = if count == 0.0 {
            ("empty", "")
        } else if count == 1.0 {
            ("singular", "%")
        } else {
            ("plural", "%")
        };
        let template = hash_text(h, key).unwrap_or_else(|| fallback.to_owned());
        out.write(&template.replace('%', &count.to_string()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn picks_the_form() {
        let t = r#"{{plural n empty="No posts" singular="% post" plural="% posts"}}"#;
        assert_eq!(render(t, json!({"n": 0})), "No posts");
        assert_eq!(render(t, json!({"n": 1})), "1 post");
        assert_eq!(render(t, json!({"n": 12})), "12 posts");
        assert_eq!(render(t, json!({"n": "3"})), "3 posts");
    }
}
