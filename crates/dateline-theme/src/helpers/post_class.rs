//! `{{post_class}}`: Ghost's classes for a post card or article, in Ghost's order: `post`,
//! `tag-{slug}` for each tag, `featured` and `no-image`, so themes can style by section.
//! Ghost 5 no longer adds `page` for static pages (their legacy `page` flag is gone from its
//! front end), and neither does Dateline, so page styles written for Ghost 5 apply the same.

use handlebars::{Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, ScopedJson};
use serde_json::Value as Json;

use super::{text, this};

pub(crate) struct PostClass;

impl HelperDef for PostClass {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let mut classes = vec!["post".to_owned()];
        if let Some(tags) = this(ctx, rc, "tags").as_array() {
            classes.extend(
                tags.iter()
                    .filter_map(|t| t["slug"].as_str())
                    .map(|slug| format!("tag-{slug}")),
            );
        }
        if this(ctx, rc, "featured") == &Json::Bool(true) {
            classes.push("featured".to_owned());
        }
        if this(ctx, rc, "feature_image").is_null() {
            classes.push("no-image".to_owned());
        }
        text(classes.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn ghost_classes() {
        let data = json!({"post": {"featured": true, "page": false, "feature_image": null,
            "tags": [{"slug": "news"}, {"slug": "world"}]}});
        assert_eq!(
            render("{{#post}}{{post_class}}{{/post}}", data),
            "post tag-news tag-world featured no-image"
        );
    }
}
