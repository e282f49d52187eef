//! The active `routes.yaml` put to work: which collection owns a post and so where it lives,
//! and what a requested path can be. Everything that builds a post's address or answers a
//! public path asks a [`SiteRoutes`], so the two can never disagree.
//!
//! Ghost's order, followed here: custom routes (in file order), then collections (each with
//! its index, `page/N/`, `rss/` and its posts' permalink), then the tag and author archives,
//! then static pages at `/{slug}/`. A path can fit more than one of these (`/about/` fits the
//! default collection's `/{slug}/` and a static page): [`SiteRoutes::resolve`] lists every fit
//! in that order and the site takes the first one that has content.
//!
//! A post belongs to the first collection whose filter selects it; a post no collection takes
//! has no address (Ghost's `/404/`). Pages always live at `/{slug}/`.

use std::sync::{Arc, Mutex};

use jiff::tz::TimeZone;

use super::{Collection, Resource, Route, RoutesFile};
use crate::nql::{self, Expr, PostRecord};
use crate::permalink::{Captures, Permalink, PostPlace};
use crate::post::PostType;
use crate::settings::Settings;

/// The settings key the site's `routes.yaml` is stored under (in Ghost's `core` group, so the
/// settings API neither shows nor edits it).
pub const SETTING_KEY: &str = "routes_yaml";

/// The routes of a site, ready to answer.
#[derive(Debug)]
pub struct SiteRoutes {
    file: RoutesFile,
    collections: Vec<CollectionRoute>,
    tag: Option<Permalink>,
    author: Option<Permalink>,
    timezone: TimeZone,
}

#[derive(Debug)]
struct CollectionRoute {
    permalink: Permalink,
    filter: Option<Expr>,
}

/// Something a path may be, most specific reading first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    /// A custom route: a template with the route's data.
    Custom(&'a Route),
    /// Page `page` of a channel's listing.
    Channel {
        route: &'a Route,
        page: u32,
    },
    ChannelFeed(&'a Route),
    /// Page `page` of a collection's index; `index` is the collection's place in the file.
    Collection {
        collection: &'a Collection,
        index: usize,
        page: u32,
    },
    CollectionFeed {
        collection: &'a Collection,
        index: usize,
    },
    /// A post at a collection's permalink.
    Entry {
        index: usize,
        captures: Captures,
    },
    Tag {
        slug: String,
        page: u32,
    },
    TagFeed {
        slug: String,
    },
    Author {
        slug: String,
        page: u32,
    },
    AuthorFeed {
        slug: String,
    },
    /// A static page, or any post's old `/{slug}/` address.
    Page {
        slug: String,
    },
    /// `…/page/1/` is the listing itself.
    Redirect(String),
}

/// Which posts a collection's index lists: those it owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owned {
    /// Every published post.
    All,
    /// The posts this NQL selects.
    Filter(String),
    /// None: an earlier collection takes every post.
    Nothing,
}

impl SiteRoutes {
    /// `timezone` dates the `{year}/{month}/{day}` of permalinks.
    pub fn new(file: RoutesFile, timezone: TimeZone) -> SiteRoutes {
        let collections = file
            .collections
            .iter()
            .map(|c| CollectionRoute {
                // Both were checked when the file was read.
                permalink: Permalink::parse(&c.permalink).unwrap_or_else(|_| Permalink::slug()),
                filter: c.listing.filter.as_deref().and_then(|f| nql::parse(f).ok()),
            })
            .collect();
        let taxonomy = |p: &Option<String>| p.as_deref().and_then(|p| Permalink::parse(p).ok());
        SiteRoutes {
            tag: taxonomy(&file.taxonomies.tag),
            author: taxonomy(&file.taxonomies.author),
            collections,
            file,
            timezone,
        }
    }

