//! What happens when a template names a helper Dateline does not have, or opens a block on a
//! value (`{{#post}}…{{/post}}`).
//!
//! Handlebars.js treats a block on a value as `with` (objects), `each` (lists) or `if` (other
//! values), and Ghost themes rely on it for `{{#post}}`. A real unknown helper (one given
//! arguments, like `{{#get "posts"}}` or `{{search}}` with options) prints nothing and is
//! logged once per theme, so a theme written for a newer Ghost degrades instead of failing.

use std::collections::HashSet;
use std::sync::Mutex;

use handlebars::{
    BlockContext, Context, Handlebars, Helper, HelperDef, HelperResult, JsonTruthy, Output,
    RenderContext, Renderable,
};
use serde_json::Value as Json;

use super::foreach::{Body, Items, Range, each};

/// Names already logged, so a helper used on every page is logged once.
#[derive(Default)]
struct Warned(Mutex<HashSet<String>>);

impl Warned {
    fn once(&self, name: &str) {
        let first = self
            .0
            .lock()
            .map(|mut seen| seen.insert(name.to_owned()))
            .unwrap_or(false);
        if first {
            tracing::warn!(
                helper = name,
                "theme uses an unknown helper; it renders nothing"
            );
        }
    }
}

/// An unknown `{{helper …}}`, or a `{{value}}` the data does not have (which prints nothing
/// and is not worth a warning).
#[derive(Default)]
pub(crate) struct HelperMissing {
    warned: Warned,
}

impl HelperDef for HelperMissing {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        _: &mut dyn Output,
    ) -> HelperResult {
        if !h.params().is_empty() || !h.hash().is_empty() {
            self.warned.once(h.name());
        }
        Ok(())
    }
}

/// `{{#name}}…{{/name}}` where `name` is not a helper.
#[derive(Default)]
pub(crate) struct BlockHelperMissing {
    warned: Warned,
}

impl HelperDef for BlockHelperMissing {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        if !h.params().is_empty() || !h.hash().is_empty() {
            self.warned.once(h.name());
            return Ok(());
        }
        let value = rc.evaluate(ctx, h.name())?;
        let (Some(template), true) = (h.template(), value.as_json().is_truthy(false)) else {
            return match h.inverse() {
                Some(inverse) => inverse.render(r, ctx, rc, out),
                None => Ok(()),
            };
        };
        match value.as_json() {
            Json::Array(_) => {
                let items = Items {
                    value: value.as_json(),
                    path: value.context_path(),
                    visibility: Some("all"),
                };
                let body = Body {
                    template,
                    block_params: (None, None),
                };
                each(items, &Range::default(), body, r, ctx, rc, out)?;
                Ok(())
            }
            Json::Object(_) => {
                let mut block = BlockContext::new();
                if let Some(parent) = rc.block() {
                    block
                        .local_variables_mut()
                        .clone_from(parent.local_variables());
                }
                match value.context_path() {
                    Some(path) => *block.base_path_mut() = path.clone(),
                    None => block.set_base_value(value.as_json().clone()),
                }
                rc.push_block(block);
                let result = template.render(r, ctx, rc, out);
                rc.pop_block();
                result
            }
            _ => template.render(r, ctx, rc, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn blocks_on_values_work_like_handlebars_js() {
        let data = json!({"post": {"title": "T"}, "list": [1, 2], "flag": true, "none": null});
        assert_eq!(
            render(
                "{{#post}}{{title}}{{/post}}|{{#list}}{{this}}{{/list}}|{{#flag}}yes{{/flag}}|{{#none}}x{{else}}no{{/none}}",
                data
            ),
            "T|12|yes|no"
        );
    }

    #[test]
    fn unknown_helpers_render_nothing() {
        assert_eq!(
            render(
                r#"a{{search_box "x"}}b{{#get "posts" limit="3"}}c{{/get}}d{{missing_value}}e"#,
                json!({})
            ),
            "abde"
        );
    }
}
