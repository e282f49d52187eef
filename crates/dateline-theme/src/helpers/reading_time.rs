//! `{{reading_time}}`: "2 min read", from the post's `reading_time`. Ghost prints "1 min read"
//! for anything under two minutes, 0 included; `minute` and `minutes` change the wording.

use handlebars::{Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, ScopedJson};

use super::{hash_text, text, this};

pub(crate) struct ReadingTime;

impl HelperDef for ReadingTime {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let minutes = this(ctx, rc, "reading_time").as_u64().unwrap_or(0);
        if minutes <= 1 {
            text(hash_text(h, "minute").unwrap_or_else(|| "1 min read".to_owned()))
        } else {
            let template = hash_text(h, "minutes").unwrap_or_else(|| "% min read".to_owned());
            text(template.replace('%', &minutes.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn ghost_wording() {
        let t = "{{#post}}{{reading_time}}{{/post}}";
        assert_eq!(
            render(t, json!({"post": {"reading_time": 2}})),
            "2 min read"
        );
        assert_eq!(
            render(t, json!({"post": {"reading_time": 0}})),
            "1 min read"
        );
        assert_eq!(
            render(
                r#"{{#post}}{{reading_time minute="Une minute" minutes="% minutes"}}{{/post}}"#,
                json!({"post": {"reading_time": 7}})
            ),
            "7 minutes"
        );
    }
}
