//! `{{#collection "featured" limit="5" as |posts pages|}}…{{else}}…{{/collection}}` (Ghost 6):
//! a block over posts, shaped as `{{#get "posts"}}`'s (`posts`, `meta.pagination`, the same
//! block parameters) and fetched the same way (see [`crate::data_query`]).
//!
//! Ghost 6.65 takes only `limit` from the call (`"all"` or none means 3) and passes the slug to
//! its posts query, which no longer has collections to read it: every collection is the latest
//! posts, without tags or authors unless a later Ghost includes them. Dateline answers the same.
//! Called without a block, it prints nothing, as Ghost does.

use handlebars::{Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext};

use super::get::render_query;
use super::hash_text;
use crate::data_query::DataQuery;

/// How many posts a collection block shows when the call gives no usable `limit`.
const DEFAULT_LIMIT: &str = "3";

pub(crate) struct Collection;

impl HelperDef for Collection {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        if h.template().is_none() {
            return Ok(());
        }
        let limit = hash_text(h, "limit")
            .filter(|limit| limit != "all" && !limit.is_empty())
            .unwrap_or_else(|| DEFAULT_LIMIT.to_owned());
        let query = DataQuery {
            resource: "posts".to_owned(),
            filter: None,
            limit: Some(limit),
            order: None,
            page: None,
            include: None,
        };
        render_query(query, h, r, ctx, rc, out)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::data_query::collecting;
    use crate::helpers::testing::render;

    const TEMPLATE: &str = r#"{{#collection "featured" limit=LIMIT as |latest pages|}}{{#foreach latest}}{{title}};{{/foreach}}{{pages.total}}{{else}}none{{/collection}}"#;

    fn queried(limit: &str) -> (String, String) {
        let template = TEMPLATE.replace("LIMIT", limit);
        let (html, missing) = collecting(|| render(&template, json!({})));
        assert_eq!(missing.len(), 1, "{limit}");
        (html, missing[0].key())
    }

    #[test]
    fn asks_for_the_latest_posts_as_ghost_6_does() {
        let (html, key) = queried(r#""5""#);
        assert_eq!(html, "");
        assert_eq!(key, "posts?filter=&limit=5&order=&page=&include=");
        assert_eq!(
            queried(r#""all""#).1,
            "posts?filter=&limit=3&order=&page=&include="
        );
        assert_eq!(
            queried("missing").1,
            "posts?filter=&limit=3&order=&page=&include="
        );
    }

    #[test]
    fn renders_the_posts_it_was_given() {
        let template = TEMPLATE.replace("LIMIT", r#""2""#);
        let key = "posts?filter=&limit=2&order=&page=&include=";
        let data = json!({"$get": {key: {
            "posts": [{"title": "A"}, {"title": "B"}],
            "meta": {"pagination": {"total": 9}},
        }}});
        assert_eq!(render(&template, data), "A;B;9");
        let empty = json!({"$get": {key: {"posts": []}}});
        assert_eq!(render(&template, empty), "none");
        let (html, missing) = collecting(|| render(r#"[{{collection "latest"}}]"#, json!({})));
        assert_eq!((html.as_str(), missing.len()), ("[]", 0));
    }
}
