//! What the public site reads.

use dateline_core::post::{Post, PostType};
use dateline_core::tag::{Tag, TagVisibility};
use dateline_core::user::User;
use dateline_store::filter::Resource;
use dateline_store::{members, posts, tags, users};

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
    Site,
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
}

/// Ghost's feed length.
pub const FEED_LENGTH: u32 = 15;

impl App {
    /// The newest stories of the site, a tag or an author; `None` when the tag or author does
    /// not exist (or the tag is internal).
    pub async fn feed(&self, scope: FeedScope<'_>) -> Result<Option<Feed>> {
        let settings = self.settings().await?;
        let site_title = settings.title().to_owned();
        let (title, description, path, filter) = match scope {
            FeedScope::Site => (
                site_title,
                settings.description().to_owned(),
                "/".to_owned(),
                None,
            ),
            FeedScope::Tag(slug) => {
                let mut db = self.store.reader().await?;
                let Some(tag) = tags::by_slug(&mut db, slug)
                    .await?
                    .filter(|t| t.visibility == TagVisibility::Public)
                else {
                    return Ok(None);
                };
                (
                    format!("{} - {site_title}", tag.name),
                    tag.description.clone().unwrap_or_default(),
                    format!("/tag/{}/", tag.slug),
                    Some(format!("tags.slug:{}", nql_quote(&tag.slug))),
                )
            }
            FeedScope::Author(slug) => {
                let mut db = self.store.reader().await?;
                let Some(author) = users::by_slug(&mut db, slug).await? else {
                    return Ok(None);
                };
                (
                    format!("{} - {site_title}", author.name),
                    author.bio.clone().unwrap_or_default(),
                    format!("/author/{}/", author.slug),
                    Some(format!("authors.slug:{}", nql_quote(&author.slug))),
                )
            }
        };
        let posts = self
            .list_posts(PostType::Post, &list(filter, 1, FEED_LENGTH))
            .await?
            .items;
        Ok(Some(Feed {
            title,
            description,
            path,
            posts,
        }))
    }

    /// Published posts or pages for a sitemap, newest first.
    pub async fn sitemap_entries(
        &self,
        post_type: PostType,
        since: Option<jiff::Timestamp>,
        limit: u32,
    ) -> Result<Vec<posts::SitemapEntry>> {
        let mut db = self.store.reader().await?;
        Ok(posts::sitemap_entries(&mut db, post_type, since, limit).await?)
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
    pub async fn home(&self, page: u32, per_page: u32) -> Result<HomeData> {
        let latest = self
            .list_posts(PostType::Post, &list(None, page, per_page))
            .await?;
        let mut sections = Vec::new();
        if page <= 1 {
            let mut tags = self
                .list_tags(&ListQuery {
                    limit: None,
                    ..Default::default()
                })
                .await?
                .items;
            tags.retain(|(t, n)| t.visibility == TagVisibility::Public && *n > 0);
            tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.name.cmp(&b.0.name)));
            for (tag, _) in tags.into_iter().take(HOME_SECTIONS) {
                let filter = format!("primary_tag:{}", nql_quote(&tag.slug));
                let posts = self
                    .list_posts(PostType::Post, &list(Some(filter), 1, SECTION_STORIES))
                    .await?
                    .items;
                if !posts.is_empty() {
                    sections.push((tag, posts));
                }
            }
        }
        Ok(HomeData { latest, sections })
    }

    /// The published post or page at `/{slug}/`.
    pub async fn entry(&self, slug: &str) -> Result<Option<Entry>> {
        let detail = match self.read_post(PostType::Post, PostKey::Slug(slug)).await? {
            Some(post) => post,
            None => match self.read_post(PostType::Page, PostKey::Slug(slug)).await? {
                Some(page) => {
                    return Ok(Some(Entry {
                        detail: page,
                        related: Vec::new(),
                    }));
                }
                None => return Ok(None),
            },
        };
        let related = match detail.primary_tag() {
            Some(tag) => {
                // Any story filed under the section, not only those it leads: small sections
                // would otherwise show nothing.
                let filter = format!("tags.slug:{}+id:-{}", nql_quote(&tag.slug), detail.post.id);
                self.list_posts(PostType::Post, &list(Some(filter), 1, RELATED_STORIES))
                    .await?
                    .items
            }
            None => Vec::new(),
        };
        Ok(Some(Entry { detail, related }))
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
    /// Where a post that used to live at `old_slug` lives now, if it was renamed.
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
