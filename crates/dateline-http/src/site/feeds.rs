//! RSS 2.0 feeds in Ghost's shape (`/rss/`, `/tag/{slug}/rss/`, `/author/{slug}/rss/`): full
//! content in `content:encoded`, the feature image as `media:content`, tags as categories.
//! Feeds are read by no member, so a closed story gives only its public preview (see
//! [`dateline_core::access::served`]), as in Ghost.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use dateline_app::site::{Feed, FeedScope, PostDetail};
use dateline_core::access::Reader;
use dateline_core::routes::SiteRoutes;
use dateline_core::tag::TagVisibility;
use jiff::Timestamp;

use crate::AppState;
use crate::error::HttpError;
use crate::xml::{cdata, escape};

/// A feed's answer; `None` when its tag or author does not exist, so the site tries the
/// path's other readings and ends at its 404 page.
pub(crate) async fn respond(
    state: &AppState,
    scope: FeedScope<'_>,
) -> Result<Option<Response>, HttpError> {
    let Some(feed) = state.app.feed(scope).await? else {
        return Ok(None);
    };
    let body = render(&feed, &state.site_url, dateline_core::time::now());
    Ok(Some(
        (
            [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
            body,
        )
            .into_response(),
    ))
}

/// RFC 822 dates, as RSS wants them.
fn rss_date(t: Timestamp) -> String {
    t.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn absolute(site: &str, url: &str) -> String {
    if let Some(rest) = url.strip_prefix("__GHOST_URL__") {
        format!("{site}{rest}")
    } else if url.starts_with('/') && !url.starts_with("//") {
        format!("{site}{url}")
    } else {
        url.to_owned()
    }
}

pub fn render(feed: &Feed, site: &str, now: Timestamp) -> String {
    let mut out = String::with_capacity(4096 + feed.posts.len() * 4096);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>",
    );
    let link = format!("{site}{}", feed.path);
    out.push_str(&format!(
        "<title>{}</title><description>{}</description><link>{}</link>\
         <generator>Dateline {}</generator><lastBuildDate>{}</lastBuildDate>\
         <atom:link href=\"{}rss/\" rel=\"self\" type=\"application/rss+xml\"/><ttl>60</ttl>",
        cdata(&feed.title),
        cdata(&feed.description),
        escape(&link),
        env!("CARGO_PKG_VERSION"),
        rss_date(now),
        escape(&link),
    ));
    for post in &feed.posts {
        item(&mut out, post, &feed.routes, site);
    }
    out.push_str("</channel></rss>");
    out
}

fn item(out: &mut String, detail: &PostDetail, routes: &SiteRoutes, site: &str) {
    let p = &detail.post;
    let served = dateline_core::access::served(p, Reader::Anonymous);
    out.push_str("<item>");
    out.push_str(&format!("<title>{}</title>", cdata(&p.title)));
    out.push_str(&format!(
        "<description>{}</description>",
        cdata(&served.excerpt)
    ));
    out.push_str(&format!(
        "<link>{}</link>",
        escape(&format!(
            "{site}{}",
            routes
                .post_path(&detail.record())
                .as_deref()
                .unwrap_or("/404/")
        ))
    ));
    out.push_str(&format!(
        "<guid isPermaLink=\"false\">{}</guid>",
        escape(p.id.as_str())
    ));
    for tag in detail
        .tags
        .iter()
        .filter(|t| t.visibility == TagVisibility::Public)
    {
        out.push_str(&format!("<category>{}</category>", cdata(&tag.name)));
    }
    for author in &detail.authors {
        out.push_str(&format!("<dc:creator>{}</dc:creator>", cdata(&author.name)));
    }
    if let Some(at) = p.published_at {
        out.push_str(&format!("<pubDate>{}</pubDate>", rss_date(at)));
    }
    let mut content = String::new();
    if let Some(image) = p.feature_image.as_deref() {
        let image = absolute(site, image);
        out.push_str(&format!(
            "<media:content url=\"{}\" medium=\"image\"/>",
            escape(&image)
        ));
        let alt = p.feature_image_alt.as_deref().unwrap_or(&p.title);
        content.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\">",
            escape(&image),
            escape(alt)
        ));
    }
    let html = served
        .html
        .as_deref()
        .unwrap_or("")
        .replace("__GHOST_URL__", site);
    content.push_str(&dateline_core::outbound_links::tag(&html, site));
    out.push_str(&format!(
        "<content:encoded>{}</content:encoded>",
        cdata(&content)
    ));
    out.push_str("</item>");
}
