//! `{{asset "css/screen.css"}}`: the URL of a theme asset with its content hash
//! (`/assets/css/screen.css?v=3f2a…`), so browsers may cache assets forever and still get a
//! changed file at once.

use std::collections::HashMap;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
};

use super::{hash_flag, site_url, write_url};

pub(crate) struct AssetHelper {
    versions: HashMap<String, String>,
}

impl AssetHelper {
    pub(crate) fn new(versions: HashMap<String, String>) -> Self {
        AssetHelper { versions }
    }
}

impl HelperDef for AssetHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let requested = h.param(0).map(|p| p.value().render()).unwrap_or_default();
        let path = requested.trim_start_matches('/');
        let path = path.strip_prefix("assets/").unwrap_or(path);
        let site = site_url(ctx);
        let url = site.join(&format!("/assets/{path}"));
        let url = if hash_flag(h, "absolute") {
            url
        } else {
            site.relative(&url).to_owned()
        };
        match self.versions.get(path) {
            Some(version) => write_url(out, rc, &format!("{url}?v={version}")),
            None => {
                tracing::warn!(asset = path, "theme asset not found");
                write_url(out, rc, &url)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn adds_the_content_hash() {
        assert_eq!(
            render(r#"{{asset "css/screen.css"}}"#, json!({})),
            "/assets/css/screen.css?v=abc123"
        );
        assert_eq!(
            render(r#"{{{asset "css/screen.css" absolute="true"}}}"#, json!({})),
            "http://localhost:2368/assets/css/screen.css?v=abc123"
        );
        assert_eq!(
            render(r#"{{{asset "missing.js"}}}"#, json!({})),
            "/assets/missing.js"
        );
    }
}
