//! Ghost's theme helpers, with Ghost's names, arguments and output, so Ghost themes and the
//! built-in theme call the same API.
//!
//! Helpers that print text return it for Handlebars to escape (`{{date}}`, `{{t}}`); helpers
//! that print markup Ghost marks safe write it as is (`{{ghost_head}}`, `{{content}}`). Page-wide
//! values are computed in Rust before the render (see [`crate::page`]) and only read here.
//! Unknown helpers print nothing and are logged once, so an unfamiliar Ghost theme degrades
//! instead of failing.

mod adjacent_post;
mod asset;
mod authors;
mod collection;
mod color;
mod comments;
mod concat;
mod content;
mod content_api;
mod content_for;
mod date;
mod encode;
mod foreach;
mod get;
mod has;
mod is;
mod json;
mod lang;
mod link;
mod matching;
pub(crate) mod missing;
mod navigation;
mod page_output;
pub(crate) mod partial;
mod plural;
mod post_class;
mod price;
mod raw;
mod readable_url;
mod reading_time;
mod search;
mod social_accounts;
mod social_url;
mod subscribe_form;
mod tags;
mod title;
mod total_members;
mod translate;
mod url;

pub(crate) use content_api::CONTENT_API_PATH;
pub use total_members::{MEMBER_TOTALS, thousands};

use std::collections::HashMap;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, JsonRender, Output, RenderContext,
    RenderError, ScopedJson,
};
use serde_json::Value as Json;

use crate::site_url::SiteUrl;

/// Handlebars' own helpers, which every registry has.
const BUILTIN: &[&str] = &["if", "unless", "each", "with", "lookup", "log", "else"];

type HelperBox = Box<dyn HelperDef + Send + Sync>;

/// Every helper by name; `asset_versions` maps asset paths to their content hash for
/// `{{asset}}`.
fn table(asset_versions: HashMap<String, String>) -> Vec<(&'static str, HelperBox)> {
    vec![
        ("asset", Box::new(asset::AssetHelper::new(asset_versions))),
        ("authors", Box::new(authors::Authors)),
        ("block", Box::new(content_for::Block)),
        ("body_class", Box::new(page_output::BodyClass)),
        ("comment_count", Box::new(comments::Disabled)),
        ("comments", Box::new(comments::Disabled)),
        ("cancel_link", Box::new(comments::Disabled)),
        ("collection", Box::new(collection::Collection)),
        ("color_to_rgba", Box::new(color::ColorToRgba)),
        ("concat", Box::new(concat::Concat)),
        ("content", Box::new(content::Content)),
        ("content_api_key", Box::new(content_api::ContentApiKey)),
        ("content_api_url", Box::new(content_api::ContentApiUrl)),
        ("contrast_text_color", Box::new(color::ContrastTextColor)),
        ("contentFor", Box::new(content_for::ContentFor)),
        ("date", Box::new(date::DateHelper)),
        ("encode", Box::new(encode::Encode)),
        (
            "facebook_url",
            Box::new(social_url::NetworkUrl { kind: "facebook" }),
        ),
        ("excerpt", Box::new(content::Excerpt)),
        ("foreach", Box::new(foreach::Foreach)),
        ("ghost_foot", Box::new(page_output::GhostFoot)),
        ("ghost_head", Box::new(page_output::GhostHead)),
        ("get", Box::new(get::Get)),
        ("has", Box::new(has::Has)),
        ("img_url", Box::new(url::ImgUrl)),
        ("is", Box::new(is::Is)),
        ("json", Box::new(json::ToJson)),
        ("lang", Box::new(lang::Lang)),
        ("link", Box::new(link::Link)),
        ("link_class", Box::new(link::LinkClass)),
        ("match", Box::new(matching::Match)),
        (crate::engine::dialect::LENGTH, Box::new(matching::Length)),
        ("meta_description", Box::new(page_output::MetaDescription)),
        ("meta_title", Box::new(page_output::MetaTitle)),
        ("navigation", Box::new(navigation::Navigation)),
        (
            "next_post",
            Box::new(adjacent_post::AdjacentPost { newer: true }),
        ),
        ("page_url", Box::new(url::PageUrl)),
        ("pagination", Box::new(navigation::Pagination)),
        (partial::NAME, Box::new(partial::Partial)),
        ("plural", Box::new(plural::Plural)),
        (
            "prev_post",
            Box::new(adjacent_post::AdjacentPost { newer: false }),
        ),
        ("post_class", Box::new(post_class::PostClass)),
        ("price", Box::new(price::Price)),
        ("raw", Box::new(raw::Raw)),
        ("readable_url", Box::new(readable_url::ReadableUrl)),
        ("reading_time", Box::new(reading_time::ReadingTime)),
        ("recommendations", Box::new(comments::Disabled)),
        ("search", Box::new(search::Search)),
        ("social_accounts", Box::new(social_accounts::SocialAccounts)),
        ("social_url", Box::new(social_url::SocialUrl)),
        ("split", Box::new(concat::Split)),
        ("subscribe_form", Box::new(subscribe_form::SubscribeForm)),
        ("tags", Box::new(tags::Tags)),
        ("tiers", Box::new(comments::Disabled)),
        ("title", Box::new(title::Title)),
        (
            "twitter_url",
            Box::new(social_url::NetworkUrl { kind: "twitter" }),
        ),
        (
            "total_members",
            Box::new(total_members::TotalMembers { paid: false }),
        ),
        (
            "total_paid_members",
            Box::new(total_members::TotalMembers { paid: true }),
        ),
        ("t", Box::new(translate::Translate)),
        ("url", Box::new(url::Url)),
        (missing::PATH_BLOCK, Box::new(missing::PathBlock)),
        ("helperMissing", Box::new(missing::HelperMissing::default())),
        (
            "blockHelperMissing",
            Box::new(missing::BlockHelperMissing::default()),
        ),
    ]
}

