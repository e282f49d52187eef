//! What the public site reads.

use dateline_core::post::{Post, PostType};
use dateline_core::tag::{Tag, TagVisibility};
use dateline_core::user::User;
use dateline_store::filter::Resource;
use dateline_store::{members, posts, tags, users};

use dateline_core::nql::PostRecord;
use dateline_core::routes::{Owned, SiteRoutes};

use crate::content::{ListQuery, Listing, PostKey, compile_filter};
use crate::{App, Result};

/// A post with its tags and authors, in order.
pub struct PostDetail {
    pub post: Post,
    pub tags: Vec<Tag>,
    pub authors: Vec<User>,
}

impl PostDetail {
    /// Ghost's rule: the first tag, unless it is internal, is the post's section.
    pub fn primary_tag(&self) -> Option<&Tag> {
        self.tags
            .first()
            .filter(|t| t.visibility == TagVisibility::Public)
    }

    pub fn primary_author(&self) -> Option<&User> {
        self.authors.first()
    }

    /// The post as filters and permalinks read it.
    pub fn record(&self) -> PostRecord<'_> {
        PostRecord {
            post: &self.post,
            tags: &self.tags,
            authors: &self.authors,
        }
    }
}

impl App {
    /// Any post or page by slug, whatever its status (callers decide who may see it).
    pub async fn post_by_slug(&self, slug: &str) -> Result<Option<PostDetail>> {
        let mut db = self.store.reader().await?;
        let Some(post) = posts::by_slug(&mut db, slug).await? else {
            return Ok(None);
        };
        let mut tags = Vec::with_capacity(post.tag_ids.len());
        for id in &post.tag_ids {
            tags.extend(tags::by_id(&mut db, id).await?);
        }
        let mut authors = Vec::with_capacity(post.author_ids.len());
        for id in &post.author_ids {
            authors.extend(users::by_id(&mut db, id).await?);
        }
        Ok(Some(PostDetail {
            post,
            tags,
            authors,
        }))
    }
}

