//! The site's values for themes' custom settings (`custom_theme_settings`), per theme.

use crate::Result;
use crate::conn::{Db, with_conn};

/// One saved value: its key, the type the theme declared and the value as text.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CustomValue {
    pub key: String,
    #[sqlx(rename = "type")]
    pub kind: String,
    pub value: Option<String>,
}

/// The saved values of `theme`, by key.
pub async fn of_theme(db: &mut impl Db, theme: &str) -> Result<Vec<CustomValue>> {
    let sql = "SELECT key, type, value FROM custom_theme_settings WHERE theme = $1 ORDER BY key";
    Ok(with_conn!(db, c => sqlx::query_as(sql)
        .bind(theme)
        .fetch_all(&mut *c)
        .await?))
}

/// The saved values of every theme, by theme and key (an export carries them all).
pub async fn all(db: &mut impl Db) -> Result<Vec<(String, CustomValue)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        theme: String,
        #[sqlx(flatten)]
        value: CustomValue,
    }
    let sql = "SELECT theme, key, type, value FROM custom_theme_settings ORDER BY theme, key";
    let rows: Vec<Row> = with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?);
    Ok(rows.into_iter().map(|r| (r.theme, r.value)).collect())
}

/// Saves one value of `theme`, replacing an earlier one. Returns whether anything changed, so
/// an import can tell a value it brought from one that was here.
pub async fn put(db: &mut impl Db, theme: &str, value: &CustomValue) -> Result<bool> {
    let sql = "INSERT INTO custom_theme_settings (theme, key, type, value) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (theme, key) DO UPDATE SET type = excluded.type, value = excluded.value \
               WHERE custom_theme_settings.type <> excluded.type \
               OR custom_theme_settings.value IS DISTINCT FROM excluded.value";
    let n = with_conn!(db, c => sqlx::query(sql)
        .bind(theme)
        .bind(&value.key)
        .bind(&value.kind)
        .bind(&value.value)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n == 1)
}
