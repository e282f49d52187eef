//! Persistence for Dateline: connection pools for SQLite (the embedded default) and PostgreSQL
//! (the scale-out backend), the embedded migrations of each, and repositories that take and
//! return `dateline-core` types.
//!
//! Every query is written once with `$n` placeholders, which both engines accept, and is
//! compiled twice by the [`with_conn!`] macro, once per backend, so each runs with native types
//! (TEXT times and 0/1 booleans in SQLite, `timestamptz` and `boolean` in PostgreSQL). SQL never
//! leaves this crate, and no query is built from user text: dynamic SQL only ever adds
//! placeholders.

mod by_ids;
mod conn;
pub mod counted;
pub mod custom_theme_settings;
pub mod deliveries;
mod error;
pub mod filter;
pub mod image_originals;
pub mod integrations;
pub mod labels;
pub mod login_failures;
pub mod members;
pub mod newsletters;
pub mod notify;
pub mod posts;
pub mod reviews;
pub mod revisions;
pub mod sessions;
pub mod settings;
pub mod staff_tokens;
pub mod tags;
pub mod theme_archives;
pub mod tiers;
pub mod users;
pub mod webhooks;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub use conn::{Db, Reader, Tx};
pub use error::StoreError;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which engine a store talks to, chosen by the URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database. Cheap to clone: it holds pools.
#[derive(Clone)]
pub struct Store {
    pools: Pools,
}

/// `PRAGMA cache_size` of each SQLite reader connection: a negative size is in KiB (512 KiB).
const READER_CACHE_SIZE: &str = "-512";

#[derive(Clone)]
enum Pools {
    /// SQLite allows one writer at a time; a one-connection write pool is the writer queue,
    /// so writers wait their turn in Rust instead of failing with `SQLITE_BUSY`.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

impl Store {
    /// Connects by URL (`sqlite:…` or `postgres://…`) and runs pending migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        let store = if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await?
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Self::connect_postgres(url).await?
        } else {
            return Err(StoreError::UnsupportedUrl(redact(url)));
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn connect_sqlite(url: &str) -> Result<Store> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        // Each connection keeps its own page cache and the pool hands connections out in turn,
        // so at SQLite's default (2 MB each) every reader ends up holding a copy of the same
        // hot pages. The operating system caches the file once for all of them; a small cache
        // per reader keeps the server's footprint small for a few more `pread`s on misses.
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(
                options
                    .read_only(true)
                    .pragma("cache_size", READER_CACHE_SIZE),
            )
            .await?;
        Ok(Store {
            pools: Pools::Sqlite { read, write },
        })
    }

    async fn connect_postgres(url: &str) -> Result<Store> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Store {
            pools: Pools::Postgres(pool),
        })
    }

    async fn migrate(&self) -> Result<()> {
        match &self.pools {
            Pools::Sqlite { write, .. } => {
                SQLITE_MIGRATIONS.run(write).await?;
                // A migration that rewrites a table (0020 rewrote `posts`, 3 GB at 100k
                // stories) leaves that much write-ahead log, which every read then consults
                // until a checkpoint; folded in now, before the first request. Instant when
                // nothing was migrated.
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(write)
                    .await?;
            }
            Pools::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Names of the migrations applied, in order (for `--version` style diagnostics and tests).
    pub async fn applied_migrations(&self) -> Result<Vec<String>> {
        let mut db = self.reader().await?;
        conn::applied_migrations(&mut db).await
    }

    /// A connection for reads. On SQLite it is read-only, so a read can never take the write lock.
    pub async fn reader(&self) -> Result<Reader> {
        Reader::acquire(&self.pools).await
    }

    /// Starts a write transaction. Nothing it does is visible until [`Tx::commit`]; dropping it
    /// rolls back, so an error or a crash half-way leaves the database as it was.
    pub async fn begin(&self) -> Result<Tx> {
        Tx::begin(&self.pools).await
    }

    /// Readies PostgreSQL for reads after a bulk load: statistics and the visibility map, which
    /// autovacuum gathers only a minute or so after the load. Without statistics the planner
    /// takes the new tables for empty and walks every post per home-page section (a server
    /// started right after an import of 10k posts waited 290 ms for its first page); without
    /// the visibility map a count of posts reads every row, not the listing index (24 ms
    /// against 6 for the front page's pager). SQLite plans from its indexes without
    /// statistics, so there is nothing to do there.
    pub async fn refresh_statistics(&self) -> Result<()> {
        if let Pools::Postgres(pool) = &self.pools {
            // Named, so only this site's schema is vacuumed, not every schema of the database.
            // The simple protocol: VACUUM refuses to run inside the implicit transaction of a
            // prepared statement.
            sqlx::raw_sql(
                "VACUUM (ANALYZE) posts, posts_tags, posts_authors, tags, users, members, \
                 members_newsletters, members_labels, labels",
            )
            .execute(pool)
            .await?;
        }
        Ok(())
    }

    /// `SELECT 1` through the read pool: what `/healthz` means by "the database answers".
    pub async fn ping(&self) -> Result<()> {
        let mut db = self.reader().await?;
        conn::ping(&mut db).await
    }

    /// Closes the pools, waiting for connections to be returned (checkpoints SQLite's WAL).
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

/// A URL with any password replaced, fit for error messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
