//! The pages the public site renders, each with the view models it needs, and the template data
//! each becomes.
//!
//! Template data follows Ghost's shape (`post`, `posts`, `pagination`, `tag`, `author`) so Ghost
//! themes run unchanged. Ghost's global data (`@site`, `@custom`, `@member`, …) is stored under
//! `$`-prefixed root keys, where the template dialect rewrite points it (see
//! `engine::dialect`), and everything a page prints once (title, `ghost_head`, body class) is
//! computed here in Rust from typed views, under `$render`, rather than re-derived from JSON by
//! helpers.

use serde_json::{Map, Value as Json, json};

use crate::head::{self, PageMeta};
use crate::text_direction::TextDirection;
use crate::view::{AuthorView, PaginationView, PostView, SiteView, TagView};

/// A page of the public site, ready to render.
#[derive(Debug, Clone)]
pub enum PageView {
    /// `/` and `/page/N/`: the front page. `sections` (a block per main section, with its latest
    /// stories) is shown on the first page only.
    Home {
        site: SiteView,
        posts: Vec<PostView>,
        pagination: PaginationView,
        sections: Vec<(TagView, Vec<PostView>)>,
    },
    /// `/{slug}/` of a post, with stories from the same section to read next.
    Post {
        site: SiteView,
        post: PostView,
        related: Vec<PostView>,
    },
    /// `/{slug}/` of a static page.
    Page { site: SiteView, page: PostView },
    /// `/tag/{slug}/` and its pages.
    Tag {
        site: SiteView,
        tag: TagView,
        posts: Vec<PostView>,
        pagination: PaginationView,
    },
    /// `/author/{slug}/` and its pages.
    Author {
        site: SiteView,
        author: AuthorView,
        posts: Vec<PostView>,
        pagination: PaginationView,
    },
    /// Anything else; the caller answers with status 404. `past_last_page` for a listing's
    /// page beyond its last, which Ghost words "Page not found." (with a full stop).
    NotFound {
        site: SiteView,
        past_last_page: bool,
    },
    /// A page `routes.yaml` names: a channel, a collection other than the front page, or a
    /// custom route's template with its `data`.
    Named {
        site: SiteView,
        /// Ghost's context for the route: its path without slashes (`aboutteam`), `index` for
        /// the front page.
        name: String,
        /// Templates to try, most wanted first (a listing's list ends with `index`).
        templates: Vec<String>,
        /// The page's absolute URL, without pagination.
        url: String,
        /// A channel's or collection's page of posts.
        listing: Option<(Vec<PostView>, PaginationView)>,
        /// The route's `data`, under the names the file gives them.
        data: Vec<(String, RouteData)>,
    },
}

/// One resource a custom route shows, as its template sees it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum RouteData {
    Post(Box<PostView>),
    Tag(TagView),
    Author(AuthorView),
}

/// What the theme adds to every page's data: `@custom` and `@config`.
pub(crate) struct ThemeGlobals<'a> {
    pub(crate) custom: &'a Json,
    pub(crate) image_sizes: &'a Json,
    /// Whether the theme has member forms or Portal links (see [`crate::members`]).
    pub(crate) uses_members: bool,
    /// Whether the theme has Ghost's search button (see [`crate::site_search`]).
    pub(crate) uses_search: bool,
    pub(crate) posts_per_page: u32,
}

impl PageView {
    pub fn site(&self) -> &SiteView {
        match self {
            PageView::Home { site, .. }
            | PageView::Post { site, .. }
            | PageView::Page { site, .. }
            | PageView::Tag { site, .. }
            | PageView::Author { site, .. }
            | PageView::NotFound { site, .. }
            | PageView::Named { site, .. } => site,
        }
    }