/// Registers every helper on `registry`.
pub(crate) fn register(
    registry: &mut Handlebars<'static>,
    asset_versions: HashMap<String, String>,
) {
    for (name, helper) in table(asset_versions) {
        registry.register_helper(name, helper);
    }
}

/// Whether a template may call `name`: Handlebars' helpers and Dateline's.
pub(crate) fn is_known(name: &str) -> bool {
    BUILTIN.contains(&name)
        || table(HashMap::new())
            .iter()
            .any(|(known, _)| *known == name)
}

/// Forgets what the previous page set aside with `{{#contentFor}}`.
pub(crate) fn reset_blocks() {
    content_for::reset();
}

/// A root key of the page data: Ghost's globals (`$site`, …) and the engine's `$render`.
fn root<'a>(ctx: &'a Context, key: &str) -> &'a Json {
    ctx.data().get(key).unwrap_or(&Json::Null)
}

/// A value the engine computed for the whole page (title, `ghost_head`, contexts, …).
fn page_value<'a>(ctx: &'a Context, key: &str) -> &'a Json {
    root(ctx, "$render").get(key).unwrap_or(&Json::Null)
}

fn site_url(ctx: &Context) -> SiteUrl {
    SiteUrl::new(root(ctx, "$site")["url"].as_str().unwrap_or(""))
}

/// `field` of the current context (the post in `{{#foreach posts}}`, the nav item in
/// `{{#foreach navigation}}`), as Ghost's helpers read `this`. Read in place: the
/// `handlebars` crate's own lookup parses the path and may copy the value on every call.
fn this<'a>(ctx: &'a Context, rc: &'a RenderContext<'_, '_>, field: &str) -> &'a Json {
    let Some(block) = rc.block() else {
        return ctx.data().get(field).unwrap_or(&Json::Null);
    };
    let mut value = match block.base_value() {
        Some(value) => value,
        None => ctx.data(),
    };
    if block.base_value().is_none() {
        for segment in block.base_path() {
            value = match value {
                Json::Object(map) => map.get(segment),
                Json::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            }
            .unwrap_or(&Json::Null);
        }
    }
    value.get(field).unwrap_or(&Json::Null)
}

