use dateline_testkit::{TestDb, backend_tests, ghost_export};

use crate::support::{export_json, ok, write_file};

backend_tests!(
    export_then_import_gives_an_identical_site,
    export_writes_a_ghost_file,
    an_export_never_carries_the_smtp_password
);

async fn export_then_import_gives_an_identical_site(db: TestDb) {
    let members = super::import_members::export_with_members(|_| {});
    let file = write_file(&db, "ghost.json", &members);
    ok(&db, &["import", &file]);
    let first = export_json(&db);
    // The readers' side travels too.
    let data = &first["db"][0]["data"];
    for (table, rows) in [
        ("newsletters", 1),
        ("products", 2),
        ("custom_theme_settings", 29),
        ("labels", 2),
        ("members", 3),
        ("members_labels", 3),
        ("members_newsletters", 2),
    ] {
        assert_eq!(data[table].as_array().map(Vec::len), Some(rows), "{table}");
    }

    let other = TestDb::new(db.backend).await.unwrap();
    let exported = write_file(
        &other,
        "dateline-export.json",
        &serde_json::to_vec(&first).unwrap(),
    );
    let out = ok(&other, &["import", &exported]);
    assert!(
        out.contains("10 posts, 1 pages, 7 tags, 2 staff users"),
        "{out}"
    );
    assert_eq!(export_json(&other), first);

    // The copy's staff can still sign in with their Ghost passwords.
    other
        .app()
        .await
        .sign_in("editor@example.com", "EditorialDesk!2025pw")
        .await
        .unwrap();
}

async fn export_writes_a_ghost_file(db: TestDb) {
    let file = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &file]);
    let target = db.data_dir.path().join("out.json");
    ok(&db, &["export", target.to_str().unwrap()]);
    let export: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    let meta = &export["db"][0]["meta"];
    assert_eq!(meta["version"], "5.130.6");
    assert!(meta["exported_on"].as_i64().unwrap() > 1_700_000_000_000);
    let data = &export["db"][0]["data"];
    let seed = data["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner")
        .unwrap()
        .clone();
    let id = seed["id"].clone();
    let meta_row = data["posts_meta"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["post_id"] == id)
        .unwrap()
        .clone();
    let mut seed = seed;
    // Long bodies are checked elsewhere byte for byte; here their shape is what matters.
    for field in ["html", "plaintext", "lexical"] {
        let len = seed[field].as_str().map(str::len).unwrap_or(0);
        seed[field] = format!("[{len} bytes]").into();
    }
    insta::assert_json_snapshot!(
        "export_seed_post",
        serde_json::json!({ "post": seed, "posts_meta": meta_row })
    );
    assert!(!target.with_extension("json.partial").exists());
}

/// An export file is handed around (to a developer, a new host): the mail server's password and
/// the install's secrets stay behind, while ordinary settings travel.
async fn an_export_never_carries_the_smtp_password(db: TestDb) {
    let file = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &file]);
    let app = db.app().await;
    let actor = dateline_app::admin::Actor::Integration {
        id: dateline_core::id::ObjectId::generate(),
    };
    app.save_mail_settings(
        &actor,
        dateline_app::mail_settings::MailSettingsInput {
            host: "smtp.example.com".into(),
            port: 587,
            security: dateline_app::mail_settings::Security::StartTls,
            user: "desk".into(),
            password: Some("s3cret-smtp-pass".into()),
            default_sender: None,
            concurrency: 4,
            rate_per_second: None,
        },
    )
    .await
    .unwrap();
    let text = serde_json::to_string(&export_json(&db)).unwrap();
    assert!(!text.contains("s3cret-smtp-pass"));
    assert!(!text.contains("dateline_smtp_password"));
    assert!(!text.contains("members_email_auth_secret"));
    assert!(
        text.contains("\"dateline_smtp_host\""),
        "ordinary settings travel"
    );
}
