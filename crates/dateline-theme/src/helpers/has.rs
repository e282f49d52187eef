//! `{{#has tag="news"}}…{{/has}}`: tests on the current post and loop position. Supports
//! Ghost's `tag`, `author` (names, or `count:2`, `count:>1`, `count:<3`), `slug`, `id`,
//! `visibility`, `number` and `index` (a number or `nth:3`), `any` and `all` (fields that must
//! be set). As in Ghost, the block renders when any given test passes.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, JsonTruthy, Output,
    RenderContext, Renderable,
};
use serde_json::Value as Json;

use super::{hash_text, list, this};

pub(crate) struct Has;

impl HelperDef for Has {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let passed = passes(h, ctx, rc);
        let branch = if passed { h.template() } else { h.inverse() };
        match branch {
            Some(template) => template.render(r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

fn passes(h: &Helper<'_>, ctx: &Context, rc: &RenderContext<'_, '_>) -> bool {
    let mut results = Vec::new();
    for (key, field) in [("tag", "tags"), ("author", "authors")] {
        if let Some(wanted) = hash_text(h, key) {
            let items = this(ctx, rc, field);
            results.push(has_named(items, &wanted));
        }
    }
    for field in ["slug", "id", "visibility"] {
        if let Some(wanted) = hash_text(h, field) {
            let value = this(ctx, rc, field).render();
            results.push(list(&wanted).any(|w| w.eq_ignore_ascii_case(&value)));
        }
    }
    for (key, local) in [("number", "number"), ("index", "index")] {
        if let Some(wanted) = hash_text(h, key) {
            let position = rc
                .block()
                .and_then(|b| b.get_local_var(local))
                .and_then(Json::as_u64);
            results.push(position.is_some_and(|p| position_matches(p, &wanted)));
        }
    }
    if let Some(fields) = hash_text(h, "any") {
        let mut any = false;
        for field in list(&fields) {
            any |= this(ctx, rc, field).is_truthy(false);
        }
        results.push(any);
    }
    if let Some(fields) = hash_text(h, "all") {
        let mut all = true;
        for field in list(&fields) {
            all &= this(ctx, rc, field).is_truthy(false);
        }
        results.push(all);
    }
    results.into_iter().any(|passed| passed)
}

/// Whether `items` (tags or authors) include one of the names in `wanted`, or, for
/// `count:N`, `count:>N` and `count:<N`, whether there are that many.
fn has_named(items: &Json, wanted: &str) -> bool {
    let items = items.as_array().map(Vec::as_slice).unwrap_or_default();
    if let Some(count) = wanted.trim().strip_prefix("count:") {
        let n = items.len();
        let parse = |s: &str| s.trim().parse::<usize>().ok();
        return match count.trim() {
            c if c.starts_with('>') => parse(&c[1..]).is_some_and(|m| n > m),
            c if c.starts_with('<') => parse(&c[1..]).is_some_and(|m| n < m),
            c => parse(c) == Some(n),
        };
    }
    list(wanted).any(|name| {
        items.iter().any(|item| {
            item["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    })
}

/// `3` (exactly), or `nth:3` (every third).
fn position_matches(position: u64, wanted: &str) -> bool {
    list(wanted).any(|w| match w.strip_prefix("nth:") {
        Some(n) => n
            .parse::<u64>()
            .is_ok_and(|n| n > 0 && position.is_multiple_of(n)),
        None => w.parse() == Ok(position),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn tags_authors_and_fields() {
        let data = json!({"post": {
            "slug": "a", "featured": true, "feature_image": null,
            "tags": [{"name": "News"}, {"name": "World"}],
            "authors": [{"name": "The New Region"}]
        }});
        let t = r#"{{#post}}{{#has tag="news"}}1{{/has}}{{#has tag="sport"}}x{{else}}2{{/has}}{{#has author="the new region"}}3{{/has}}{{#has tag="count:>1"}}4{{/has}}{{#has slug="b, a"}}5{{/has}}{{#has any="feature_image, featured"}}6{{/has}}{{#has all="feature_image, featured"}}x{{else}}7{{/has}}{{/post}}"#;
        assert_eq!(render(t, data), "1234567");
    }

    #[test]
    fn loop_positions() {
        let t = r#"{{#foreach items}}{{#has number="nth:2"}}[{{this}}]{{/has}}{{#has index="0"}}first{{/has}}{{/foreach}}"#;
        assert_eq!(
            render(t, json!({"items": ["a", "b", "c", "d"]})),
            "first[b][d]"
        );
    }
}
