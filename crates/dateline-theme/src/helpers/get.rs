//! `{{#get "posts" filter="tag:news" limit="3" order="published_at desc" as |posts pages|}}`:
//! Ghost's data query block. Results come from the render's data (see
//! [`crate::data_query`]); a query without results is noted for the caller to fetch and the
//! block renders nothing this time. Inside, the context is Ghost's response (`posts`,
//! `meta.pagination`) and the block parameters are the list and the pagination. An empty
//! result renders `{{else}}`.

use handlebars::{
    BlockContext, BlockParams, Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender,
    Output, RenderContext, Renderable,
};
use serde_json::Value as Json;

use super::{hash_text, root};
use crate::data_query::{DataQuery, note_missing};

pub(crate) struct Get;

impl HelperDef for Get {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(resource) = h.param(0).map(|p| p.value().render()) else {
            return Ok(());
        };
        let filter = match hash_text(h, "filter") {
            Some(filter) => Some(interpolate(&filter, ctx, rc)?),
            None => None,
        };
        let query = DataQuery {
            filter,
            limit: hash_text(h, "limit"),
            order: hash_text(h, "order"),
            page: hash_text(h, "page"),
            include: hash_text(h, "include"),
            resource,
        };
        render_query(query, h, r, ctx, rc, out)
    }
}

/// Renders a data block (`{{#get}}`, `{{#collection}}`) with the results of `query`: the block
/// over Ghost's response, `{{else}}` when it is empty, nothing (the query noted for the caller
/// to fetch) when the render was not given its results.
pub(super) fn render_query<'reg: 'rc, 'rc>(
    query: DataQuery,
    h: &Helper<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
) -> HelperResult {
    let Some(result) = root(ctx, "$get").get(query.key()).cloned() else {
        note_missing(query);
        return Ok(());
    };
    let items = result.get(&query.resource).cloned().unwrap_or(Json::Null);
    let empty = items.as_array().is_none_or(Vec::is_empty);
    let (Some(template), false) = (h.template(), empty) else {
        return match h.inverse() {
            Some(inverse) => inverse.render(r, ctx, rc, out),
            None => Ok(()),
        };
    };
    let mut params = BlockParams::new();
    if let Some(name) = h
        .block_param()
        .or_else(|| h.block_param_pair().map(|p| p.0))
    {
        params.add_value(name, items)?;
        if let Some((_, pages)) = h.block_param_pair() {
            params.add_value(pages, result["meta"]["pagination"].clone())?;
        }
    }
    let mut base = result;
    // Ghost copies `meta.pagination` to the top, so `{{pagination.total}}` counts the results.
    if let Some(pagination) = base.pointer("/meta/pagination").cloned()
        && let Json::Object(map) = &mut base
    {
        map.entry("pagination").or_insert(pagination);
    }
    render_in(template, base, params, r, ctx, rc, out)
}

/// Renders `template` with `base` as its context (`{{title}}` reads `base.title`), keeping
/// the enclosing block's `@`-variables.
pub(super) fn render_in<'reg: 'rc, 'rc>(
    template: &'rc handlebars::Template,
    base: Json,
    params: BlockParams<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
) -> HelperResult {
    let mut block = BlockContext::new();
    if let Some(parent) = rc.block() {
        block
            .local_variables_mut()
            .clone_from(parent.local_variables());
    }
    block.set_block_params(params);
    block.set_base_value(base);
    rc.push_block(block);
    let rendered = template.render(r, ctx, rc, out);
    rc.pop_block();
    rendered
}

/// Ghost lets filters name template values: `id:-{{post.id}}` becomes `id:-5f3…`.
fn interpolate(
    filter: &str,
    ctx: &Context,
    rc: &mut RenderContext<'_, '_>,
) -> Result<String, handlebars::RenderError> {
    let mut out = String::with_capacity(filter.len());
    let mut rest = filter;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find("}}") else {
            out.push_str(&rest[open..]);
            return Ok(out);
        };
        let path = rest[open + 2..open + close].trim();
        let path = crate::engine::dialect::translate(&format!("{{{{{path}}}}}"));
        let path = path.trim_start_matches('{').trim_end_matches('}');
        out.push_str(&filter_value(rc.evaluate(ctx, path)?.as_json()));
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A template value as Ghost writes it into a filter: a list becomes `a,b` (for
/// `tags:[{{post.tags}}]`), and a tag or author in it stands for its slug, as Ghost's
/// `post.tags` → `post.tags[*].slug` alias has it.
fn filter_value(value: &Json) -> String {
    match value {
        Json::Array(items) => items
            .iter()
            .map(|item| match item.get("slug") {
                Some(slug) => slug.render(),
                None => item.render(),
            })
            .collect::<Vec<_>>()
            .join(","),
        value => value.render(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::data_query::collecting;
    use crate::helpers::testing::render;

    const TEMPLATE: &str = r#"{{#post}}{{#get "posts" filter="id:-{{id}}" limit="2" as |more|}}{{#foreach more}}{{title}};{{/foreach}}{{meta.pagination.total}}{{else}}none{{/get}}{{/post}}"#;

    #[test]
    fn notes_queries_it_has_no_results_for() {
        let (html, missing) = collecting(|| render(TEMPLATE, json!({"post": {"id": "p1"}})));
        assert_eq!(html, "");
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].resource, "posts");
        assert_eq!(missing[0].filter.as_deref(), Some("id:-p1"));
        assert_eq!(missing[0].limit.as_deref(), Some("2"));
    }

    #[test]
    fn a_list_in_a_filter_is_its_slugs() {
        let template = r#"{{#get "posts" filter="tags:[{{post.tags}}]+id:-{{post.id}}"}}{{/get}}"#;
        let post = json!({"post": {"id": "p1", "tags": [{"slug": "news", "name": "News"}, {"slug": "world"}]}});
        let (_, missing) = collecting(|| render(template, post));
        assert_eq!(
            missing[0].filter.as_deref(),
            Some("tags:[news,world]+id:-p1")
        );
    }

    #[test]
    fn the_block_sees_the_pagination_at_the_top_as_in_ghost() {
        let template =
            r#"{{#get "tags" limit="all"}}{{pagination.total}}:{{meta.pagination.total}}{{/get}}"#;
        let (_, missing) = collecting(|| render(template, json!({})));
        let data = json!({"$get": {missing[0].key(): {"tags": [{"slug": "a"}], "meta": {"pagination": {"total": 9}}}}});
        assert_eq!(render(template, data), "9:9");
    }

    #[test]
    fn renders_the_results_it_was_given() {
        let (_, missing) = collecting(|| render(TEMPLATE, json!({"post": {"id": "p1"}})));
        let key = missing[0].key();
        let data = json!({
            "post": {"id": "p1"},
            "$get": {key.clone(): {"posts": [{"title": "A"}, {"title": "B"}], "meta": {"pagination": {"total": 7}}}},
        });
        assert_eq!(render(TEMPLATE, data), "A;B;7");
        let empty = json!({"post": {"id": "p1"}, "$get": {key: {"posts": []}}});
        assert_eq!(render(TEMPLATE, empty), "none");
    }
}
