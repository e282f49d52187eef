//! The review step: a contributor submits a draft, editors see it in the queue, send it back or
//! publish it.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::json;

use super::{Admin, Browser, PASSWORD};
use crate::admin_api::{add_staff, error, send};

backend_tests!(contributors_submit_drafts_to_the_editors_queue);

async fn queue(admin: &Admin, browser: &Browser) -> (u16, String) {
    let res = admin.get("/admin/review/", Some(&browser.cookie)).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn contributors_submit_drafts_to_the_editors_queue(db: TestDb) {
    let admin = Admin::new(&db).await;
    let writer = add_staff(&admin.app, "Rawa Writer", Role::Contributor).await;
    let stranger = add_staff(&admin.app, "Other Contributor", Role::Contributor).await;
    let editor = add_staff(&admin.app, "Sam Editor", Role::Editor).await;
    let rawa = admin.sign_in(&writer.email, PASSWORD).await;
    let other = admin.sign_in(&stranger.email, PASSWORD).await;
    let sam = admin.sign_in(&editor.email, PASSWORD).await;

    let (status, body) = send(
        admin
            .call(Method::POST, "/admin/api/posts/", &rawa)
            .json(&json!({ "posts": [{ "title": "Floods in Duhok", "markdown": "Filed." }] })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["posts"][0]["id"].as_str().unwrap().to_owned();
    let updated_at = body["posts"][0]["updated_at"].clone();
    let submit = |browser: &Browser| {
        send(admin.call(
            Method::POST,
            &format!("/admin/api/posts/{id}/review/"),
            browser,
        ))
    };
    let editor_page = admin
        .get(&format!("/admin/posts/{id}/"), Some(&rawa.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        editor_page.contains(r#"data-action="review""#),
        "the writer is offered the review step"
    );
    assert!(
        !editor_page.contains("Review queue"),
        "contributors have no queue"
    );

    let (status, body) = submit(&other).await;
    assert_eq!(status, 403, "not their story: {body}");
    let (status, body) = submit(&rawa).await;
    assert_eq!(status, 200, "{body}");

    let (status, _) = queue(&admin, &rawa).await;
    assert_eq!(status, 403, "the queue is for editors");
    let (status, page) = queue(&admin, &sam).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Floods in Duhok") && page.contains("Submitted by Rawa Writer"),
        "{page}"
    );
    let editor_page = admin
        .get(&format!("/admin/posts/{id}/"), Some(&sam.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(editor_page.contains("Submitted for review by Rawa Writer"));

    // Sent back, it leaves the queue; submitted again and published, it leaves it too.
    let res = admin
        .client
        .post(admin.url(&format!("/admin/review/{id}/send-back/")))
        .header("Cookie", &sam.cookie)
        .form(&[("csrf", sam.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(!queue(&admin, &sam).await.1.contains("Floods in Duhok"));
    assert_eq!(submit(&rawa).await.0, 200);
    assert!(queue(&admin, &sam).await.1.contains("Floods in Duhok"));
    let (status, body) = send(
        admin
            .call(Method::PUT, &format!("/admin/api/posts/{id}/"), &sam)
            .json(&json!({ "posts": [{ "status": "published", "updated_at": updated_at }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(!queue(&admin, &sam).await.1.contains("Floods in Duhok"));
    let (status, body) = submit(&rawa).await;
    assert_eq!(status, 422, "only drafts wait for review: {body}");
    assert_eq!(error(&body)["type"], "ValidationError");
}
