//! What `{{ghost_head}}` and `{{ghost_foot}}` print, and the page title and description behind
//! `{{meta_title}}`: the metadata search engines, social networks and feed readers read.
//!
//! Built from the typed page rather than in a helper so every value has one definition, and so
//! the code injected by staff (site-wide, then the story's) lands after Dateline's own tags,
//! where Ghost puts it, letting a site override any of them.

use crate::downsize::{Cut, downsize};
use crate::html::escape_into;

use crate::helpers::CONTENT_API_PATH;
use crate::json_ld;
use crate::page::{PageView, ThemeGlobals};
use crate::view::{PostView, SiteView};

/// Ghost's social descriptions fall back to this many words of the story's excerpt.
const EXCERPT_WORDS: usize = 50;

/// The title, description and social-card fields of one page, chosen by Ghost's rules
/// (`core/frontend/meta/*` in Ghost 5): what each context reads, in which order.
pub(crate) struct PageMeta {
    pub(crate) title: String,
    /// On a later page of a listing whose title ends with Ghost's ` (Page N)`: the title
    /// before it and N, so `{{meta_title page=" – page %"}}` can put the theme's own words there.
    pub(crate) paged_title: Option<(String, u32)>,
    /// `<meta name="description">`: only what staff wrote (a meta description, a custom
    /// excerpt, a tag's or author's description), never a cut of the body.
    pub(crate) description: Option<String>,
    pub(crate) canonical: Option<String>,
    /// The social cards and JSON-LD, which Ghost leaves off later pages and error pages.
    pub(crate) social: Option<Social>,
}

pub(crate) struct Social {
    og_type: &'static str,
    og_title: String,
    pub(crate) og_description: Option<String>,
    og_image: Option<String>,
    twitter_title: String,
    twitter_description: Option<String>,
    twitter_image: Option<String>,
    /// Ghost's "cover image" of the page (a story's feature image, an author's cover), which
    /// stands in for a missing card image.
    cover_image: Option<String>,
}

