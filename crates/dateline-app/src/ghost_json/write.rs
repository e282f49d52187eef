//! Writing a site as a Ghost 5 export. Ghost's importer reads the `posts` (with `html`, wrapped
//! in a Lexical HTML card so Ghost keeps the markup exactly), `posts_meta`, `tags`, `users`,
//! `roles`, `roles_users`, `posts_tags`, `posts_authors` and `settings` tables, and the
//! readers' side ([`membership`]); it ignores the `dateline_*` tables, which carry what Ghost
//! has no column for.

use dateline_core::post::Post;
use dateline_core::role::Role;
use dateline_core::settings::Setting;
use dateline_core::tag::Tag;
use dateline_core::user::User;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::SiteData;

mod membership;

/// The Ghost version whose export format this writes.
pub const GHOST_VERSION: &str = "5.130.6";

const ROLES: [Role; 5] = [
    Role::Administrator,
    Role::Editor,
    Role::Author,
    Role::Contributor,
    Role::Owner,
];

pub fn to_json(site: &SiteData, exported_on: Timestamp) -> Value {
    let mut data = Map::new();
    data.insert("posts".into(), site.posts.iter().map(post).collect());
    data.insert(
        "posts_meta".into(),
        site.posts.iter().map(post_meta).collect(),
    );
    data.insert("tags".into(), site.tags.iter().map(tag).collect());
    data.insert(
        "posts_tags".into(),
        links(&site.posts, |p| &p.tag_ids, "tag_id"),
    );
    data.insert("users".into(), site.users.iter().map(user).collect());
    data.insert(
        "posts_authors".into(),
        links(&site.posts, |p| &p.author_ids, "author_id"),
    );
    data.insert(
        "roles".into(),
        ROLES.iter().map(|r| role(*r, exported_on)).collect(),
    );
    data.insert(
        "roles_users".into(),
        site.users.iter().map(role_user).collect(),
    );
    data.insert(
        "settings".into(),
        site.settings.iter().map(setting).collect(),
    );
    data.insert(
        "dateline_posts".into(),
        site.posts.iter().map(newsroom).collect(),
    );
    data.insert("dateline_post_corrections".into(), corrections(&site.posts));
    membership::insert_tables(&mut data, &site.membership);
    json!({
        "db": [{
            "meta": { "exported_on": exported_on.as_millisecond(), "version": GHOST_VERSION },
            "data": Value::Object(data),
        }]
    })
}

/// Ghost's export time format: `2025-09-08 10:30:00`, UTC.
fn time(t: Timestamp) -> Value {
    Value::String(t.strftime("%Y-%m-%d %H:%M:%S").to_string())
}

fn opt_time(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, time)
}

/// The kept source document goes out as it came in; a body that never had one goes out as an
/// HTML card, which Ghost imports and renders back to the same HTML.
fn post(p: &Post) -> Value {
    json!({
        "id": p.id, "uuid": p.uuid, "title": p.title, "slug": p.slug,
        "mobiledoc": p.mobiledoc(),
        "lexical": p.lexical(),
        "html": p.html, "comment_id": p.comment_id, "plaintext": p.plaintext,
        "feature_image": p.feature_image, "featured": u8::from(p.featured),
        "type": p.post_type.as_str(), "status": p.status.as_str(), "locale": p.language,
        "visibility": p.visibility.as_str(), "email_recipient_filter": p.email_recipient_filter,
        "created_at": time(p.created_at), "updated_at": time(p.updated_at),
        "published_at": opt_time(p.published_at), "custom_excerpt": p.custom_excerpt,
        "codeinjection_head": p.codeinjection_head, "codeinjection_foot": p.codeinjection_foot,
        "custom_template": p.custom_template, "canonical_url": p.canonical_url,
        "newsletter_id": null,
        "show_title_and_feature_image": u8::from(p.show_title_and_feature_image),
    })
}

fn post_meta(p: &Post) -> Value {
    json!({
        "id": derived_id(p.id.as_str(), 'm'), "post_id": p.id,
        "og_image": p.og_image, "og_title": p.og_title, "og_description": p.og_description,
        "twitter_image": p.twitter_image, "twitter_title": p.twitter_title,
        "twitter_description": p.twitter_description, "meta_title": p.meta_title,
        "meta_description": p.meta_description, "email_subject": p.email_subject,
        "frontmatter": null, "feature_image_alt": p.feature_image_alt,
        "feature_image_caption": p.feature_image_caption, "email_only": u8::from(p.email_only),
    })
}

