use dateline_testkit::{TestDb, backend_tests};

backend_tests!(every_migration_runs);

fn migration_names(backend: &str) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../dateline-store/migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn every_migration_runs(db: TestDb) {
    let sqlite = migration_names("sqlite");
    assert_eq!(
        sqlite,
        migration_names("postgres"),
        "both backends have the same migrations"
    );
    let app = db.app().await;
    let applied = app.store.applied_migrations().await.unwrap();
    let expected: Vec<String> = sqlite
        .iter()
        .map(|n| {
            n.trim_end_matches(".sql")
                .split_once('_')
                .unwrap()
                .1
                .replace('_', " ")
        })
        .collect();
    assert_eq!(applied, expected);
    // Connecting again finds nothing to do and keeps the data.
    let again = db.app().await;
    assert_eq!(again.store.applied_migrations().await.unwrap(), expected);
}
