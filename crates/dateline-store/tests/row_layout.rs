//! SQLite's migration 0020 rebuilds `posts` with the bodies last (see the migration's header).
//! A site made before it keeps every story, every field and every row that points at a story:
//! dropping the old table with foreign keys on would have emptied the link tables through
//! their cascades.

// Helpers outside `#[test]` functions set up fixtures; a failure there should fail loudly.
#![allow(clippy::unwrap_used)]

use dateline_store::Store;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, Row};

#[tokio::test]
async fn stories_and_their_links_survive_the_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // A database as the release before migration 0020 left it, foreign keys on as in `serve`.
    {
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        let migrator = sqlx::migrate::Migrator::new(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite"),
        )
        .await
        .unwrap();
        migrator.run_to(19, &pool).await.unwrap();
        for sql in [
            "INSERT INTO tags (id, name, slug, visibility, created_at, updated_at) \
             VALUES ('t1', 'News', 'news', 'public', '2025-09-01T00:00:00Z', '2025-09-01T00:00:00Z')",
            "INSERT INTO posts (id, uuid, type, title, slug, markdown, html, plaintext, featured, \
             status, visibility, dateline, created_at, updated_at, published_at, lexical) \
             VALUES ('p1', 'u1', 'post', 'Budget passes', 'budget-passes', 'Body **text**', \
             '<p>Body <strong>text</strong></p>', 'Body text', 1, 'published', 'public', \
             'ERBIL', '2025-09-01T00:00:00Z', '2025-09-02T00:00:00Z', '2025-09-03T00:00:00Z', \
             '{\"root\":{}}')",
            "INSERT INTO posts_tags (post_id, tag_id, sort_order) VALUES ('p1', 't1', 0)",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;
    }

    let url = format!("sqlite:{}", path.display());
    let store = Store::connect(&url).await.unwrap();
    assert!(
        store
            .applied_migrations()
            .await
            .unwrap()
            .contains(&"featured index and row layout".to_owned())
    );
    // The rewrite is folded into the database before the first request, not left in the log.
    let wal = std::fs::metadata(dir.path().join("old.db-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "write-ahead log left by the migration");
    drop(store);

    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let row = sqlx::query(
        "SELECT title, markdown, html, plaintext, lexical, featured, status, dateline, \
         published_at FROM posts WHERE id = 'p1'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(row.get::<String, _>("title"), "Budget passes");
    assert_eq!(row.get::<String, _>("markdown"), "Body **text**");
    assert_eq!(
        row.get::<String, _>("html"),
        "<p>Body <strong>text</strong></p>"
    );
    assert_eq!(row.get::<String, _>("plaintext"), "Body text");
    assert_eq!(row.get::<String, _>("lexical"), r#"{"root":{}}"#);
    assert_eq!(row.get::<i64, _>("featured"), 1);
    assert_eq!(row.get::<String, _>("dateline"), "ERBIL");
    assert_eq!(row.get::<String, _>("published_at"), "2025-09-03T00:00:00Z");
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts_tags WHERE post_id = 'p1'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(links, 1, "the story keeps its tag");

    // The bodies come last; the listing indexes are back, with the featured one.
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('posts')")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        columns[columns.len() - 5..],
        ["html", "plaintext", "markdown", "lexical", "mobiledoc"]
    );
    let mut indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts' \
         AND name NOT LIKE 'sqlite_autoindex%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    indexes.sort();
    assert_eq!(
        indexes,
        [
            "posts_due",
            "posts_featured",
            "posts_id_listing",
            "posts_listing"
        ]
    );
    // Every reference still holds.
    let broken: Vec<String> = sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    // Deleting a story still takes its links with it (the cascade points at the new table).
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM posts WHERE id = 'p1'")
        .execute(&mut conn)
        .await
        .unwrap();
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM posts_tags")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(links, 0);
}
