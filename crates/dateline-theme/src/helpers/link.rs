//! `{{#link href="/about/" class="nav" activeClass="current"}}About{{/link}}` and
//! `{{link_class for="/about/" class="nav"}}`: links that know whether they point at the page
//! being shown, as Ghost's helpers do (`activeClass` defaults to `nav-current`; a link to a
//! section is also active on the section's pages when `parentActiveClass` is set).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
    Renderable,
};

use super::{hash_text, page_value, site_url};
use crate::html::escape;

const ACTIVE: &str = "nav-current";

pub(crate) struct Link;

impl HelperDef for Link {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(href) = hash_text(h, "href") else {
            return Ok(());
        };
        let classes = classes(h, ctx, &href);
        out.write("<a href=\"")?;
        out.write(&escape(&href))?;
        out.write("\"")?;
        if !classes.is_empty() {
            out.write(" class=\"")?;
            out.write(&escape(&classes))?;
            out.write("\"")?;
        }
        for (key, value) in h.hash() {
            if !matches!(
                *key,
                "href" | "class" | "activeClass" | "parentActiveClass" | "tagName"
            ) {
                out.write(&format!(" {key}=\"{}\"", escape(&value.value().render())))?;
            }
        }
        out.write(">")?;
        if let Some(template) = h.template() {
            template.render(r, ctx, rc, out)?;
        }
        out.write("</a>")?;
        Ok(())
    }
}

pub(crate) struct LinkClass;

impl HelperDef for LinkClass {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let target = hash_text(h, "for").unwrap_or_default();
        out.write(&escape(&classes(h, ctx, &target)))?;
        Ok(())
    }
}

/// `class`, plus the active class when `href` is the page shown (or, with
/// `parentActiveClass`, one of its parents).
fn classes(h: &Helper<'_>, ctx: &Context, href: &str) -> String {
    let site = site_url(ctx);
    let current = page_value(ctx, "url").as_str().unwrap_or("");
    let current = normalise(site.relative(current));
    let target = normalise(site.relative(href));
    let mut classes: Vec<String> = hash_text(h, "class").into_iter().collect();
    if !target.is_empty() && current == target {
        classes.push(hash_text(h, "activeClass").unwrap_or_else(|| ACTIVE.to_owned()));
    } else if let Some(parent) = hash_text(h, "parentActiveClass")
        && target != "/"
        && current.starts_with(&target)
    {
        classes.push(parent);
    }
    classes.retain(|c| !c.is_empty());
    classes.join(" ")
}

/// Paths compared with a trailing slash, as Ghost's URLs have one.
fn normalise(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    if path.ends_with('/') || path.is_empty() {
        path.to_owned()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn marks_the_current_page() {
        // The test page is http://localhost:2368/about/.
        assert_eq!(
            render(
                r#"{{#link href="/about/" class="nav"}}About{{/link}}|{{#link href="/contact" target="_blank"}}C{{/link}}"#,
                json!({})
            ),
            r#"<a href="/about/" class="nav nav-current">About</a>|<a href="/contact" target="_blank">C</a>"#
        );
        assert_eq!(
            render(
                r#"{{link_class for="/about" class="x" activeClass="on"}}|{{link_class for="/" class="x"}}"#,
                json!({})
            ),
            "x on|x"
        );
    }
}
