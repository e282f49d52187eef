//! `{{#foreach posts limit="3" from="2"}}…{{else}}…{{/foreach}}`: Ghost's loop.
//!
//! Sets `@index`, `@number` (1-based), `@first`, `@last`, `@odd`, `@even`, `@key`, and with
//! `columns="3"` also `@rowStart`/`@rowEnd`. Like Ghost it skips items whose `visibility` is
//! not `public` (internal tags) unless `visibility="all"` or the list is of posts. `@first` and
//! `@last` mark the first and last item shown, and the positions count the visible items.

use handlebars::{
    BlockContext, BlockParams, Context, Handlebars, Helper, HelperDef, HelperResult, Output,
    RenderContext, Renderable, Template,
};
use serde_json::Value as Json;

use super::{hash_number, hash_text, list};

pub(crate) struct Foreach;

impl HelperDef for Foreach {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let (Some(items), Some(template)) = (h.param(0), h.template()) else {
            return Ok(());
        };
        let range = Range {
            from: hash_number(h, "from"),
            to: hash_number(h, "to"),
            limit: hash_number(h, "limit"),
            columns: hash_number(h, "columns").filter(|c| *c > 0),
        };
        let visibility = hash_text(h, "visibility");
        let shown = each(
            Items {
                value: items.value(),
                path: items.context_path(),
                visibility: visibility.as_deref(),
            },
            &range,
            Body {
                template,
                block_params: block_params(h),
            },
            r,
            ctx,
            rc,
            out,
        )?;
        if shown == 0
            && let Some(inverse) = h.inverse()
        {
            inverse.render(r, ctx, rc, out)?;
        }
        Ok(())
    }
}

/// The collection a loop walks: its value and, when it lives in the page data, its path (so
/// the body reads the data in place instead of a copy).
pub(super) struct Items<'a> {
    pub(super) value: &'a Json,
    pub(super) path: Option<&'a Vec<String>>,
    /// Ghost's `visibility` argument; `None` for its default.
    pub(super) visibility: Option<&'a str>,
}

/// Ghost's `from`, `to` and `limit` (1-based, inclusive) and `columns`.
#[derive(Default)]
pub(super) struct Range {
    pub(super) from: Option<i64>,
    pub(super) to: Option<i64>,
    pub(super) limit: Option<i64>,
    pub(super) columns: Option<i64>,
}

/// The loop body and its block parameter names (`as |post index|`).
pub(super) struct Body<'rc> {
    pub(super) template: &'rc Template,
    pub(super) block_params: (Option<&'rc str>, Option<&'rc str>),
}

fn block_params<'rc>(h: &Helper<'rc>) -> (Option<&'rc str>, Option<&'rc str>) {
    match h.block_param_pair() {
        Some((value, key)) => (Some(value), Some(key)),
        None => (h.block_param(), None),
    }
}

/// Renders `body` once per visible item in `range`; returns how many were rendered.
pub(super) fn each<'reg: 'rc, 'rc>(
    items: Items<'_>,
    range: &Range,
    body: Body<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
) -> Result<usize, handlebars::RenderError> {
    let entries: Vec<(String, Json, &Json)> = match items.value {
        Json::Array(values) => values
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), Json::from(i), v))
            .collect(),
        Json::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), Json::String(k.clone()), v))
            .collect(),
        _ => Vec::new(),
    };
    let all_posts = entries.first().is_some_and(|(_, _, v)| is_post(v));
    let visibility = items
        .visibility
        .unwrap_or(if all_posts { "all" } else { "public" });
    let allowed: Vec<&str> = list(visibility).collect();
    let visible: Vec<&(String, Json, &Json)> = entries
        .iter()
        .filter(|(_, _, v)| {
            let own = v
                .get("visibility")
                .and_then(Json::as_str)
                .unwrap_or("public");
            allowed.contains(&"all") || allowed.contains(&own)
        })
        .collect();

    let length = i64::try_from(visible.len()).unwrap_or(i64::MAX);
    let from = range.from.filter(|f| *f > 0).unwrap_or(1);
    let mut to = range.to.filter(|t| *t > 0).unwrap_or(length).min(length);
    if let Some(limit) = range.limit.filter(|l| *l > 0)
        && limit < length
        && from + limit <= length
    {
        to = from - 1 + limit;
    }

    let mut block = BlockContext::new();
    if let Some(parent) = rc.block() {
        block
            .local_variables_mut()
            .clone_from(parent.local_variables());
    }
    rc.push_block(block);
    let mut shown = 0;
    for (position, (segment, key, value)) in (1..).zip(visible) {
        if position < from || position > to {
            continue;
        }
        let index = position - 1;
        if let Some(block) = rc.block_mut() {
            block.set_local_var("key", key.clone());
            block.set_local_var("index", Json::from(index));
            block.set_local_var("number", Json::from(position));
            block.set_local_var("first", Json::Bool(position == from));
            block.set_local_var("last", Json::Bool(position == to));
            block.set_local_var("even", Json::Bool(index % 2 == 1));
            block.set_local_var("odd", Json::Bool(index % 2 == 0));
            let columns = range.columns.unwrap_or(0);
            block.set_local_var("rowStart", Json::Bool(columns > 0 && index % columns == 0));
            block.set_local_var(
                "rowEnd",
                Json::Bool(columns > 0 && index % columns == columns - 1),
            );
            match items.path {
                Some(path) => {
                    let mut item_path = path.clone();
                    item_path.push(segment.clone());
                    *block.base_path_mut() = item_path;
                }
                None => block.set_base_value((*value).clone()),
            }
            if let (Some(value_name), key_name) = body.block_params {
                let mut params = BlockParams::new();
                params.add_value(value_name, (*value).clone())?;
                if let Some(key_name) = key_name {
                    params.add_value(key_name, key.clone())?;
                }
                block.set_block_params(params);
            }
        }
        body.template.render(r, ctx, rc, out)?;
        shown += 1;
    }
    rc.pop_block();
    Ok(shown)
}

