//! One connection type for both engines, so a repository function is written once.

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};

use crate::{Pools, Result};

/// A borrowed connection of either engine. Repository functions match on it through
/// [`with_conn!`], which compiles the same body once per engine.
#[doc(hidden)]
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Anything repository functions can run on: a [`Reader`] or a [`Tx`].
pub trait Db: Send {
    #[doc(hidden)]
    fn conn(&mut self) -> Conn<'_>;
}

/// Runs `$body` with `$c` bound to the engine's own `&mut Connection`.
macro_rules! with_conn {
    ($db:expr, $c:ident => $body:expr) => {
        match $crate::conn::Db::conn($db) {
            $crate::conn::Conn::Sqlite($c) => $body,
            $crate::conn::Conn::Postgres($c) => $body,
        }
    };
}
pub(crate) use with_conn;

/// A pooled connection for reads.
pub enum Reader {
    #[doc(hidden)]
    Sqlite(PoolConnection<Sqlite>),
    #[doc(hidden)]
    Postgres(PoolConnection<Postgres>),
}

impl Reader {
    pub(crate) async fn acquire(pools: &Pools) -> Result<Reader> {
        Ok(match pools {
            Pools::Sqlite { read, .. } => Reader::Sqlite(read.acquire().await?),
            Pools::Postgres(pool) => Reader::Postgres(pool.acquire().await?),
        })
    }
}

impl Db for Reader {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Reader::Sqlite(c) => Conn::Sqlite(c),
            Reader::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// A write transaction; rolled back when dropped without [`Tx::commit`].
pub enum Tx {
    #[doc(hidden)]
    Sqlite(Transaction<'static, Sqlite>),
    #[doc(hidden)]
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) async fn begin(pools: &Pools) -> Result<Tx> {
        Ok(match pools {
            // IMMEDIATE takes the write lock up front: another process writing at the same time
            // then waits (busy timeout) instead of failing half-way through with a stale snapshot.
            Pools::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Pools::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// Marks a point (`name`: fixed text, written into the SQL) inside the transaction that [`Tx::rollback_to`] returns to. After a failed
    /// statement PostgreSQL refuses everything until the transaction (or a savepoint) is rolled
    /// back; a savepoint lets a caller undo one failed step, look into it and go on.
    pub async fn savepoint(&mut self, name: &'static str) -> Result<()> {
        self.run(&format!("SAVEPOINT {}", name)).await
    }

    /// Forgets the savepoint `name`, keeping what was done since.
    pub async fn release(&mut self, name: &'static str) -> Result<()> {
        self.run(&format!("RELEASE SAVEPOINT {}", name)).await
    }

    /// Undoes everything since the savepoint `name`, which stays set.
    pub async fn rollback_to(&mut self, name: &'static str) -> Result<()> {
        self.run(&format!("ROLLBACK TO SAVEPOINT {}", name)).await
    }

    async fn run(&mut self, sql: &str) -> Result<()> {
        with_conn!(self, c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *c)
            .await?
            .rows_affected());
        Ok(())
    }
}

impl Db for Tx {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(tx) => Conn::Sqlite(tx),
            Tx::Postgres(tx) => Conn::Postgres(tx),
        }
    }
}

pub(crate) async fn ping(db: &mut impl Db) -> Result<()> {
    with_conn!(db, c => sqlx::query("SELECT 1").execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub(crate) async fn applied_migrations(db: &mut impl Db) -> Result<Vec<String>> {
    let sql = "SELECT description FROM _sqlx_migrations ORDER BY version";
    Ok(with_conn!(db, c => sqlx::query_scalar(sql).fetch_all(&mut *c).await?))
}
