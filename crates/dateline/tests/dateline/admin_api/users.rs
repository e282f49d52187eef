//! Staff users: browse, read by id, slug and email, and `me`.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;

use super::{Site, send};

backend_tests!(staff_are_listed_with_emails_and_roles);

async fn staff_are_listed_with_emails_and_roles(db: TestDb) {
    let site = Site::imported(&db).await;
    let (status, body) = send(site.key(Method::GET, "/users/?include=count.posts")).await;
    assert_eq!(status, 200, "{body}");
    let users = body["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    let author = users
        .iter()
        .find(|u| u["slug"] == "the-new-region")
        .unwrap();
    assert_eq!(author["email"], "thenewregion@example.com");
    assert_eq!(author["roles"][0]["name"], "Author");
    assert_eq!(author["count"]["posts"], 5);

    let id = author["id"].as_str().unwrap();
    let (status, body) = send(site.key(Method::GET, &format!("/users/{id}/"))).await;
    assert_eq!(status, 200);
    assert_eq!(body["users"][0]["slug"], "the-new-region");
    let (status, _) = send(site.key(Method::GET, "/users/slug/editorial-desk/")).await;
    assert_eq!(status, 200);
    let (status, body) = send(site.key(Method::GET, "/users/email/editor@example.com/")).await;
    assert_eq!(status, 200);
    assert_eq!(body["users"][0]["roles"][0]["name"], "Owner");
    // An integration is nobody.
    let (status, _) = send(site.key(Method::GET, "/users/me/")).await;
    assert_eq!(status, 404);

    // Staff who moved from Ghost sign in with their Ghost passwords.
    let cookie = site
        .sign_in("thenewregion@example.com", "TheNewRegion!2025pw")
        .await;
    let (status, body) = send(site.session(Method::GET, "/users/me/", &cookie)).await;
    assert_eq!(status, 200);
    assert_eq!(body["users"][0]["slug"], "the-new-region");
}
