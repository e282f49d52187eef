//! What `{{ghost_head}}` and `{{ghost_foot}}` print, and the page title and description behind
//! `{{meta_title}}`: the metadata search engines, social networks and feed readers read.
//!
//! Built from the typed page rather than in a helper so every value has one definition, and so
//! the code injected by staff (site-wide, then the story's) lands after Dateline's own tags,
//! where Ghost puts it, letting a site override any of them.

use std::fmt::Write;

use handlebars::html_escape;

use crate::json_ld;
use crate::page::PageView;
use crate::view::PostView;

/// Meta descriptions longer than this are cut at a word: search engines show about 160
/// characters.
const DESCRIPTION_CHARS: usize = 160;

/// The title, description and social-card fields of one page, in Ghost's order of preference.
pub(crate) struct PageMeta {
    pub(crate) title: String,
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
        let page_suffix = if paged > 1 {
            format!(" (Page {paged})")
        } else {
            String::new()
        };
        let canonical = page.listing_url().map(|url| match paged {
            1 => url,
            n => format!("{url}page/{n}/"),
        });
        match page {
            PageView::Home { .. } => {
                let title = match (&site.meta_title, paged) {
                    (Some(title), 1) => title.clone(),
                    _ => format!("{}{page_suffix}", site.title),
                };
                let description = site
                    .meta_description
                    .clone()
                    .or_else(|| non_empty(&site.description));
                PageMeta {
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
                let title = match (&tag.meta_title, paged) {
                    (Some(title), 1) => title.clone(),
                    _ => format!("{}{page_suffix} - {}", tag.name, site.title),
                };
                let description = tag
                    .meta_description
                    .clone()
                    .or_else(|| tag.description.clone());
                PageMeta {
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
                let title = match (&author.meta_title, paged) {
                    (Some(title), 1) => title.clone(),
                    _ => format!("{}{page_suffix} - {}", author.name, site.title),
                };
                let description = author
                    .meta_description
                    .clone()
                    .or_else(|| author.bio.clone());
                let image = author
                    .profile_image
                    .clone()
                    .or_else(|| author.cover_image.clone());
                PageMeta {
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
pub(crate) fn ghost_head(page: &PageView, meta: &PageMeta) -> String {
    let site = page.site();
    let mut head = String::with_capacity(4096);
    let mut tag = |html: String| {
        head.push_str("    ");
        head.push_str(&html);
        head.push('\n');
    };
    if let Some(description) = &meta.description {
        tag(meta_name("description", description));
    }
    if let Some(canonical) = &meta.canonical {
        tag(format!(
            r#"<link rel="canonical" href="{}">"#,
            html_escape(canonical)
        ));
    }
    if matches!(page, PageView::NotFound { .. }) {
        tag(meta_name("robots", "noindex"));
    }
    if let (Some(pagination), Some(base)) = (page.pagination(), page.listing_url()) {
        let page_url = |n: u32| match n {
            1 => base.clone(),
            n => format!("{base}page/{n}/"),
        };
        if let Some(prev) = pagination.prev {
            tag(format!(
                r#"<link rel="prev" href="{}">"#,
                html_escape(&page_url(prev))
            ));
        }
        if let Some(next) = pagination.next {
            tag(format!(
                r#"<link rel="next" href="{}">"#,
                html_escape(&page_url(next))
            ));
        }
    }
    tag(meta_name("referrer", "no-referrer-when-downgrade"));

    tag(meta_property("og:site_name", &site.title));
    tag(meta_property("og:type", meta.og_type));
    tag(meta_property("og:title", &meta.og_title));
    if let Some(description) = &meta.og_description {
        tag(meta_property("og:description", description));
    }
    if let Some(url) = &meta.canonical {
        tag(meta_property("og:url", url));
    }
    if let Some(image) = &meta.og_image {
        tag(meta_property("og:image", image));
    }
    let article = page.entry();
    if let Some(post) = article {
        if let Some(published) = &post.published_at {
            tag(meta_property("article:published_time", published));
        }
        tag(meta_property("article:modified_time", &post.updated_at));
        if let Some(section) = &post.primary_tag {
            tag(meta_property("article:section", &section.name));
        }
        for public in post.tags.iter().filter(|t| t.is_public()) {
            tag(meta_property("article:tag", &public.name));
        }
    }
    if let Some(facebook) = &site.facebook
        && article.is_some()
    {
        tag(meta_property(
            "article:publisher",
            &format!("https://www.facebook.com/{facebook}"),
        ));
    }

    let card = if meta.twitter_image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    tag(meta_name("twitter:card", card));
    tag(meta_name("twitter:title", &meta.twitter_title));
    if let Some(description) = &meta.twitter_description {
        tag(meta_name("twitter:description", description));
    }
    if let Some(url) = &meta.canonical {
        tag(meta_name("twitter:url", url));
    }
    if let Some(image) = &meta.twitter_image {
        tag(meta_name("twitter:image", image));
    }
    if let Some(post) = article.filter(|p| !p.page) {
        write_twitter_labels(post, &mut tag);
    }
    if let Some(twitter) = &site.twitter {
        tag(meta_name("twitter:site", twitter));
    }
    if let Some(creator) = article
        .and_then(|p| p.primary_author.as_ref())
        .and_then(|a| a.twitter.as_ref())
    {
        tag(meta_name("twitter:creator", creator));
    }

    if let Some(structured) = json_ld::for_page(page, meta) {
        tag(json_ld::script(&structured));
    }
    tag(meta_name("generator", "Dateline"));
    tag(format!(
        r#"<link rel="alternate" type="application/rss+xml" title="{}" href="{}">"#,
        html_escape(&site.title),
        html_escape(&site.rss_url)
    ));
    if let Some(icon) = &site.icon {
        tag(format!(r#"<link rel="icon" href="{}">"#, html_escape(icon)));
    }
    let page_injection = match page {
        PageView::Tag { tag, .. } => tag.codeinjection_head.as_deref(),
        _ => article.and_then(|p| p.codeinjection_head.as_deref()),
    };
    for injected in [site.codeinjection_head.as_deref(), page_injection]
        .into_iter()
        .flatten()
    {
        tag(injected.to_owned());
    }
    head
}

fn write_twitter_labels(post: &PostView, tag: &mut impl FnMut(String)) {
    let names: Vec<&str> = post.authors.iter().map(|a| a.name.as_str()).collect();
    if !names.is_empty() {
        tag(meta_name("twitter:label1", "Written by"));
        tag(meta_name("twitter:data1", &names.join(", ")));
    }
    let tags: Vec<&str> = post
        .tags
        .iter()
        .filter(|t| t.is_public())
        .map(|t| t.name.as_str())
        .collect();
    if !tags.is_empty() {
        tag(meta_name("twitter:label2", "Filed under"));
        tag(meta_name("twitter:data2", &tags.join(", ")));
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
        let _ = writeln!(foot, "{injected}");
    }
    foot
}

fn meta_name(name: &str, content: &str) -> String {
    format!(
        r#"<meta name="{}" content="{}">"#,
        html_escape(name),
        html_escape(content)
    )
}

fn meta_property(property: &str, content: &str) -> String {
    format!(
        r#"<meta property="{}" content="{}">"#,
        html_escape(property),
        html_escape(content)
    )
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
