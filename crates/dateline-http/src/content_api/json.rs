//! Ghost's JSON shapes for posts, pages, tags and authors: field names, order, nulls, dates in
//! the site's timezone with milliseconds, absolute URLs.

use dateline_app::content::Listing;
use dateline_app::site::PostDetail;
use dateline_core::access::Reader;
use dateline_core::post::{Post, PostType};
use dateline_core::routes::SiteRoutes;
use dateline_core::tag::{Tag, TagVisibility};
use dateline_core::user::User;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Map, Value, json};

use super::params::Shape;

/// What every answer needs to know about the site.
pub struct Site {
    /// Without a trailing slash.
    pub url: String,
    pub tz: TimeZone,
    /// Ghost's `outbound_link_tagging`: add `?ref=<host>` to links that leave the site.
    pub tag_outbound_links: bool,
    /// The active `routes.yaml`, which gives posts, tags and authors their `url`.
    pub routes: std::sync::Arc<SiteRoutes>,
}

impl Site {
    pub fn new(url: &str, settings: &dateline_core::settings::Settings) -> Site {
        Site {
            url: url.to_owned(),
            tz: TimeZone::get(settings.timezone()).unwrap_or(TimeZone::UTC),
            tag_outbound_links: dateline_core::outbound_links::enabled(settings),
            routes: SiteRoutes::of(settings),
        }
    }

    /// A published post's or page's `url`: where the active routes put it, or Ghost's
    /// `/404/` when no collection takes it.
    pub fn post_url(&self, detail: &PostDetail) -> String {
        let path = self.routes.post_path(&detail.record());
        format!("{}{}", self.url, path.as_deref().unwrap_or("/404/"))
    }

