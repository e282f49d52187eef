//! `{{#contentFor "scripts"}}…{{/contentFor}}` in a template and `{{{block "scripts"}}}` in its
//! layout: Ghost's way for a page to add to parts of the layout. A page renders before its
//! layout, so what a template sets aside is ready when the layout asks for it.

use std::cell::RefCell;
use std::collections::HashMap;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
    Renderable, StringOutput,
};

thread_local! {
    /// The blocks of the render running on this thread (a render never leaves its thread).
    static BLOCKS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Forgets the previous page's blocks; called as each page starts rendering.
pub(crate) fn reset() {
    BLOCKS.with(|b| b.borrow_mut().clear());
}

pub(crate) struct ContentFor;

impl HelperDef for ContentFor {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        _: &mut dyn Output,
    ) -> HelperResult {
        let (Some(name), Some(template)) = (h.param(0), h.template()) else {
            return Ok(());
        };
        let mut content = StringOutput::new();
        template.render(r, ctx, rc, &mut content)?;
        let content = content.into_string()?;
        BLOCKS.with(|b| {
            b.borrow_mut()
                .entry(name.value().render())
                .or_default()
                .push_str(&content);
        });
        Ok(())
    }
}

pub(crate) struct Block;

impl HelperDef for Block {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(name) = h.param(0).map(|p| p.value().render()) else {
            return Ok(());
        };
        let content = BLOCKS.with(|b| b.borrow().get(&name).cloned());
        if let Some(content) = content {
            out.write(&content)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn a_template_fills_a_layout_block() {
        super::reset();
        assert_eq!(
            render(
                r#"{{#contentFor "scripts"}}<script src="/x.js"></script>{{/contentFor}}body|{{{block "scripts"}}}"#,
                json!({})
            ),
            r#"body|<script src="/x.js"></script>"#
        );
    }
}
