use std::io::{BufRead, BufReader};
use std::process::Stdio;

use dateline_testkit::{Backend, TestDb, backend_tests, ghost_export, ghost_fixture_dir};
use serde_json::Value;
use sqlx::Connection;

use crate::support::{dateline, export_json, ok, run, stderr, stdout, write_file};

backend_tests!(
    import_keeps_every_field_ghost_returned,
    importing_twice_changes_nothing,
    a_bad_file_changes_nothing,
    a_conflict_half_way_rolls_back_everything,
    kill_9_during_an_import_leaves_the_database_as_before,
    slugs_taken_in_the_same_batch_are_renamed,
    postgres_is_vacuumed_and_analysed_after_an_import,
    sqlite_checkpoints_the_import_before_it_ends,
);

fn golden(name: &str) -> Value {
    let text = std::fs::read_to_string(ghost_fixture_dir().join("content-api").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn ghost_time(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

/// Ghost stores `__GHOST_URL__`; its API answers with the site URL of the capture.
fn absolute(stored: Option<&str>) -> Value {
    stored.map_or(Value::Null, |s| {
        Value::String(s.replace("__GHOST_URL__", "http://localhost:2368"))
    })
}

async fn import_keeps_every_field_ghost_returned(db: TestDb) {
    let file = write_file(&db, "ghost.json", &ghost_export());
    let out = ok(&db, &["import", &file]);
    assert!(
        out.contains("10 posts, 1 pages, 7 tags, 2 staff users"),
        "{out}"
    );

    let app = db.app().await;
    // Bodies are kept byte for byte as Ghost stored them. (The Content API's answers differ
    // from the stored HTML only by Ghost's output-time `?ref=` tagging of outbound links.)
    let export: Value = serde_json::from_slice(&ghost_export()).unwrap();
    for stored in export["db"][0]["data"]["posts"].as_array().unwrap() {
        let slug = stored["slug"].as_str().unwrap();
        let found = app.post_by_slug(slug).await.unwrap().unwrap().post;
        assert_eq!(
            found.html.as_deref(),
            stored["html"].as_str(),
            "{slug}: html"
        );
        assert_eq!(
            found.plaintext.as_deref(),
            stored["plaintext"].as_str(),
            "{slug}: plaintext"
        );
    }
    let browse = golden("posts.browse.json");
    let published = browse["posts"].as_array().unwrap();
    assert_eq!(published.len(), 8);
    for expected in published {
        let slug = expected["slug"].as_str().unwrap();
        let found = app
            .post_by_slug(slug)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{slug} imported"));
        let post = &found.post;
        assert_eq!(post.id.as_str(), expected["id"], "{slug}: id");
        assert_eq!(post.uuid, expected["uuid"], "{slug}: uuid");
        assert_eq!(post.title, expected["title"], "{slug}: title");
        assert_eq!(
            post.custom_excerpt.as_deref(),
            expected["custom_excerpt"].as_str(),
            "{slug}: custom_excerpt"
        );
        assert_eq!(post.excerpt(), expected["excerpt"], "{slug}: excerpt");
        assert_eq!(
            post.reading_time(),
            expected["reading_time"],
            "{slug}: reading_time"
        );
        assert_eq!(
            post.published_at,
            Some(ghost_time(expected["published_at"].as_str().unwrap())),
            "{slug}: published_at"
        );
        assert_eq!(
            post.created_at,
            ghost_time(expected["created_at"].as_str().unwrap()),
            "{slug}: created_at"
        );
        assert_eq!(
            post.updated_at,
            ghost_time(expected["updated_at"].as_str().unwrap()),
            "{slug}: updated_at"
        );
        assert_eq!(post.featured, expected["featured"], "{slug}: featured");
        assert_eq!(
            absolute(post.feature_image.as_deref()),
            expected["feature_image"],
            "{slug}: feature_image"
        );
        assert_eq!(
            post.feature_image_alt.as_deref(),
            expected["feature_image_alt"].as_str(),
            "{slug}: alt"
        );
        assert_eq!(
            post.feature_image_caption.as_deref(),
            expected["feature_image_caption"].as_str(),
            "{slug}: caption"
        );
        assert_eq!(
            post.visibility.as_str(),
            expected["visibility"],
            "{slug}: visibility"
        );
        assert_eq!(
            post.comment_id.as_deref(),
            expected["comment_id"].as_str(),
            "{slug}: comment_id"
        );
    }

    for name in [
        "posts.browse.include-tags-authors.limit-3.json",
        "posts.read.slug-pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner.include-tags-authors.json",
    ] {
        for expected in golden(name)["posts"].as_array().unwrap() {
            let slug = expected["slug"].as_str().unwrap();
            let found = app.post_by_slug(slug).await.unwrap().unwrap();
            let tag_slugs: Vec<&str> = found.tags.iter().map(|t| t.slug.as_str()).collect();
            let want_tags: Vec<&str> = expected["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["slug"].as_str().unwrap())
                .collect();
            assert_eq!(tag_slugs, want_tags, "{slug}: tags in order");
            let author_slugs: Vec<&str> = found.authors.iter().map(|a| a.slug.as_str()).collect();
            let want_authors: Vec<&str> = expected["authors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["slug"].as_str().unwrap())
                .collect();
            assert_eq!(author_slugs, want_authors, "{slug}: authors in order");
            assert_eq!(
                found.primary_tag().map(|t| t.slug.as_str()),
                expected["primary_tag"]["slug"].as_str(),
                "{slug}: primary tag"
            );
            assert_eq!(
                found.primary_author().map(|a| a.slug.as_str()),
                expected["primary_author"]["slug"].as_str(),
                "{slug}: primary author"
            );
        }
    }

    // The first tag of this post is internal, so Ghost reports no primary tag.
    let internal = app
        .post_by_slug("how-we-cover-election-results")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(internal.tags[0].slug, "hash-internal");
    assert!(internal.primary_tag().is_none());

    let scheduled = app
        .post_by_slug("preview-iraqs-2027-budget-debate")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        scheduled.post.status,
        dateline_core::post::PostStatus::Scheduled
    );
    let draft = app
        .post_by_slug("notes-on-the-water-sharing-talks")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.post.status, dateline_core::post::PostStatus::Draft);
    let page = app.post_by_slug("about").await.unwrap().unwrap();
    assert_eq!(page.post.post_type, dateline_core::post::PostType::Page);
}

async fn importing_twice_changes_nothing(db: TestDb) {
    let file = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &file]);
    let before = export_json(&db);
    let out = ok(&db, &["import", &file]);
    assert!(
        out.contains(": 0 posts, 0 pages, 0 tags, 0 staff users, 0 settings"),
        "{out}"
    );
    assert!(
        out.contains("left alone: 11 posts, 7 tags, 2 staff users"),
        "{out}"
    );
    assert_eq!(export_json(&db), before);
}

/// Writes the fixture with one change applied to its data.
fn fixture_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut root: Value = serde_json::from_slice(&ghost_export()).unwrap();
    change(&mut root["db"][0]["data"]);
    serde_json::to_vec(&root).unwrap()
}

