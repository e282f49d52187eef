//! Revision history: editor saves kept as revisions (autosaves folded), the diff against the
//! story now, and restoring an old revision through the collision check.

use dateline_app::content::PostKey;
use dateline_core::post::PostType;
use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests, ghost_export};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, location};
use crate::admin_api::{add_staff, send};
use crate::support::{ok, write_file};

backend_tests!(
    revisions_are_kept_compared_and_restored,
    admin_api_saves_and_scheduled_publishes_are_revisions,
    imported_stories_start_with_a_revision_that_restores,
);

async fn save(admin: &Admin, browser: &Browser, id: &str, post: Value) -> Value {
    let (status, body) = send(
        admin
            .call(Method::PUT, &format!("/admin/api/posts/{id}/"), browser)
            .json(&json!({ "posts": [post] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["posts"][0].clone()
}

async fn history(admin: &Admin, browser: &Browser, id: &str, query: &str) -> String {
    let res = admin
        .get(
            &format!("/admin/posts/{id}/history/{query}"),
            Some(&browser.cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn revisions_are_kept_compared_and_restored(db: TestDb) {
    let admin = Admin::new(&db).await;
    let desk = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let editor = add_staff(&admin.app, "Sam Editor", Role::Editor).await;
    let sam = admin.sign_in(&editor.email, PASSWORD).await;

    let (status, body) = send(admin.call(Method::POST, "/admin/api/posts/", &desk).json(
        &json!({ "posts": [{ "title": "Water talks", "markdown": "First line.\nSecond line." }] }),
    ))
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["posts"][0]["id"].as_str().unwrap().to_owned();
    let post_id = dateline_core::id::ObjectId::parse(&id).unwrap();
    // Autosaves by the same person fold into the revision they started.
    let mut post = save(&admin, &desk, &id, json!({ "markdown": "First line.\nSecond line, longer.", "updated_at": body["posts"][0]["updated_at"] })).await;
    assert_eq!(admin.app.revisions(&post_id).await.unwrap().len(), 1);
    // Publishing starts a new one, and so does another person's edit (each a second later, as
    // revisions are ordered by their whole-second times).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    post = save(
        &admin,
        &desk,
        &id,
        json!({ "status": "published", "updated_at": post["updated_at"] }),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    save(
        &admin,
        &sam,
        &id,
        json!({ "markdown": "First line.\nA new second line.", "updated_at": post["updated_at"] }),
    )
    .await;
    let kept = admin.app.revisions(&post_id).await.unwrap();
    let authors: Vec<&str> = kept.iter().map(|e| e.author_name.as_str()).collect();
    assert_eq!(authors, ["Sam Editor", "Editorial Desk", "Editorial Desk"]);
    let first = kept[2].revision.clone();
    assert_eq!(first.markdown, "First line.\nSecond line, longer.");
    assert_eq!(first.status, "draft");

    let page = history(&admin, &desk, &id, &format!("?rev={}", first.id)).await;
    assert!(
        page.contains(r#"<span class="diff-delete">- Second line, longer.</span>"#),
        "{page}"
    );
    assert!(page.contains(r#"<span class="diff-insert">+ A new second line.</span>"#));
    assert!(page.contains("Sam Editor"));

    // A restore from a page shown before the story changed is refused.
    let restore = |updated_at: String| {
        let csrf = desk.csrf.clone();
        admin
            .client
            .post(admin.url(&format!("/admin/posts/{id}/history/{}/restore/", first.id)))
            .header("Cookie", &desk.cookie)
            .form(&[("csrf", csrf), ("updated_at", updated_at)])
            .send()
    };
    let res = restore(post["updated_at"].as_str().unwrap().to_owned())
        .await
        .unwrap();
    assert!(
        location(&res).ends_with("error=changed"),
        "{}",
        location(&res)
    );
    let story = || admin.app.staff_post(PostType::Post, PostKey::Id(&id));
    let now = story().await.unwrap().unwrap().post;
    assert_eq!(
        now.markdown.as_deref(),
        Some("First line.\nA new second line.")
    );

    let res = restore(now.updated_at.to_string()).await.unwrap();
    assert_eq!(location(&res), format!("/admin/posts/{id}/"));
    let restored = story().await.unwrap().unwrap().post;
    assert_eq!(
        restored.markdown.as_deref(),
        Some("First line.\nSecond line, longer.")
    );
    assert_eq!(
        admin.app.revisions(&post_id).await.unwrap().len(),
        4,
        "the restore is a revision too"
    );
}

/// Saves that never pass through the editor leave revisions too: an integration's edits
/// through the Admin API, and the scheduler publishing the story.
async fn admin_api_saves_and_scheduled_publishes_are_revisions(db: TestDb) {
    let admin = Admin::new(&db).await;
    let desk = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let keys = admin.app.create_integration("Wire desk").await.unwrap();
    let (key_id, secret) = keys.admin_api_key.split_once(':').unwrap();
    let key_id = dateline_core::id::ObjectId::parse(key_id).unwrap();
    let api = |method: Method, path: &str| {
        let now = jiff::Timestamp::now().as_second();
        let claims = json!({ "iat": now, "exp": now + 300, "aud": "/admin/" });
        let token = dateline_app::api_keys::sign_token(&key_id, secret, &claims).unwrap();
        admin
            .client
            .request(method, admin.url(&format!("/ghost/api/admin{path}")))
            .header("Authorization", format!("Ghost {token}"))
    };

    let (status, body) = send(
        api(Method::POST, "/posts/")
            .json(&json!({ "posts": [{ "title": "Wire copy", "markdown": "From the agency." }] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["posts"][0]["id"].as_str().unwrap().to_owned();
    let post_id = dateline_core::id::ObjectId::parse(&id).unwrap();
    let publish_at = dateline_core::time::to_seconds(
        jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1),
    );
    let (status, body) = send(api(Method::PUT, &format!("/posts/{id}/")).json(
        &json!({ "posts": [{
        "markdown": "From the agency, checked.",
        "status": "scheduled",
        "published_at": publish_at.to_string(),
        "updated_at": body["posts"][0]["updated_at"],
    }] }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let statuses = |entries: &[dateline_app::revisions::RevisionEntry]| {
        entries
            .iter()
            .map(|e| (e.revision.status.clone(), e.revision.markdown.clone()))
            .collect::<Vec<_>>()
    };
    let kept = admin.app.revisions(&post_id).await.unwrap();
    assert_eq!(
        statuses(&kept),
        [
            (
                "scheduled".to_owned(),
                "From the agency, checked.".to_owned()
            ),
            ("draft".to_owned(), "From the agency.".to_owned()),
        ]
    );
    // An integration writes as the owner, and the history says so.
    assert!(kept.iter().all(|e| e.author_name == "Editorial Desk"));

    let published = admin
        .app
        .publish_due(publish_at + jiff::SignedDuration::from_secs(1))
        .await
        .unwrap();
    assert_eq!(published, std::slice::from_ref(&post_id));
    let kept = admin.app.revisions(&post_id).await.unwrap();
    assert_eq!(kept.len(), 3, "{:?}", statuses(&kept));
    assert_eq!(kept[0].revision.status, "published");
    assert_eq!(kept[0].author_name, "Editorial Desk");

    // The history page lists all three, the scheduled publish first, and the diff from the
    // first.
    let page = history(&admin, &desk, &id, &format!("?rev={}", kept[2].revision.id)).await;
    assert_eq!(page.matches(r#"<li class="revision"#).count(), 3, "{page}");
    let first = page.find("status-published").unwrap();
    assert!(first < page.find("status-scheduled").unwrap());
    assert!(page.contains("+ From the agency, checked."), "{page}");
}

/// `dateline import` gives every post and page it writes one revision, "Imported from Ghost",
/// dated at the import, by its first author: the history has something to compare and restore
/// from the first day, and importing the file again adds nothing.
async fn imported_stories_start_with_a_revision_that_restores(db: TestDb) {
    let admin = Admin::new(&db).await;
    let desk = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let before = dateline_core::time::now();
    let file = write_file(&db, "ghost.json", &ghost_export());
    ok(&db, &["import", &file]);

    let export: Value = serde_json::from_slice(&ghost_export()).unwrap();
    let stored = export["db"][0]["data"]["posts"].as_array().unwrap();
    assert_eq!(stored.len(), 11);
    for row in stored {
        let post_id = dateline_core::id::ObjectId::parse(row["id"].as_str().unwrap()).unwrap();
        let kept = admin.app.revisions(&post_id).await.unwrap();
        assert_eq!(kept.len(), 1, "{}: one revision", row["slug"]);
        assert_eq!(kept[0].revision.status, dateline_app::revisions::IMPORTED);
        assert!(kept[0].revision.created_at >= before, "dated at the import");
        assert!(
            !kept[0].author_name.is_empty(),
            "{}: by its author",
            row["slug"]
        );
    }

    // The seed story, by The New Region in Ghost.
    let seed = stored
        .iter()
        .find(|p| p["slug"].as_str().unwrap().starts_with("pm-sudani"))
        .unwrap();
    let id = seed["id"].as_str().unwrap().to_owned();
    let post_id = dateline_core::id::ObjectId::parse(&id).unwrap();
    let story = || admin.app.staff_post(PostType::Post, PostKey::Id(&id));
    let imported = story().await.unwrap().unwrap().post;
    let original = imported.markdown.clone().unwrap();
    let kept = admin.app.revisions(&post_id).await.unwrap();
    assert_eq!(kept[0].author_name, "The New Region");
    assert_eq!(kept[0].revision.title, imported.title);
    assert_eq!(kept[0].revision.markdown, original);
    let first = kept[0].revision.id.to_string();
    let page = history(&admin, &desk, &id, "").await;
    assert!(
        page.contains(r#"<span class="status status-imported">Imported from Ghost</span>"#),
        "{page}"
    );

    // An edit, then the imported text brought back from the history.
    let edited = save(
        &admin,
        &desk,
        &id,
        json!({ "markdown": "Rewritten by the desk.", "updated_at": imported.updated_at.to_string() }),
    )
    .await;
    assert_eq!(admin.app.revisions(&post_id).await.unwrap().len(), 2);
    let page = history(&admin, &desk, &id, &format!("?rev={first}")).await;
    assert!(page.contains(r#"<span class="diff-insert">+ Rewritten by the desk.</span>"#));
    let res = admin
        .client
        .post(admin.url(&format!("/admin/posts/{id}/history/{first}/restore/")))
        .header("Cookie", &desk.cookie)
        .form(&[
            ("csrf", desk.csrf.clone()),
            (
                "updated_at",
                edited["updated_at"].as_str().unwrap().to_owned(),
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), format!("/admin/posts/{id}/"));
    assert_eq!(
        story().await.unwrap().unwrap().post.markdown,
        Some(original)
    );
    // The restore folds into the desk's edit (one person, one sitting); the imported revision
    // stays as it was.
    let kept = admin.app.revisions(&post_id).await.unwrap();
    let count = kept.len();
    assert_eq!(count, 2);
    assert_eq!(kept[1].revision.id.as_str(), first);
    assert_eq!(kept[1].revision.markdown, kept[0].revision.markdown);

    ok(&db, &["import", &file]);
    assert_eq!(
        admin.app.revisions(&post_id).await.unwrap().len(),
        count,
        "importing again adds no revision"
    );
}
