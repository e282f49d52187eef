//! Saving stories: the one place where a post's derived fields are computed, whoever saves it
//! (the admin, the Admin API, a script). The caller sends what a person typed; this fills in the
//! rest so that no two paths can disagree on a story's HTML, slug or dates.

use dateline_core::id::ObjectId;
use dateline_core::post::{Post, PostStatus};
use dateline_core::role::Role;
use dateline_core::tag::Tag;
use dateline_core::user::User;
use dateline_core::{body, markdown, plaintext, sanitize, slug};
use dateline_store::{posts, tags};
use jiff::Timestamp;

use crate::webhooks::outbox::Record;
use crate::{App, AppError, ContentChanged, Result, post_rights, unique_slug};

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

/// What a save may carry besides the post itself.
#[derive(Debug, Default)]
pub struct SaveOptions {
    /// The body as HTML (the Admin API's `?source=html`, or a Lexical or Mobiledoc document
    /// rendered): served as given (sanitised for contributors), with Markdown derived for editing.
    pub html: Option<String>,
    /// The `updated_at` the client last read: a save over a post that changed since is refused
    /// with [`AppError::UpdateCollision`], as Ghost refuses it.
    pub unchanged_since: Option<Timestamp>,
    /// Tags the post refers to that do not exist yet; created in the same transaction, with
    /// their slugs made unique there.
    pub new_tags: Vec<Tag>,
}

impl App {
    /// Creates or updates `post` (matched by id) on behalf of `actor`, deriving its HTML,
    /// plaintext, slug and dates. Returns the post as stored.
    pub async fn save_post(&self, post: Post, actor: &User) -> Result<Post> {
        self.save_post_with(post, actor, SaveOptions::default())
            .await
    }

    /// [`App::save_post`] with a body given as HTML, a collision check or new tags.
    pub async fn save_post_with(
        &self,
        mut post: Post,
        actor: &User,
        options: SaveOptions,
    ) -> Result<Post> {
        let now = dateline_core::time::now();
        if post.title.trim().is_empty() {
            post.title = "(Untitled)".to_owned();
        }
        if post.status == PostStatus::Published && post.published_at.is_none() {
            post.published_at = Some(now);
        }
        if post.author_ids.is_empty() {
            post.author_ids.push(actor.id.clone());
        }

        let mut tx = self.store.begin().await?;
        posts::lock(&mut tx, &post.id).await?;
        let existing = posts::by_id(&mut tx, &post.id).await?;
        post_rights::check_write(actor, existing.as_ref(), &post)?;
        check_schedule(&post, existing.as_ref(), now)?;
        derive_body(&mut post, existing.as_ref(), options.html, actor.role);
        post.slug = self.free_slug(&mut tx, &post, existing.as_ref()).await?;
        if let (Some(seen), Some(before)) = (options.unchanged_since, existing.as_ref())
            && seen != before.updated_at
            && changes_anything(before, &post)
        {
            return Err(AppError::UpdateCollision);
        }
        post.updated_at = next_updated_at(now, existing.as_ref().map(|e| e.updated_at));
        for mut tag in options.new_tags {
            let wanted = if tag.slug.is_empty() {
                &tag.name
            } else {
                &tag.slug
            };
            tag.slug = unique_slug::tag(&mut tx, wanted).await?;
            tags::insert(&mut tx, &tag).await?;
            self.webhook_changed(&mut tx, Record::Tag(&tag.id), None)
                .await?;
        }
        let before_hook = self
            .webhook_snapshot(&mut tx, Record::Post(&post.id))
            .await?;
        let was_live = existing.as_ref().is_some_and(Post::is_live);
        match existing {
            Some(before) => {
                post.created_at = before.created_at;
                posts::update(&mut tx, &post).await?;
                // A renamed story keeps answering at its old address.
                if before.slug != post.slug {
                    posts::remember_old_slug(&mut tx, &before.slug, &post.id, now).await?;
                }
            }
            None => {
                post.created_at = now;
                posts::insert(&mut tx, &post).await?;
            }
        }
        posts::forget_old_slug(&mut tx, &post.slug).await?;
        crate::revisions::keep(&mut tx, &post, &actor.id).await?;
        self.webhook_changed(&mut tx, Record::Post(&post.id), before_hook)
            .await?;
        tx.commit().await?;
        if post.status == PostStatus::Published {
            self.events
                .emit(ContentChanged::Published(vec![post.id.clone()]));
        } else if was_live {
            // Unpublished: its page, feeds and listings must forget it.
            self.events.emit(ContentChanged::Everything);
        }
        Ok(post)
    }