async fn a_bad_file_changes_nothing(db: TestDb) {
    let good = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &good]);
    let before = export_json(&db);

    let export = ghost_export();
    let truncated = write_file(&db, "truncated.json", &export[..export.len() * 2 / 3]);
    let out = run(&db, &["import", &truncated]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("not valid JSON"), "{message}");
    assert!(message.contains("nothing was changed"), "{message}");

    let bad_date = write_file(
        &db,
        "bad-date.json",
        &fixture_with(|data| data["posts"][2]["published_at"] = "not a date".into()),
    );
    let out = run(&db, &["import", &bad_date]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("posts[2] (id "), "{message}");
    assert!(message.contains("field `published_at`"), "{message}");

    let missing = write_file(&db, "missing.json", b"");
    assert_eq!(
        run(&db, &["import", "/nonexistent/export.json"])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(run(&db, &["import", &missing]).status.code(), Some(1));
    assert_eq!(export_json(&db), before);
}

/// A file that is valid on its own but collides with the site half-way through the write.
async fn a_conflict_half_way_rolls_back_everything(db: TestDb) {
    let good = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &good]);
    let before = export_json(&db);

    let conflicting = fixture_with(|data| {
        let posts = data["posts"].as_array_mut().unwrap();
        let mut fresh = Vec::new();
        for (i, post) in posts.iter().enumerate() {
            let mut post = post.clone();
            post["id"] = format!("{:024x}", 0xabc000 + i).into();
            post["slug"] = format!("copy-{i}").into();
            post["uuid"] = format!("00000000-0000-4000-8000-{i:012}").into();
            fresh.push(post);
        }
        // The last new post reuses the uuid of a post already on the site.
        let existing_uuid = posts[0]["uuid"].clone();
        fresh.last_mut().unwrap()["uuid"] = existing_uuid;
        *posts = fresh;
        for table in ["posts_tags", "posts_authors", "posts_meta"] {
            data[table] = Value::Array(Vec::new());
        }
    });
    let file = write_file(&db, "conflict.json", &conflicting);
    let out = run(&db, &["import", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let message = stderr(&out);
    assert!(message.contains("posts[10]"), "{message}");
    assert!(message.contains("uuid"), "{message}");
    assert_eq!(export_json(&db), before);
}

/// Posts are written in batches; two new posts of one file that share a slug (here three, one
/// of them also taken by a post already on the site) each get a free one, as when they came
/// one by one.
async fn slugs_taken_in_the_same_batch_are_renamed(db: TestDb) {
    let good = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &good]);
    let twins = fixture_with(|data| {
        let posts = data["posts"].as_array_mut().unwrap();
        let template = posts.iter().find(|p| p["type"] == "post").unwrap().clone();
        let taken = template["slug"].as_str().unwrap().to_owned();
        let mut fresh = Vec::new();
        for i in 0..3 {
            let mut post = template.clone();
            post["id"] = format!("{:024x}", 0xdef000 + i).into();
            post["uuid"] = format!("20000000-0000-4000-8000-{i:012}").into();
            post["slug"] = if i == 0 {
                taken.clone()
            } else {
                "twin".to_owned()
            }
            .into();
            fresh.push(post);
        }
        *posts = fresh;
        for table in ["posts_tags", "posts_authors", "posts_meta"] {
            data[table] = Value::Array(Vec::new());
        }
    });
    let file = write_file(&db, "twins.json", &twins);
    let out = ok(&db, &["import", &file]);
    assert!(out.contains(": 3 posts, 0 pages"), "{out}");
    let export = export_json(&db);
    let stored = export["db"][0]["data"]["posts"].as_array().unwrap();
    let slugs: Vec<&str> = (0..3)
        .map(|i| {
            let id = format!("{:024x}", 0xdef000 + i);
            stored.iter().find(|p| p["id"] == id.as_str()).unwrap()["slug"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_ne!(slugs[1], slugs[2], "{slugs:?}");
    assert_eq!(slugs[1], "twin", "{slugs:?}");
    assert!(slugs[2].starts_with("twin-"), "{slugs:?}");
    assert!(slugs[0].ends_with("-2"), "{slugs:?}");
}

/// A synthetic export big enough that the write takes a while.
fn big_export(posts: usize) -> Vec<u8> {
    fixture_with(|data| {
        let template = data["posts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["type"] == "post")
            .unwrap()
            .clone();
        let body =
            "<p>".to_owned() + &"Words of a long story about the region. ".repeat(40) + "</p>";
        let list = data["posts"].as_array_mut().unwrap();
        for i in 0..posts {
            let mut post = template.clone();
            post["id"] = format!("{:024x}", 0x00f0_0000 + i).into();
            post["uuid"] = format!("10000000-0000-4000-8000-{i:012}").into();
            post["slug"] = format!("generated-story-{i}").into();
            post["title"] = format!("Generated story {i}").into();
            post["html"] = body.clone().into();
            post["plaintext"] = Value::Null;
            post["lexical"] = Value::Null;
            list.push(post);
        }
    })
}

async fn kill_9_during_an_import_leaves_the_database_as_before(db: TestDb) {
    let good = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &good]);
    let before = export_json(&db);

    let file = write_file(&db, "big.json", &big_export(10_000));
    let mut child = dateline(&db)
        .args(["import", &file])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The importer says when it starts writing; kill it a moment into the transaction.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    assert!(line.contains("Writing"), "{line}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the import finished before it was killed; make the file bigger"
    );

    assert_eq!(export_json(&db), before);
    // And the same file imports completely afterwards.
    let out = ok(&db, &["import", &file]);
    assert!(out.contains(": 10000 posts, 0 pages"), "{out}");
}

#[tokio::test]
async fn data_folder_from_the_environment_applies_to_import() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let file = write_file(&db, "ghost.json", &ghost_export());
    let out = dateline(&db)
        .env_remove("DATELINE_DATABASE_URL")
        .args(["import", &file])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(db.data_dir.path().join("dateline.db").exists());
    assert!(stdout(&out).contains("10 posts"));
}

