//! `{{#social_accounts source}}…{{/social_accounts}}` (Ghost 6): the body once per social
//! network `source` (`@site`, an author, `this`) has a handle for, in the order Ghost's admin
//! lists them, with `{{type}}`, `{{name}}`, `{{username}}` and `{{href}}` and the loop's
//! `@index`, `@first`, …; the `{{else}}` part when it has none. Casper and Source 6 pick an
//! icon partial by `type`.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
    Renderable,
};
use serde_json::{Value as Json, json};

use super::foreach::{Body, Items, Range, each};
use super::social_url::profile_url;

/// `(type, field of the source, name)`: X keeps Twitter's field.
const NETWORKS: &[(&str, &str, &str)] = &[
    ("x", "twitter", "X"),
    ("facebook", "facebook", "Facebook"),
    ("linkedin", "linkedin", "LinkedIn"),
    ("bluesky", "bluesky", "Bluesky"),
    ("threads", "threads", "Threads"),
    ("mastodon", "mastodon", "Mastodon"),
    ("tiktok", "tiktok", "TikTok"),
    ("youtube", "youtube", "YouTube"),
    ("instagram", "instagram", "Instagram"),
];

pub(crate) struct SocialAccounts;

impl HelperDef for SocialAccounts {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let source = h.param(0).map_or(&Json::Null, |p| p.value());
        let accounts: Vec<Json> = NETWORKS
            .iter()
            .filter_map(|(kind, field, name)| {
                let username = source.get(field).map(JsonRender::render)?;
                let href = profile_url(field, &username)?;
                Some(json!({"type": kind, "name": name, "username": username, "href": href}))
            })
            .collect();
        let Some(template) = h.template() else {
            return Ok(());
        };
        if accounts.is_empty() {
            return match h.inverse() {
                Some(inverse) => inverse.render(r, ctx, rc, out),
                None => Ok(()),
            };
        }
        let accounts = Json::Array(accounts);
        let items = Items {
            value: &accounts,
            path: None,
            visibility: Some("all"),
        };
        let body = Body {
            template,
            block_params: (h.block_param(), None),
        };
        each(items, &Range::default(), body, r, ctx, rc, out)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::helpers::testing::render;

    #[test]
    fn one_body_per_network_with_a_handle_in_ghosts_order() {
        let data = json!({
            "$site": {"twitter": "@desk", "facebook": "", "instagram": "desk.pics", "url": "x"},
            "author": {"bluesky": "reporter.bsky.social"},
            "nobody": {},
        });
        assert_eq!(
            render(
                "{{#social_accounts @site}}{{@index}}:{{type}} {{name}} {{username}} {{href}};{{/social_accounts}}|\
                 {{#social_accounts author}}{{href}}{{#if @last}}.{{/if}}{{/social_accounts}}|\
                 {{#social_accounts nobody}}x{{else}}none{{/social_accounts}}",
                data
            ),
            "0:x X @desk https://x.com/desk;1:instagram Instagram desk.pics \
             https://www.instagram.com/desk.pics;|https://bsky.app/profile/reporter.bsky.social.|none"
        );
    }
}
