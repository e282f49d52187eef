//! Relaying content changes between nodes that share a PostgreSQL database (see
//! `dateline_store::notify`): this node's changes go out, other nodes' changes come in and
//! make this node's cached pages stale.

use std::future::Future;

use tokio::sync::broadcast::error::RecvError;

use crate::App;

impl App {
    /// Relays changes until `shutdown` resolves. Returns at once on SQLite (one node).
    pub async fn run_change_relay(&self, shutdown: impl Future<Output = ()>) {
        let node_id = dateline_core::id::random_hex(8);
        let mut listener = match self.store.change_listener().await {
            Ok(Some(listener)) => listener,
            Ok(None) => return,
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for other nodes' changes");
                return;
            }
        };
        let mut local = self.events.subscribe();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                event = local.recv() => match event {
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        if let Err(err) = self.store.announce_change(&node_id).await {
                            tracing::warn!(error = %err, "cannot tell other nodes about a change");
                        }
                    }
                    Err(RecvError::Closed) => return,
                },
                notice = listener.recv() => match notice {
                    Ok(from) if from == node_id => {}
                    Ok(_) => {
                        self.events.note_remote_change();
                        // The change may be the mail settings, saved on another node.
                        if let Err(err) = self.load_mail_settings().await {
                            tracing::warn!(error = %err, "cannot reload the mail settings");
                        }
                    }
                    Err(err) => {
                        // The listener reconnects by itself; a notice may have been missed.
                        tracing::warn!(error = %err, "lost other nodes' change notices");
                        self.events.note_remote_change();
                    }
                },
            }
        }
    }
}
