//! The Admin API's themes: `GET /themes/`, `POST /themes/upload/` (a zip in the multipart
//! field `file`, larger than the site's 2 MB body limit when it must be),
//! `PUT /themes/{name}/activate/`, `GET /themes/active/` and `DELETE /themes/{name}/`, on
//! Ghost's wire format and with Ghost's permissions.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use super::zip::{good_zip, zip_dir, zip_of};
use crate::admin_api::{Site, error, send};

backend_tests!(
    upload_list_and_activate,
    bad_uploads_get_ghost_errors_and_change_nothing,
    ghosts_own_themes_upload_as_zips
);

async fn upload(site: &Site, file_name: &str, bytes: Vec<u8>) -> (u16, Value) {
    let part = Part::bytes(bytes)
        .file_name(file_name.to_owned())
        .mime_str("application/zip")
        .unwrap();
    send(
        site.key(Method::POST, "/themes/upload/")
            .multipart(Form::new().part("file", part)),
    )
    .await
}

/// Bytes that do not compress, so the zip is as large as they are.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect()
}

async fn upload_list_and_activate(db: TestDb) {
    let site = Site::new(&db).await;
    let font = noise(3 * 1024 * 1024);
    let archive = good_zip(
        "plain/",
        &[
            (
                "custom-full-width.hbs",
                b"{{!< default}}<main>{{title}}</main>",
            ),
            ("page-about.hbs", b"{{!< default}}<main>{{title}}</main>"),
            ("assets/fonts/serif.woff2", &font),
        ],
    );
    // Over the 2 MB every other route takes: the upload route has its own limit.
    assert!(archive.len() > dateline_http::router::BODY_LIMIT);
    let (status, body) = upload(&site, "plain.zip", archive).await;
    assert_eq!(status, 200, "{body}");
    let theme = &body["themes"][0];
    assert_eq!(theme["name"], "plain");
    assert_eq!(theme["package"]["version"], "1.0.0");
    assert_eq!(theme["active"], false);
    assert_eq!(
        theme["templates"],
        serde_json::json!([
            {"filename": "custom-full-width", "name": "Full Width", "for": ["page", "post"], "slug": null},
            {"filename": "page-about", "name": "About", "for": ["page"], "slug": "about"},
        ])
    );
    let warnings = theme["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["level"] == "warning"
            && w["failures"][0]["ref"] == "package.json"
            && w["rule"].as_str().unwrap().contains("posts_per_page")),
        "{warnings:?}"
    );
    let stored = site.server.media_dir.path().join("themes/plain");
    assert_eq!(
        std::fs::read(stored.join("assets/fonts/serif.woff2")).unwrap(),
        font
    );

    let (status, body) = send(site.key(Method::GET, "/themes/")).await;
    assert_eq!(status, 200, "{body}");
    let listed: Vec<(&str, bool)> = body["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["active"].as_bool().unwrap()))
        .collect();
    assert_eq!(listed, [("builtin", true), ("plain", false)]);
    assert_eq!(body["themes"][0]["package"], false);

    let home = || async { site.server.get("/").await.text().await.unwrap() };
    assert!(!home().await.contains("Marhaba"));
    let (status, body) = send(site.key(Method::PUT, "/themes/plain/activate/")).await;
    assert_eq!(status, 200, "{body}");
    // The site renders with it from the next request, without a restart.
    assert!(
        home()
            .await
            .contains("<h1>Marhaba from The New Region</h1>")
    );
    let font_url = "/assets/fonts/serif.woff2";
    assert_eq!(site.server.get(font_url).await.status(), 200);
    assert_eq!(body["themes"][0]["name"], "plain");
    assert_eq!(body["themes"][0]["active"], true);
    assert_eq!(
        site.app.active_theme().await.unwrap().as_deref(),
        Some("plain")
    );
    let (_, body) = send(site.key(Method::GET, "/themes/")).await;
    assert_eq!(body["themes"][1]["active"], true);
    assert_eq!(body["themes"][0]["active"], false);

    // Uploading the active theme again keeps it active, with its new files in service.
    let (status, body) = upload(&site, "plain.zip", good_zip("", &[])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["themes"][0]["active"], true);
    assert_eq!(body["themes"][0]["templates"], serde_json::json!([]));
    assert_eq!(
        site.server.get("/assets/fonts/serif.woff2").await.status(),
        404
    );

    // Themes are an administrator's business.
    let (_, editor) = site.staff("Desk Editor", Role::Editor).await;
    let (status, body) = send(site.session(Method::GET, "/themes/", &editor)).await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = send(site.session(Method::PUT, "/themes/builtin/activate/", &editor)).await;
    assert_eq!(status, 403);
    assert_eq!(
        site.app.active_theme().await.unwrap().as_deref(),
        Some("plain")
    );

    let (status, body) = send(site.key(Method::GET, "/themes/active/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["themes"][0]["name"], "plain");
    assert!(
        body["themes"][0]["warnings"]
            .as_array()
            .is_some_and(|w| !w.is_empty())
    );
    let (status, body) = send(site.key(Method::DELETE, "/themes/plain/")).await;
    assert_eq!(status, 422, "{body}");
    assert!(stored.join("index.hbs").is_file());

    // Back to the built-in theme, at once; then the other can go.
    let (status, body) = send(site.key(Method::PUT, "/themes/builtin/activate/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["themes"][0]["active"], true);
    assert_eq!(site.app.active_theme().await.unwrap(), None);
    assert!(!home().await.contains("Marhaba"));
    let (_, body) = send(site.key(Method::GET, "/themes/active/")).await;
    assert_eq!(body["themes"][0]["name"], "builtin");
    let (status, body) = send(site.key(Method::DELETE, "/themes/plain/")).await;
    assert_eq!(status, 204, "{body}");
    assert!(!stored.exists());
    let (_, body) = send(site.key(Method::GET, "/themes/")).await;
    assert_eq!(body["themes"].as_array().unwrap().len(), 1, "{body}");
    let (status, _) = send(site.key(Method::DELETE, "/themes/plain/")).await;
    assert_eq!(status, 404);
    let (status, _) = send(site.key(Method::DELETE, "/themes/builtin/")).await;
    assert_eq!(status, 422);
}

async fn bad_uploads_get_ghost_errors_and_change_nothing(db: TestDb) {
    let site = Site::new(&db).await;

    let broken = zip_of(&[
        ("package.json", br#"{"name": "broken", "version": "1.0.0"}"#),
        (
            "index.hbs",
            b"<main>\n{{title}}\n{{#frobnicate posts}}x{{/frobnicate}}\n</main>",
        ),
        ("post.hbs", b"{{title}}"),
    ]);
    let (status, body) = upload(&site, "broken.zip", broken).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["type"], "ThemeValidationError");
    assert_eq!(
        error(&body)["message"],
        "Theme \"broken\" is not compatible or contains errors."
    );
    let context = error(&body)["context"].as_str().unwrap();
    assert!(
        context.contains("error: index.hbs:3: unknown helper {{frobnicate}}"),
        "{context}"
    );
    // Ghost's `details`: gscan's errors and warnings, each rule with the file and line.
    let details = &error(&body)["details"];
    assert_eq!(details["name"], "broken", "{details}");
    let errors = details["errors"].as_array().unwrap();
    let unknown = errors
        .iter()
        .find(|e| e["rule"].as_str().unwrap().contains("frobnicate"))
        .unwrap_or_else(|| panic!("{details}"));
    assert_eq!(unknown["level"], "error");
    assert_eq!(unknown["failures"][0]["ref"], "index.hbs");
    assert_eq!(unknown["failures"][0]["line"], 3);
    assert!(details["warnings"].is_array(), "{details}");

    let (status, body) = upload(&site, "theme.zip", b"not a zip at all".to_vec()).await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(error(&body)["type"], "UnsupportedMediaTypeError");

    let climbing = good_zip("", &[("../../../escaped.hbs", b"x")]);
    let (status, body) = upload(&site, "climb.zip", climbing).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("points outside the theme folder"),
        "{body}"
    );

    let (status, body) = send(
        site.key(Method::POST, "/themes/upload/")
            .multipart(Form::new().text("name", "no file here")),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["message"], "Please select a zip file.");

    let (status, body) = send(site.key(Method::PUT, "/themes/casper/activate/")).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(error(&body)["message"], "Theme \"casper\" does not exist.");

    let (_, body) = send(site.key(Method::GET, "/themes/")).await;
    assert_eq!(body["themes"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(site.app.active_theme().await.unwrap(), None);

    // Only the theme upload takes more than the site's 2 MB: other uploads still stop there.
    // The server answers 413 as soon as it sees the length and closes the connection, so the
    // client may still be writing and see the connection drop instead; an upload the server
    // read would get an answer about the file (415: not an image).
    let big = noise(dateline_http::router::BODY_LIMIT + 1024);
    let part = Part::bytes(big).file_name("photo.png");
    let res = site
        .key(Method::POST, "/images/upload/")
        .multipart(Form::new().part("file", part))
        .send()
        .await;
    match res {
        Ok(res) => assert_eq!(res.status(), 413),
        Err(err) => assert!(err.is_request(), "{err}"),
    }
}

async fn ghosts_own_themes_upload_as_zips(db: TestDb) {
    let Some(themes) = super::ghost_themes() else {
        return;
    };
    let site = Site::new(&db).await;
    for name in ["casper", "source"] {
        let (status, body) = upload(
            &site,
            &format!("{name}.zip"),
            zip_dir(&themes.join(name), name),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["themes"][0]["name"], name);
        let (status, body) =
            send(site.key(Method::PUT, &format!("/themes/{name}/activate/"))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["themes"][0]["active"], true);
    }
    assert!(
        site.server
            .media_dir
            .path()
            .join("themes/casper/assets/built/screen.css")
            .is_file()
    );
}