/// Ghost's test for "a list of posts": posts are always shown, whatever their visibility.
fn is_post(value: &Json) -> bool {
    ["html", "title", "slug"]
        .iter()
        .all(|field| value.get(field).is_some())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    fn items() -> serde_json::Value {
        json!({"items": ["a", "b", "c", "d", "e"]})
    }

    #[test]
    fn data_variables() {
        assert_eq!(
            render(
                "{{#foreach items}}{{@index}}{{@number}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}}{{#if @odd}}o{{/if}}{{this}} {{/foreach}}",
                items()
            ),
            "01Foa 12b 23oc 34d 45Loe "
        );
    }

    #[test]
    fn limit_from_and_to() {
        let r = |args: &str| {
            render(
                &format!(
                    "{{{{#foreach items {args}}}}}{{{{this}}}}{{{{#if @first}}}}^{{{{/if}}}}{{{{#if @last}}}}${{{{/if}}}}{{{{/foreach}}}}"
                ),
                items(),
            )
        };
        assert_eq!(r(r#"limit="2""#), "a^b$");
        assert_eq!(r(r#"from="2" limit="2""#), "b^c$");
        assert_eq!(r(r#"from="4" to="9""#), "d^e$");
        assert_eq!(r(r#"from="4" limit="3""#), "d^e$");
    }

    #[test]
    fn hides_internal_tags_unless_asked() {
        let data = json!({"tags": [
            {"name": "#internal", "visibility": "internal"},
            {"name": "News", "visibility": "public"},
        ]});
        assert_eq!(
            render(
                "{{#foreach tags}}{{name}}{{#if @first}}!{{/if}}{{/foreach}}",
                data.clone()
            ),
            "News!"
        );
        assert_eq!(
            render(
                r#"{{#foreach tags visibility="all"}}{{name}} {{/foreach}}"#,
                data
            ),
            "#internal News "
        );
    }

    #[test]
    fn reads_site_data_and_parents_inside_the_loop() {
        let data = json!({"title": "Top", "posts": [{"title": "A"}, {"title": "B"}]});
        assert_eq!(
            render(
                "{{#foreach posts}}{{title}}/{{../title}}/{{@site.url}};{{/foreach}}",
                data
            ),
            "A/Top/http://localhost:2368;B/Top/http://localhost:2368;"
        );
    }

    #[test]
    fn else_branch_and_block_params() {
        assert_eq!(
            render(
                "{{#foreach none}}x{{else}}empty{{/foreach}}",
                json!({"none": []})
            ),
            "empty"
        );
        assert_eq!(
            render(
                "{{#foreach items limit=2 as |item i|}}{{i}}={{item}},{{/foreach}}",
                items()
            ),
            "0=a,1=b,"
        );
        assert_eq!(
            render(
                "{{#foreach obj}}{{@key}}:{{this}};{{/foreach}}",
                json!({"obj": {"x": 1, "y": 2}})
            ),
            "x:1;y:2;"
        );
    }
}
