use dateline_testkit::{TestDb, backend_tests};

use crate::support::{ok, run, stderr};

backend_tests!(setup_creates_the_owner_once, setup_refuses_a_weak_password);

async fn setup_creates_the_owner_once(db: TestDb) {
    let args = [
        "setup",
        "--title",
        "The New Region",
        "--email",
        "desk@example.com",
        "--name",
        "Editorial Desk",
        "--password",
        "a long enough password",
    ];
    let out = ok(&db, &args);
    assert!(out.contains("Editorial Desk <desk@example.com>"), "{out}");

    let app = db.app().await;
    let user = app
        .sign_in("desk@example.com", "a long enough password")
        .await
        .unwrap();
    assert_eq!(user.role, dateline_core::role::Role::Owner);
    assert_eq!(user.slug, "editorial-desk");
    assert!(user.password_hash.starts_with("$argon2id$"));

    let again = run(&db, &args);
    assert_eq!(again.status.code(), Some(1));
    let message = stderr(&again);
    assert!(
        message.contains("already has an owner (desk@example.com)"),
        "{message}"
    );
}

async fn setup_refuses_a_weak_password(db: TestDb) {
    let out = run(
        &db,
        &[
            "setup",
            "--title",
            "T",
            "--email",
            "a@example.com",
            "--name",
            "A",
            "--password",
            "short",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("password: must be at least 10 characters"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &db,
        &[
            "setup",
            "--title",
            "T",
            "--email",
            "not-an-email",
            "--name",
            "A",
            "--password",
            "long enough pw",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not an email address"),
        "{}",
        stderr(&out)
    );
}
