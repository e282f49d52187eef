//! Sitemaps: Ghost's index and its posts, pages, tags and authors sitemaps, plus a Google News
//! sitemap Ghost lacks (stories of the last 48 hours, at most 1,000).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dateline_core::post::PostType;
use dateline_core::routes::SiteRoutes;
use dateline_core::tag::TagVisibility;
use jiff::SignedDuration;

use crate::AppState;
use crate::error::HttpError;
use crate::xml::escape;

/// Ghost's per-file limit; more entries than this would need sitemap paging.
const MAX_ENTRIES: u32 = 50_000;
/// Google News takes at most this many entries, from the last two days.
const NEWS_MAX: u32 = 1_000;
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset \
    xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
    xmlns:image=\"http://www.google.com/schemas/sitemap-image/1.1\">";

fn xml(body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

fn absolute(site: &str, url: &str) -> String {
    match url.strip_prefix("__GHOST_URL__") {
        Some(rest) => format!("{site}{rest}"),
        None if url.starts_with('/') => format!("{site}{url}"),
        None => url.to_owned(),
    }
}

pub async fn index(State(state): State<AppState>) -> Result<Response, HttpError> {
    let site = &state.site_url;
    let now = dateline_core::time::ghost_utc(dateline_core::time::now());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    for name in ["pages", "posts", "authors", "tags"] {
        out.push_str(&format!(
            "<sitemap><loc>{}/sitemap-{name}.xml</loc><lastmod>{now}</lastmod></sitemap>",
            escape(site)
        ));
    }
    out.push_str("</sitemapindex>");
    Ok(xml(out))
}

pub async fn posts(State(state): State<AppState>) -> Result<Response, HttpError> {
    entries(&state, PostType::Post).await
}

pub async fn pages(State(state): State<AppState>) -> Result<Response, HttpError> {
    entries(&state, PostType::Page).await
}

async fn entries(state: &AppState, post_type: PostType) -> Result<Response, HttpError> {
    let site = &state.site_url;
    let entries = state
        .app
        .sitemap_entries(post_type, None, MAX_ENTRIES)
        .await?;
    let mut out = String::from(URLSET_OPEN);
    for (e, path) in &entries {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod>",
            escape(&format!("{site}{path}")),
            dateline_core::time::ghost_utc(e.updated_at)
        ));
        image_entry(&mut out, site, e.feature_image.as_deref());
        out.push_str("</url>");
    }
    if post_type == PostType::Page {
        out.push_str(&format!("<url><loc>{}/</loc></url>", escape(site)));
    }
    out.push_str("</urlset>");
    Ok(xml(out))
}

/// A story's or tag's feature image, captioned by its file name as Ghost does.
fn image_entry(out: &mut String, site: &str, image: Option<&str>) {
    if let Some(image) = image {
        let image = absolute(site, image);
        let caption = image.rsplit('/').next().unwrap_or_default().to_owned();
        out.push_str(&format!(
            "<image:image><image:loc>{}</image:loc><image:caption>{}</image:caption></image:image>",
            escape(&image),
            escape(&caption)
        ));
    }
}

pub async fn tags(State(state): State<AppState>) -> Result<Response, HttpError> {
    let site = &state.site_url;
    let routes = SiteRoutes::of(&state.app.settings().await?);
    let tags = state.app.list_tags(&Default::default()).await?;
    let mut out = String::from(URLSET_OPEN);
    for (tag, count) in &tags.items {
        if tag.visibility == TagVisibility::Public
            && *count > 0
            && let Some(path) = routes.tag_path(&tag.slug)
        {
            out.push_str(&format!(
                "<url><loc>{}</loc><lastmod>{}</lastmod>",
                escape(&format!("{site}{path}")),
                dateline_core::time::ghost_utc(tag.updated_at)
            ));
            image_entry(&mut out, site, tag.feature_image.as_deref());
            out.push_str("</url>");
        }
    }
    out.push_str("</urlset>");
    Ok(xml(out))
}

pub async fn authors(State(state): State<AppState>) -> Result<Response, HttpError> {
    let site = &state.site_url;
    let routes = SiteRoutes::of(&state.app.settings().await?);
    let authors = state.app.list_authors(&Default::default()).await?;
    let mut out = String::from(URLSET_OPEN);
    for (author, count) in &authors.items {
        if *count > 0
            && let Some(path) = routes.author_path(&author.slug)
        {
            out.push_str(&format!(
                "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
                escape(&format!("{site}{path}")),
                dateline_core::time::ghost_utc(author.updated_at)
            ));
        }
    }
    out.push_str("</urlset>");
    Ok(xml(out))
}

/// Google News: stories of the last 48 hours with the publication's name and language.
pub async fn news(State(state): State<AppState>) -> Result<Response, HttpError> {
    let site = &state.site_url;
    let settings = state.app.settings().await?;
    let since = dateline_core::time::now() - NEWS_WINDOW;
    let entries = state
        .app
        .sitemap_entries(PostType::Post, Some(since), NEWS_MAX)
        .await?;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">",
    );
    for (e, path) in &entries {
        let language = e.language.as_deref().unwrap_or(settings.locale());
        // Google wants ISO 639 codes: the primary subtag of a BCP 47 tag.
        let language = language.split(['-', '_']).next().unwrap_or("en");
        out.push_str(&format!(
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name>\
             <news:language>{}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date><news:title>{}</news:title>\
             </news:news></url>",
            escape(&format!("{site}{path}")),
            escape(settings.title()),
            escape(language),
            e.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            escape(&e.title),
        ));
    }
    out.push_str("</urlset>");
    Ok(xml(out))
}

/// `robots.txt` as Ghost writes it: everything open except the admin, with the sitemap.
pub async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nSitemap: {site}/sitemap.xml\nDisallow: /ghost/\nDisallow: /admin/\n\
         Disallow: /email/\nDisallow: /members/api/comments/counts/\nDisallow: /r/\n\
         Disallow: /webmentions/receive/\n",
        site = state.site_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
