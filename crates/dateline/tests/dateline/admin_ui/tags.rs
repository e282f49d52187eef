//! `/admin/tags/`: editors list, add, edit and delete tags; the public tag page follows.

use dateline_app::admin::Actor;
use dateline_app::admin::posts::{BodyInput, PostInput, TagRef};
use dateline_core::post::{PostStatus, PostType};
use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Response;

use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, location};
use crate::admin_api::add_staff;

backend_tests!(editors_manage_tags_and_the_tag_page_follows);

/// Posts a form from an admin page, as a browser does.
pub(super) async fn post_form(
    admin: &Admin,
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> Response {
    admin
        .post_from(path, browser)
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// A page's text with the escapes minijinja puts in attribute values undone.
pub(super) async fn text(res: Response) -> String {
    res.text()
        .await
        .unwrap()
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

async fn editors_manage_tags_and_the_tag_page_follows(db: TestDb) {
    let admin = Admin::new(&db).await;
    let editor = add_staff(&admin.app, "Sam Editor", Role::Editor).await;
    let author = add_staff(&admin.app, "Lana Author", Role::Author).await;
    let sam = admin.sign_in(&editor.email, PASSWORD).await;
    let lana = admin.sign_in(&author.email, PASSWORD).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    // Authors get the refusal page, and the layout does not offer the link.
    let res = admin.get("/admin/tags/", Some(&lana.cookie)).await;
    assert_eq!(res.status(), 403);
    assert!(text(res).await.contains("not available to you"));
    let posts = text(admin.get("/admin/posts/", Some(&lana.cookie)).await).await;
    assert!(!posts.contains(r#"href="/admin/tags/""#), "{posts}");
    let fields = [("csrf", lana.csrf.as_str()), ("name", "Sneaky")];
    assert_eq!(
        post_form(&admin, &lana, "/admin/tags/", &fields)
            .await
            .status(),
        403
    );

    // Adding needs the form's token.
    let res = post_form(&admin, &sam, "/admin/tags/", &[("name", "Politics")]).await;
    assert_eq!(res.status(), 403, "no CSRF token");
    let fields = [("csrf", owner.csrf.as_str()), ("name", "Politics")];
    let res = post_form(&admin, &sam, "/admin/tags/", &fields).await;
    assert_eq!(res.status(), 403, "another session's token");
    let fields = [("csrf", sam.csrf.as_str()), ("name", "Politics")];
    let res = post_form(&admin, &sam, "/admin/tags/", &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/tags/?saved=Politics");
    let fields = [("csrf", sam.csrf.as_str()), ("name", "#wire")];
    assert_eq!(
        post_form(&admin, &sam, "/admin/tags/", &fields)
            .await
            .status(),
        303
    );

    let sam_user = Actor::Staff(Box::new(editor.clone()));
    let input = PostInput {
        title: Some("Budget passes".to_owned()),
        body: Some(BodyInput::Markdown("Text.".to_owned())),
        status: Some(PostStatus::Published),
        tags: Some(vec![TagRef {
            name: Some("Politics".to_owned()),
            ..TagRef::default()
        }]),
        ..PostInput::default()
    };
    admin
        .app
        .add_post(&sam_user, PostType::Post, input)
        .await
        .unwrap();

    let list = text(admin.get("/admin/tags/", Some(&sam.cookie)).await).await;
    let (public, internal) = list.split_once("Internal tags").unwrap();
    assert!(
        public.contains(">Politics</a>") && public.contains("1 published story"),
        "{list}"
    );
    assert!(internal.contains(">#wire</a>"), "{list}");
    let id = super::between(public, r#"<a class="story-title" href="/admin/tags/"#, "/").to_owned();

    // A bad colour is explained in place and nothing typed is lost.
    let edit_path = format!("/admin/tags/{id}/");
    let mut fields = vec![
        ("csrf", sam.csrf.as_str()),
        ("name", "Politics & Power"),
        ("slug", "politics"),
        ("description", "Who runs the region, and how."),
        ("accent_color", "reddish"),
        ("meta_title", "Politics news"),
    ];
    let res = post_form(&admin, &sam, &edit_path, &fields).await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(page.contains("“reddish” is not a colour"), "{page}");
    assert!(page.contains("Who runs the region, and how.") && page.contains("Politics & Power"));

    fields[4] = ("accent_color", "#ff1a75");
    let res = post_form(&admin, &sam, &edit_path, &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{edit_path}?saved=1"));
    let form = text(admin.get(&edit_path, Some(&sam.cookie)).await).await;
    assert!(
        form.contains(r##"value="#FF1A75""##) && form.contains("Politics news"),
        "{form}"
    );

    let public_page = admin.get("/tag/politics/", None).await;
    assert_eq!(public_page.status(), 200);
    let public_page = text(public_page).await;
    assert!(
        public_page.contains("Politics & Power")
            && public_page.contains("Who runs the region, and how."),
        "{public_page}"
    );

    // Deleting asks first, then the tag and its page are gone.
    let confirm = admin
        .get(&format!("/admin/tags/{id}/delete/"), Some(&sam.cookie))
        .await;
    assert_eq!(confirm.status(), 200);
    assert!(text(confirm).await.contains("Delete “Politics & Power”?"));
    let delete_path = format!("/admin/tags/{id}/delete/");
    assert_eq!(
        post_form(&admin, &sam, &delete_path, &[]).await.status(),
        403
    );
    let res = post_form(&admin, &sam, &delete_path, &[("csrf", sam.csrf.as_str())]).await;
    assert_eq!(res.status(), 303);
    let list = text(admin.get(location(&res), Some(&sam.cookie)).await).await;
    assert!(list.contains("Deleted “Politics & Power”") && !list.contains("1 published story"));
    assert_eq!(admin.get("/tag/politics/", None).await.status(), 404);
}
