//! `{{reading_time}}`: "2 min read", from the post's `reading_time`. Ghost prints "1 min read"
//! for anything under two minutes, 0 included; `minute` and `minutes` change the wording
//! (the built-in theme passes its translations), and the number is written in the digits of
//! the post's language.

use handlebars::{Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, ScopedJson};

use super::date::language;
use super::{hash_text, text, this};
use crate::moment::localise_digits;

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
        let wording = if minutes <= 1 {
            hash_text(h, "minute").unwrap_or_else(|| "1 min read".to_owned())
        } else {
            let template = hash_text(h, "minutes").unwrap_or_else(|| "% min read".to_owned());
            template.replace('%', &minutes.to_string())
        };
        text(localise_digits(wording, language(ctx, rc)))
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
        assert_eq!(
            render(
                r#"{{#post}}{{reading_time minutes="خواندن در % دقیقه"}}{{/post}}"#,
                json!({"post": {"reading_time": 12, "lang": "fa"}})
            ),
            "خواندن در ۱۲ دقیقه"
        );
    }
}
