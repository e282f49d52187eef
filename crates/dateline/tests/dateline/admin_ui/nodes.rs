//! Several nodes on one database: the login limits and uploaded or CLI-installed themes hold
//! across them. Each node is an `App` of its own with its own data folder, as servers behind a
//! load balancer are; on PostgreSQL they hear each other's changes through the change relay.

use std::time::Duration;

use dateline_app::App;
use dateline_app::login_throttle::ACCOUNT_LIMIT;
use dateline_testkit::{Backend, TestDb, backend_tests};

use super::tags::{post_form, text};
use super::themes::upload;
use super::{Admin, OWNER_EMAIL, PASSWORD};
use crate::themes::cli::{GOOD, theme_cmd, write_theme};
use crate::themes::zip::good_zip;

backend_tests!(
    login_limits_hold_across_nodes,
    an_uploaded_theme_reaches_every_node,
    a_theme_installed_by_the_cli_reaches_every_node
);

async fn login_limits_hold_across_nodes(db: TestDb) {
    let first = Admin::new(&db).await;
    let second = Admin::empty(&db).await;
    // Wrong passwords spread over both nodes spend one budget.
    for i in 0..ACCOUNT_LIMIT {
        let node = if i % 2 == 0 { &first } else { &second };
        assert_eq!(
            node.login(OWNER_EMAIL, "wrong password").await.status(),
            401
        );
    }
    for node in [&first, &second] {
        let res = node.login(OWNER_EMAIL, PASSWORD).await;
        assert_eq!(
            res.status(),
            429,
            "the account's budget is spent everywhere"
        );
    }
    // And a node started later knows it too (the counts are not in any node's memory).
    let third = Admin::empty(&db).await;
    assert_eq!(third.login(OWNER_EMAIL, PASSWORD).await.status(), 429);
}

/// Runs `app`'s change relay for the rest of the test (it returns at once on SQLite).
fn relay(app: &App) {
    let app = app.clone();
    tokio::spawn(async move { app.run_change_relay(std::future::pending()).await });
}

/// Waits up to ten seconds for `done`.
async fn eventually(mut done: impl AsyncFnMut() -> bool) -> bool {
    for _ in 0..100 {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn an_uploaded_theme_reaches_every_node(db: TestDb) {
    let first = Admin::new(&db).await;
    let second = Admin::empty(&db).await;
    relay(&first.app);
    relay(&second.app);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let owner = first.sign_in(OWNER_EMAIL, PASSWORD).await;
    let res = upload(&first, &owner, &owner.csrf, good_zip("plain/", &[])).await;
    assert_eq!(res.status(), 200);
    let fields = [("csrf", owner.csrf.as_str())];
    let res = post_form(&first, &owner, "/admin/themes/plain/activate/", &fields).await;
    assert_eq!(res.status(), 303);
    let home = first.get("/", None).await.text().await.unwrap();
    assert!(home.contains("Marhaba"), "{home}");

    let on_second = second.server.media_dir.path().join("themes/plain");
    if db.backend == Backend::Postgres {
        // A running node unpacks the theme and renders with it once it hears of the change.
        let served = eventually(async || {
            second
                .get("/", None)
                .await
                .text()
                .await
                .unwrap()
                .contains("Marhaba")
        })
        .await;
        assert!(served, "the second node switched to the uploaded theme");
        assert!(on_second.join("index.hbs").is_file());
    }

    // A node started afterwards unpacks it at start and renders with it.
    let third = Admin::empty(&db).await;
    let home = third.get("/", None).await.text().await.unwrap();
    assert!(home.contains("Marhaba"), "{home}");
    let page = text(third.get("/admin/themes/", Some(&owner.cookie)).await).await;
    assert!(page.contains("version 1.0.0"), "{page}");

    // Deleted on one node, the theme leaves the others.
    let res = post_form(&first, &owner, "/admin/themes/builtin/activate/", &fields).await;
    assert_eq!(res.status(), 303);
    let res = post_form(&first, &owner, "/admin/themes/plain/delete/", &fields).await;
    assert_eq!(res.status(), 303);
    let page = text(third.get("/admin/themes/", Some(&owner.cookie)).await).await;
    assert!(!page.contains("version 1.0.0"), "{page}");
    assert!(!third.server.media_dir.path().join("themes/plain").exists());
    if db.backend == Backend::Postgres {
        let removed = eventually(async || !on_second.exists()).await;
        assert!(removed, "the second node removed its copy");
        let home = second.get("/", None).await.text().await.unwrap();
        assert!(!home.contains("Marhaba"), "{home}");
    }
}

async fn a_theme_installed_by_the_cli_reaches_every_node(db: TestDb) {
    let running = Admin::new(&db).await;
    relay(&running.app);
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The CLI works in a data folder of its own, as on a machine that serves nothing.
    let (data, source) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_theme(source.path(), GOOD);
    let theme = source.path().to_str().unwrap();
    let out = theme_cmd(&db, data.path(), &["install", theme, "--activate"]);
    assert!(out.status.success(), "{out:?}");

    // A node started afterwards unpacks it and renders with it.
    let later = Admin::empty(&db).await;
    let home = later.get("/", None).await.text().await.unwrap();
    assert!(home.contains("Marhaba"), "{home}");
    let unpacked = later.server.media_dir.path().join("themes/plain/index.hbs");
    assert!(unpacked.is_file());
    // So does the CLI in yet another folder.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = theme_cmd(&db, elsewhere.path(), &["list"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "  builtin\n* plain\n");

    if db.backend == Backend::Postgres {
        // A running node hears of it and switches without a restart.
        let served = eventually(async || {
            let home = running.get("/", None).await.text().await.unwrap();
            home.contains("Marhaba")
        })
        .await;
        assert!(served, "the running node switched to the CLI's theme");
    }
}