    /// `2025-09-08T13:30:00.000+03:00`, as Ghost writes dates.
    pub fn time(&self, t: Timestamp) -> Value {
        Value::String(
            t.to_zoned(self.tz.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
                .to_string(),
        )
    }

    fn opt_time(&self, t: Option<Timestamp>) -> Value {
        t.map_or(Value::Null, |t| self.time(t))
    }

    /// A stored URL made absolute: Ghost's `__GHOST_URL__` placeholder and site-relative
    /// paths get the site's address.
    pub fn absolute(&self, stored: Option<&str>) -> Value {
        match stored {
            None | Some("") => Value::Null,
            Some(url) => Value::String(self.absolute_str(url)),
        }
    }

    fn absolute_str(&self, url: &str) -> String {
        if let Some(rest) = url.strip_prefix("__GHOST_URL__") {
            format!("{}{rest}", self.url)
        } else if url.starts_with('/') && !url.starts_with("//") {
            format!("{}{url}", self.url)
        } else {
            url.to_owned()
        }
    }

    /// Body HTML as the API serves it.
    fn html(&self, html: &str) -> String {
        let html = html.replace("__GHOST_URL__", &self.url);
        if self.tag_outbound_links {
            dateline_core::outbound_links::tag(&html, &self.url).into_owned()
        } else {
            html
        }
    }
}

fn text(value: &Option<String>) -> Value {
    value
        .as_deref()
        .map_or(Value::Null, |s| Value::String(s.to_owned()))
}

pub fn post(site: &Site, detail: &PostDetail, shape: &Shape) -> Value {
    let p: &Post = &detail.post;
    // The Content API answers for no member (its key is public), so a closed story gives only
    // its preview, as Ghost's serializer does; `reading_time` stays the whole story's.
    let served = dateline_core::access::served(p, Reader::Anonymous);
    let mut o = Map::new();
    o.insert("id".into(), json!(p.id));
    o.insert("uuid".into(), json!(p.uuid));
    o.insert("title".into(), json!(p.title));
    o.insert("slug".into(), json!(p.slug));
    if shape.html {
        o.insert(
            "html".into(),
            served
                .html
                .as_deref()
                .map_or(Value::Null, |h| Value::String(site.html(h))),
        );
    }
    o.insert("comment_id".into(), text(&p.comment_id));
    if shape.plaintext {
        o.insert("plaintext".into(), json!(served.plaintext));
    }
    o.insert(
        "feature_image".into(),
        site.absolute(p.feature_image.as_deref()),
    );
    o.insert("featured".into(), json!(p.featured));
    o.insert("visibility".into(), json!(p.visibility.as_str()));
    o.insert("created_at".into(), site.time(p.created_at));
    o.insert("updated_at".into(), site.time(p.updated_at));
    o.insert("published_at".into(), site.opt_time(p.published_at));
    o.insert("custom_excerpt".into(), text(&p.custom_excerpt));
    o.insert("codeinjection_head".into(), text(&p.codeinjection_head));
    o.insert("codeinjection_foot".into(), text(&p.codeinjection_foot));
    o.insert("custom_template".into(), text(&p.custom_template));
    o.insert("canonical_url".into(), text(&p.canonical_url));
    if p.post_type == PostType::Page {
        o.insert(
            "show_title_and_feature_image".into(),
            json!(p.show_title_and_feature_image),
        );
    }
    if shape.tags {
        let tags: Vec<Value> = detail.tags.iter().map(|t| tag(site, t, None)).collect();
        o.insert("tags".into(), Value::Array(tags));
    }
    if shape.authors {
        let authors: Vec<Value> = detail
            .authors
            .iter()
            .map(|a| author(site, a, None))
            .collect();
        o.insert("authors".into(), Value::Array(authors));
        o.insert(
            "primary_author".into(),
            detail
                .primary_author()
                .map_or(Value::Null, |a| author(site, a, None)),
        );
    }
    if shape.tags {
        o.insert(
            "primary_tag".into(),
            detail
                .primary_tag()
                .map_or(Value::Null, |t| tag(site, t, None)),
        );
    }
    o.insert("url".into(), json!(site.post_url(detail)));
    o.insert("excerpt".into(), json!(served.excerpt));
    // Ghost derives reading time from the HTML and leaves it out when the HTML was not selected.
    if p.html.is_some()
        && shape
            .fields
            .as_ref()
            .is_none_or(|f| f.iter().any(|x| x == "html"))
    {
        o.insert("reading_time".into(), json!(p.reading_time()));
    }
    o.insert("access".into(), json!(served.access));
    o.insert("comments".into(), json!(false));
    for (key, value) in [
        ("og_image", site.absolute(p.og_image.as_deref())),
        ("og_title", text(&p.og_title)),
        ("og_description", text(&p.og_description)),
        ("twitter_image", site.absolute(p.twitter_image.as_deref())),
        ("twitter_title", text(&p.twitter_title)),
        ("twitter_description", text(&p.twitter_description)),
        ("meta_title", text(&p.meta_title)),
        ("meta_description", text(&p.meta_description)),
        ("frontmatter", Value::Null),
        ("feature_image_alt", text(&p.feature_image_alt)),
        ("feature_image_caption", text(&p.feature_image_caption)),
    ] {
        o.insert(key.into(), value);
    }
    // Pages are never emailed, so Ghost gives them no subject.
    if p.post_type == PostType::Post {
        o.shift_insert(o.len() - 3, "email_subject".into(), text(&p.email_subject));
    }
    select(o, shape)
}

pub fn tag(site: &Site, t: &Tag, count: Option<u64>) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(t.id));
    o.insert("name".into(), json!(t.name));
    o.insert("slug".into(), json!(t.slug));
    o.insert("description".into(), text(&t.description));
    o.insert(
        "feature_image".into(),
        site.absolute(t.feature_image.as_deref()),
    );
    o.insert("visibility".into(), json!(t.visibility.as_str()));
    o.insert("og_image".into(), site.absolute(t.og_image.as_deref()));
    o.insert("og_title".into(), text(&t.og_title));
    o.insert("og_description".into(), text(&t.og_description));
    o.insert(
        "twitter_image".into(),
        site.absolute(t.twitter_image.as_deref()),
    );
    o.insert("twitter_title".into(), text(&t.twitter_title));
    o.insert("twitter_description".into(), text(&t.twitter_description));
    o.insert("meta_title".into(), text(&t.meta_title));
    o.insert("meta_description".into(), text(&t.meta_description));
    o.insert("codeinjection_head".into(), text(&t.codeinjection_head));
    o.insert("codeinjection_foot".into(), text(&t.codeinjection_foot));
    o.insert("canonical_url".into(), text(&t.canonical_url));
    o.insert("accent_color".into(), text(&t.accent_color));
    if let Some(n) = count {
        o.insert("count".into(), json!({ "posts": n }));
    }
    // Internal tags have no page; Ghost points them at its 404.
    let url = match t.visibility {
        TagVisibility::Public => format!(
            "{}{}",
            site.url,
            site.routes.tag_path(&t.slug).as_deref().unwrap_or("/404/")
        ),
        TagVisibility::Internal => format!("{}/404/", site.url),
    };
    o.insert("url".into(), json!(url));
    Value::Object(o)
}

