//! Ghost's permissions by role, through sessions: contributors write their own drafts, authors
//! publish their own stories, editors and administrators do everything.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Site, error, send};

backend_tests!(
    contributors_write_drafts_and_cannot_publish,
    authors_publish_their_own_stories_only,
    editors_edit_anyones_stories,
);

async fn add(site: &Site, cookie: &str, post: Value) -> (u16, Value) {
    send(
        site.session(Method::POST, "/posts/", cookie)
            .json(&json!({ "posts": [post] })),
    )
    .await
}

async fn edit(site: &Site, cookie: &str, id: &str, post: Value) -> (u16, Value) {
    send(
        site.session(Method::PUT, &format!("/posts/{id}/"), cookie)
            .json(&json!({ "posts": [post] })),
    )
    .await
}

fn assert_forbidden(status: u16, body: &Value) {
    assert_eq!(status, 403, "{body}");
    assert_eq!(error(body)["type"], "NoPermissionError");
    assert_eq!(
        error(body)["message"],
        "You do not have permission to perform this action"
    );
}

async fn contributors_write_drafts_and_cannot_publish(db: TestDb) {
    let site = Site::new(&db).await;
    let (stringer, cookie) = site.staff("Field Stringer", Role::Contributor).await;

    let (status, body) = add(
        &site,
        &cookie,
        json!({ "title": "From the field", "status": "published" }),
    )
    .await;
    assert_forbidden(status, &body);
    let (status, body) = add(
        &site,
        &cookie,
        json!({ "title": "From the field", "markdown": "Notes." }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let draft = body["posts"][0].clone();
    assert_eq!(draft["authors"][0]["id"], stringer.id.as_str());
    let id = draft["id"].as_str().unwrap();

    let (status, body) = edit(
        &site,
        &cookie,
        id,
        json!({ "status": "published", "updated_at": draft["updated_at"] }),
    )
    .await;
    assert_forbidden(status, &body);
    let (status, body) = edit(
        &site,
        &cookie,
        id,
        json!({ "title": "From the front", "updated_at": draft["updated_at"] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Someone else's story is out of reach.
    let (status, theirs) = send(
        site.key(Method::POST, "/posts/")
            .json(&json!({ "posts": [{ "title": "Desk story" }] })),
    )
    .await;
    assert_eq!(status, 201);
    let theirs = &theirs["posts"][0];
    let (status, body) = edit(
        &site,
        &cookie,
        theirs["id"].as_str().unwrap(),
        json!({ "title": "Mine now", "updated_at": theirs["updated_at"] }),
    )
    .await;
    assert_forbidden(status, &body);
    let (status, body) = send(site.session(
        Method::DELETE,
        &format!("/posts/{}/", theirs["id"].as_str().unwrap()),
        &cookie,
    ))
    .await;
    assert_forbidden(status, &body);

    // Contributors read tags but do not make them, and never see the settings.
    let (status, _) = send(site.session(Method::GET, "/tags/", &cookie)).await;
    assert_eq!(status, 200);
    let (status, body) = send(
        site.session(Method::POST, "/tags/", &cookie)
            .json(&json!({ "tags": [{ "name": "Mine" }] })),
    )
    .await;
    assert_forbidden(status, &body);
    let (status, body) = send(site.session(Method::GET, "/settings/", &cookie)).await;
    assert_forbidden(status, &body);

    let (status, _) = send(site.session(Method::DELETE, &format!("/posts/{id}/"), &cookie)).await;
    assert_eq!(status, 204, "a contributor may delete their own draft");
}

async fn authors_publish_their_own_stories_only(db: TestDb) {
    let site = Site::new(&db).await;
    let (_, cookie) = site.staff("Staff Writer", Role::Author).await;
    let (status, body) = add(
        &site,
        &cookie,
        json!({ "title": "Own story", "markdown": "Text.", "status": "published" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["posts"][0]["status"], "published");

    let (_, theirs) = send(
        site.key(Method::POST, "/posts/")
            .json(&json!({ "posts": [{ "title": "Desk story" }] })),
    )
    .await;
    let theirs = &theirs["posts"][0];
    let (status, body) = edit(
        &site,
        &cookie,
        theirs["id"].as_str().unwrap(),
        json!({ "status": "published", "updated_at": theirs["updated_at"] }),
    )
    .await;
    assert_forbidden(status, &body);
    // Nor may an author make someone else the primary author of a new story.
    let (status, body) = add(
        &site,
        &cookie,
        json!({ "title": "Ghostwritten", "authors": [{ "email": super::OWNER_EMAIL }] }),
    )
    .await;
    assert_forbidden(status, &body);
    // Authors may create tags, but renaming one is for editors.
    let (status, tag) = send(
        site.session(Method::POST, "/tags/", &cookie)
            .json(&json!({ "tags": [{ "name": "Energy" }] })),
    )
    .await;
    assert_eq!(status, 201, "{tag}");
    let tag_id = tag["tags"][0]["id"].as_str().unwrap();
    let (status, body) = send(
        site.session(Method::PUT, &format!("/tags/{tag_id}/"), &cookie)
            .json(&json!({ "tags": [{ "name": "Power" }] })),
    )
    .await;
    assert_forbidden(status, &body);
}

async fn editors_edit_anyones_stories(db: TestDb) {
    let site = Site::new(&db).await;
    let (_, writer) = site.staff("Staff Writer", Role::Contributor).await;
    let (_, editor) = site.staff("Night Editor", Role::Editor).await;
    let (_, draft) = add(
        &site,
        &writer,
        json!({ "title": "Draft for review", "markdown": "Copy." }),
    )
    .await;
    let draft = &draft["posts"][0];
    let (status, body) = edit(
        &site,
        &editor,
        draft["id"].as_str().unwrap(),
        json!({ "status": "published", "updated_at": draft["updated_at"] }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["posts"][0]["status"], "published");
    // Editors are not administrators: the settings stay closed.
    let (status, body) = send(site.session(Method::GET, "/settings/", &editor)).await;
    assert_forbidden(status, &body);
}
