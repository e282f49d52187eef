//! `/admin/themes/`: administrators list, upload (with the check's findings shown, file and
//! line first), activate, download and delete themes; editors are refused, and every change
//! needs the form's token.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Response;
use reqwest::multipart::{Form, Part};

use super::tags::{post_form, text};
use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, location};
use crate::themes::zip::{good_zip, zip_dir};

backend_tests!(
    administrators_upload_activate_and_delete_themes,
    ghosts_casper_uploads_with_its_warnings_and_activates
);

/// Posts the upload form with `bytes` as the chosen file and `csrf` as the form's token.
pub(super) async fn upload(
    admin: &Admin,
    browser: &Browser,
    csrf: &str,
    bytes: Vec<u8>,
) -> Response {
    let part = Part::bytes(bytes)
        .file_name("theme.zip")
        .mime_str("application/zip")
        .unwrap();
    let form = Form::new().text("csrf", csrf.to_owned()).part("file", part);
    admin
        .post_multipart("/admin/themes/upload/", browser, form)
        .await
}

async fn administrators_upload_activate_and_delete_themes(db: TestDb) {
    let admin = Admin::new(&db).await;
    let sam = admin.sign_in_staff("Sam Editor", Role::Editor).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    // Editors get the refusal page, for the list and the upload alike, and no link.
    let res = admin.get("/admin/themes/", Some(&sam.cookie)).await;
    assert_eq!(res.status(), 403);
    let posts = text(admin.get("/admin/posts/", Some(&sam.cookie)).await).await;
    assert!(!posts.contains(r#"href="/admin/themes/""#));
    let res = upload(&admin, &sam, &sam.csrf, good_zip("plain/", &[])).await;
    assert_eq!(res.status(), 403);

    // The list: the built-in theme, active.
    let page = text(admin.get("/admin/themes/", Some(&owner.cookie)).await).await;
    assert!(page.contains("Dateline (built in)"), "{page}");
    assert!(page.contains(">Active<"), "{page}");
    assert!(page.contains(r#"enctype="multipart/form-data""#));

    // An upload without the session's token changes nothing.
    let res = upload(&admin, &owner, &sam.csrf, good_zip("plain/", &[])).await;
    assert_eq!(res.status(), 403);
    let res = upload(&admin, &owner, "", good_zip("plain/", &[])).await;
    assert_eq!(res.status(), 403);
    let page = text(admin.get("/admin/themes/", Some(&owner.cookie)).await).await;
    assert!(!page.contains("plain"), "{page}");

    // A broken theme: the error with its file and line, and nothing installed.
    let broken = crate::themes::zip::zip_of(&[
        ("package.json", br#"{"name": "broken", "version": "0.1.0"}"#),
        ("default.hbs", b"<html><body>{{{body}}}</body></html>"),
        (
            "index.hbs",
            b"{{!< default}}\n<main>\n{{#frobnicate posts}}x{{/frobnicate}}\n</main>",
        ),
        ("post.hbs", b"{{!< default}}{{#post}}{{title}}{{/post}}"),
    ]);
    let res = upload(&admin, &owner, &owner.csrf, broken).await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(page.contains("“broken” was not installed"), "{page}");
    assert!(page.contains("<code>index.hbs, line 3</code>"), "{page}");
    assert!(page.contains("frobnicate"), "{page}");
    assert!(!page.contains(r#"href="/admin/themes/broken/"#), "{page}");

    // Not a zip at all.
    let res = upload(&admin, &owner, &owner.csrf, b"plain text".to_vec()).await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("not a .zip archive"));

    // A good one is installed, with its version, and offered for activation.
    let res = upload(&admin, &owner, &owner.csrf, good_zip("plain/", &[])).await;
    assert_eq!(res.status(), 200);
    let page = text(res).await;
    assert!(page.contains("Installed the theme “plain”"), "{page}");
    assert!(page.contains("version 1.0.0"), "{page}");
    // Only `posts_per_page`: like gscan, the check does not ask for page, tag or author
    // templates.
    assert!(page.contains("The check found 1 warning;"), "{page}");
    assert!(page.contains("<code>package.json</code>"), "{page}");
    assert!(
        page.contains(r#"href="/admin/themes/plain/activate/""#),
        "{page}"
    );

    // Activation asks first, needs the token, and puts the theme in service at once.
    let confirm = text(
        admin
            .get("/admin/themes/plain/activate/", Some(&owner.cookie))
            .await,
    )
    .await;
    assert!(
        confirm.contains("Make “plain” the site’s theme?"),
        "{confirm}"
    );
    let res = post_form(&admin, &owner, "/admin/themes/plain/activate/", &[]).await;
    assert_eq!(res.status(), 403);
    let fields = [("csrf", owner.csrf.as_str())];
    let res = post_form(&admin, &owner, "/admin/themes/plain/activate/", &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/themes/?activated=plain");
    let home = admin.get("/", None).await.text().await.unwrap();
    assert!(home.contains("Marhaba from The New Region"), "{home}");

    // The active theme's custom settings are on the page, and reach `@custom` once saved.
    let page = text(admin.get("/admin/themes/", Some(&owner.cookie)).await).await;
    assert!(page.contains("Settings of “plain”"), "{page}");
    assert!(
        page.contains(r#"<label>Greeting <input name="greeting" value="Marhaba""#),
        "{page}"
    );
    let settings = [("csrf", owner.csrf.as_str()), ("greeting", "Salam")];
    let res = post_form(
        &admin,
        &sam,
        "/admin/themes/plain/settings/",
        &[("csrf", sam.csrf.as_str())],
    )
    .await;
    assert_eq!(res.status(), 403, "editors cannot change theme settings");
    let res = post_form(&admin, &owner, "/admin/themes/plain/settings/", &settings).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/themes/?saved=1");
    let home = admin.get("/", None).await.text().await.unwrap();
    assert!(home.contains("Salam from The New Region"), "{home}");
    let long = "x".repeat(2_001);
    let settings = [("csrf", owner.csrf.as_str()), ("greeting", long.as_str())];
    let res = post_form(&admin, &owner, "/admin/themes/plain/settings/", &settings).await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(
        page.contains("Greeting is longer than 2000 characters."),
        "{page}"
    );

    // The active theme is not offered for deletion, and refused if asked anyway.
    let page = text(admin.get("/admin/themes/", Some(&owner.cookie)).await).await;
    assert!(
        !page.contains(r#"href="/admin/themes/plain/delete/""#),
        "{page}"
    );
    let res = post_form(&admin, &owner, "/admin/themes/plain/delete/", &fields).await;
    assert_eq!(res.status(), 422);
    assert!(
        text(res)
            .await
            .contains("activate another before deleting it")
    );
    let res = post_form(&admin, &owner, "/admin/themes/builtin/delete/", &fields).await;
    assert_eq!(res.status(), 422);

    // Downloading gives the archive back.
    let res = admin
        .get("/admin/themes/plain/download/", Some(&owner.cookie))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let res = admin
        .get("/admin/themes/nothing/download/", Some(&owner.cookie))
        .await;
    assert_eq!(res.status(), 404);

    // Back to the built-in theme; then the upload can go.
    let res = post_form(&admin, &owner, "/admin/themes/builtin/activate/", &fields).await;
    assert_eq!(res.status(), 303);
    let home = admin.get("/", None).await.text().await.unwrap();
    assert!(!home.contains("Marhaba"), "{home}");
    let confirm = text(
        admin
            .get("/admin/themes/plain/delete/", Some(&owner.cookie))
            .await,
    )
    .await;
    assert!(confirm.contains("Delete the theme “plain”?"), "{confirm}");
    let res = post_form(
        &admin,
        &sam,
        "/admin/themes/plain/delete/",
        &[("csrf", sam.csrf.as_str())],
    )
    .await;
    assert_eq!(res.status(), 403, "editors cannot delete");
    let res = post_form(&admin, &owner, "/admin/themes/plain/delete/", &fields).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/themes/?deleted=plain");
    let page = text(admin.get(location(&res), Some(&owner.cookie)).await).await;
    assert!(page.contains("The theme “plain” was deleted."), "{page}");
    assert!(!page.contains(r#"href="/admin/themes/plain/"#), "{page}");
}

async fn ghosts_casper_uploads_with_its_warnings_and_activates(db: TestDb) {
    let Some(themes) = crate::themes::ghost_themes() else {
        return;
    };
    let admin = Admin::new(&db).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let casper = zip_dir(&themes.join("casper"), "casper");
    let res = upload(&admin, &owner, &owner.csrf, casper).await;
    assert_eq!(res.status(), 200);
    let page = text(res).await;
    assert!(page.contains("Installed the theme “casper”"), "{page}");
    let fields = [("csrf", owner.csrf.as_str())];
    let res = post_form(&admin, &owner, "/admin/themes/casper/activate/", &fields).await;
    assert_eq!(res.status(), 303);
    let home = admin.get("/", None).await.text().await.unwrap();
    assert!(home.contains("/assets/built/screen.css"), "{home}");
    let page = text(admin.get("/admin/themes/", Some(&owner.cookie)).await).await;
    assert!(page.contains("version 5."), "{page}");
}