pub fn author(site: &Site, u: &User, count: Option<u64>) -> Value {
    let s = &u.social;
    let mut o = Map::new();
    o.insert("id".into(), json!(u.id));
    o.insert("name".into(), json!(u.name));
    o.insert("slug".into(), json!(u.slug));
    o.insert(
        "profile_image".into(),
        site.absolute(u.profile_image.as_deref()),
    );
    o.insert(
        "cover_image".into(),
        site.absolute(u.cover_image.as_deref()),
    );
    for (key, value) in [
        ("bio", &u.bio),
        ("website", &u.website),
        ("location", &u.location),
        ("facebook", &u.facebook),
        ("twitter", &u.twitter),
        ("threads", &s.threads),
        ("bluesky", &s.bluesky),
        ("mastodon", &s.mastodon),
        ("tiktok", &s.tiktok),
        ("youtube", &s.youtube),
        ("instagram", &s.instagram),
        ("linkedin", &s.linkedin),
        ("meta_title", &u.meta_title),
        ("meta_description", &u.meta_description),
    ] {
        o.insert(key.into(), text(value));
    }
    if let Some(n) = count {
        o.insert("count".into(), json!({ "posts": n }));
    }
    o.insert(
        "url".into(),
        json!(format!(
            "{}{}",
            site.url,
            site.routes
                .author_path(&u.slug)
                .as_deref()
                .unwrap_or("/404/")
        )),
    );
    Value::Object(o)
}

/// Keeps only the requested `fields`, in Ghost's order.
pub(crate) fn select(o: Map<String, Value>, shape: &Shape) -> Value {
    match &shape.fields {
        None => Value::Object(o),
        Some(fields) => Value::Object(
            o.into_iter()
                .filter(|(k, _)| fields.iter().any(|f| f == k))
                .collect(),
        ),
    }
}

/// `meta.pagination`, as Ghost's pagination plugin counts pages: `next` and `prev` only when
/// there is more than one page, and a page past the end points both ways from itself.
pub fn pagination<T>(listing: &Listing<T>) -> Value {
    let pages = listing.pages();
    let page = u64::from(listing.page);
    let (next, prev) = if pages <= 1 {
        (None, None)
    } else if page == 1 {
        (Some(page + 1), None)
    } else if page == pages {
        (None, Some(page - 1))
    } else {
        (Some(page + 1), Some(page - 1))
    };
    json!({
        "pagination": {
            "page": page,
            "limit": listing.limit.map_or(json!("all"), |l| json!(l)),
            "pages": pages,
            "total": listing.total,
            "next": next,
            "prev": prev,
        }
    })
}
