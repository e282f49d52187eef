//! Ghost's `routes.yaml`: which addresses the public site answers beyond posts, tags and
//! authors, parsed and validated. Three sections, as Ghost documents them:
//!
//! ```yaml
//! routes:                       # path → template, or {template, data, content_type,
//!   /about/team/: team          #   controller: channel, filter, order, limit, rss}
//! collections:                  # path → {permalink, template, data, filter, order, limit, rss}
//!   /: {permalink: /{slug}/, template: index}
//! taxonomies:                   # tag and author archives
//!   tag: /tag/{slug}/
//!   author: /author/{slug}/
//! ```
//!
//! [`SiteRoutes`] puts a file to work: which collection owns a post, its address, and what a
//! requested path may be.
//!
//! The file is written by hand and uploaded by an editor, so every refusal names the line it
//! found wrong (see [`RoutesError`]). Checks happen while the YAML is read, inside each value's
//! `Deserialize`, because that is where the YAML reader still knows the position; a check run
//! afterwards on plain values would have lost it.

mod de;
mod site;
#[cfg(test)]
mod tests;

pub use site::{Owned, SETTING_KEY, SiteRoutes, Target};

use std::fmt;

/// Ghost's own default file, what a site without an upload routes by.
pub const DEFAULT_YAML: &str = "routes:

collections:
  /:
    permalink: /{slug}/
    template: index

taxonomies:
  tag: /tag/{slug}/
  author: /author/{slug}/
";

/// Uploads larger than this are refused unread: a real file is a few hundred bytes.
pub const MAX_BYTES: usize = 256 * 1024;

/// The variables a collection permalink may use, as in Ghost.
pub const PERMALINK_VARIABLES: &[&str] = &[
    "id",
    "slug",
    "year",
    "month",
    "day",
    "primary_tag",
    "primary_author",
];

/// A validated `routes.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutesFile {
    /// Custom routes and channels, in file order (the first match wins, as in Ghost).
    pub routes: Vec<Route>,
    pub collections: Vec<Collection>,
    pub taxonomies: Taxonomies,
}

/// One entry of `routes:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `/about/team/`: starts and ends with `/`.
    pub path: String,
    /// Templates to try, most wanted first.
    pub template: Vec<String>,
    pub data: Vec<DataEntry>,
    /// The answer's `Content-Type` (`text/xml` for a hand-made feed); HTML when `None`.
    pub content_type: Option<String>,
    /// `controller: channel`: a paginated listing of the posts matching a filter.
    pub channel: Option<Listing>,
}

/// What a channel or a collection lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// NQL over posts; `None` lists every published post.
    pub filter: Option<String>,
    /// `published_at desc` and the like, as the Content API takes it.
    pub order: Option<String>,
    /// Posts per page; the theme's `posts_per_page` when `None`.
    pub limit: Option<u32>,
    /// Ghost serves a feed at `/path/rss/` unless the file says `rss: false`.
    pub rss: bool,
}

/// One entry of `collections:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub path: String,
    /// `/{year}/{slug}/`: where the collection's posts live.
    pub permalink: String,
    pub template: Vec<String>,
    pub data: Vec<DataEntry>,
    pub listing: Listing,
}

/// `taxonomies:`; a missing entry means the site has no such archives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomies {
    pub tag: Option<String>,
    pub author: Option<String>,
}

/// A resource a route's `data` names, exposed to its template under `name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataEntry {
    /// The template's name for it: `tag` for `data: tag.news`, the key in the long form.
    pub name: String,
    pub resource: Resource,
    pub slug: String,
    /// Whether the resource's own address redirects to the route (Ghost's default: yes).
    pub redirect: bool,
}

/// What `data` can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Posts,
    Pages,
    Tags,
    Authors,
}

impl Resource {
    /// The singular of the shortcut form (`tag.news`), which is also the template's key.
    pub fn singular(self) -> &'static str {
        match self {
            Resource::Posts => "post",
            Resource::Pages => "page",
            Resource::Tags => "tag",
            Resource::Authors => "author",
        }
    }
}

/// A refused file: what is wrong and, when the reader knew it, the line (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutesError {
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for RoutesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "routes.yaml line {line}: {}", self.message),
            None => write!(f, "routes.yaml: {}", self.message),
        }
    }
}

impl std::error::Error for RoutesError {}

impl RoutesFile {
    /// Reads and checks a file. An empty file is Ghost's "nothing configured": no routes, no
    /// collections, no taxonomies.
    pub fn parse(text: &str) -> Result<RoutesFile, RoutesError> {
        if text.len() > MAX_BYTES {
            return Err(RoutesError {
                line: None,
                message: format!("the file is larger than {} KB", MAX_BYTES / 1024),
            });
        }
        if text.trim().is_empty() {
            return Ok(RoutesFile::empty());
        }
        de::parse(text)
    }

    /// Ghost's default routing.
    pub fn ghost_default() -> RoutesFile {
        // The default text is a constant checked by the tests, so it always parses.
        Self::parse(DEFAULT_YAML).unwrap_or_else(|_| RoutesFile::empty())
    }

    fn empty() -> RoutesFile {
        RoutesFile {
            routes: Vec::new(),
            collections: Vec::new(),
            taxonomies: Taxonomies {
                tag: None,
                author: None,
            },
        }
    }
}
