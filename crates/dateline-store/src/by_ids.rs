//! Rows of one table named by a list of ids, in one query: a page of posts reads its tags and
//! its authors this way, not one query per link.

use sqlx::FromRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::Result;
use crate::conn::{Db, with_conn};

/// The rows of `table` (as `columns`) whose id is among `ids`, in no particular order; ids
/// with no row are left out.
pub(crate) async fn rows<R>(
    db: &mut impl Db,
    table: &'static str,
    columns: &'static str,
    ids: &[&str],
) -> Result<Vec<R>>
where
    R: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {columns} FROM {table} WHERE id IN ({})",
        crate::posts::placeholders(ids.len())
    );
    Ok(with_conn!(db, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(&mut *c).await?
    }))
}
