//! `{{#next_post}}…{{else}}…{{/next_post}}` and `{{#prev_post in="primary_tag"}}`: inside a
//! post, the post published just after (next) or just before (prev) it, optionally within its
//! `primary_tag`, `primary_author` or `author`, as Ghost finds them. The neighbour is fetched
//! like a `{{#get}}` query (see [`crate::data_query`]); without one, or outside a published
//! post, the `{{else}}` renders.

use handlebars::{
    BlockParams, Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext,
    Renderable,
};
use serde_json::Value as Json;

use super::get::render_in;
use super::{hash_text, root, this};
use crate::data_query::{DataQuery, note_missing};

/// Which neighbour: `next_post` is the newer one, `prev_post` the older.
pub(crate) struct AdjacentPost {
    pub newer: bool,
}

impl HelperDef for AdjacentPost {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let post = |field: &str| this(ctx, rc, field).clone();
        let neighbour = match self.query(h, &post) {
            Some(query) => match root(ctx, "$get").get(query.key()) {
                Some(result) => result["posts"].get(0).cloned(),
                None => {
                    note_missing(query);
                    return Ok(());
                }
            },
            None => None,
        };
        match (neighbour, h.template()) {
            (Some(found), Some(template)) => {
                render_in(template, found, BlockParams::new(), r, ctx, rc, out)
            }
            _ => match h.inverse() {
                Some(inverse) => inverse.render(r, ctx, rc, out),
                None => Ok(()),
            },
        }
    }
}

impl AdjacentPost {
    /// Ghost's query for the neighbour of the post whose fields `post` reads; `None` outside
    /// a published post.
    fn query(&self, h: &Helper<'_>, post: &dyn Fn(&str) -> Json) -> Option<DataQuery> {
        let slug = post("slug");
        let published_at = post("published_at");
        let (Some(slug), Some(published_at)) = (slug.as_str(), published_at.as_str()) else {
            return None;
        };
        let (op, order) = if self.newer {
            (">", "asc")
        } else {
            ("<=", "desc")
        };
        let mut filter = format!(
            "slug:-{}+published_at:{op}{}",
            quote(slug),
            quote(published_at)
        );
        let within = hash_text(h, "in");
        if let Some(within @ ("primary_tag" | "primary_author" | "author")) = within.as_deref() {
            // `author` is Ghost's old name for the primary author.
            let field = if within == "primary_tag" {
                "primary_tag"
            } else {
                "primary_author"
            };
            if let Some(owner) = post(field)["slug"].as_str() {
                filter.push_str(&format!("+{within}:{}", quote(owner)));
            }
        }
        Some(DataQuery {
            resource: "posts".to_owned(),
            filter: Some(filter),
            limit: Some("1".to_owned()),
            order: Some(format!("published_at {order}")),
            page: None,
            include: Some("authors,tags".to_owned()),
        })
    }
}

/// A value quoted for NQL, so slugs and dates are taken literally.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::data_query::collecting;
    use crate::helpers::testing::render;

    const TEMPLATE: &str = r#"{{#post}}{{#prev_post in="primary_tag"}}<a href="{{url}}">{{title}}</a>{{else}}first{{/prev_post}}{{/post}}"#;

    fn post() -> serde_json::Value {
        json!({"slug": "b", "published_at": "2025-09-08T13:30:00.000+03:00", "primary_tag": {"slug": "news"}})
    }

    #[test]
    fn asks_for_the_older_post_in_the_same_section() {
        let (html, missing) = collecting(|| render(TEMPLATE, json!({"post": post()})));
        assert_eq!(html, "");
        assert_eq!(
            missing[0].filter.as_deref(),
            Some("slug:-'b'+published_at:<='2025-09-08T13:30:00.000+03:00'+primary_tag:'news'")
        );
        assert_eq!(missing[0].order.as_deref(), Some("published_at desc"));
        assert_eq!(missing[0].limit.as_deref(), Some("1"));
    }

    #[test]
    fn renders_the_neighbour_or_else() {
        let (_, missing) = collecting(|| render(TEMPLATE, json!({"post": post()})));
        let key = missing[0].key();
        let found = json!({"posts": [{"title": "A", "url": "/a/"}]});
        let data = json!({"post": post(), "$get": {key.clone(): found}});
        assert_eq!(render(TEMPLATE, data), r#"<a href="/a/">A</a>"#);
        let none = json!({"post": post(), "$get": {key: {"posts": []}}});
        assert_eq!(render(TEMPLATE, none), "first");
        // A draft preview has no publication date: no neighbour, no query.
        let (html, missing) = collecting(|| render(TEMPLATE, json!({"post": {"slug": "b"}})));
        assert_eq!((html.as_str(), missing.len()), ("first", 0));
    }
}
