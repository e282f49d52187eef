use dateline_testkit::{TestDb, backend_tests, ghost_export};
use serde_json::Value;

use crate::support::{Served, ok, write_file};

backend_tests!(
    serve_answers_and_stops_cleanly_on_sigterm,
    restarts_keep_everything_and_publish_missed_schedules
);

const SEED_TITLE: &str = "PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner";

async fn serve_answers_and_stops_cleanly_on_sigterm(db: TestDb) {
    let file = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &file]);
    let served = Served::start(&db);
    let health = served.get("/healthz").await;
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("x-request-id"));
    let home = served.get("/").await.text().await.unwrap();
    assert!(home.contains(SEED_TITLE), "{home}");
    assert!(home.contains("<title>The New Region</title>"), "{home}");
    assert!(served.terminate(), "dateline serve exits 0 on SIGTERM");
}

/// The fixture with its scheduled post due a minute ago, as if the server had been down then.
fn export_with_a_missed_schedule() -> Vec<u8> {
    let mut root: Value = serde_json::from_slice(&ghost_export()).unwrap();
    let minute_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60);
    for post in root["db"][0]["data"]["posts"].as_array_mut().unwrap() {
        if post["status"] == "scheduled" {
            post["published_at"] = minute_ago.strftime("%Y-%m-%d %H:%M:%S").to_string().into();
        }
    }
    serde_json::to_vec(&root).unwrap()
}

async fn restarts_keep_everything_and_publish_missed_schedules(db: TestDb) {
    let file = write_file(&db, "ghost.json", &export_with_a_missed_schedule());
    ok(&db, &["import", &file]);

    let served = Served::start(&db);
    let home = served.get("/").await.text().await.unwrap();
    assert!(
        home.contains("Preview: Iraq"),
        "the missed schedule is published at start:\n{home}"
    );
    assert!(served.terminate());
    let after_first = crate::support::export_json(&db);

    let served = Served::start(&db);
    let home = served.get("/").await.text().await.unwrap();
    assert!(home.contains(SEED_TITLE));
    assert!(home.contains("Preview: Iraq"));
    assert!(served.terminate());
    // Nothing changed on the second start: the post was published once, not again.
    assert_eq!(crate::support::export_json(&db), after_first);
}

/// `<data>/dateline.toml` fills in what neither the environment nor a flag set.
#[tokio::test]
async fn the_data_folder_config_file_is_read_below_env_and_flags() {
    let db = TestDb::new(dateline_testkit::Backend::Sqlite)
        .await
        .unwrap();
    std::fs::write(
        db.data_dir.path().join("dateline.toml"),
        "url = \"https://news.example.com/\"\n",
    )
    .unwrap();
    let served = Served::start(&db);
    assert_eq!(served.url, "https://news.example.com");
    drop(served);

    let mut cmd = crate::support::dateline(&db);
    let out = cmd
        .env("DATELINE_URL", "https://env.example.com")
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--url",
            "https://flag.example.com",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let served = Served::adopt(out);
    assert_eq!(served.url, "https://flag.example.com");
    drop(served);

    std::fs::write(
        db.data_dir.path().join("dateline.toml"),
        "colour = \"blue\"\n",
    )
    .unwrap();
    let out = crate::support::run(&db, &["export", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        crate::support::stderr(&out).contains("dateline.toml"),
        "{}",
        crate::support::stderr(&out)
    );
}
