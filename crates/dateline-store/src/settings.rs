//! Site settings, Ghost's key/value table.

use std::collections::BTreeMap;

use dateline_core::settings::{Setting, Settings};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

use crate::Result;
use crate::conn::{Db, with_conn};

#[derive(sqlx::FromRow)]
struct SettingRow {
    key: String,
    value: Option<String>,
    group: String,
    #[sqlx(rename = "type")]
    value_type: String,
    flags: Option<String>,
}

pub async fn all(db: &mut impl Db) -> Result<Settings> {
    let sql = r#"SELECT key, value, "group", type, flags FROM settings ORDER BY key"#;
    let rows: Vec<SettingRow> = with_conn!(db, c => sqlx::query_as(sql).fetch_all(&mut *c).await?);
    let map = rows
        .into_iter()
        .map(|row| {
            let setting = Setting {
                key: row.key.clone(),
                value: row.value,
                group: row.group,
                value_type: row.value_type,
                flags: row.flags,
            };
            (row.key, setting)
        })
        .collect::<BTreeMap<_, _>>();
    Ok(Settings(map))
}

/// Writes a setting, replacing any value the key had. Returns whether anything changed: writing
/// the same value again is a no-op (and keeps `updated_at`).
pub async fn upsert(db: &mut impl Db, setting: &Setting, now: Timestamp) -> Result<bool> {
    let sql = r#"INSERT INTO settings (key, value, "group", type, flags, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, "group" = excluded."group",
            type = excluded.type, flags = excluded.flags, updated_at = excluded.updated_at
        WHERE settings.value IS DISTINCT FROM excluded.value
           OR settings.type IS DISTINCT FROM excluded.type
           OR settings.flags IS DISTINCT FROM excluded.flags"#;
    let changed = with_conn!(db, c => sqlx::query(sql)
        .bind(&setting.key)
        .bind(&setting.value)
        .bind(&setting.group)
        .bind(&setting.value_type)
        .bind(&setting.flags)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(changed > 0)
}

/// Writes a setting only where the key has none yet (a new site's defaults).
pub async fn insert_missing(db: &mut impl Db, setting: &Setting, now: Timestamp) -> Result<()> {
    let sql = r#"INSERT INTO settings (key, value, "group", type, flags, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING"#;
    with_conn!(db, c => sqlx::query(sql)
        .bind(&setting.key)
        .bind(&setting.value)
        .bind(&setting.group)
        .bind(&setting.value_type)
        .bind(&setting.flags)
        .bind(now.to_sqlx())
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}
