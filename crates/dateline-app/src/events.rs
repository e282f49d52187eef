//! What changed, announced after a commit. Listeners (page cache, feeds, search, webhooks) only
//! ever hear about committed work; a lagging listener misses events rather than slowing writers,
//! and is expected to treat a lag as "everything changed".

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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
    generation: Arc<AtomicU64>,
}

impl Events {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(256);
        Events {
            sender,
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    pub fn emit(&self, event: ContentChanged) {
        // The generation moves before anyone hears the event, so a cache that compares
        // generations can never serve a page from before a change that has committed.
        self.generation.fetch_add(1, Ordering::SeqCst);
        // No listener is not an error: the CLI runs use cases with nobody listening.
        let _ = self.sender.send(event);
    }

    /// How many changes this process has seen; a cached page from an older generation is stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Another node changed content: cached pages here are stale. Not broadcast, so the
    /// notice is not relayed back.
    pub fn note_remote_change(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
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
