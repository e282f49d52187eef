//! `dateline routes show` and `dateline routes upload FILE`.

use dateline_testkit::{TestDb, backend_tests};

use crate::support::{ok, run, stderr, write_file};

backend_tests!(show_prints_ghosts_default, upload_checks_and_stores);

async fn show_prints_ghosts_default(db: TestDb) {
    let out = ok(&db, &["routes", "show"]);
    assert_eq!(out, dateline_core::routes::DEFAULT_YAML);
    assert!(out.contains("permalink: /{slug}/"), "{out}");
    assert!(out.contains("tag: /tag/{slug}/"), "{out}");
}

async fn upload_checks_and_stores(db: TestDb) {
    let good =
        "routes:\n  /team/: team\n  /news/:\n    controller: channel\n    filter: tag:news\n";
    let file = write_file(&db, "good.yaml", good.as_bytes());
    let out = ok(&db, &["routes", "upload", &file]);
    assert!(out.contains("2 routes, 0 collections"), "{out}");
    // Kept in the database, where every node reads it, not in the data folder.
    assert!(!db.data_dir.path().join("settings/routes.yaml").exists());
    assert_eq!(ok(&db, &["routes", "show"]), good);

    // A bad file is refused with its line, and the stored one stays.
    let bad = "routes:\n  /team/: team\n\ncollections:\n  /:\n    permalink: /{year}/{title}/\n";
    let file = write_file(&db, "bad.yaml", bad.as_bytes());
    let out = run(&db, &["routes", "upload", &file]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("routes.yaml line 6"), "{err}");
    assert!(err.contains("`{title}`"), "{err}");
    assert_eq!(ok(&db, &["routes", "show"]), good);
}
