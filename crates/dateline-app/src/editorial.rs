//! Saving stories: the one place where a post's derived fields are computed, whoever saves it
//! (the admin, the Admin API, a script). The caller sends what a person typed; this fills in the
//! rest so that no two paths can disagree on a story's HTML, slug or dates.

use dateline_core::post::{Post, PostStatus};
use dateline_core::role::Role;
use dateline_core::user::User;
use dateline_core::{markdown, plaintext, sanitize, slug};
use dateline_store::posts;
use jiff::Timestamp;

use crate::{App, AppError, ContentChanged, Result, unique_slug};

/// What saving derives from the Markdown source: the HTML served (cleaned when the author is
/// not trusted with raw HTML) and its plaintext.
pub fn render_body(markdown_source: &str, author_role: Role) -> (String, String) {
    let rendered = markdown::render(markdown_source);
    let html = if author_role.is_trusted_with_html() {
        rendered
    } else {
        sanitize::untrusted_html(&rendered)
    };
    let text = plaintext::from_html(&html);
    (html, text)
}

impl App {
    /// Creates or updates `post` (matched by id) on behalf of `actor`, deriving its HTML,
    /// plaintext, slug and dates. Returns the post as stored.
    pub async fn save_post(&self, mut post: Post, actor: &User) -> Result<Post> {
        let now = dateline_core::time::now();
        if !actor.role.can_publish() && post.status != PostStatus::Draft {
            return Err(AppError::invalid(
                "status",
                "contributors save drafts; an editor publishes them",
            ));
        }
        check_schedule(&post, now)?;
        if post.title.trim().is_empty() {
            post.title = "(Untitled)".to_owned();
        }
        if let Some(source) = &post.markdown {
            let (html, text) = render_body(source, actor.role);
            post.html = Some(html);
            post.plaintext = Some(text);
        }
        if post.status == PostStatus::Published && post.published_at.is_none() {
            post.published_at = Some(now);
        }
        if post.author_ids.is_empty() {
            post.author_ids.push(actor.id.clone());
        }
        post.updated_at = now;

        let mut tx = self.store.begin().await?;
        let existing = posts::by_id(&mut tx, &post.id).await?;
        post.slug = self.free_slug(&mut tx, &post, existing.as_ref()).await?;
        match existing {
            Some(before) => {
                post.created_at = before.created_at;
                posts::update(&mut tx, &post).await?;
            }
            None => {
                post.created_at = now;
                posts::insert(&mut tx, &post).await?;
            }
        }
        tx.commit().await?;
        if post.status == PostStatus::Published {
            self.events
                .emit(ContentChanged::Published(vec![post.id.clone()]));
        }
        Ok(post)
    }

    /// The slug asked for (or made from the title), cleaned, and moved to `-2`, `-3`… if another
    /// post has it. A post keeps its own slug when it is saved again.
    async fn free_slug(
        &self,
        tx: &mut dateline_store::Tx,
        post: &Post,
        existing: Option<&Post>,
    ) -> Result<String> {
        let wanted = if post.slug.trim().is_empty() {
            slug::slugify(&post.title)
        } else {
            slug::slugify(&post.slug)
        };
        if existing.is_some_and(|e| e.slug == wanted) {
            return Ok(wanted);
        }
        let source = if wanted.is_empty() {
            post.title.as_str()
        } else {
            wanted.as_str()
        };
        unique_slug::post(tx, source).await
    }
}

/// A scheduled post needs a time, and one in the future.
fn check_schedule(post: &Post, now: Timestamp) -> Result<()> {
    if post.status != PostStatus::Scheduled {
        return Ok(());
    }
    match post.published_at {
        None => Err(AppError::invalid(
            "published_at",
            "a scheduled post needs a publish time",
        )),
        Some(at) if at <= now => Err(AppError::invalid(
            "published_at",
            "must be in the future for a scheduled post",
        )),
        Some(_) => Ok(()),
    }
}
