//! `{{content}}` and `{{excerpt}}`: the current post's body as HTML, and its excerpt as text cut
//! to `words` (Ghost's default is 50) or `characters` by Ghost's rules ([`crate::downsize`]).
//!
//! A post the reader may not read (`access: false`) renders the `content-cta` partial instead,
//! in the post's own context, as Ghost does: the theme's when it has one, else the built-in
//! one (`engine/defaults/content-cta.hbs`), which prints the public preview and a sign-up box.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
    RenderError, RenderErrorReason, Renderable, ScopedJson,
};

use super::{hash_number, text, this};
use crate::downsize::{Cut, excerpt};

/// The partial Ghost renders in place of a closed post's body.
pub(crate) const CALL_TO_ACTION: &str = "content-cta";

/// Ghost's `{{excerpt}}` length when a theme gives none.
const DEFAULT_EXCERPT_WORDS: usize = 50;

pub(crate) struct Content;

impl HelperDef for Content {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        // Only an explicit `false` closes the body: data without `access` is content a theme
        // put together itself.
        if this(ctx, rc, "access").as_bool() == Some(false) {
            let template = rc
                .get_partial(CALL_TO_ACTION)
                .or_else(|| r.get_template(CALL_TO_ACTION))
                .ok_or_else(|| RenderErrorReason::PartialNotFound(CALL_TO_ACTION.to_owned()))?;
            return template.render(r, ctx, rc, out);
        }
        let html = this(ctx, rc, "html");
        out.write(&html.render())?;
        Ok(())
    }
}

pub(crate) struct Excerpt;

impl HelperDef for Excerpt {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        // A custom excerpt is shown whole, whatever the theme asks (Ghost cuts it at its own
        // length); the generated one is cut as Ghost cuts it.
        let custom = this(ctx, rc, "custom_excerpt").render();
        let cut = if custom.trim().is_empty() {
            let size = match hash_number(h, "characters").and_then(|n| usize::try_from(n).ok()) {
                Some(characters) => Cut::Characters(characters),
                None => Cut::Words(
                    hash_number(h, "words")
                        .and_then(|n| usize::try_from(n).ok())
                        .unwrap_or(DEFAULT_EXCERPT_WORDS),
                ),
            };
            excerpt(&this(ctx, rc, "excerpt").render(), size)
        } else {
            custom
        };
        text(cut)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn content_is_raw_html() {
        let data = json!({"post": {"html": "<p>A &amp; B</p>"}});
        assert_eq!(
            render("{{#post}}{{content}}{{/post}}", data),
            "<p>A &amp; B</p>"
        );
    }

    #[test]
    fn excerpt_prefers_the_custom_one_whole_and_cuts_the_generated_one() {
        let data = json!({"post": {"custom_excerpt": "One two <three>", "excerpt": "x"}});
        assert_eq!(
            render("{{#post}}{{excerpt}}{{/post}}", data.clone()),
            "One two &lt;three&gt;"
        );
        assert_eq!(
            render(r#"{{#post}}{{excerpt words="2"}}{{/post}}"#, data),
            "One two &lt;three&gt;"
        );
        let generated =
            json!({"post": {"custom_excerpt": null, "excerpt": "One * two\n\nthree four"}});
        assert_eq!(
            render(
                r#"{{#post}}{{excerpt words="2"}}{{/post}}"#,
                generated.clone()
            ),
            "One * two"
        );
        assert_eq!(
            render(
                r#"{{#post}}{{excerpt characters="5"}}{{/post}}"#,
                generated.clone()
            ),
            "One *"
        );
        assert_eq!(
            render("{{#post}}{{excerpt}}{{/post}}", generated),
            "One * two\n\nthree four"
        );
    }
}
