//! Structured data (schema.org JSON-LD) for search engines. Articles are `NewsArticle`, the type
//! news search and Top Stories read, with the newsroom fields Ghost's `Article` lacks:
//! `dateline`, `articleSection` and `inLanguage`.

use serde_json::{Map, Value as Json, json};

use crate::head::PageMeta;
use crate::page::PageView;
use crate::view::{AuthorView, PostView, SiteView};

/// The JSON-LD of a page, or `None` for the 404 page.
pub(crate) fn for_page(page: &PageView, meta: &PageMeta) -> Option<Json> {
    let site = page.site();
    let mut data = match page {
        PageView::Post { post, .. } => news_article(post, site, meta),
        PageView::Page { page, .. } => json!({
            "@type": "WebPage",
            "name": page.title,
            "url": page.url,
            "inLanguage": page.lang,
            "publisher": publisher(site),
        }),
        PageView::Home { .. } => json!({
            "@type": "WebSite",
            "name": site.title,
            "url": format!("{}/", site.url),
            "inLanguage": site.lang,
            "publisher": publisher(site),
        }),
        PageView::Tag { tag, .. } => json!({
            "@type": "CollectionPage",
            "name": tag.name,
            "url": tag.url,
            "publisher": publisher(site),
        }),
        PageView::Author { author, .. } => json!({
            "@type": "ProfilePage",
            "url": author.url,
            "mainEntity": person(author),
        }),
        PageView::NotFound { .. } | PageView::Named { .. } => return None,
    };
    if let (
        Json::Object(fields),
        PageView::Page { .. } | PageView::Home { .. } | PageView::Tag { .. },
    ) = (&mut data, page)
        && let Some(description) = meta.summary()
    {
        fields.insert("description".into(), json!(description));
    }
    let mut document = Map::new();
    document.insert("@context".into(), json!("https://schema.org"));
    if let Json::Object(fields) = data {
        document.extend(fields);
    }
    Some(Json::Object(document))
}

fn news_article(post: &PostView, site: &SiteView, meta: &PageMeta) -> Json {
    let mut article = Map::new();
    let mut put = |key: &str, value: Json| {
        article.insert(key.to_owned(), value);
    };
    put("@type", json!("NewsArticle"));
    put("headline", json!(post.title));
    if let Some(description) = meta.summary() {
        put("description", json!(description));
    }
    let url = meta.canonical.as_deref().unwrap_or(&post.url);
    put("url", json!(post.url));
    put(
        "mainEntityOfPage",
        json!({ "@type": "WebPage", "@id": url }),
    );
    if let Some(image) = &post.feature_image {
        put("image", json!({ "@type": "ImageObject", "url": image }));
    }
    if let Some(published) = &post.published_at {
        put("datePublished", json!(published));
    }
    put("dateModified", json!(post.updated_at));
    match post.authors.as_slice() {
        [] => {}
        [author] => put("author", person(author)),
        authors => put("author", Json::Array(authors.iter().map(person).collect())),
    }
    put("publisher", publisher(site));
    if let Some(dateline) = &post.dateline {
        put("dateline", json!(dateline));
    }
    if let Some(section) = &post.primary_tag {
        put("articleSection", json!(section.name));
    }
    let keywords: Vec<&str> = post
        .tags
        .iter()
        .filter(|t| t.is_public())
        .map(|t| t.name.as_str())
        .collect();
    if !keywords.is_empty() {
        put("keywords", json!(keywords.join(", ")));
    }
    put("inLanguage", json!(post.lang));
    put("isAccessibleForFree", json!(post.visibility == "public"));
    Json::Object(article)
}

fn person(author: &AuthorView) -> Json {
    let mut person = json!({
        "@type": "Person",
        "name": author.name,
        "url": author.url,
    });
    if let (Json::Object(fields), Some(image)) = (&mut person, &author.profile_image) {
        fields.insert(
            "image".into(),
            json!({ "@type": "ImageObject", "url": image }),
        );
    }
    person
}

/// The site as a news organisation. Search engines require a publisher logo; without a logo
/// or icon setting, Ghost's `/favicon.ico` stands in, as Ghost does.
fn publisher(site: &SiteView) -> Json {
    let logo = site
        .logo
        .clone()
        .or_else(|| site.icon.clone())
        .unwrap_or_else(|| format!("{}/favicon.ico", site.url));
    json!({
        "@type": "Organization",
        "name": site.title,
        "url": format!("{}/", site.url),
        "logo": { "@type": "ImageObject", "url": logo },
    })
}

/// The `<script>` element carrying `data`. `<`, `>` and `&` are written as JSON escapes so no
/// value (a headline quoting `</script>`) can end the element early; the JSON parses the same.
pub(crate) fn script(data: &Json) -> String {
    let json = serde_json::to_string_pretty(data).unwrap_or_default();
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            c => escaped.push(c),
        }
    }
    format!("<script type=\"application/ld+json\">\n{escaped}\n    </script>")
}

#[cfg(test)]
mod tests {
    use super::script;
    use serde_json::json;

    #[test]
    fn script_cannot_be_closed_by_content() {
        let html = script(&json!({ "headline": "A </script><script>alert(1)</script> & b" }));
        let body = html
            .strip_prefix("<script type=\"application/ld+json\">")
            .and_then(|rest| rest.strip_suffix("</script>"))
            .unwrap();
        assert!(!body.contains('<'));
        let parsed: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
        assert_eq!(
            parsed["headline"],
            "A </script><script>alert(1)</script> & b"
        );
    }
}