    /// The routes the settings hold (Ghost's default when they hold none, or one that no
    /// longer reads), dated in the site's timezone. Built once per distinct file and timezone
    /// and shared, since every request asks and the file changes rarely.
    pub fn of(settings: &Settings) -> Arc<SiteRoutes> {
        static LAST: Mutex<Option<(String, String, Arc<SiteRoutes>)>> = Mutex::new(None);
        let text = settings.get(SETTING_KEY).unwrap_or(super::DEFAULT_YAML);
        let zone = settings.timezone();
        let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((t, z, routes)) = last.as_ref()
            && t == text
            && z == zone
        {
            return routes.clone();
        }
        let file = RoutesFile::parse(text).unwrap_or_else(|_| RoutesFile::ghost_default());
        let timezone = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
        let routes = Arc::new(SiteRoutes::new(file, timezone));
        *last = Some((text.to_owned(), zone.to_owned(), routes.clone()));
        routes
    }

    pub fn file(&self) -> &RoutesFile {
        &self.file
    }

    /// Whether a post's address needs only its slug (Ghost's default file): callers that hold
    /// just a slug may then skip loading tags and authors.
    pub fn slug_only(&self) -> bool {
        matches!(self.collections.as_slice(), [only] if only.filter.is_none() && only.permalink.is_slug_only())
    }

    /// Which collection owns a published post, by its place in the file.
    pub fn owner(&self, post: &PostRecord<'_>) -> Option<usize> {
        if post.post.post_type == PostType::Page {
            return None;
        }
        let now = crate::time::now();
        self.collections
            .iter()
            .position(|c| c.filter.as_ref().is_none_or(|f| nql::matches(f, post, now)))
    }

    /// The site-relative address of a post or page, or `None` when no collection owns it.
    pub fn post_path(&self, post: &PostRecord<'_>) -> Option<String> {
        let p = post.post;
        if p.post_type == PostType::Page {
            return Some(format!("/{}/", p.slug));
        }
        let index = self.owner(post)?;
        Some(self.collections[index].permalink.path_for(
            &PostPlace {
                id: p.id.as_str(),
                slug: &p.slug,
                published_at: p.published_at,
                primary_tag: post.primary_tag().map(|t| t.slug.as_str()),
                primary_author: post.primary_author().map(|a| a.slug.as_str()),
            },
            &self.timezone,
        ))
    }

    /// A tag archive's address; `None` when the file has no tag archives.
    pub fn tag_path(&self, slug: &str) -> Option<String> {
        self.tag.as_ref().map(|p| taxonomy_path(p, slug))
    }

    /// An author archive's address; `None` when the file has no author archives.
    pub fn author_path(&self, slug: &str) -> Option<String> {
        self.author.as_ref().map(|p| taxonomy_path(p, slug))
    }

    /// Where a resource's own address sends readers when a route shows it as its `data`
    /// (Ghost's `redirect: true`, the default): the first such route or collection.
    pub fn data_redirect(&self, resource: Resource, slug: &str) -> Option<&str> {
        let routes = self.file.routes.iter().map(|r| (&r.path, &r.data));
        let collections = self.file.collections.iter().map(|c| (&c.path, &c.data));
        routes
            .chain(collections)
            .find(|(_, data)| {
                data.iter()
                    .any(|d| d.redirect && d.resource == resource && d.slug == slug)
            })
            .map(|(path, _)| path.as_str())
    }

    /// The posts a collection's index lists: its filter, less what earlier collections take.
    pub fn owned(&self, index: usize) -> Owned {
        let mut parts = Vec::new();
        for earlier in &self.collections[..index.min(self.collections.len())] {
            match &earlier.filter {
                None => return Owned::Nothing,
                Some(f) => parts.push(Expr::Not(Box::new(f.clone()))),
            }
        }
        if let Some(own) = self.collections.get(index).and_then(|c| c.filter.clone()) {
            parts.insert(0, own);
        }
        match parts.len() {
            0 => Owned::All,
            1 => Owned::Filter(parts.remove(0).to_string()),
            _ => Owned::Filter(Expr::And(parts).to_string()),
        }
    }

