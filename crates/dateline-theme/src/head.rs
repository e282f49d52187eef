//! What `{{ghost_head}}` and `{{ghost_foot}}` print, and the page title and description behind
//! `{{meta_title}}`: the metadata search engines, social networks and feed readers read.
//!
//! Built from the typed page rather than in a helper so every value has one definition, and so
//! the code injected by staff (site-wide, then the story's) lands after Dateline's own tags,
//! where Ghost puts it, letting a site override any of them.

use crate::html::escape_into;

use crate::helpers::CONTENT_API_PATH;
use crate::json_ld;
use crate::page::{PageView, ThemeGlobals};
use crate::view::PostView;

/// Meta descriptions longer than this are cut at a word: search engines show about 160
/// characters.
const DESCRIPTION_CHARS: usize = 160;

/// The title, description and social-card fields of one page, in Ghost's order of preference.
pub(crate) struct PageMeta {
    pub(crate) title: String,
    /// On a later page of a listing whose title ends with Ghost's ` (Page N)`: the title
    /// before it and N, so `{{meta_title page=" – page %"}}` can put the theme's own words there.
    pub(crate) paged_title: Option<(String, u32)>,
    pub(crate) description: Option<String>,
    pub(crate) canonical: Option<String>,
    og_type: &'static str,
    og_title: String,
    og_description: Option<String>,
    og_image: Option<String>,
    twitter_title: String,
    twitter_description: Option<String>,
    twitter_image: Option<String>,
}

