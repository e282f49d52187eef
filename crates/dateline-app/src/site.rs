//! What the public site reads.

use dateline_core::post::{Post, PostType};
use dateline_core::tag::{Tag, TagVisibility};
use dateline_core::user::User;
use dateline_store::{posts, settings, tags, users};

use crate::{App, Result};

/// The home page's content.
pub struct FrontPage {
    pub title: String,
    pub description: String,
    pub locale: String,
    pub posts: Vec<Post>,
}

impl App {
    pub async fn front_page(&self) -> Result<FrontPage> {
        let mut db = self.store.reader().await?;
        let settings = settings::all(&mut db).await?;
        let posts = posts::published(&mut db, PostType::Post, settings.posts_per_page(), 0).await?;
        Ok(FrontPage {
            title: settings.title().to_owned(),
            description: settings.description().to_owned(),
            locale: settings.locale().to_owned(),
            posts,
        })
    }
}

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
                    Some(format!("tags.slug:'{}'", tag.slug.replace('\'', "\\'"))),
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
                    Some(format!(
                        "authors.slug:'{}'",
                        author.slug.replace('\'', "\\'")
                    )),
                )
            }
        };
        let query = crate::content::ListQuery {
            filter,
            order: None,
            limit: Some(FEED_LENGTH),
            page: 1,
        };
        let posts = self.list_posts(PostType::Post, &query).await?.items;
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
