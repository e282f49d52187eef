//! Ghost's `routes.yaml` through the Admin API: `GET /settings/routes/yaml/` downloads it (the
//! default when none was uploaded), `POST` uploads it in the multipart field `routes`, refused
//! with the line for a bad file, for administrators and integrations only.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::admin_api::{Site, error, send};

backend_tests!(
    download_gives_ghosts_default,
    upload_checks_stores_and_purges_the_cache,
    only_administrators_touch_routes
);

const PATH: &str = "/settings/routes/yaml/";

fn form(text: &str) -> Form {
    let part = Part::text(text.to_owned())
        .file_name("routes.yaml")
        .mime_str("application/yaml")
        .unwrap();
    Form::new().part("routes", part)
}

async fn upload(site: &Site, text: &str) -> (u16, Value) {
    send(site.key(Method::POST, PATH).multipart(form(text))).await
}

async fn download(site: &Site) -> String {
    let res = site.key(Method::GET, PATH).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/yaml");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"routes.yaml\""
    );
    res.text().await.unwrap()
}

async fn download_gives_ghosts_default(db: TestDb) {
    let site = Site::new(&db).await;
    assert_eq!(download(&site).await, dateline_core::routes::DEFAULT_YAML);
}

async fn last_modified(site: &Site) -> String {
    let res = site.server.get("/").await;
    assert_eq!(res.status(), 200);
    res.headers()["last-modified"].to_str().unwrap().to_owned()
}

async fn upload_checks_stores_and_purges_the_cache(db: TestDb) {
    let site = Site::new(&db).await;
    let first = last_modified(&site).await;
    // Past the second `Last-Modified` counts in: a page rendered again would show it.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(last_modified(&site).await, first, "served from the cache");

    let good = "routes:\n  /team/: team\n\ncollections:\n  /:\n    permalink: /{slug}/\n    template: index\n\ntaxonomies:\n  tag: /tag/{slug}/\n  author: /author/{slug}/\n";
    let (status, body) = upload(&site, good).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(download(&site).await, good);
    assert_eq!(
        std::fs::read_to_string(site.server.media_dir.path().join("settings/routes.yaml")).unwrap(),
        good
    );
    assert_ne!(last_modified(&site).await, first, "the cache was purged");

    let bad = "routes:\n  /team/: team\n  /desk/:\n    template: desk\n    data: tags.news\n";
    let (status, body) = upload(&site, bad).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["type"], "ValidationError");
    let context = error(&body)["context"].as_str().unwrap();
    assert!(context.starts_with("routes.yaml line 5: "), "{context}");
    assert!(context.contains("`tags.news`"), "{context}");

    // Valid NQL, but posts have no such field: found at upload, not on the first visit.
    let unknown_field = "routes:\n  /red/:\n    controller: channel\n    filter: colour:red\n";
    let (status, body) = upload(&site, unknown_field).await;
    assert_eq!(status, 422, "{body}");
    let context = error(&body)["context"].as_str().unwrap();
    assert!(context.starts_with("routes.yaml line 4: "), "{context}");
    assert!(
        context.contains("`colour:red` cannot select posts"),
        "{context}"
    );

    let (status, body) = upload(&site, "routes:\n  team/: team\n").await;
    assert_eq!(status, 422, "{body}");
    let context = error(&body)["context"].as_str().unwrap();
    assert!(context.starts_with("routes.yaml line 2: "), "{context}");

    let (status, body) = send(
        site.key(Method::POST, PATH)
            .multipart(Form::new().part("file", Part::text(good.to_owned()))),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(download(&site).await, good, "refusals change nothing");
}

async fn only_administrators_touch_routes(db: TestDb) {
    let site = Site::new(&db).await;
    let (_, editor) = site.staff("Desk Editor", Role::Editor).await;
    let (status, body) = send(site.session(Method::GET, PATH, &editor)).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = send(
        site.session(Method::POST, PATH, &editor)
            .multipart(form("routes:\n  /team/: team\n")),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(download(&site).await, dateline_core::routes::DEFAULT_YAML);

    let (_, admin) = site.staff("Site Admin", Role::Administrator).await;
    let (status, body) = send(
        site.session(Method::POST, PATH, &admin)
            .multipart(form("routes:\n  /team/: team\n")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
