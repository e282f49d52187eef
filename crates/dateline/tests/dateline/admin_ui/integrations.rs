//! `/admin/integrations/`: administrators create integrations, read their keys, rotate and
//! delete them; a rotated key is refused by the very next request.

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use serde_json::json;

use super::tags::{post_form, text};
use super::{Admin, OWNER_EMAIL, PASSWORD, between, location};
use crate::admin_api::add_staff;

backend_tests!(administrators_create_rotate_and_delete_integrations);

/// The status of a Content API call with `key`.
async fn content_status(admin: &Admin, key: &str) -> u16 {
    admin
        .get(&format!("/ghost/api/content/posts/?key={key}"), None)
        .await
        .status()
        .as_u16()
}

/// The status of an Admin API call signed with `key` (`<id>:<secret>`).
async fn admin_status(admin: &Admin, key: &str) -> u16 {
    let (id, secret) = key.split_once(':').unwrap();
    let now = jiff::Timestamp::now().as_second();
    let claims = json!({ "iat": now, "exp": now + 300, "aud": "/admin/" });
    let token =
        dateline_app::api_keys::sign_token(&ObjectId::parse(id).unwrap(), secret, &claims).unwrap();
    admin
        .client
        .get(admin.url("/ghost/api/admin/posts/"))
        .header("Authorization", format!("Ghost {token}"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn keys(page: &str) -> (String, String) {
    (
        between(page, r#"Content API key <input value=""#, "\"").to_owned(),
        between(page, r#"Admin API key <input value=""#, "\"").to_owned(),
    )
}

async fn administrators_create_rotate_and_delete_integrations(db: TestDb) {
    let admin = Admin::new(&db).await;
    let editor = add_staff(&admin.app, "Sam Editor", Role::Editor).await;
    let sam = admin.sign_in(&editor.email, PASSWORD).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    let res = admin.get("/admin/integrations/", Some(&sam.cookie)).await;
    assert_eq!(res.status(), 403, "editors have no integrations");
    assert!(text(res).await.contains("not available to you"));
    let fields = [("csrf", sam.csrf.as_str()), ("name", "Sneaky")];
    let res = post_form(&admin, &sam, "/admin/integrations/", &fields).await;
    assert_eq!(res.status(), 403);

    let res = post_form(
        &admin,
        &owner,
        "/admin/integrations/",
        &[("name", "Mobile app")],
    )
    .await;
    assert_eq!(res.status(), 403, "no CSRF token");
    let fields = [("csrf", owner.csrf.as_str()), ("name", "  ")];
    let res = post_form(&admin, &owner, "/admin/integrations/", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("Give the integration a name."));

    let fields = [("csrf", owner.csrf.as_str()), ("name", "Mobile app")];
    let res = post_form(&admin, &owner, "/admin/integrations/", &fields).await;
    assert_eq!(res.status(), 303);
    let page_path = location(&res).to_owned();
    assert!(page_path.starts_with("/admin/integrations/"), "{page_path}");
    let res = admin.get(&page_path, Some(&owner.cookie)).await;
    assert_eq!(res.status(), 200);
    let (content, admin_key) = keys(&text(res).await);
    assert_eq!(content.len(), 26);
    let list = text(admin.get("/admin/integrations/", Some(&owner.cookie)).await).await;
    assert!(list.contains(">Mobile app</a>"), "{list}");

    // Twice: the second answer comes from the key cache.
    assert_eq!(content_status(&admin, &content).await, 200);
    assert_eq!(content_status(&admin, &content).await, 200);
    assert_eq!(admin_status(&admin, &admin_key).await, 200);

    // Rotating asks first; then the old key is refused at once and the new one works.
    let rotate = format!("{page_path}rotate/content/");
    let res = admin.get(&rotate, Some(&owner.cookie)).await;
    assert_eq!(res.status(), 200);
    assert!(text(res).await.contains("stops working at once"));
    assert_eq!(post_form(&admin, &owner, &rotate, &[]).await.status(), 403);
    let res = post_form(&admin, &owner, &rotate, &[("csrf", owner.csrf.as_str())]).await;
    assert_eq!(res.status(), 303);
    let page = text(admin.get(location(&res), Some(&owner.cookie)).await).await;
    assert!(page.contains("A new Content API key is in place"));
    let (new_content, same_admin_key) = keys(&page);
    assert_ne!(new_content, content);
    assert_eq!(same_admin_key, admin_key, "only the content key changed");
    assert_eq!(content_status(&admin, &content).await, 401);
    assert_eq!(content_status(&admin, &new_content).await, 200);

    let rotate = format!("{page_path}rotate/admin/");
    let res = post_form(&admin, &owner, &rotate, &[("csrf", owner.csrf.as_str())]).await;
    assert_eq!(res.status(), 303);
    let (_, new_admin_key) = keys(&text(admin.get(&page_path, Some(&owner.cookie)).await).await);
    assert_ne!(new_admin_key, admin_key);
    assert_eq!(admin_status(&admin, &admin_key).await, 401);
    assert_eq!(admin_status(&admin, &new_admin_key).await, 200);

    // Deleting asks first, then both keys stop working.
    let delete = format!("{page_path}delete/");
    let res = admin.get(&delete, Some(&sam.cookie)).await;
    assert_eq!(res.status(), 403);
    assert_eq!(admin.get(&delete, Some(&owner.cookie)).await.status(), 200);
    let res = post_form(&admin, &owner, &delete, &[("csrf", owner.csrf.as_str())]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/integrations/");
    assert_eq!(content_status(&admin, &new_content).await, 401);
    assert_eq!(admin_status(&admin, &new_admin_key).await, 401);
    let list = text(admin.get("/admin/integrations/", Some(&owner.cookie)).await).await;
    assert!(!list.contains("Mobile app"));
}