/// Which stories a feed carries.
pub enum FeedScope<'a> {
    /// A collection's or channel's listing at `path` (`/` for the site's own feed).
    Listing {
        path: &'a str,
        filter: Option<String>,
        order: Option<&'a str>,
    },
    Tag(&'a str),
    Author(&'a str),
}

/// A feed's channel and its newest stories.
pub struct Feed {
    pub title: String,
    pub description: String,
    /// Path of the page the feed belongs to (`/`, `/tag/news/`).
    pub path: String,
    pub posts: Vec<PostDetail>,
    /// The routes the feed was read under, which give each post's link.
    pub routes: std::sync::Arc<SiteRoutes>,
}

/// Ghost's feed length.
pub const FEED_LENGTH: u32 = 15;

impl App {
    /// The newest stories of the site, a tag or an author; `None` when the tag or author does
    /// not exist (or the tag is internal).
    pub async fn feed(&self, scope: FeedScope<'_>) -> Result<Option<Feed>> {
        let settings = self.settings().await?;
        let routes = SiteRoutes::of(&settings);
        let site_title = settings.title().to_owned();
        let mut order = None;
        let (title, description, path, filter) = match scope {
            FeedScope::Listing {
                path,
                filter,
                order: listing_order,
            } => {
                order = listing_order.map(str::to_owned);
                (
                    site_title,
                    settings.description().to_owned(),
                    path.to_owned(),
                    filter,
                )
            }
            FeedScope::Tag(slug) => {
                let mut db = self.store.reader().await?;
                let Some(tag) = tags::by_slug(&mut db, slug)
                    .await?
                    .filter(|t| t.visibility == TagVisibility::Public)
                else {
                    return Ok(None);
                };
                let Some(path) = routes.tag_path(&tag.slug) else {
                    return Ok(None);
                };
                (
                    format!("{} - {site_title}", tag.name),
                    tag.description.clone().unwrap_or_default(),
                    path,
                    Some(format!("tags.slug:{}", nql_quote(&tag.slug))),
                )
            }
            FeedScope::Author(slug) => {
                let mut db = self.store.reader().await?;
                let Some(author) = users::by_slug(&mut db, slug).await? else {
                    return Ok(None);
                };
                let Some(path) = routes.author_path(&author.slug) else {
                    return Ok(None);
                };
                (
                    format!("{} - {site_title}", author.name),
                    author.bio.clone().unwrap_or_default(),
                    path,
                    Some(format!("authors.slug:{}", nql_quote(&author.slug))),
                )
            }
        };
        let mut query = list(filter, 1, FEED_LENGTH);
        query.order = order;
        let posts = self.list_posts(PostType::Post, &query).await?.items;
        Ok(Some(Feed {
            title,
            description,
            path,
            posts,
            routes,
        }))
    }

    /// Published posts or pages for a sitemap, newest first, each with its site-relative
    /// address; posts no collection takes have none and are left out.
    pub async fn sitemap_entries(
        &self,
        post_type: PostType,
        since: Option<jiff::Timestamp>,
        limit: u32,
    ) -> Result<Vec<(posts::SitemapEntry, String)>> {
        let routes = SiteRoutes::of(&self.settings().await?);
        let mut db = self.store.reader().await?;
        let entries = posts::sitemap_entries(&mut db, post_type, since, limit).await?;
        drop(db);
        if post_type == PostType::Page || routes.slug_only() {
            return Ok(entries
                .into_iter()
                .map(|e| {
                    let path = format!("/{}/", e.slug);
                    (e, path)
                })
                .collect());
        }
        // Other routes need each post's tags and authors: read the same posts in full.
        let details = self
            .list_posts(
                PostType::Post,
                &ListQuery {
                    filter: None,
                    order: None,
                    limit: Some(limit),
                    page: 1,
                },
            )
            .await?
            .items;
        let paths: std::collections::HashMap<&str, String> = details
            .iter()
            .filter_map(|d| Some((d.post.slug.as_str(), routes.post_path(&d.record())?)))
            .collect();
        Ok(entries
            .into_iter()
            .filter_map(|e| {
                let path = paths.get(e.slug.as_str())?.clone();
                Some((e, path))
            })
            .collect())
    }

    /// The site-relative address of a post or page under the active routes; `None` for a
    /// post no collection takes. The one answer every link to a post is built from.
    pub async fn post_path(&self, detail: &PostDetail) -> Result<Option<String>> {
        Ok(SiteRoutes::of(&self.settings().await?).post_path(&detail.record()))
    }
}

/// The front page: one page of the latest stories and, on the first page, the main sections.
pub struct HomeData {
    pub latest: Listing<PostDetail>,
    pub sections: Vec<(Tag, Vec<PostDetail>)>,
}

/// A story or static page with what is shown beside it.
pub struct Entry {
    pub detail: PostDetail,
    /// Up to three stories from the same section (posts only).
    pub related: Vec<PostDetail>,
}

/// How many sections get a block on the front page, and how many stories each.
const HOME_SECTIONS: usize = 4;
const SECTION_STORIES: u32 = 4;
const RELATED_STORIES: u32 = 3;

impl App {
    /// One page of the posts a collection owns (see [`SiteRoutes::owned`]), or a channel's.
    pub async fn listing(
        &self,
        owned: &Owned,
        order: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> Result<Listing<PostDetail>> {
        let filter = match owned {
            Owned::All => None,
            Owned::Filter(filter) => Some(filter.clone()),
            Owned::Nothing => {
                return Ok(Listing {
                    items: Vec::new(),
                    page,
                    limit: Some(per_page),
                    total: 0,
                });
            }
        };
        let mut query = list(filter, page, per_page);
        query.order = order.map(str::to_owned);
        self.list_posts(PostType::Post, &query).await
    }

    /// The front page: the first collection's listing and, on its first page, the sections.
    pub async fn home(
        &self,
        owned: &Owned,
        order: Option<&str>,
        page: u32,
        per_page: u32,
    ) -> Result<HomeData> {
        let latest = self.listing(owned, order, page, per_page).await?;
        let mut sections = Vec::new();
        if page <= 1 {
            for tag in self.main_sections().await? {
                let filter = format!("primary_tag:{}", nql_quote(&tag.slug));
                let posts = self.first_posts(&filter, SECTION_STORIES).await?;
                if !posts.is_empty() {
                    sections.push((tag, posts));
                }
            }
        }
        Ok(HomeData { latest, sections })
    }

    /// The sections that get a front-page block: the public tags that lead the most published
    /// stories.
    async fn main_sections(&self) -> Result<Vec<Tag>> {
        let mut db = self.store.reader().await?;
        let counted = posts::published_count_by_primary_tag(&mut db).await?;
        let ids: Vec<&str> = counted
            .iter()
            .take(HOME_SECTIONS)
            .map(|(id, _)| id.as_str())
            .collect();
        let mut found = tags::by_ids(&mut db, &ids).await?;
        // Back into the order of the counts.
        found.sort_by_key(|t| ids.iter().position(|id| *id == t.id.as_str()));
        Ok(found)
    }

    /// A published post or page, by slug or id; posts come with related stories.
    pub async fn entry(&self, post_type: PostType, key: PostKey<'_>) -> Result<Option<Entry>> {
        let Some(detail) = self.read_post(post_type, key).await? else {
            return Ok(None);
        };
        if post_type == PostType::Page {
            return Ok(Some(Entry {
                detail,
                related: Vec::new(),
            }));
        }
        let related = match detail.primary_tag() {
            Some(tag) => {
                // Any story filed under the section, not only those it leads: small sections
                // would otherwise show nothing.
                let filter = format!("tags.slug:{}+id:-{}", nql_quote(&tag.slug), detail.post.id);
                self.first_posts(&filter, RELATED_STORIES).await?
            }
            None => Vec::new(),
        };
        Ok(Some(Entry { detail, related }))
    }

    /// A public tag by slug (internal tags have no page of their own).
    pub async fn public_tag(&self, slug: &str) -> Result<Option<Tag>> {
        let mut db = self.store.reader().await?;
        Ok(tags::by_slug(&mut db, slug)
            .await?
            .filter(|t| t.visibility == TagVisibility::Public))
    }

    /// A staff member by slug, as an author.
    pub async fn author_by_slug(&self, slug: &str) -> Result<Option<User>> {
        let mut db = self.store.reader().await?;
        Ok(users::by_slug(&mut db, slug).await?)
    }

    /// A public tag and one page of its stories; `None` for unknown or internal tags.
    pub async fn tag_archive(
        &self,
        slug: &str,
        page: u32,
        per_page: u32,
    ) -> Result<Option<(Tag, Listing<PostDetail>)>> {
        let mut db = self.store.reader().await?;
        let Some(tag) = tags::by_slug(&mut db, slug)
            .await?
            .filter(|t| t.visibility == TagVisibility::Public)
        else {
            return Ok(None);
        };
        drop(db);
        let filter = format!("tags.slug:{}", nql_quote(&tag.slug));
        let posts = self
            .list_posts(PostType::Post, &list(Some(filter), page, per_page))
            .await?;
        Ok(Some((tag, posts)))
    }

    /// An author and one page of their stories.
    pub async fn author_archive(
        &self,
        slug: &str,
        page: u32,
        per_page: u32,
    ) -> Result<Option<(User, Listing<PostDetail>)>> {
        let mut db = self.store.reader().await?;
        let Some(author) = users::by_slug(&mut db, slug).await? else {
            return Ok(None);
        };
        drop(db);
        let filter = format!("authors.slug:{}", nql_quote(&author.slug));
        let posts = self
            .list_posts(PostType::Post, &list(Some(filter), page, per_page))
            .await?;
        Ok(Some((author, posts)))
    }
}

fn list(filter: Option<String>, page: u32, limit: u32) -> ListQuery {
    ListQuery {
        filter,
        order: None,
        limit: Some(limit),
        page,
    }
}

/// A value quoted for NQL, so any slug is taken literally.
fn nql_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

impl App {
    /// The slug a post that used to be `old_slug` has now, if it was renamed.
    pub async fn renamed_slug(&self, old_slug: &str) -> Result<Option<String>> {
        let mut db = self.store.reader().await?;
        Ok(posts::renamed_to(&mut db, old_slug).await?)
    }
}

/// How many members a site has, for themes that show it (`{{total_members}}`).
pub struct MemberTotals {
    pub total: u64,
    /// Members with a paid subscription (Ghost's `status:paid`; comped members are not paying).
    pub paid: u64,
}

impl App {
    pub async fn member_totals(&self) -> Result<MemberTotals> {
        let paid = compile_filter(Some("status:paid"), Resource::Members, 1)?;
        let mut db = self.store.reader().await?;
        let total = members::count(&mut db).await?;
        let (_, paid) = members::browse(
            &mut db,
            &members::Browse {
                filter: paid.as_ref(),
                search: None,
                order: &[],
                limit: Some(0),
                offset: 0,
            },
        )
        .await?;
        Ok(MemberTotals { total, paid })
    }
}