    /// Everything `path` (site-relative, with its trailing slash) may be, in Ghost's order.
    pub fn resolve(&self, path: &str) -> Vec<Target<'_>> {
        let mut found = Vec::new();
        for route in &self.file.routes {
            match &route.channel {
                None if route.path == path => found.push(Target::Custom(route)),
                None => {}
                Some(listing) => match listing_path(&route.path, path, listing.rss) {
                    Some(ListingPath::FirstPage) => {
                        found.push(Target::Redirect(route.path.clone()));
                    }
                    Some(ListingPath::Page(page)) => found.push(Target::Channel { route, page }),
                    Some(ListingPath::Feed) => found.push(Target::ChannelFeed(route)),
                    None => {}
                },
            }
        }
        for (index, collection) in self.file.collections.iter().enumerate() {
            match listing_path(&collection.path, path, collection.listing.rss) {
                Some(ListingPath::FirstPage) => {
                    found.push(Target::Redirect(collection.path.clone()));
                }
                Some(ListingPath::Page(page)) => found.push(Target::Collection {
                    collection,
                    index,
                    page,
                }),
                Some(ListingPath::Feed) => found.push(Target::CollectionFeed { collection, index }),
                None => {}
            }
            if let Some(captures) = self.collections[index].permalink.matches(path) {
                found.push(Target::Entry { index, captures });
            }
        }
        for (permalink, is_tag) in [(&self.tag, true), (&self.author, false)] {
            let Some(permalink) = permalink else {
                continue;
            };
            if let Some((slug, what)) = taxonomy_match(permalink, path) {
                found.push(match (what, is_tag) {
                    (ListingPath::FirstPage, _) => {
                        Target::Redirect(taxonomy_path(permalink, &slug))
                    }
                    (ListingPath::Page(page), true) => Target::Tag { slug, page },
                    (ListingPath::Page(page), false) => Target::Author { slug, page },
                    (ListingPath::Feed, true) => Target::TagFeed { slug },
                    (ListingPath::Feed, false) => Target::AuthorFeed { slug },
                });
            }
        }
        if let Some(slug) = single_segment(path) {
            found.push(Target::Page {
                slug: slug.to_owned(),
            });
        }
        found
    }

    /// The site-relative address of page `page` of a listing at `base`.
    pub fn page_path(base: &str, page: u32) -> String {
        match page {
            0 | 1 => base.to_owned(),
            n => format!("{base}page/{n}/"),
        }
    }
}

fn taxonomy_path(permalink: &Permalink, slug: &str) -> String {
    permalink.path_for(
        &PostPlace {
            id: "",
            slug,
            published_at: None,
            primary_tag: None,
            primary_author: None,
        },
        &TimeZone::UTC,
    )
}

enum ListingPath {
    Page(u32),
    /// `page/1/`, which is the listing's own address.
    FirstPage,
    Feed,
}

/// `base`, `base` + `page/N/` or `base` + `rss/` (when the listing has a feed).
fn listing_path(base: &str, path: &str, rss: bool) -> Option<ListingPath> {
    let rest = path.strip_prefix(base)?;
    if rest.is_empty() {
        return Some(ListingPath::Page(1));
    }
    if rss && rest == "rss/" {
        return Some(ListingPath::Feed);
    }
    page_number(rest.strip_prefix("page/")?.strip_suffix('/')?)
}

/// `N` of `page/N/`: digits only, from 1.
fn page_number(n: &str) -> Option<ListingPath> {
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match n.parse::<u32>().ok()? {
        0 => None,
        1 => Some(ListingPath::FirstPage),
        n => Some(ListingPath::Page(n)),
    }
}

/// A taxonomy archive's slug and which of its pages `path` is.
fn taxonomy_match(permalink: &Permalink, path: &str) -> Option<(String, ListingPath)> {
    let slug = |captures: Captures| {
        captures
            .get(crate::permalink::Variable::Slug)
            .map(str::to_owned)
    };
    if let Some(captures) = permalink.matches(path) {
        return Some((slug(captures)?, ListingPath::Page(1)));
    }
    if let Some(base) = path.strip_suffix("rss/")
        && let Some(captures) = permalink.matches(base)
    {
        return Some((slug(captures)?, ListingPath::Feed));
    }
    let trimmed = path.strip_suffix('/')?;
    let (before, n) = trimmed.rsplit_once('/')?;
    let base = before.strip_suffix("page")?;
    let page = page_number(n)?;
    let captures = permalink.matches(base)?;
    Some((slug(captures)?, page))
}

/// `/about/` → `about`.
fn single_segment(path: &str) -> Option<&str> {
    let inner = path.strip_prefix('/')?.strip_suffix('/')?;
    (!inner.is_empty() && !inner.contains('/')).then_some(inner)
}
