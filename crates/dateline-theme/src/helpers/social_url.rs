//! `{{social_url type="twitter"}}`: the profile URL of the current author (inside
//! `{{#author}}` or an author page), else of the site, built from the handle as Ghost builds
//! it. Nothing is printed when there is no handle. `{{twitter_url}}` and `{{facebook_url}}`,
//! which Ghost keeps for themes older than `{{social_url}}`, do the same for their network and
//! also take the handle as an argument (`{{twitter_url @site.twitter}}`).

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
};

use super::{hash_text, root, this, write_url};

pub(crate) struct SocialUrl;

impl HelperDef for SocialUrl {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let Some(kind) = hash_text(h, "type") else {
            return Ok(());
        };
        write_profile(&kind, None, ctx, rc, out)
    }
}

/// `{{twitter_url}}` or `{{facebook_url}}`: `kind` is the network.
pub(crate) struct NetworkUrl {
    pub(crate) kind: &'static str,
}

impl HelperDef for NetworkUrl {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let given = h.param(0).map(|p| p.value().render());
        write_profile(self.kind, given, ctx, rc, out)
    }
}

/// The profile URL for `given`, else the current context's handle, else the site's, as
/// Ghost's helpers look for it.
fn write_profile(
    kind: &str,
    given: Option<String>,
    ctx: &Context,
    rc: &RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let handle = given
        .filter(|h| !h.is_empty())
        .or_else(|| Some(this(ctx, rc, kind).render()).filter(|h| !h.is_empty()))
        .unwrap_or_else(|| root(ctx, "$site")[kind].render());
    match profile_url(kind, &handle) {
        Some(url) => write_url(out, rc, &url),
        None => Ok(()),
    }
}

/// Ghost's `social-urls`: a handle (or a full URL, kept as is) made a profile URL.
pub(super) fn profile_url(kind: &str, handle: &str) -> Option<String> {
    let handle = handle.trim();
    if handle.is_empty() {
        return None;
    }
    if handle.starts_with("http://") || handle.starts_with("https://") {
        return Some(handle.to_owned());
    }
    let name = handle.trim_start_matches('@');
    let url = match kind {
        "twitter" => format!("https://x.com/{name}"),
        "facebook" => format!("https://www.facebook.com/{name}"),
        "linkedin" => format!("https://www.linkedin.com/in/{name}"),
        "bluesky" => format!("https://bsky.app/profile/{name}"),
        "threads" => format!("https://www.threads.net/@{name}"),
        "mastodon" => match name.split_once('@') {
            Some((user, server)) => format!("https://{server}/@{user}"),
            None => format!("https://{name}"),
        },
        "tiktok" => format!("https://www.tiktok.com/@{name}"),
        "youtube" => format!("https://www.youtube.com/{handle}"),
        "instagram" => format!("https://www.instagram.com/{name}"),
        _ => return None,
    };
    Some(url)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn builds_profile_urls_from_handles() {
        let data = json!({"author": {"twitter": "@reporter"}, "$site": {"facebook": "ghost"}});
        assert_eq!(
            render(
                r#"{{#author}}{{social_url type="twitter"}} {{social_url type="facebook"}}|{{social_url type="tiktok"}}|{{/author}}"#,
                data
            ),
            "https://x.com/reporter https://www.facebook.com/ghost||"
        );
    }

    #[test]
    fn older_network_helpers_take_the_handle_or_find_it() {
        let data = json!({
            "author": {"twitter": "reporter", "facebook": "reporter.page"},
            "$site": {"twitter": "@desk", "facebook": "newsdesk"},
        });
        assert_eq!(
            render(
                "{{twitter_url @site.twitter}} {{facebook_url @site.facebook}}|\
                 {{#author}}{{twitter_url}} {{facebook_url}}{{/author}}|{{twitter_url}}",
                data
            ),
            "https://x.com/desk https://www.facebook.com/newsdesk|\
             https://x.com/reporter https://www.facebook.com/reporter.page|https://x.com/desk"
        );
    }
}
