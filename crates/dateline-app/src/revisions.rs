//! Revision history of stories. Every write of a post keeps one, whatever the route: the
//! admin's editor, the Admin API, a restore, the scheduler publishing it (see
//! [`App::save_post_with`](crate::App::save_post_with) and [`App::publish_due`]), in the write's
//! own transaction, so a newsroom can see who changed what and bring an earlier version back.
//! Autosaves come every few seconds; one person's saves within [`FOLD_WITHIN`] of their last
//! revision, at the same status, update that revision instead of adding rows, so the history
//! reads as sittings of work, not keystrokes. A status change (publishing, unpublishing) always
//! starts a new revision, and a write that leaves headline, text and status as they were adds
//! nothing. A revision is dated by the post's `updated_at`, which every write moves on, so the
//! history's order is the order of the writes.
//!
//! A post brought in by `dateline import` starts with one revision of its own, marked
//! [`IMPORTED`] and dated at the import, so its history and restore work from the first day
//! (before, an imported story had no past to go back to until someone saved it twice). Its
//! status is the mark, not the story's: the first save after it always starts a new revision.

use dateline_core::id::ObjectId;
use dateline_core::post::Post;
use dateline_store::revisions::{self, Revision};
use dateline_store::{Tx, users};
use jiff::{SignedDuration, Timestamp};

use crate::{App, AppError, Result};

/// Saves by the same person closer together than this fold into one revision.
pub const FOLD_WITHIN: SignedDuration = SignedDuration::from_mins(10);

/// The status an imported post's first revision is kept with ("Imported from Ghost").
pub const IMPORTED: &str = "imported";

/// A revision and the name of who made it.
#[derive(Debug)]
pub struct RevisionEntry {
    pub revision: Revision,
    pub author_name: String,
}

/// Records `post`, just written in `tx` by the staff user `author_id`.
pub(crate) async fn keep(tx: &mut Tx, post: &Post, author_id: &ObjectId) -> Result<()> {
    let at = post.updated_at;
    let markdown = post.markdown.clone().unwrap_or_default();
    let latest = revisions::of_post(tx, &post.id).await?.into_iter().next();
    let status = post.status.as_str().to_owned();
    match latest {
        Some(last)
            if last.title == post.title && last.markdown == markdown && last.status == status => {}
        Some(last)
            if &last.author_id == author_id
                && last.status == status
                && at.duration_since(last.created_at) < FOLD_WITHIN =>
        {
            let folded = Revision {
                title: post.title.clone(),
                markdown,
                created_at: at,
                ..last
            };
            revisions::replace(tx, &folded).await?;
        }
        _ => {
            let revision = Revision {
                id: ObjectId::generate(),
                post_id: post.id.clone(),
                author_id: author_id.clone(),
                title: post.title.clone(),
                markdown,
                status,
                created_at: at,
            };
            revisions::insert(tx, &revision).await?;
        }
    }
    Ok(())
}

/// Gives each of `post_ids`, just imported in `tx`, its first revision, dated `at`.
pub(crate) async fn keep_imported(tx: &mut Tx, post_ids: &[&str], at: Timestamp) -> Result<()> {
    revisions::insert_initial(tx, post_ids, IMPORTED, at).await?;
    Ok(())
}

/// Who a write without a person behind it (the scheduler publishing) is recorded as: whoever
/// made the story's latest revision (the person who scheduled it, as a rule), else its first
/// author.
pub(crate) async fn last_hand(tx: &mut Tx, post: &Post) -> Result<Option<ObjectId>> {
    let latest = revisions::of_post(tx, &post.id).await?.into_iter().next();
    Ok(latest
        .map(|r| r.author_id)
        .or_else(|| post.author_ids.first().cloned()))
}

impl App {
    /// A story's revisions, newest first, with their authors' names.
    pub async fn revisions(&self, post_id: &ObjectId) -> Result<Vec<RevisionEntry>> {
        let mut db = self.store.reader().await?;
        let found = revisions::of_post(&mut db, post_id).await?;
        let staff = users::all(&mut db).await?;
        Ok(found
            .into_iter()
            .map(|revision| RevisionEntry {
                author_name: staff
                    .iter()
                    .find(|u| u.id == revision.author_id)
                    .map_or_else(String::new, |u| u.name.clone()),
                revision,
            })
            .collect())
    }

    /// One revision of a story.
    pub async fn revision(&self, post_id: &ObjectId, id: &str) -> Result<Revision> {
        self.revisions(post_id)
            .await?
            .into_iter()
            .map(|e| e.revision)
            .find(|r| r.id.as_str() == id)
            .ok_or(AppError::NotFound { noun: "revision" })
    }
}
