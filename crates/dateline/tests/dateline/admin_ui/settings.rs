//! `/admin/settings/`: administrators edit the site's title, timezone and navigation; the
//! home page's `@site` and menus follow.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};

use super::tags::{post_form, text};
use super::{Admin, OWNER_EMAIL, PASSWORD, location};
use crate::admin_api::add_staff;

backend_tests!(administrators_edit_settings_and_the_site_follows);

/// The settings form as a browser posts it: every field, the menus' rows in order, the button.
fn form<'a>(csrf: &'a str, action: &'a str, accent: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("title", "Erbil Evening Post"),
        ("description", "News from the region"),
        ("accent_color", accent),
        ("timezone", "Asia/Baghdad"),
        ("locale", "en-GB"),
        ("primary_label", "Home"),
        ("primary_url", "/"),
        ("primary_label", "World"),
        ("primary_url", "/tag/world/"),
        ("primary_label", ""),
        ("primary_url", ""),
        ("secondary_label", "About us"),
        ("secondary_url", "/about/"),
        ("action", action),
    ]
}

async fn administrators_edit_settings_and_the_site_follows(db: TestDb) {
    let admin = Admin::new(&db).await;
    let editor = add_staff(&admin.app, "Sam Editor", Role::Editor).await;
    let boss = add_staff(&admin.app, "Ava Admin", Role::Administrator).await;
    let sam = admin.sign_in(&editor.email, PASSWORD).await;
    let ava = admin.sign_in(&boss.email, PASSWORD).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    let res = admin.get("/admin/settings/", Some(&sam.cookie)).await;
    assert_eq!(res.status(), 403, "editors have no settings");
    assert!(text(res).await.contains("not available to you"));
    let fields = [
        ("csrf", sam.csrf.as_str()),
        ("title", "Hijacked"),
        ("timezone", "Etc/UTC"),
        ("locale", "en"),
    ];
    assert_eq!(
        post_form(&admin, &sam, "/admin/settings/", &fields)
            .await
            .status(),
        403
    );
    let tags = text(admin.get("/admin/tags/", Some(&sam.cookie)).await).await;
    assert!(
        !tags.contains(r#"href="/admin/settings/""#),
        "editors are not offered the link"
    );

    let res = admin.get("/admin/settings/", Some(&owner.cookie)).await;
    assert_eq!(res.status(), 200);
    let page = text(res).await;
    assert!(
        page.contains(r#"<option value="Europe/Berlin""#),
        "a timezone select"
    );
    assert!(
        page.contains(r#"name="primary_label" value="Home""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/admin/settings/""#)
            && page.contains(r#"href="/admin/integrations/""#)
    );

    let ava_csrf = ava.csrf.as_str();
    let res = post_form(&admin, &ava, "/admin/settings/", &form("", "save", "")).await;
    assert_eq!(res.status(), 403, "no CSRF token");

    // A row's button rearranges the form without saving.
    let res = post_form(
        &admin,
        &ava,
        "/admin/settings/",
        &form(ava_csrf, "primary-up-1", ""),
    )
    .await;
    assert_eq!(res.status(), 200);
    let page = text(res).await;
    assert!(page.contains("Press Save to keep it"));
    let world = page.find(r#"value="World""#).unwrap();
    let home = page.find(r#"name="primary_label" value="Home""#).unwrap();
    assert!(world < home, "World moved above Home");
    assert!(
        page.contains(r#"value="Erbil Evening Post""#),
        "typed values are kept"
    );
    assert!(
        !text(admin.get("/", None).await)
            .await
            .contains("Erbil Evening Post")
    );

    // A bad value is explained in place; what was typed stays.
    let res = post_form(
        &admin,
        &ava,
        "/admin/settings/",
        &form(ava_csrf, "save", "crimson"),
    )
    .await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(page.contains("“crimson” is not a colour"), "{page}");
    assert!(page.contains(r#"value="About us""#) && page.contains(r#"value="Erbil Evening Post""#));
    let mut half = form(ava_csrf, "save", "");
    half[12] = ("secondary_label", "");
    let res = post_form(&admin, &ava, "/admin/settings/", &half).await;
    assert_eq!(res.status(), 422);
    assert!(
        text(res)
            .await
            .contains("needs both a label and an address")
    );

    let res = post_form(
        &admin,
        &ava,
        "/admin/settings/",
        &form(ava_csrf, "save", "#0b57d0"),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/settings/?saved=1");
    let saved = admin.app.settings().await.unwrap();
    assert_eq!(saved.timezone(), "Asia/Baghdad");
    assert_eq!(saved.get("accent_color"), Some("#0B57D0"));
    assert_eq!(
        saved.get("navigation"),
        Some(r#"[{"label":"Home","url":"/"},{"label":"World","url":"/tag/world/"}]"#)
    );

    let home = text(admin.get("/", None).await).await;
    assert!(home.contains("<title>Erbil Evening Post"), "{home}");
    assert!(
        home.contains(">World<") && home.contains("/tag/world/"),
        "{home}"
    );
    assert!(
        home.contains(">About us<") && home.contains("/about/"),
        "{home}"
    );
}
