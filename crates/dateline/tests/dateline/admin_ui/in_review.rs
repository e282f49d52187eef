//! The stories list marks drafts handed to the editors "In review", and its status filter
//! finds them.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::json;

use super::tags::text;
use super::{Admin, OWNER_EMAIL, PASSWORD};
use crate::admin_api::{add_staff, send};

backend_tests!(drafts_in_review_are_marked_and_filtered);

async fn drafts_in_review_are_marked_and_filtered(db: TestDb) {
    let admin = Admin::new(&db).await;
    let writer = add_staff(&admin.app, "Rawa Writer", Role::Contributor).await;
    let rawa = admin.sign_in(&writer.email, PASSWORD).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let mut ids = Vec::new();
    for title in ["Floods in Duhok", "Market report"] {
        let (status, body) = send(
            admin
                .call(Method::POST, "/admin/api/posts/", &rawa)
                .json(&json!({ "posts": [{ "title": title, "markdown": "Filed." }] })),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["posts"][0]["id"].as_str().unwrap().to_owned());
    }
    let list = |query: &'static str| {
        let admin = &admin;
        let cookie = owner.cookie.clone();
        async move {
            text(
                admin
                    .get(&format!("/admin/posts/{query}"), Some(&cookie))
                    .await,
            )
            .await
        }
    };
    let page = list("?status=review").await;
    assert!(
        page.contains("No stories match"),
        "nothing waits yet: {page}"
    );
    assert!(
        page.contains(r#"<option value="review" selected>In review</option>"#),
        "{page}"
    );

    let (status, body) = send(admin.call(
        Method::POST,
        &format!("/admin/api/posts/{}/review/", ids[0]),
        &rawa,
    ))
    .await;
    assert!(status < 300, "{body}");
    let page = list("").await;
    assert_eq!(
        page.matches(r#"class="status status-review">In review<"#)
            .count(),
        1,
        "{page}"
    );
    let page = list("?status=review").await;
    assert!(page.contains("Floods in Duhok"), "{page}");
    assert!(!page.contains("Market report"), "{page}");
    // The writer sees that their story was handed in.
    let mine = text(admin.get("/admin/posts/", Some(&rawa.cookie)).await).await;
    assert!(mine.contains(">In review<"), "{mine}");
}
