//! Scheduled publishing. A scheduled post goes live at its time exactly once: each publish is a
//! conditional update (`WHERE status = 'scheduled'`), so nodes sharing a database, a restart in
//! the middle, or a second pass can never publish it twice. Posts whose time passed while the
//! server was down are caught up by the first pass at start.

use std::time::Duration;

use dateline_core::id::ObjectId;
use dateline_core::post::{Post, PostStatus};
use dateline_store::posts;
use jiff::Timestamp;

use crate::editorial::next_updated_at;
use crate::revisions;
use crate::webhooks::outbox::Record;
use crate::{App, ContentChanged, Result};

/// How often the scheduler looks for due posts. Publishing is at most this late.
pub const INTERVAL: Duration = Duration::from_secs(5);

impl App {
    /// Publishes every scheduled post due at `now`; returns the ids this call published.
    pub async fn publish_due(&self, now: Timestamp) -> Result<Vec<ObjectId>> {
        let mut db = self.store.reader().await?;
        let due = posts::due(&mut db, now).await?;
        drop(db);
        if due.is_empty() {
            return Ok(due);
        }
        let mut published = Vec::new();
        let mut tx = self.store.begin().await?;
        for id in due {
            let Some(before) = posts::by_id(&mut tx, &id).await? else {
                continue;
            };
            let before_hook = self.webhook_snapshot(&mut tx, Record::Post(&id)).await?;
            let updated_at = next_updated_at(now, Some(before.updated_at));
            if posts::publish_if_due(&mut tx, &id, now, updated_at).await? {
                self.webhook_changed(&mut tx, Record::Post(&id), before_hook)
                    .await?;
                // The publish is a revision of its own, in the name of whoever scheduled it.
                let live = Post {
                    status: PostStatus::Published,
                    updated_at,
                    ..before
                };
                if let Some(hand) = revisions::last_hand(&mut tx, &live).await? {
                    revisions::keep(&mut tx, &live, &hand).await?;
                }
                published.push(id);
            }
        }
        tx.commit().await?;
        if !published.is_empty() {
            tracing::info!(count = published.len(), "published scheduled posts");
            self.events
                .emit(ContentChanged::Published(published.clone()));
        }
        Ok(published)
    }

    /// Runs [`App::publish_due`] now and then every [`INTERVAL`] until `shutdown` resolves.
    pub async fn run_scheduler(&self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut ticker = tokio::time::interval(INTERVAL);
        loop {
            tokio::select! {
                _ = &mut shutdown => return,
                _ = ticker.tick() => {
                    if let Err(err) = self.publish_due(dateline_core::time::now()).await {
                        tracing::error!(error = %err, "scheduled publishing failed; will retry");
                    }
                }
            }
        }
    }
}