/// A hash argument as text: Ghost themes pass strings, but `limit=3` arrives as a number.
fn hash_text(h: &Helper<'_>, key: &str) -> Option<String> {
    h.hash_get(key)
        .map(|v| v.value())
        .filter(|v| !v.is_null())
        .map(|v| v.render())
}

/// A hash argument as a flag: `absolute=true` and `absolute="true"` both count.
fn hash_flag(h: &Helper<'_>, key: &str) -> bool {
    h.hash_get(key).is_some_and(|v| match v.value() {
        Json::Bool(b) => *b,
        Json::String(s) => s == "true",
        _ => false,
    })
}

fn hash_number(h: &Helper<'_>, key: &str) -> Option<i64> {
    h.hash_get(key).and_then(|v| match v.value() {
        Json::Number(n) => n.as_i64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// Text for Handlebars to print (escaped in `{{ }}`, raw in `{{{ }}}`).
fn text<'rc>(text: impl Into<String>) -> Result<ScopedJson<'rc>, RenderError> {
    Ok(ScopedJson::Derived(Json::String(text.into())))
}

/// Writes a URL into an attribute. Ghost's link helpers return "safe" strings, so `=` and
/// friends stay readable; only what could end the attribute or open markup is escaped, and
/// nothing inside `{{{ }}}` or a subexpression, where the raw URL is wanted.
fn write_url(out: &mut dyn Output, rc: &RenderContext<'_, '_>, url: &str) -> HelperResult {
    if rc.is_disable_escape() {
        out.write(url)?;
    } else {
        let mut escaped = String::with_capacity(url.len());
        for c in url.chars() {
            match c {
                '&' => escaped.push_str("&amp;"),
                '<' => escaped.push_str("&lt;"),
                '>' => escaped.push_str("&gt;"),
                '"' => escaped.push_str("&quot;"),
                '\'' => escaped.push_str("&#x27;"),
                c => escaped.push(c),
            }
        }
        out.write(&escaped)?;
    }
    Ok(())
}

/// A comma-separated Ghost argument (`"home, paged"`) as trimmed items.
fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Renders one template with the real helpers, for the helpers' unit tests.

    use handlebars::Handlebars;
    use serde_json::{Value as Json, json};

    use crate::engine::dialect;

    /// `template` (in Ghost's dialect) rendered against `data`, with `$site` and `$render`
    /// defaults merged in unless `data` sets them.
    pub(crate) fn render(template: &str, data: Json) -> String {
        let mut registry = Handlebars::new();
        registry.set_prevent_indent(true);
        registry.register_escape_fn(crate::html::escape);
        super::register(
            &mut registry,
            [("css/screen.css".to_owned(), "abc123".to_owned())].into(),
        );
        registry
            .register_partial("navigation", include_str!("engine/defaults/navigation.hbs"))
            .unwrap();
        registry
            .register_partial("pagination", include_str!("engine/defaults/pagination.hbs"))
            .unwrap();
        let mut root = json!({
            "$site": {
                "url": "http://localhost:2368",
                "timezone": "Asia/Baghdad",
                "locale": "en",
                "navigation": [
                    {"label": "Home", "url": "http://localhost:2368/"},
                    {"label": "About us", "url": "http://localhost:2368/about/"}
                ],
                "secondary_navigation": [],
            },
            "$render": {
                "context": ["post"],
                "url": "http://localhost:2368/about/",
                "listing_url": "http://localhost:2368/tag/news/",
            },
        });
        if let (Json::Object(root), Json::Object(data)) = (&mut root, data) {
            root.extend(data);
        }
        registry
            .render_template(&dialect::translate(template), &root)
            .unwrap()
    }
}
