//! What changed, announced after a commit. Listeners (page cache, feeds, search, webhooks) only
//! ever hear about committed work; a lagging listener misses events rather than slowing writers,
//! and is expected to treat a lag as "everything changed".

use dateline_core::id::ObjectId;
use tokio::sync::broadcast;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentChanged {
    /// Posts (or pages) were published, by a person or by the scheduler.
    Published(Vec<ObjectId>),
    /// A bulk change such as an import: every cached page may be stale.
    Everything,
}

#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<ContentChanged>,
}

impl Events {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(256);
        Events { sender }
    }

    pub fn emit(&self, event: ContentChanged) {
        // No listener is not an error: the CLI runs use cases with nobody listening.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ContentChanged> {
        self.sender.subscribe()
    }
}

impl Default for Events {
    fn default() -> Self {
        Self::new()
    }
}