/// Without statistics PostgreSQL takes freshly loaded tables for empty and plans the home
/// page's section listings as a walk of every post; the import gathers them itself.
async fn postgres_is_vacuumed_and_analysed_after_an_import(db: TestDb) {
    if db.backend != Backend::Postgres {
        return;
    }
    let file = ghost_fixture_dir().join("ghost-export.json");
    ok(&db, &["import", file.to_str().unwrap()]);
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let analysed = tables_with(&mut conn, "last_analyze").await;
    // Vacuumed too: the visibility map lets a count of posts read the listing index alone.
    let vacuumed = tables_with(&mut conn, "last_vacuum").await;
    for table in ["posts", "posts_authors", "posts_tags", "tags", "users"] {
        assert!(
            analysed.iter().any(|t| t == table),
            "{table} not analysed: {analysed:?}"
        );
        assert!(
            vacuumed.iter().any(|t| t == table),
            "{table} not vacuumed: {vacuumed:?}"
        );
    }
}

/// On SQLite the import's one transaction waits in the write-ahead log until a checkpoint
/// copies it into the database; the import does that before it ends, so the next `serve` does
/// not start by reading through the log (3 GB and seconds at 100k posts).
async fn sqlite_checkpoints_the_import_before_it_ends(db: TestDb) {
    if db.backend != Backend::Sqlite {
        return;
    }
    let file = ghost_fixture_dir().join("ghost-export.json");
    ok(&db, &["import", file.to_str().unwrap()]);
    let path = db.url.trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap();
    let wal = format!("{path}-wal");
    let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
    assert_eq!(size, 0, "{wal} still holds {size} bytes after the import");
}

/// The tables of the test's schema whose `pg_stat_user_tables.<column>` is set.
async fn tables_with(conn: &mut sqlx::PgConnection, column: &str) -> Vec<String> {
    let sql = format!(
        "SELECT relname::text FROM pg_stat_user_tables \
         WHERE schemaname = current_schema() AND {column} IS NOT NULL ORDER BY relname"
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_all(conn)
        .await
        .unwrap()
}
