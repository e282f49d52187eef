//! `{{subscribe_form}}`: the email sign-up form of Ghost 1.x and 2.x themes (Casper before
//! 3.0 puts one under every story and in an overlay), kept for them. Ghost posted it to its
//! old subscribers app; here it is a members form (`data-members-form`), which Dateline's
//! members script sends to the sign-up endpoint, with Ghost's markup and class options so the
//! theme's styles apply.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};

use super::{hash_flag, hash_text};
use crate::html::escape;

pub(crate) struct SubscribeForm;

impl HelperDef for SubscribeForm {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let option = |key| escape(&hash_text(h, key).unwrap_or_default());
        let autofocus = if hash_flag(h, "autofocus") {
            " autofocus"
        } else {
            ""
        };
        out.write(&format!(
            "<form data-members-form=\"subscribe\" id=\"{form_id}\" class=\"{form_class}\">\
             <div class=\"form-group\"><input data-members-email id=\"{input_id}\" \
             class=\"subscribe-email {input_class}\" type=\"email\" name=\"email\" \
             placeholder=\"{placeholder}\" required{autofocus} /></div>\
             <button id=\"{button_id}\" class=\"{button_class}\" type=\"submit\">\
             <span>Subscribe</span></button></form>",
            form_id = option("form_id"),
            form_class = option("form_class"),
            input_id = option("input_id"),
            input_class = option("input_class"),
            placeholder = option("placeholder"),
            button_id = option("button_id"),
            button_class = option("button_class"),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn prints_a_members_form_with_the_themes_options() {
        assert_eq!(
            render(
                r#"{{subscribe_form placeholder="you@example.com" form_class="f" button_class="b" autofocus="true"}}"#,
                json!({})
            ),
            "<form data-members-form=\"subscribe\" id=\"\" class=\"f\"><div class=\"form-group\">\
             <input data-members-email id=\"\" class=\"subscribe-email \" type=\"email\" \
             name=\"email\" placeholder=\"you@example.com\" required autofocus /></div>\
             <button id=\"\" class=\"b\" type=\"submit\"><span>Subscribe</span></button></form>"
        );
    }
}
