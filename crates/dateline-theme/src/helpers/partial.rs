//! `{{> name}}` partials. The template dialect turns a plain partial include into a call of
//! this helper (see `engine::dialect`), because the `handlebars` crate copies the whole current
//! context, hash arguments merged in, for every include: at the top of a page that is the page
//! data, post bodies and all, several times a render. Here the partial reads the data in place,
//! and hash arguments (`{{> post-card heading="h2"}}`) become block parameters, which shadow the
//! context's fields as Handlebars.js's merged context does.

use handlebars::{
    BlockContext, BlockParams, Context, Handlebars, Helper, HelperDef, HelperResult, Output,
    RenderContext, RenderErrorReason, Renderable,
};

/// The helper name partial includes are rewritten to; not a name a theme would use.
pub(crate) const NAME: &str = "__dateline_partial";

pub(crate) struct Partial;

impl HelperDef for Partial {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let name = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .unwrap_or_default();
        let template = rc
            .get_partial(name)
            .or_else(|| r.get_template(name))
            .ok_or_else(|| RenderErrorReason::PartialNotFound(name.to_owned()))?;

        let mut block = BlockContext::new();
        if let Some(parent) = rc.block() {
            block
                .local_variables_mut()
                .clone_from(parent.local_variables());
        }
        match h.param(1) {
            Some(context) => match context.context_path() {
                Some(path) => path.clone_into(block.base_path_mut()),
                None => block.set_base_value(context.value().clone()),
            },
            None => {
                if let Some(parent) = rc.block() {
                    parent.base_path().clone_into(block.base_path_mut());
                    if let Some(value) = parent.base_value() {
                        block.set_base_value(value.clone());
                    }
                }
            }
        }
        if !h.hash().is_empty() {
            let mut params = BlockParams::new();
            for (key, value) in h.hash() {
                params.add_value(key, value.value().clone())?;
            }
            block.set_block_params(params);
        }

        let template_before = rc.get_current_template_name();
        // What a partial renders is logged under the partial's name (see `missing`).
        if template.name.is_some() {
            rc.set_current_template_name(template.name.as_ref());
        }
        rc.push_block(block);
        let result = template.render(r, ctx, rc, out);
        rc.pop_block();
        rc.set_current_template_name(template_before);
        result
    }
}

#[cfg(test)]
mod tests {
    use handlebars::Handlebars;
    use serde_json::json;

    use crate::engine::dialect::translate;

    fn render(partials: &[(&str, &str)], template: &str, data: serde_json::Value) -> String {
        let mut registry = Handlebars::new();
        crate::helpers::register(&mut registry, Default::default());
        for (name, source) in partials {
            registry.register_partial(name, translate(source)).unwrap();
        }
        registry
            .render_template(&translate(template), &data)
            .unwrap()
    }

    #[test]
    fn includes_with_context_and_hash_arguments() {
        let partials = [
            (
                "card",
                "<{{#if heading}}{{heading}}{{else}}h3{{/if}}>{{title}}|{{@index}}|{{> icons/dot}}",
            ),
            ("icons/dot", "."),
        ];
        assert_eq!(
            render(
                &partials,
                r#"{{#each posts}}{{> "card" heading="h2"}} {{/each}}"#,
                json!({"posts": [{"title": "A"}, {"title": "B"}]})
            ),
            "<h2>A|0|. <h2>B|1|. "
        );
        assert_eq!(
            render(
                &partials,
                "{{> card post}}",
                json!({"post": {"title": "P"}, "title": "root"})
            ),
            "<h3>P||."
        );
    }

    /// Ghost 6's icon per network: the partial when the theme has one, else the block.
    #[test]
    fn a_computed_partial_block_falls_back_to_its_body() {
        let partials = [("icons/x", "[X icon]")];
        assert_eq!(
            render(
                &partials,
                r#"{{#each links}}{{#> (concat "icons/" type)}}<span>{{name}}</span>{{/undefined}} {{/each}}"#,
                json!({"links": [{"type": "x", "name": "X"}, {"type": "tiktok", "name": "TikTok"}]})
            ),
            "[X icon] <span>TikTok</span> "
        );
    }

    #[test]
    fn a_missing_partial_is_an_error() {
        let mut registry = Handlebars::new();
        crate::helpers::register(&mut registry, Default::default());
        let result = registry.render_template(&translate("{{> nope}}"), &json!({}));
        assert!(result.is_err());
    }
}