fn newsroom(p: &Post) -> Value {
    json!({ "post_id": p.id, "dateline": p.dateline, "markdown": p.markdown })
}

fn corrections(posts: &[Post]) -> Value {
    posts
        .iter()
        .flat_map(|p| {
            p.corrections.iter().map(move |c| {
                json!({ "id": c.id, "post_id": p.id, "note": c.note, "created_at": time(c.created_at) })
            })
        })
        .collect()
}

/// Join-table rows in order, with stable ids derived from the post id and position.
fn links(
    posts: &[Post],
    ids: impl Fn(&Post) -> &Vec<dateline_core::id::ObjectId>,
    field: &str,
) -> Value {
    posts
        .iter()
        .flat_map(|p| {
            ids(p).iter().enumerate().map(move |(order, id)| {
                let mut row = Map::new();
                row.insert(
                    "id".into(),
                    Value::String(derived_id(
                        &format!("{}{order}", p.id),
                        field.as_bytes()[0] as char,
                    )),
                );
                row.insert("post_id".into(), json!(p.id));
                row.insert(field.into(), json!(id));
                row.insert("sort_order".into(), json!(order));
                Value::Object(row)
            })
        })
        .collect()
}

/// A 24-hex id made from another: join rows need ids, and the same site should always export
/// the same file.
fn derived_id(seed: &str, salt: char) -> String {
    let mut hash: u128 = 0xcbf2_9ce4_8422_2325_8422_2325_cbf2_9ce4;
    for byte in seed.bytes().chain(std::iter::once(salt as u8)) {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    format!("{:024x}", hash & ((1u128 << 96) - 1))
}

fn tag(t: &Tag) -> Value {
    json!({
        "id": t.id, "name": t.name, "slug": t.slug, "description": t.description,
        "feature_image": t.feature_image, "parent_id": t.parent_id,
        "visibility": t.visibility.as_str(), "og_image": t.og_image, "og_title": t.og_title,
        "og_description": t.og_description, "twitter_image": t.twitter_image,
        "twitter_title": t.twitter_title, "twitter_description": t.twitter_description,
        "meta_title": t.meta_title, "meta_description": t.meta_description,
        "codeinjection_head": t.codeinjection_head, "codeinjection_foot": t.codeinjection_foot,
        "canonical_url": t.canonical_url, "accent_color": t.accent_color,
        "created_at": time(t.created_at), "updated_at": time(t.updated_at),
    })
}

fn user(u: &User) -> Value {
    let s = &u.social;
    json!({
        "id": u.id, "name": u.name, "slug": u.slug, "password": u.password_hash,
        "email": u.email, "profile_image": u.profile_image, "cover_image": u.cover_image,
        "bio": u.bio, "website": u.website, "location": u.location, "facebook": u.facebook,
        "twitter": u.twitter, "threads": s.threads, "bluesky": s.bluesky,
        "mastodon": s.mastodon, "tiktok": s.tiktok, "youtube": s.youtube,
        "instagram": s.instagram, "linkedin": s.linkedin, "accessibility": u.accessibility,
        "status": u.status, "locale": u.locale, "visibility": u.visibility,
        "meta_title": u.meta_title, "meta_description": u.meta_description, "tour": u.tour,
        "last_seen": opt_time(u.last_seen),
        "created_at": time(u.created_at), "updated_at": time(u.updated_at),
    })
}

fn role_id(r: Role) -> String {
    derived_id(r.as_str(), 'r')
}

fn role(r: Role, now: Timestamp) -> Value {
    json!({
        "id": role_id(r), "name": r.as_str(), "description": r.as_str(),
        "created_at": time(now), "updated_at": time(now),
    })
}

fn role_user(u: &User) -> Value {
    json!({ "id": derived_id(u.id.as_str(), 'u'), "role_id": role_id(u.role), "user_id": u.id })
}

fn setting(s: &Setting) -> Value {
    json!({
        "id": derived_id(&s.key, 's'), "group": s.group, "key": s.key, "value": s.value,
        "type": s.value_type, "flags": s.flags,
    })
}
