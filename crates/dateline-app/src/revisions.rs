//! Revision history of stories, as the admin's editor keeps it: after each save from the
//! editor, the headline and text are recorded, so a newsroom can see who changed what and
//! bring an earlier version back. Autosaves come every few seconds; one person's saves within
//! [`FOLD_WITHIN`] of their last revision, at the same status, update that revision instead of
//! adding rows, so the history reads as sittings of work, not keystrokes. A status change
//! (publishing, unpublishing) always starts a new revision.

use dateline_core::id::ObjectId;
use dateline_core::post::Post;
use dateline_core::user::User;
use dateline_store::revisions::{self, Revision};
use dateline_store::users;
use jiff::SignedDuration;

use crate::{App, AppError, Result};

/// Saves by the same person closer together than this fold into one revision.
pub const FOLD_WITHIN: SignedDuration = SignedDuration::from_mins(10);

/// A revision and the name of who made it.
#[derive(Debug)]
pub struct RevisionEntry {
    pub revision: Revision,
    pub author_name: String,
}

impl App {
    /// Records `post` as just saved by `author`.
    pub async fn keep_revision(&self, post: &Post, author: &User) -> Result<()> {
        let now = dateline_core::time::now();
        let markdown = post.markdown.clone().unwrap_or_default();
        let mut tx = self.store.begin().await?;
        let latest = revisions::of_post(&mut tx, &post.id)
            .await?
            .into_iter()
            .next();
        let status = post.status.as_str().to_owned();
        match latest {
            Some(last)
                if last.title == post.title
                    && last.markdown == markdown
                    && last.status == status => {}
            Some(last)
                if last.author_id == author.id
                    && last.status == status
                    && now.duration_since(last.created_at) < FOLD_WITHIN =>
            {
                revisions::replace(
                    &mut tx,
                    &Revision {
                        title: post.title.clone(),
                        markdown,
                        created_at: now,
                        ..last
                    },
                )
                .await?;
            }
            _ => {
                revisions::insert(
                    &mut tx,
                    &Revision {
                        id: ObjectId::generate(),
                        post_id: post.id.clone(),
                        author_id: author.id.clone(),
                        title: post.title.clone(),
                        markdown,
                        status,
                        created_at: now,
                    },
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

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
