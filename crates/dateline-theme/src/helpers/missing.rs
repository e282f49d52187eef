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

/// Names already logged, so a helper used on every page is logged once: a call with
/// arguments as a warning, a bare `{{name}}` (which may be a value this page lacks) as
/// information.
#[derive(Default)]
struct Warned(Mutex<HashSet<String>>);

impl Warned {
    /// Logs, the first time only, that `name` rendered nothing in the template being
    /// rendered; `called` tells a call with arguments from a bare `{{name}}`.
    fn once(&self, name: &str, rc: &RenderContext<'_, '_>, called: bool) {
        let first = self
            .0
            .lock()
            .map(|mut seen| seen.insert(name.to_owned()))
            .unwrap_or(false);
        if !first {
            return;
        }
        let template = rc
            .get_current_template_name()
            .or_else(|| rc.get_root_template_name())
            .map_or("?", |t| t.as_str());
        if called {
            tracing::warn!(
                template,
                helper = name,
                "theme uses an unknown helper; it renders nothing"
            );
        } else {
            // Ghost prints nothing either, and a theme may name a value only some pages have.
            tracing::info!(
                template,
                helper = name,
                "theme names something that is neither a helper nor a value here; it renders nothing"
            );
        }
    }
}

/// Whether `name` could only be a helper's name: one plain word, not a path into the data
/// (`post.title`, `../url`, `@index`) nor `this`.
fn is_bare_word(name: &str) -> bool {
    name != "this"
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// An unknown `{{helper …}}`, or a `{{value}}` the data does not have (which prints nothing;
/// a bare word is logged, as it is most likely a helper another Ghost version has).
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
        rc: &mut RenderContext<'reg, 'rc>,
        _: &mut dyn Output,
    ) -> HelperResult {
        let called = !h.params().is_empty() || !h.hash().is_empty();
        if called || is_bare_word(h.name()) {
            self.warned.once(h.name(), rc, called);
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
            self.warned.once(h.name(), rc, true);
            return Ok(());
        }
        let value = rc.evaluate(ctx, h.name())?;
        if value.is_missing() && is_bare_word(h.name()) {
            self.warned.once(h.name(), rc, false);
        }
        value_block(value.as_json(), value.context_path(), h, r, ctx, rc, out)
    }
}

/// The name the dialect gives a block on a path (`{{#../primary_tag}}`, which the
/// `handlebars` crate cannot parse): `{{#__dateline_block ../primary_tag}}`.
pub(crate) const PATH_BLOCK: &str = "__dateline_block";

/// A block on the value of a path, as Handlebars.js renders `{{#../primary_tag}}…`.
pub(crate) struct PathBlock;

impl HelperDef for PathBlock {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        match h.param(0) {
            Some(param) => value_block(param.value(), param.context_path(), h, r, ctx, rc, out),
            None => Ok(()),
        }
    }
}

/// Handlebars.js's block on a value: `with` for an object, `each` for a list, `if` for
/// anything else; `path` is where the value lives in the page data, if it does.
fn value_block<'reg: 'rc, 'rc>(
    value: &Json,
    path: Option<&Vec<String>>,
    h: &Helper<'rc>,
    r: &'reg Handlebars<'reg>,
    ctx: &'rc Context,
    rc: &mut RenderContext<'reg, 'rc>,
    out: &mut dyn Output,
) -> HelperResult {
    let (Some(template), true) = (h.template(), value.is_truthy(false)) else {
        return match h.inverse() {
            Some(inverse) => inverse.render(r, ctx, rc, out),
            None => Ok(()),
        };
    };
    match value {
        Json::Array(_) => {
            let items = Items {
                value,
                path,
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
            match path {
                Some(path) => path.clone_into(block.base_path_mut()),
                None => block.set_base_value(value.clone()),
            }
            rc.push_block(block);
            let result = template.render(r, ctx, rc, out);
            rc.pop_block();
            result
        }
        _ => template.render(r, ctx, rc, out),
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
    fn blocks_on_paths_work_like_handlebars_js() {
        let data = json!({"post": {"title": "T", "primary_tag": {"name": "News"}, "tags": [{"name": "a"}, {"name": "b"}]}, "nothing": null});
        assert_eq!(
            render(
                "{{#post}}{{#../post.primary_tag}}{{name}}{{/../post.primary_tag}}|\
                 {{#./missing.x}}x{{else}}none{{/./missing.x}}{{/post}}|{{#post.tags}}{{name}}{{/post.tags}}",
                data
            ),
            "News|none|ab"
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
