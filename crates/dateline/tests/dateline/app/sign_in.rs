use dateline_app::AppError;
use dateline_testkit::{TestDb, backend_tests, ghost_export};

backend_tests!(ghost_passwords_sign_in_and_are_upgraded_to_argon2id);

async fn ghost_passwords_sign_in_and_are_upgraded_to_argon2id(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();

    let wrong = app.sign_in("editor@example.com", "not the password").await;
    assert!(matches!(wrong, Err(AppError::BadCredentials)));
    let unknown = app
        .sign_in("nobody@example.com", "EditorialDesk!2025pw")
        .await;
    assert!(matches!(unknown, Err(AppError::BadCredentials)));

    let owner = app
        .sign_in("Editor@Example.com", "EditorialDesk!2025pw")
        .await
        .unwrap();
    assert_eq!(owner.name, "Editorial Desk");
    assert!(
        owner.password_hash.starts_with("$argon2id$"),
        "rehashed at sign-in"
    );
    // The upgraded hash is stored and still accepts the same password.
    let again = app
        .sign_in("editor@example.com", "EditorialDesk!2025pw")
        .await
        .unwrap();
    assert_eq!(again.password_hash, owner.password_hash);

    let author_email = app
        .post_by_slug("erbil-book-fair-opens-with-record-number-of-publishers")
        .await
        .unwrap()
        .unwrap()
        .authors[0]
        .email
        .clone();
    let author = app
        .sign_in(&author_email, "TheNewRegion!2025pw")
        .await
        .unwrap();
    assert_eq!(author.role, dateline_core::role::Role::Author);
}