    /// Deletes a post or page on behalf of `actor`.
    pub async fn delete_post(&self, id: &ObjectId, actor: &User) -> Result<Post> {
        let mut tx = self.store.begin().await?;
        let Some(post) = posts::by_id(&mut tx, id).await? else {
            return Err(AppError::NotFound { noun: "post" });
        };
        post_rights::check_delete(actor, &post)?;
        let before_hook = self.webhook_snapshot(&mut tx, Record::Post(id)).await?;
        posts::delete(&mut tx, id).await?;
        self.webhook_changed(&mut tx, Record::Post(id), before_hook)
            .await?;
        tx.commit().await?;
        if post.is_live() {
            self.events.emit(ContentChanged::Everything);
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

/// The HTML, Markdown and plaintext of a post being saved. HTML given with the save is kept and
/// Markdown derived from it; otherwise the HTML is rendered from the Markdown, but only when the
/// Markdown changed, so that HTML kept from an import or an HTML save survives other edits.
fn derive_body(post: &mut Post, existing: Option<&Post>, html: Option<String>, role: Role) {
    if let Some(html) = html {
        let html = if role.is_trusted_with_html() {
            html
        } else {
            let sanitized = sanitize::untrusted_html(&html);
            // A kept document must render to the body served; one that lost markup to the
            // sanitiser no longer does.
            if sanitized != html {
                post.source = None;
            }
            sanitized
        };
        post.markdown = Some(body::markdown_from_html(&html));
        post.plaintext = Some(plaintext::from_html(&html));
        post.html = Some(html);
        return;
    }
    let unchanged = existing.is_some_and(|e| e.markdown == post.markdown && e.html.is_some());
    if let (Some(source), false) = (&post.markdown, unchanged) {
        // Edited as Markdown: the kept Lexical or Mobiledoc document no longer describes it.
        post.source = None;
        let (html, text) = render_body(source, role);
        post.html = Some(html);
        post.plaintext = Some(text);
    }
}

/// The `updated_at` a write at `now` gives a post last updated at `before`: `now`, or one
/// second after `before` when `now` is not later. Times are whole seconds (Ghost's API shape),
/// so two saves within one second would otherwise leave the same value, and a tab that read
/// the first would pass the collision check over the second. Every write moving the time on
/// makes the check exact for every client, at the price of a post's `updated_at` running up
/// to a second or so ahead of the clock while someone saves faster than once a second.
pub(crate) fn next_updated_at(now: Timestamp, before: Option<Timestamp>) -> Timestamp {
    match before {
        Some(before) if now <= before => before
            .checked_add(jiff::SignedDuration::from_secs(1))
            .unwrap_or(now),
        _ => now,
    }
}

/// Whether saving `after` over `before` changes anything a person edits; the derived fields and
/// the timestamps do not count (Ghost's collision check ignores them too).
fn changes_anything(before: &Post, after: &Post) -> bool {
    let comparable = |p: &Post| Post {
        updated_at: Timestamp::UNIX_EPOCH,
        html: None,
        plaintext: None,
        ..p.clone()
    };
    comparable(before) != comparable(after)
}

/// A post newly scheduled (or rescheduled) needs a time, and one in the future. A scheduled post
/// saved again without a new time may keep it even when the scheduler is about to publish it.
fn check_schedule(post: &Post, existing: Option<&Post>, now: Timestamp) -> Result<()> {
    if post.status != PostStatus::Scheduled {
        return Ok(());
    }
    if existing
        .is_some_and(|e| e.status == PostStatus::Scheduled && e.published_at == post.published_at)
    {
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
