//! The review step Ghost lacks: a contributor cannot publish, so they hand a finished draft to
//! the editors, who see it in a queue, publish it, or send it back. The queue holds drafts
//! only, so publishing a story takes it out without a second step.

use dateline_core::id::ObjectId;
use dateline_core::post::PostStatus;
use dateline_core::role::Role;
use dateline_core::user::User;
use dateline_store::reviews::{self, ReviewRequest};
use dateline_store::{posts, users};
use jiff::Timestamp;

use crate::admin::Actor;
use crate::content::with_relations;
use crate::site::PostDetail;
use crate::{App, AppError, Result};

/// A story waiting for an editor.
pub struct QueuedStory {
    pub detail: PostDetail,
    pub submitted_by: String,
    pub submitted_at: Timestamp,
}

fn parse(id: &str) -> Result<ObjectId> {
    ObjectId::parse(id).map_err(|_| AppError::NotFound { noun: "post" })
}

impl App {
    /// Hands a draft of `actor`'s to the editors.
    pub async fn submit_for_review(&self, actor: &User, post_id: &str) -> Result<Timestamp> {
        let id = parse(post_id)?;
        let now = dateline_core::time::now();
        let mut tx = self.store.begin().await?;
        let post = posts::by_id(&mut tx, &id)
            .await?
            .ok_or(AppError::NotFound { noun: "post" })?;
        if actor.role < Role::Editor && !post.author_ids.contains(&actor.id) {
            return Err(AppError::no_permission(
                "You can only submit stories you are an author of.",
            ));
        }
        if post.status != PostStatus::Draft {
            return Err(AppError::invalid(
                "status",
                "only drafts are submitted for review",
            ));
        }
        reviews::submit(
            &mut tx,
            &ReviewRequest {
                post_id: id,
                submitted_by: actor.id.clone(),
                submitted_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(now)
    }

    /// The drafts waiting for an editor, oldest first. Editors and above only.
    pub async fn review_queue(&self, actor: &Actor) -> Result<Vec<QueuedStory>> {
        actor.require(Role::Editor)?;
        let mut db = self.store.reader().await?;
        let queue = reviews::queue(&mut db).await?;
        let staff = users::all(&mut db).await?;
        let mut stories = Vec::with_capacity(queue.len());
        for request in queue {
            let Some(post) = posts::by_id(&mut db, &request.post_id).await? else {
                continue;
            };
            let Some(detail) = with_relations(&mut db, vec![post]).await?.pop() else {
                continue;
            };
            stories.push(QueuedStory {
                detail,
                submitted_by: staff
                    .iter()
                    .find(|u| u.id == request.submitted_by)
                    .map_or_else(String::new, |u| u.name.clone()),
                submitted_at: request.submitted_at,
            });
        }
        Ok(stories)
    }

    /// The drafts waiting for an editor, oldest submission first: what the stories list marks
    /// "In review" (to every role: a writer sees that their story was handed in).
    pub async fn in_review(&self) -> Result<Vec<ObjectId>> {
        let mut db = self.store.reader().await?;
        Ok(reviews::queue(&mut db)
            .await?
            .into_iter()
            .map(|r| r.post_id)
            .collect())
    }

    /// Whether a draft waits for review, and since when and by whom (their name).
    pub async fn review_request(&self, post_id: &ObjectId) -> Result<Option<(String, Timestamp)>> {
        let mut db = self.store.reader().await?;
        let Some(request) = reviews::queue(&mut db)
            .await?
            .into_iter()
            .find(|r| &r.post_id == post_id)
        else {
            return Ok(None);
        };
        let name = users::by_id(&mut db, &request.submitted_by)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        Ok(Some((name, request.submitted_at)))
    }

    /// Takes a draft out of the queue, back to its writer. Editors and above only.
    pub async fn send_back(&self, actor: &Actor, post_id: &str) -> Result<()> {
        actor.require(Role::Editor)?;
        let id = parse(post_id)?;
        let mut tx = self.store.begin().await?;
        reviews::withdraw(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(())
    }
}
