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
