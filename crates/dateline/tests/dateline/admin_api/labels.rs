//! Labels: add, read by id and slug, rename, delete (members lose the label); duplicate names
//! refused as Ghost refuses them; administrators only.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Site, error, send};

backend_tests!(
    labels_crud_and_members_lose_deleted_ones,
    labels_are_for_administrators
);

async fn add_label(site: &Site, label: Value) -> (u16, Value) {
    send(
        site.key(Method::POST, "/labels/")
            .json(&json!({ "labels": [label] })),
    )
    .await
}

async fn member_labels(site: &Site, id: &str) -> Vec<String> {
    let (status, body) = send(site.key(Method::GET, &format!("/members/{id}/"))).await;
    assert_eq!(status, 200, "{body}");
    body["members"][0]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["slug"].as_str().unwrap().to_owned())
        .collect()
}

async fn labels_crud_and_members_lose_deleted_ones(db: TestDb) {
    let site = Site::new(&db).await;
    let (status, body) = add_label(&site, json!({ "name": "VIP" })).await;
    assert_eq!(status, 201, "{body}");
    let vip = body["labels"][0].clone();
    assert_eq!(vip["name"], "VIP");
    assert_eq!(vip["slug"], "vip");
    assert!(vip["created_at"].as_str().unwrap().ends_with(".000Z"));
    let vip_id = vip["id"].as_str().unwrap().to_owned();

    // The same name again, in any case: Ghost's 422, and no second label.
    let (status, body) = add_label(&site, json!({ "name": "vip" })).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["type"], "ValidationError");
    assert!(
        error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("Label already exists"),
        "{body}"
    );
    // A different name whose slug is taken gets the next free slug.
    let (status, body) = add_label(&site, json!({ "name": "Press", "slug": "vip" })).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["labels"][0]["slug"], "vip-2");
    let press_id = body["labels"][0]["id"].as_str().unwrap().to_owned();
    // No name: refused.
    let (status, _) = add_label(&site, json!({ "slug": "nameless" })).await;
    assert_eq!(status, 422);

    let (status, body) = send(site.key(Method::GET, &format!("/labels/{vip_id}/"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["labels"][0], vip);
    let (status, body) = send(site.key(Method::GET, "/labels/slug/vip-2/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["labels"][0]["name"], "Press");
    let (status, body) = send(site.key(Method::GET, "/labels/slug/nobody/")).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(error(&body)["type"], "NotFoundError");

    // Rename: the slug follows only when asked; a name another label has is refused.
    let (status, body) = send(
        site.key(Method::PUT, &format!("/labels/{press_id}/"))
            .json(&json!({ "labels": [{ "name": "Press Corps", "slug": "press" }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["labels"][0]["name"], "Press Corps");
    assert_eq!(body["labels"][0]["slug"], "press");
    let (status, body) = send(
        site.key(Method::PUT, &format!("/labels/{press_id}/"))
            .json(&json!({ "labels": [{ "name": "VIP" }] })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = send(
        site.key(Method::PUT, "/labels/aaaaaaaaaaaaaaaaaaaaaaaa/")
            .json(&json!({ "labels": [{ "name": "Ghost" }] })),
    )
    .await;
    assert_eq!(status, 404);

    // A member with both labels (by name) keeps the renamed one and loses the deleted one.
    let (status, body) = send(site.key(Method::POST, "/members/").json(&json!({
        "members": [{ "email": "reader@example.com", "labels": ["VIP", "Press Corps"] }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let member = body["members"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(member_labels(&site, &member).await, ["vip", "press"]);
    let (status, _) = send(site.key(Method::DELETE, &format!("/labels/{vip_id}/"))).await;
    assert_eq!(status, 204);
    assert_eq!(member_labels(&site, &member).await, ["press"]);
    let (status, _) = send(site.key(Method::GET, &format!("/labels/{vip_id}/"))).await;
    assert_eq!(status, 404);
    let (status, _) = send(site.key(Method::DELETE, &format!("/labels/{vip_id}/"))).await;
    assert_eq!(status, 404);
    let (_, body) = send(site.key(Method::GET, "/labels/")).await;
    assert_eq!(body["meta"]["pagination"]["total"], 1);
    // The name is free again once its label is gone.
    let (status, body) = add_label(&site, json!({ "name": "VIP" })).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["labels"][0]["slug"], "vip");
}

async fn labels_are_for_administrators(db: TestDb) {
    let site = Site::new(&db).await;
    let (_, body) = add_label(&site, json!({ "name": "VIP" })).await;
    let id = body["labels"][0]["id"].as_str().unwrap().to_owned();
    let (_, editor) = site.staff("Night Editor", Role::Editor).await;
    for (method, path) in [
        (Method::GET, format!("/labels/{id}/")),
        (Method::GET, "/labels/slug/vip/".to_owned()),
        (Method::DELETE, format!("/labels/{id}/")),
    ] {
        let (status, body) = send(site.session(method, &path, &editor)).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_eq!(error(&body)["type"], "NoPermissionError");
    }
    let (status, _) = send(
        site.session(Method::POST, "/labels/", &editor)
            .json(&json!({ "labels": [{ "name": "Sneaky" }] })),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = send(site.key(Method::GET, &format!("/labels/{id}/"))).await;
    assert_eq!(status, 200);
}