impl PageMeta {
    pub(crate) fn of(page: &PageView) -> Self {
        let site = page.site();
        let paged = page.pagination().map_or(1, |p| p.page);
        // Ghost's order: the page number ends the title ("News - The New Region (Page 2)");
        // the site's own meta title names the front page only, a tag's names every page of it.
        let listing_title = |base: String| -> (String, Option<(String, u32)>) {
            match paged {
                1 => (base, None),
                n => (format!("{base} (Page {n})"), Some((base, n))),
            }
        };
        let canonical = page.listing_url().map(|url| match paged {
            1 => url,
            n => format!("{url}page/{n}/"),
        });
        let site_description = site
            .meta_description
            .clone()
            .or_else(|| non_empty(&site.description));
        let first_page = paged == 1;
        let (title, paged_title, description, social) = match page {
            // A route of `routes.yaml` speaks for the site, as the front page does.
            PageView::Home { .. } | PageView::Named { .. } => {
                let (title, paged_title) = match (&site.meta_title, paged) {
                    (Some(title), 1) => (title.clone(), None),
                    _ => listing_title(site.title.clone()),
                };
                let social = Social {
                    og_type: "website",
                    og_title: site.og_title.clone().unwrap_or_else(|| site.title.clone()),
                    og_description: site.og_description.clone().or(site_description.clone()),
                    og_image: site.og_image.clone().or_else(|| site.cover_image.clone()),
                    twitter_title: site
                        .twitter_title
                        .clone()
                        .unwrap_or_else(|| site.title.clone()),
                    twitter_description: site
                        .twitter_description
                        .clone()
                        .or(site_description.clone()),
                    twitter_image: site
                        .twitter_image
                        .clone()
                        .or_else(|| site.cover_image.clone()),
                    cover_image: site.cover_image.clone(),
                };
                let description = site_description.clone().filter(|_| first_page);
                (title, paged_title, description, Some(social))
            }
            PageView::Post { post, .. } | PageView::Page { page: post, .. } => {
                let title = post
                    .meta_title
                    .clone()
                    .unwrap_or_else(|| post.title.clone());
                let written = post
                    .custom_excerpt
                    .clone()
                    .or_else(|| post.meta_description.clone());
                let social_description = written
                    .clone()
                    .or_else(|| non_empty(downsize(&post.excerpt, Cut::Words(EXCERPT_WORDS))))
                    .or_else(|| non_empty(&site.description));
                let fallback_image = |own: &Option<String>, site_own: &Option<String>| {
                    own.clone()
                        .or_else(|| post.feature_image.clone())
                        .or_else(|| site_own.clone())
                        .or_else(|| site.cover_image.clone())
                };
                let social = Social {
                    og_type: if post.page { "website" } else { "article" },
                    og_title: post.og_title.clone().unwrap_or_else(|| title.clone()),
                    og_description: post
                        .og_description
                        .clone()
                        .or_else(|| social_description.clone()),
                    og_image: fallback_image(&post.og_image, &site.og_image),
                    twitter_title: post.twitter_title.clone().unwrap_or_else(|| title.clone()),
                    twitter_description: post.twitter_description.clone().or(social_description),
                    twitter_image: fallback_image(&post.twitter_image, &site.twitter_image),
                    cover_image: post.feature_image.clone(),
                };
                let description = post
                    .meta_description
                    .clone()
                    .or(post.custom_excerpt.clone());
                (title, None, description, Some(social))
            }
            PageView::Tag { tag, .. } => {
                let (title, paged_title) = match &tag.meta_title {
                    Some(title) => (title.clone(), None),
                    None => listing_title(format!("{} - {}", tag.name, site.title)),
                };
                let own = tag
                    .meta_description
                    .clone()
                    .or_else(|| tag.description.clone());
                let social_description = own.clone().or(site.meta_description.clone());
                let image = |own: &Option<String>| {
                    own.clone()
                        .or_else(|| tag.feature_image.clone())
                        .or_else(|| site.cover_image.clone())
                };
                let social = Social {
                    og_type: "website",
                    og_title: tag.og_title.clone().unwrap_or_else(|| title.clone()),
                    og_description: tag
                        .og_description
                        .clone()
                        .or_else(|| social_description.clone()),
                    og_image: image(&tag.og_image),
                    twitter_title: tag.twitter_title.clone().unwrap_or_else(|| title.clone()),
                    twitter_description: tag.twitter_description.clone().or(social_description),
                    twitter_image: image(&tag.twitter_image),
                    cover_image: tag.feature_image.clone(),
                };
                (title, paged_title, own.filter(|_| first_page), Some(social))
            }
            PageView::Author { author, .. } => {
                // Ghost titles an author's page by name whatever its meta title says.
                let (title, paged_title) =
                    listing_title(format!("{} - {}", author.name, site.title));
                let own = author
                    .meta_description
                    .clone()
                    .or_else(|| author.bio.clone());
                let social_description = own.clone().or(site.meta_description.clone());
                let social = Social {
                    og_type: "profile",
                    og_title: title.clone(),
                    og_description: social_description.clone(),
                    og_image: author.cover_image.clone(),
                    twitter_title: title.clone(),
                    twitter_description: social_description,
                    twitter_image: author.cover_image.clone(),
                    cover_image: author.cover_image.clone(),
                };
                (title, paged_title, own.filter(|_| first_page), Some(social))
            }
            // Ghost's error pages are titled by the site and carry no cards.
            PageView::NotFound { .. } => (site.title.clone(), None, None, None),
        };
        let canonical = canonical.filter(|_| !matches!(page, PageView::NotFound { .. }));
        PageMeta {
            title,
            paged_title,
            description,
            canonical: page
                .entry()
                .and_then(|p| p.canonical_url.clone())
                .or_else(|| match page {
                    PageView::Tag { tag, .. } => tag.canonical_url.clone(),
                    _ => None,
                })
                .filter(|_| first_page)
                .or(canonical),
            social: social.filter(|_| first_page),
        }
    }

    /// What JSON-LD says the page is about: the written description, or the card's.
    pub(crate) fn summary(&self) -> Option<&String> {
        self.description
            .as_ref()
            .or_else(|| self.social.as_ref()?.og_description.as_ref())
    }
}

