//! The Admin API's JSON shapes. They extend the Content API's: every status, staff emails and
//! roles, the editable source (Dateline's `markdown`), the newsroom fields (`dateline`,
//! `language`, `corrections`), and dates in UTC (`2025-09-08T10:30:00.000Z`) as Ghost's Admin
//! API writes them.

use dateline_app::site::PostDetail;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_core::role::Role;
use dateline_core::settings::Setting;
use dateline_core::tag::Tag;
use dateline_core::user::User;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::content_api::json::{self as content_json, Site};
use crate::content_api::params::Params;

/// `2025-09-08T10:30:00.000Z`.
pub fn time(t: Timestamp) -> Value {
    Value::String(dateline_core::time::ghost_utc(t))
}

fn opt_time(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, time)
}

fn text(value: &Option<String>) -> Value {
    value
        .as_deref()
        .map_or(Value::Null, |s| Value::String(s.to_owned()))
}

/// Which body formats and fields an answer carries. Ghost's Admin API answers with `mobiledoc`
/// and `lexical` when `formats` is not given, and leaves `html` and `plaintext` out unless it
/// asks for them; Dateline always sends its `markdown` source.
#[derive(Debug, Default)]
pub struct Shape {
    html: bool,
    plaintext: bool,
    lexical: bool,
    mobiledoc: bool,
    fields: Option<Vec<String>>,
}

