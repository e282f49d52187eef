//! Change notices between nodes that share one PostgreSQL: a node that commits a change says so
//! on a channel, and every other node hears it and drops its cached pages. SQLite has one node,
//! so there is nothing to relay.

use sqlx::postgres::PgListener;

use crate::{Pools, Result, Store};

/// The channel every node listens on.
const CHANNEL: &str = "dateline_content_changed";

/// Notices from other nodes.
pub struct Listener(PgListener);

impl Listener {
    /// The next notice's payload (the sending node's id). Reconnects after a lost connection;
    /// notices sent while disconnected are lost, which callers treat as "something changed".
    pub async fn recv(&mut self) -> Result<String> {
        Ok(self.0.recv().await?.payload().to_owned())
    }
}

impl Store {
    /// Tells the other nodes that this node (`node_id`) committed a change.
    pub async fn announce_change(&self, node_id: &str) -> Result<()> {
        if let Pools::Postgres(pool) = &self.pools {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(node_id)
                .execute(pool)
                .await?;
        }
        Ok(())
    }

    /// Starts listening for other nodes' notices; `None` on SQLite.
    pub async fn change_listener(&self) -> Result<Option<Listener>> {
        match &self.pools {
            Pools::Postgres(pool) => {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(CHANNEL).await?;
                Ok(Some(Listener(listener)))
            }
            Pools::Sqlite { .. } => Ok(None),
        }
    }
}