/// `{{ghost_head}}`: description, canonical and pagination links, OpenGraph and Twitter cards,
/// JSON-LD, the feed link, then code injection.
/// The theme's member forms or Portal links get Dateline's members script, and its search
/// buttons Dateline's search box.
pub(crate) fn ghost_head(page: &PageView, meta: &PageMeta, theme: &ThemeGlobals<'_>) -> String {
    let site = page.site();
    let mut head = Head(String::with_capacity(6144));
    if let Some(description) = &meta.description {
        head.meta("name", "description", description);
    }
    if let Some(canonical) = &meta.canonical {
        head.link("canonical", canonical);
    }
    if matches!(page, PageView::NotFound { .. }) {
        head.meta("name", "robots", "noindex");
    } else {
        head.meta("name", "referrer", "no-referrer-when-downgrade");
    }
    if let (Some(pagination), Some(base)) = (page.pagination(), page.listing_url()) {
        let page_url = |n: u32| match n {
            1 => base.clone(),
            n => format!("{base}page/{n}/"),
        };
        if let Some(prev) = pagination.prev {
            head.link("prev", &page_url(prev));
        }
        if let Some(next) = pagination.next {
            head.link("next", &page_url(next));
        }
    }
    if let Some(social) = &meta.social {
        // Ghost links a wide image's 1200-pixel copy only when the theme makes that size.
        let resizes = theme.image_sizes.as_object().is_some_and(|sizes| {
            sizes
                .values()
                .any(|s| s["width"].as_u64() == Some(u64::from(CARD_IMAGE_WIDTH)))
        });
        social_cards(page, meta, social, resizes, &mut head);
        if let Some(structured) = json_ld::for_page(page, meta) {
            head.raw(&json_ld::script(&structured));
        }
    }
    head.meta("name", "generator", "Dateline");
    head.0
        .push_str(r#"    <link rel="alternate" type="application/rss+xml" title=""#);
    escape_into(&mut head.0, &site.title);
    head.0.push_str(r#"" href=""#);
    escape_into(&mut head.0, &site.rss_url);
    head.0.push_str("\">\n");
    if let Some(icon) = &site.icon {
        head.link("icon", icon);
    }
    if theme.uses_members && site.members_enabled {
        head.0.push_str(&crate::members::script_tag());
    }
    if let (true, Some(key)) = (theme.uses_search, &site.content_api_key) {
        let api = format!("{}{CONTENT_API_PATH}", site.url);
        head.0.push_str(&crate::site_search::script_tag(&api, key));
    }
    // Ghost themes colour buttons and links with the site's accent colour through this
    // variable; `accent_color` is checked to be a hex colour, so it cannot break out.
    if let Some(accent) = &site.accent_color {
        head.0.push_str("    <style>:root {--ghost-accent-color: ");
        head.0.push_str(accent);
        head.0.push_str(";}</style>\n");
    }
    let page_injection = match page {
        PageView::Tag { tag, .. } => tag.codeinjection_head.as_deref(),
        _ => page.entry().and_then(|p| p.codeinjection_head.as_deref()),
    };
    for injected in [site.codeinjection_head.as_deref(), page_injection]
        .into_iter()
        .flatten()
    {
        head.raw(injected);
    }
    head.0
}

/// OpenGraph and Twitter cards, in Ghost's order.
fn social_cards(page: &PageView, meta: &PageMeta, social: &Social, resizes: bool, head: &mut Head) {
    let site = page.site();
    let article = page.entry();
    let og_image = social
        .og_image
        .as_ref()
        .or(social.cover_image.as_ref())
        .map(|url| card_image(site, url, resizes));
    head.meta("property", "og:site_name", &site.title);
    head.meta("property", "og:type", social.og_type);
    head.meta("property", "og:title", &social.og_title);
    if let Some(description) = &social.og_description {
        head.meta("property", "og:description", description);
    }
    if let Some(url) = &meta.canonical {
        head.meta("property", "og:url", url);
    }
    if let Some((image, _)) = &og_image {
        head.meta("property", "og:image", image);
    }
    if let Some(post) = article {
        if let Some(published) = &post.published_at {
            head.meta("property", "article:published_time", &utc(published));
        }
        head.meta("property", "article:modified_time", &utc(&post.updated_at));
        for public in post.tags.iter().filter(|t| t.is_public()) {
            head.meta("property", "article:tag", &public.name);
        }
    }
    if let Some(facebook) = &site.facebook {
        let publisher = format!("https://www.facebook.com/{facebook}");
        head.meta("property", "article:publisher", &publisher);
    }
    // The story's primary author, or the author whose page this is.
    let author = match page {
        PageView::Author { author, .. } => Some(author),
        _ => article.and_then(|p| p.primary_author.as_ref()),
    };
    if let Some(facebook) = author.and_then(|a| a.facebook.as_ref()) {
        let author = format!("https://www.facebook.com/{facebook}");
        head.meta("property", "article:author", &author);
    }

    let twitter_image = social
        .twitter_image
        .as_ref()
        .or(social.cover_image.as_ref())
        .map(|url| card_image(site, url, resizes).0);
    let card = if twitter_image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    head.meta("name", "twitter:card", card);
    head.meta("name", "twitter:title", &social.twitter_title);
    if let Some(description) = &social.twitter_description {
        head.meta("name", "twitter:description", description);
    }
    if let Some(url) = &meta.canonical {
        head.meta("name", "twitter:url", url);
    }
    if let Some(image) = &twitter_image {
        head.meta("name", "twitter:image", image);
    }
    if let Some(post) = article {
        twitter_labels(post, head);
    }
    if let Some(twitter) = &site.twitter {
        head.meta("name", "twitter:site", twitter);
    }
    if let Some(creator) = author.and_then(|a| a.twitter.as_ref()) {
        head.meta("name", "twitter:creator", creator);
    }
    let size = og_image.and_then(|(_, size)| size).or_else(|| {
        let cover = social.cover_image.as_ref()?;
        card_image(site, cover, resizes).1
    });
    if let Some((width, height)) = size {
        head.meta("property", "og:image:width", &width.to_string());
        head.meta("property", "og:image:height", &height.to_string());
    }
}

/// Cards show at most this wide; a wider image of the site's is linked as its resized copy.
const CARD_IMAGE_WIDTH: u32 = 1200;

/// A card's image and the size cards state for it. Ghost states one of the site's own images
/// wider than [`CARD_IMAGE_WIDTH`] at that width, and links its `size/w1200/` copy when the
/// theme `resizes` to that width (otherwise the original).
fn card_image(site: &SiteView, url: &str, resizes: bool) -> (String, Option<(u32, u32)>) {
    match site.images.size(url) {
        Some((width, height)) if width > CARD_IMAGE_WIDTH => {
            let scaled = (u64::from(height) * u64::from(CARD_IMAGE_WIDTH) + u64::from(width) / 2)
                / u64::from(width);
            let size = Some((CARD_IMAGE_WIDTH, u32::try_from(scaled).unwrap_or(u32::MAX)));
            let url = if resizes {
                url.replacen(
                    "/content/images/",
                    &format!("/content/images/size/w{CARD_IMAGE_WIDTH}/"),
                    1,
                )
            } else {
                url.to_owned()
            };
            (url, size)
        }
        size => (url.to_owned(), size),
    }
}

/// A view's time (site timezone, `2025-09-08T13:30:00+03:00`) as Ghost writes it in cards:
/// UTC with milliseconds (`2025-09-08T10:30:00.000Z`).
fn utc(time: &str) -> String {
    match time.parse::<jiff::Timestamp>() {
        Ok(at) => dateline_core::time::ghost_utc(at),
        Err(_) => time.to_owned(),
    }
}

/// The head being written, a line per element.
struct Head(String);

impl Head {
    /// `<meta {attribute}="{key}" content="{content}">`
    fn meta(&mut self, attribute: &str, key: &str, content: &str) {
        for part in ["    <meta ", attribute, "=\"", key, "\" content=\""] {
            self.0.push_str(part);
        }
        escape_into(&mut self.0, content);
        self.0.push_str("\">\n");
    }

    fn link(&mut self, rel: &str, href: &str) {
        for part in ["    <link rel=\"", rel, "\" href=\""] {
            self.0.push_str(part);
        }
        escape_into(&mut self.0, href);
        self.0.push_str("\">\n");
    }

    /// Markup Dateline built itself, or code injection staff are trusted with.
    fn raw(&mut self, html: &str) {
        self.0.push_str("    ");
        self.0.push_str(html);
        self.0.push('\n');
    }
}

/// "Written by" the primary author (Ghost names only the first) and "Filed under" the
/// public tags.
fn twitter_labels(post: &PostView, head: &mut Head) {
    if let Some(author) = &post.primary_author {
        head.meta("name", "twitter:label1", "Written by");
        head.meta("name", "twitter:data1", &author.name);
    }
    let tags: Vec<&str> = post
        .tags
        .iter()
        .filter(|t| t.is_public())
        .map(|t| t.name.as_str())
        .collect();
    if !tags.is_empty() {
        head.meta("name", "twitter:label2", "Filed under");
        head.meta("name", "twitter:data2", &tags.join(", "));
    }
}

/// `{{ghost_foot}}`: the site's footer code injection, then the story's or tag's.
pub(crate) fn ghost_foot(page: &PageView) -> String {
    let page_injection = match page {
        PageView::Tag { tag, .. } => tag.codeinjection_foot.as_deref(),
        _ => page.entry().and_then(|p| p.codeinjection_foot.as_deref()),
    };
    let mut foot = String::new();
    for injected in [page.site().codeinjection_foot.as_deref(), page_injection]
        .into_iter()
        .flatten()
    {
        foot.push_str(injected);
        foot.push('\n');
    }
    foot
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn card_times_are_utc_with_milliseconds() {
        assert_eq!(utc("2025-09-08T13:30:00+03:00"), "2025-09-08T10:30:00.000Z");
        assert_eq!(utc("not a time"), "not a time");
    }
}