impl PageMeta {
    pub(crate) fn of(page: &PageView) -> Self {
        let site = page.site();
        let paged = page.pagination().map_or(1, |p| p.page);
        // Ghost's order: the page number ends the title ("News - The New Region (Page 2)"),
        // and a tag's or the site's own meta title is used on its first page only.
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
        match page {
            // A route of `routes.yaml` speaks for the site, as the front page does.
            PageView::Home { .. } | PageView::Named { .. } => {
                let (title, paged_title) = match (&site.meta_title, paged) {
                    (Some(title), 1) => (title.clone(), None),
                    _ => listing_title(site.title.clone()),
                };
                let description = site
                    .meta_description
                    .clone()
                    .or_else(|| non_empty(&site.description));
                PageMeta {
                    paged_title,
                    og_title: site.og_title.clone().unwrap_or_else(|| title.clone()),
                    og_description: site.og_description.clone().or_else(|| description.clone()),
                    og_image: site.og_image.clone().or_else(|| site.cover_image.clone()),
                    twitter_title: site.twitter_title.clone().unwrap_or_else(|| title.clone()),
                    twitter_description: site
                        .twitter_description
                        .clone()
                        .or_else(|| description.clone()),
                    twitter_image: site
                        .twitter_image
                        .clone()
                        .or_else(|| site.cover_image.clone()),
                    og_type: "website",
                    title,
                    description,
                    canonical,
                }
            }
            PageView::Post { post, .. } | PageView::Page { page: post, .. } => {
                let title = post
                    .meta_title
                    .clone()
                    .unwrap_or_else(|| post.title.clone());
                let description = post
                    .meta_description
                    .clone()
                    .or_else(|| post.custom_excerpt.clone())
                    .or_else(|| non_empty(&summary(&post.excerpt)));
                let social_description =
                    post.custom_excerpt.clone().or_else(|| description.clone());
                PageMeta {
                    paged_title: None,
                    og_title: post.og_title.clone().unwrap_or_else(|| title.clone()),
                    og_description: post
                        .og_description
                        .clone()
                        .or_else(|| social_description.clone()),
                    og_image: post.og_image.clone().or_else(|| post.feature_image.clone()),
                    twitter_title: post.twitter_title.clone().unwrap_or_else(|| title.clone()),
                    twitter_description: post.twitter_description.clone().or(social_description),
                    twitter_image: post
                        .twitter_image
                        .clone()
                        .or_else(|| post.feature_image.clone()),
                    og_type: "article",
                    canonical: post.canonical_url.clone().or(canonical),
                    title,
                    description,
                }
            }
            PageView::Tag { tag, .. } => {
                let (title, paged_title) = match &tag.meta_title {
                    Some(title) => (title.clone(), None),
                    None => listing_title(format!("{} - {}", tag.name, site.title)),
                };
                let description = tag
                    .meta_description
                    .clone()
                    .or_else(|| tag.description.clone());
                PageMeta {
                    paged_title,
                    og_title: tag.og_title.clone().unwrap_or_else(|| title.clone()),
                    og_description: tag.og_description.clone().or_else(|| description.clone()),
                    og_image: tag.og_image.clone().or_else(|| tag.feature_image.clone()),
                    twitter_title: tag.twitter_title.clone().unwrap_or_else(|| title.clone()),
                    twitter_description: tag
                        .twitter_description
                        .clone()
                        .or_else(|| description.clone()),
                    twitter_image: tag
                        .twitter_image
                        .clone()
                        .or_else(|| tag.feature_image.clone()),
                    og_type: "website",
                    canonical: tag.canonical_url.clone().or(canonical),
                    title,
                    description,
                }
            }
            PageView::Author { author, .. } => {
                // Ghost titles an author's page by name whatever its meta title says.
                let (title, paged_title) =
                    listing_title(format!("{} - {}", author.name, site.title));
                let description = author
                    .meta_description
                    .clone()
                    .or_else(|| author.bio.clone());
                let image = author
                    .profile_image
                    .clone()
                    .or_else(|| author.cover_image.clone());
                PageMeta {
                    paged_title,
                    og_title: title.clone(),
                    og_description: description.clone(),
                    og_image: image.clone(),
                    twitter_title: title.clone(),
                    twitter_description: description.clone(),
                    twitter_image: image,
                    og_type: "profile",
                    title,
                    description,
                    canonical,
                }
            }
            PageView::NotFound { .. } => {
                let title = format!("Page not found - {}", site.title);
                PageMeta {
                    paged_title: None,
                    og_title: title.clone(),
                    og_description: None,
                    og_image: None,
                    twitter_title: title.clone(),
                    twitter_description: None,
                    twitter_image: None,
                    og_type: "website",
                    title,
                    description: None,
                    canonical: None,
                }
            }
        }
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
    head.meta("name", "referrer", "no-referrer-when-downgrade");

    head.meta("property", "og:site_name", &site.title);
    head.meta("property", "og:type", meta.og_type);
    head.meta("property", "og:title", &meta.og_title);
    if let Some(description) = &meta.og_description {
        head.meta("property", "og:description", description);
    }
    if let Some(url) = &meta.canonical {
        head.meta("property", "og:url", url);
    }
    if let Some(image) = &meta.og_image {
        head.meta("property", "og:image", image);
    }
    let article = page.entry();
    if let Some(post) = article {
        if let Some(published) = &post.published_at {
            head.meta("property", "article:published_time", published);
        }
        head.meta("property", "article:modified_time", &post.updated_at);
        if let Some(section) = &post.primary_tag {
            head.meta("property", "article:section", &section.name);
        }
        for public in post.tags.iter().filter(|t| t.is_public()) {
            head.meta("property", "article:tag", &public.name);
        }
        if let Some(facebook) = &site.facebook {
            let publisher = format!("https://www.facebook.com/{facebook}");
            head.meta("property", "article:publisher", &publisher);
        }
    }

    let card = if meta.twitter_image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    head.meta("name", "twitter:card", card);
    head.meta("name", "twitter:title", &meta.twitter_title);
    if let Some(description) = &meta.twitter_description {
        head.meta("name", "twitter:description", description);
    }
    if let Some(url) = &meta.canonical {
        head.meta("name", "twitter:url", url);
    }
    if let Some(image) = &meta.twitter_image {
        head.meta("name", "twitter:image", image);
    }
    if let Some(post) = article.filter(|p| !p.page) {
        twitter_labels(post, &mut head);
    }
    if let Some(twitter) = &site.twitter {
        head.meta("name", "twitter:site", twitter);
    }
    if let Some(creator) = article
        .and_then(|p| p.primary_author.as_ref())
        .and_then(|a| a.twitter.as_ref())
    {
        head.meta("name", "twitter:creator", creator);
    }

    if let Some(structured) = json_ld::for_page(page, meta) {
        head.raw(&json_ld::script(&structured));
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
        _ => article.and_then(|p| p.codeinjection_head.as_deref()),
    };
    for injected in [site.codeinjection_head.as_deref(), page_injection]
        .into_iter()
        .flatten()
    {
        head.raw(injected);
    }
    head.0
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

fn twitter_labels(post: &PostView, head: &mut Head) {
    let names: Vec<&str> = post.authors.iter().map(|a| a.name.as_str()).collect();
    if !names.is_empty() {
        head.meta("name", "twitter:label1", "Written by");
        head.meta("name", "twitter:data1", &names.join(", "));
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

/// The start of `text` on one line, cut at a word before [`DESCRIPTION_CHARS`] with an ellipsis.
fn summary(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text;
    }
    let cut = text
        .char_indices()
        .nth(DESCRIPTION_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let at_word = text[..cut].rfind(' ').unwrap_or(cut);
    format!(
        "{}…",
        text[..at_word].trim_end_matches([',', ';', ':', ' '])
    )
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn summary_cuts_at_a_word() {
        assert_eq!(summary("Short.\n\nText"), "Short. Text");
        let long = "word ".repeat(60);
        let cut = summary(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= 161);
    }
}