    /// The page's own URL, without pagination: `None` for the 404 page, which has no address
    /// of its own.
    pub(crate) fn listing_url(&self) -> Option<String> {
        match self {
            PageView::Home { site, .. } => Some(format!("{}/", site.url)),
            PageView::Post { post, .. } | PageView::Page { page: post, .. } => {
                Some(post.url.clone())
            }
            PageView::Tag { tag, .. } => Some(tag.url.clone()),
            PageView::Author { author, .. } => Some(author.url.clone()),
            PageView::NotFound { .. } => None,
            PageView::Named { url, .. } => Some(url.clone()),
        }
    }

    pub(crate) fn pagination(&self) -> Option<&PaginationView> {
        match self {
            PageView::Home { pagination, .. }
            | PageView::Tag { pagination, .. }
            | PageView::Author { pagination, .. } => Some(pagination),
            PageView::Named {
                listing: Some((_, pagination)),
                ..
            } => Some(pagination),
            _ => None,
        }
    }

    /// The story or page this page is about, if any.
    pub(crate) fn entry(&self) -> Option<&PostView> {
        match self {
            PageView::Post { post, .. } | PageView::Page { page: post, .. } => Some(post),
            _ => None,
        }
    }

    /// Ghost's context names, which `{{#is}}` tests.
    pub(crate) fn contexts(&self) -> Vec<&'static str> {
        let paged = self.pagination().is_some_and(|p| p.page > 1);
        let mut contexts = Vec::with_capacity(2);
        if paged {
            contexts.push("paged");
        }
        match self {
            PageView::Home { .. } => {
                if !paged {
                    contexts.push("home");
                }
                contexts.push("index");
            }
            PageView::Post { .. } => contexts.push("post"),
            PageView::Page { .. } => contexts.push("page"),
            PageView::Tag { .. } => contexts.push("tag"),
            PageView::Author { .. } => contexts.push("author"),
            PageView::NotFound { .. } => contexts.push("error"),
            PageView::Named {
                name, site, url, ..
            } => {
                if !paged && *url == format!("{}/", site.url) {
                    contexts.push("home");
                }
                contexts.push(context_name(name));
            }
        }
        contexts
    }

    /// Ghost's `body_class`.
    fn body_class(&self) -> String {
        let mut classes: Vec<String> = Vec::new();
        match self {
            PageView::Home { pagination, .. } if pagination.page == 1 => {
                classes.push("home-template".into());
            }
            PageView::Home { .. } => {}
            PageView::Post { post, .. } => {
                classes.push("post-template".into());
                classes.extend(post.tags.iter().map(|t| format!("tag-{}", t.slug)));
            }
            PageView::Page { page, .. } => {
                classes.push("page-template".into());
                classes.push(format!("page-{}", page.slug));
                classes.extend(page.tags.iter().map(|t| format!("tag-{}", t.slug)));
            }
            PageView::Tag { tag, .. } => {
                classes.push("tag-template".into());
                classes.push(format!("tag-{}", tag.slug));
            }
            PageView::Author { author, .. } => {
                classes.push("author-template".into());
                classes.push(format!("author-{}", author.slug));
            }
            // Ghost gives error pages no context, so no class.
            PageView::NotFound { .. } => {}
            PageView::Named { .. } => {
                if self.contexts().contains(&"home") {
                    classes.push("home-template".into());
                }
            }
        }
        if self.pagination().is_some_and(|p| p.page > 1) {
            classes.push("paged".into());
        }
        classes.join(" ")
    }

    /// The language of the page: the story's for articles and pages, the site's otherwise.
    pub(crate) fn lang(&self) -> (&str, TextDirection) {
        match self.entry() {
            Some(post) => (&post.lang, post.dir),
            None => (&self.site().lang, self.site().dir),
        }
    }

    /// The whole template data of this page.
    pub(crate) fn render_data(&self, theme: &ThemeGlobals<'_>) -> Result<Json, serde_json::Error> {
        let mut data = Map::new();
        match self {
            PageView::Home {
                posts,
                pagination,
                sections,
                ..
            } => {
                data.insert("posts".into(), serde_json::to_value(posts)?);
                data.insert("pagination".into(), serde_json::to_value(pagination)?);
                let sections = sections
                    .iter()
                    .map(|(tag, posts)| Ok(json!({ "tag": tag, "posts": posts })))
                    .collect::<Result<Vec<_>, serde_json::Error>>()?;
                data.insert("sections".into(), Json::Array(sections));
            }
            PageView::Post { post, related, .. } => {
                data.insert("post".into(), serde_json::to_value(post)?);
                data.insert("related".into(), serde_json::to_value(related)?);
            }
            PageView::Page { page, .. } => {
                data.insert("post".into(), serde_json::to_value(page)?);
            }
            PageView::Tag {
                tag,
                posts,
                pagination,
                ..
            } => {
                data.insert("tag".into(), serde_json::to_value(tag)?);
                data.insert("posts".into(), serde_json::to_value(posts)?);
                data.insert("pagination".into(), serde_json::to_value(pagination)?);
            }
            PageView::Author {
                author,
                posts,
                pagination,
                ..
            } => {
                data.insert("author".into(), serde_json::to_value(author)?);
                data.insert("posts".into(), serde_json::to_value(posts)?);
                data.insert("pagination".into(), serde_json::to_value(pagination)?);
            }
            PageView::NotFound { past_last_page, .. } => {
                // Ghost 5 gives error templates `code` beside `statusCode` (Alto prints it).
                data.insert("code".into(), json!(404));
                data.insert("statusCode".into(), json!(404));
                let message = if *past_last_page {
                    "Page not found."
                } else {
                    "Page not found"
                };
                data.insert("message".into(), json!(message));
            }
            PageView::Named {
                listing,
                data: items,
                ..
            } => {
                if let Some((posts, pagination)) = listing {
                    data.insert("posts".into(), serde_json::to_value(posts)?);
                    data.insert("pagination".into(), serde_json::to_value(pagination)?);
                }
                for (name, item) in items {
                    data.insert(name.clone(), serde_json::to_value(item)?);
                }
                // Ghost's post and page templates read `{{#post}}` whatever the route calls
                // its story (`data: page.about` is `page`), so a route can reuse them.
                if !data.contains_key("post")
                    && let Some((_, item)) =
                        items.iter().find(|(_, i)| matches!(i, RouteData::Post(_)))
                {
                    data.insert("post".into(), serde_json::to_value(item)?);
                }
            }
        }

        let (lang, dir) = self.lang();
        let meta = PageMeta::of(self);
        data.insert("$site".into(), serde_json::to_value(self.site())?);
        data.insert("$custom".into(), theme.custom.clone());
        data.insert("$member".into(), serde_json::to_value(&self.site().member)?);
        data.insert(
            "$config".into(),
            json!({ "posts_per_page": theme.posts_per_page }),
        );
        data.insert(
            "$page".into(),
            json!({
                "lang": lang,
                "dir": dir,
                "show_title_and_feature_image":
                    self.entry().is_none_or(|p| p.show_title_and_feature_image),
            }),
        );
        data.insert("$labs".into(), json!({}));
        data.insert("$image_sizes".into(), theme.image_sizes.clone());
        data.insert(
            "$render".into(),
            json!({
                "context": self.contexts(),
                "body_class": self.body_class(),
                "meta_title": meta.title,
                "meta_title_paged": meta.paged_title.as_ref().map(|(base, page)| {
                    json!({ "base": base, "page": page })
                }),
                "meta_description": meta.description,
                "url": meta.canonical,
                "listing_url": self.listing_url(),
                "ghost_head": head::ghost_head(self, &meta, theme),
                "ghost_foot": head::ghost_foot(self),
                "content_api_key": self.site().content_api_key,
            }),
        );
        Ok(Json::Object(data))
    }
}

/// `{{#is}}` takes `&'static str` contexts; a route's own name is one of Ghost's few words or,
/// for anything else, the generic `index`/`page` a theme can test.
fn context_name(name: &str) -> &'static str {
    match name {
        "index" => "index",
        "home" => "home",
        "post" => "post",
        "page" => "page",
        "tag" => "tag",
        "author" => "author",
        _ => "index",
    }
}