impl Shape {
    pub fn new(params: &Params) -> Shape {
        let list = |text: &Option<String>| -> Vec<String> {
            text.as_deref()
                .unwrap_or("")
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let formats = list(&params.formats);
        let fields = list(&params.fields);
        let has = |f: &str| formats.iter().any(|x| x == f);
        let source_formats = formats.is_empty();
        Shape {
            html: has("html"),
            plaintext: has("plaintext"),
            lexical: source_formats || has("lexical"),
            mobiledoc: source_formats || has("mobiledoc"),
            fields: (!fields.is_empty()).then_some(fields),
        }
    }

    fn select(&self, o: Map<String, Value>) -> Value {
        match &self.fields {
            None => Value::Object(o),
            Some(fields) => Value::Object(
                o.into_iter()
                    .filter(|(k, _)| fields.iter().any(|f| f == k))
                    .collect(),
            ),
        }
    }
}

/// A post or page as the Admin API answers it; tags and authors are always included, as Ghost
/// includes them by default for staff.
pub fn post(site: &Site, detail: &PostDetail, shape: &Shape) -> Value {
    let p: &Post = &detail.post;
    let mut o = Map::new();
    o.insert("id".into(), json!(p.id));
    o.insert("uuid".into(), json!(p.uuid));
    o.insert("title".into(), json!(p.title));
    o.insert("slug".into(), json!(p.slug));
    // The document the post was written in, unchanged; a post written in Markdown or HTML
    // reads as Lexical holding its HTML, which Ghost's editor and tools can open. Imported
    // documents keep Ghost's `__GHOST_URL__`, which Ghost's API writes out as the site's URL.
    let absolute = |doc: &str| Value::String(doc.replace("__GHOST_URL__", &site.url));
    if shape.mobiledoc {
        o.insert(
            "mobiledoc".into(),
            p.mobiledoc().map_or(Value::Null, absolute),
        );
    }
    if shape.lexical {
        o.insert(
            "lexical".into(),
            p.lexical().as_deref().map_or(Value::Null, absolute),
        );
    }
    o.insert("markdown".into(), text(&p.markdown));
    if shape.html {
        o.insert(
            "html".into(),
            p.html.as_deref().map_or(Value::Null, absolute),
        );
    }
    o.insert("comment_id".into(), text(&p.comment_id));
    if shape.plaintext {
        o.insert("plaintext".into(), text(&p.plaintext));
    }
    o.insert(
        "feature_image".into(),
        site.absolute(p.feature_image.as_deref()),
    );
    o.insert("featured".into(), json!(p.featured));
    o.insert("status".into(), json!(p.status.as_str()));
    o.insert("visibility".into(), json!(p.visibility.as_str()));
    o.insert("created_at".into(), time(p.created_at));
    o.insert("updated_at".into(), time(p.updated_at));
    o.insert("published_at".into(), opt_time(p.published_at));
    for (key, value) in [
        ("custom_excerpt", &p.custom_excerpt),
        ("codeinjection_head", &p.codeinjection_head),
        ("codeinjection_foot", &p.codeinjection_foot),
        ("custom_template", &p.custom_template),
        ("canonical_url", &p.canonical_url),
        ("dateline", &p.dateline),
        ("language", &p.language),
    ] {
        o.insert(key.into(), text(value));
    }
    let corrections: Vec<Value> = p
        .corrections
        .iter()
        .map(|c| json!({ "id": c.id, "note": c.note, "created_at": time(c.created_at) }))
        .collect();
    o.insert("corrections".into(), Value::Array(corrections));
    let tags: Vec<Value> = detail.tags.iter().map(|t| tag(site, t, None)).collect();
    o.insert("tags".into(), Value::Array(tags));
    o.insert("tiers".into(), json!([]));
    let authors: Vec<Value> = detail.authors.iter().map(|a| user(site, a, None)).collect();
    o.insert("authors".into(), Value::Array(authors));
    o.insert(
        "primary_author".into(),
        detail
            .primary_author()
            .map_or(Value::Null, |a| user(site, a, None)),
    );
    o.insert(
        "primary_tag".into(),
        detail
            .primary_tag()
            .map_or(Value::Null, |t| tag(site, t, None)),
    );
    if p.post_type == PostType::Post {
        o.insert("email_segment".into(), json!(p.email_recipient_filter));
    }
    o.insert("url".into(), json!(post_url(site, detail)));
    o.insert("excerpt".into(), json!(p.excerpt()));
    o.insert("reading_time".into(), json!(p.reading_time()));
    for (key, value) in [
        ("og_image", site.absolute(p.og_image.as_deref())),
        ("og_title", text(&p.og_title)),
        ("og_description", text(&p.og_description)),
        ("twitter_image", site.absolute(p.twitter_image.as_deref())),
        ("twitter_title", text(&p.twitter_title)),
        ("twitter_description", text(&p.twitter_description)),
        ("meta_title", text(&p.meta_title)),
        ("meta_description", text(&p.meta_description)),
    ] {
        o.insert(key.into(), value);
    }
    if p.post_type == PostType::Post {
        o.insert("email_subject".into(), text(&p.email_subject));
    }
    o.insert("frontmatter".into(), Value::Null);
    o.insert("feature_image_alt".into(), text(&p.feature_image_alt));
    o.insert(
        "feature_image_caption".into(),
        text(&p.feature_image_caption),
    );
    match p.post_type {
        PostType::Post => {
            o.insert("email_only".into(), json!(p.email_only));
            o.insert("newsletter".into(), Value::Null);
            o.insert("email".into(), Value::Null);
        }
        PostType::Page => {
            o.insert(
                "show_title_and_feature_image".into(),
                json!(p.show_title_and_feature_image),
            );
        }
    }
    shape.select(o)
}

/// Ghost's rule: a published story's address, or its preview address before that.
fn post_url(site: &Site, detail: &PostDetail) -> String {
    let p = &detail.post;
    match p.status {
        PostStatus::Published => site.post_url(detail),
        _ => format!("{}/p/{}/", site.url, p.uuid),
    }
}

/// A tag: the Content API's shape with its dates.
pub fn tag(site: &Site, t: &Tag, count: Option<u64>) -> Value {
    let Value::Object(mut o) = content_json::tag(site, t, count) else {
        return Value::Null;
    };
    let at = o.len() - 1;
    o.shift_insert(at, "created_at".into(), time(t.created_at));
    o.shift_insert(at + 1, "updated_at".into(), time(t.updated_at));
    Value::Object(o)
}

/// A staff user as staff see them: the public profile plus email, status, role and dates.
pub fn user(site: &Site, u: &User, count: Option<u64>) -> Value {
    let Value::Object(public) = content_json::author(site, u, count) else {
        return Value::Null;
    };
    let mut o = Map::new();
    for (key, value) in public {
        if key == "url" {
            o.insert("accessibility".into(), text(&u.accessibility));
            o.insert("status".into(), json!(u.status));
            o.insert("locale".into(), text(&u.locale));
            o.insert("visibility".into(), json!(u.visibility));
            o.insert("tour".into(), text(&u.tour));
            o.insert("last_seen".into(), opt_time(u.last_seen));
            o.insert("created_at".into(), time(u.created_at));
            o.insert("updated_at".into(), time(u.updated_at));
            o.insert("roles".into(), json!([role(u.role)]));
        }
        o.insert(key.clone(), value);
        if key == "slug" {
            o.insert("email".into(), json!(u.email));
        }
    }
    Value::Object(o)
}

/// A role as Ghost describes it (Ghost's fixtures give these descriptions).
fn role(role: Role) -> Value {
    let description = match role {
        Role::Owner => "Blog Owner",
        Role::Administrator => "Administrators",
        Role::Editor => "Editors",
        Role::Author => "Authors",
        Role::Contributor => "Contributors",
    };
    json!({ "name": role.as_str(), "description": description })
}

/// Settings as Ghost's Admin API lists them: `[{"key","value"}]`, booleans as booleans and
/// everything else as its stored text.
pub fn settings(all: &[Setting]) -> Value {
    let items: Vec<Value> = all
        .iter()
        .map(|s| {
            let value = match (s.value_type.as_str(), s.value.as_deref()) {
                (_, None) => Value::Null,
                ("boolean", Some(v)) => json!(v == "true"),
                (_, Some(v)) => json!(v),
            };
            json!({ "key": s.key, "value": value })
        })
        .collect();
    json!({ "settings": items, "meta": {} })
}
