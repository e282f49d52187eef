//! Ghost's `routes.yaml` through the Admin API: `GET /settings/routes/yaml/` downloads it (the
//! default when none was uploaded), `POST` uploads it in the multipart field `routes`, refused
//! with the line for a bad file, for administrators and integrations only. Then the site acting
//! on it: permalinks, collections split by filter, channels, custom routes with data, taxonomy
//! prefixes, each taking effect on the request after the upload.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::admin_api::{Site, error, send};

backend_tests!(
    download_gives_ghosts_default,
    upload_checks_stores_and_purges_the_cache,
    only_administrators_touch_routes,
    dated_permalinks_move_posts_and_every_link,
    collections_split_posts_by_filter,
    channels_list_without_owning,
    custom_routes_render_their_template_with_data,
    taxonomy_prefixes_move_archives,
    casper_renders_a_custom_route,
    a_file_in_the_data_folder_is_taken_in,
    filters_in_memory_agree_with_sql
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

/// What a path answers, redirects not followed: (status, `Location`, body).
async fn fetch(site: &Site, path: &str) -> (u16, String, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(site.server.url.clone() + path)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, res.text().await.unwrap())
}

async fn uploaded(db: &TestDb, yaml: &str) -> Site {
    let site = Site::imported(db).await;
    // The default routes first, so a cached page would show if the upload did not purge.
    assert_eq!(fetch(&site, "/").await.0, 200);
    assert_eq!(fetch(&site, "/rss/").await.0, 200);
    let (status, body) = upload(&site, yaml).await;
    assert_eq!(status, 200, "{body}");
    site
}

async fn admin_post_url(site: &Site, slug: &str) -> String {
    let (status, body) = send(site.key(Method::GET, &format!("/posts/slug/{slug}/"))).await;
    assert_eq!(status, 200, "{body}");
    body["posts"][0]["url"].as_str().unwrap().to_owned()
}

const STORY: &str = "pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner";

async fn dated_permalinks_move_posts_and_every_link(db: TestDb) {
    let site = uploaded(
        &db,
        "collections:\n  /:\n    permalink: /{year}/{month}/{day}/{slug}/\n    template: index\ntaxonomies:\n  tag: /tag/{slug}/\n  author: /author/{slug}/\n",
    )
    .await;
    let dated = format!("/2025/09/08/{STORY}/");
    let (status, _, html) = fetch(&site, &dated).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(
            "rel=\"canonical\" href=\"{}{dated}\"",
            site.server.url
        )),
        "canonical"
    );
    // The old address and a wrong date move to the one the permalink gives.
    assert_eq!(fetch(&site, &format!("/{STORY}/")).await.1, dated);
    assert_eq!(
        fetch(&site, &format!("/2024/01/01/{STORY}/")).await.1,
        dated
    );
    // Static pages stay at /{slug}/.
    assert_eq!(fetch(&site, "/about/").await.0, 200);
    assert_eq!(fetch(&site, "/2025/09/08/no-such-story/").await.0, 404);

    let absolute = format!("{}{dated}", site.server.url);
    assert_eq!(admin_post_url(&site, STORY).await, absolute);
    let (_, _, home) = fetch(&site, "/").await;
    assert!(
        home.contains(&dated),
        "the front page links the new address"
    );
    let (_, _, rss) = fetch(&site, "/rss/").await;
    assert!(rss.contains(&format!("<link>{absolute}</link>")), "{rss}");
    let (_, _, sitemap) = fetch(&site, "/sitemap-posts.xml").await;
    assert!(
        sitemap.contains(&format!("<loc>{absolute}</loc>")),
        "{sitemap}"
    );
}

async fn collections_split_posts_by_filter(db: TestDb) {
    let site = Site::imported(&db).await;
    let (_, _, rss) = fetch(&site, "/rss/").await;
    assert!(
        rss.contains(STORY),
        "before the upload the site feed has every story"
    );
    let (status, body) = upload(
        &site,
        "collections:\n  /news/:\n    permalink: /news/{slug}/\n    filter: tag:news\n    limit: 2\n  /:\n    permalink: /{slug}/\n",
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Four stories are tagged news: two pages of two under /news/.
    let (status, _, first) = fetch(&site, "/news/").await;
    assert_eq!(status, 200);
    assert!(first.contains(&format!("/news/{STORY}/")), "newest first");
    let (status, _, second) = fetch(&site, "/news/page/2/").await;
    assert_eq!(status, 200);
    assert!(second.contains("/news/kurdistan-region-parliament-sets-date-for-first-session/"));
    assert!(!second.contains(&format!("/news/{STORY}/")));
    assert_eq!(fetch(&site, "/news/page/3/").await.0, 404);
    assert_eq!(fetch(&site, "/news/page/1/").await.1, "/news/");

    assert_eq!(fetch(&site, &format!("/news/{STORY}/")).await.0, 200);
    assert_eq!(
        fetch(&site, &format!("/{STORY}/")).await.1,
        format!("/news/{STORY}/")
    );
    assert_eq!(
        fetch(&site, "/news/heatwave-strains-iraqs-electricity-grid/")
            .await
            .1,
        "/heatwave-strains-iraqs-electricity-grid/"
    );
    assert_eq!(
        fetch(&site, "/heatwave-strains-iraqs-electricity-grid/")
            .await
            .0,
        200
    );

    // Each collection's feed carries only what it owns.
    let (_, _, news) = fetch(&site, "/news/rss/").await;
    let (_, _, rest) = fetch(&site, "/rss/").await;
    assert!(news.contains(STORY) && !news.contains("heatwave"), "{news}");
    assert!(rest.contains("heatwave") && !rest.contains(STORY), "{rest}");
    assert_eq!(
        admin_post_url(&site, STORY).await,
        format!("{}/news/{STORY}/", site.server.url)
    );
}

async fn channels_list_without_owning(db: TestDb) {
    let site = uploaded(
        &db,
        "routes:\n  /world/:\n    controller: channel\n    filter: tag:world\n    limit: 1\ncollections:\n  /:\n    permalink: /{slug}/\n",
    )
    .await;
    let (status, _, html) = fetch(&site, "/world/").await;
    assert_eq!(status, 200);
    assert!(html.contains("/analysis-what-the-nato-mission-means-for-iraqs-army/"));
    let (status, _, html) = fetch(&site, "/world/page/2/").await;
    assert_eq!(status, 200);
    assert!(html.contains("/heatwave-strains-iraqs-electricity-grid/"));
    assert_eq!(fetch(&site, "/world/page/3/").await.0, 404);
    let (status, _, rss) = fetch(&site, "/world/rss/").await;
    assert_eq!(status, 200);
    assert!(rss.contains("heatwave") && !rss.contains(STORY), "{rss}");
    // Posts keep their collection's address.
    assert_eq!(
        fetch(&site, "/heatwave-strains-iraqs-electricity-grid/")
            .await
            .0,
        200
    );
}

async fn custom_routes_render_their_template_with_data(db: TestDb) {
    let site = uploaded(
        &db,
        "routes:\n  /desk/politics/:\n    template: tag\n    data: tag.politics\n  /feeds/plain/:\n    template: tag\n    content_type: text\n    data: tag.economy\n  /gone/:\n    template: tag\n    data: tag.no-such-tag\ncollections:\n  /:\n    permalink: /{slug}/\ntaxonomies:\n  tag: /tag/{slug}/\n",
    )
    .await;
    let (status, _, html) = fetch(&site, "/desk/politics/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Politics"), "the tag is the template's data");
    // The tag's own archive now redirects to the route; other tags keep theirs.
    assert_eq!(fetch(&site, "/tag/politics/").await.1, "/desk/politics/");
    assert_eq!(fetch(&site, "/tag/world/").await.0, 200);
    let res = site.server.get("/feeds/plain/").await;
    assert_eq!(res.headers()["content-type"], "text/plain");
    // Data that does not exist is Ghost's 404.
    assert_eq!(fetch(&site, "/gone/").await.0, 404);
}

async fn taxonomy_prefixes_move_archives(db: TestDb) {
    let site = uploaded(
        &db,
        "collections:\n  /:\n    permalink: /{slug}/\ntaxonomies:\n  tag: /topic/{slug}/\n",
    )
    .await;
    assert_eq!(fetch(&site, "/topic/news/").await.0, 200);
    assert_eq!(fetch(&site, "/topic/news/rss/").await.0, 200);
    assert_eq!(fetch(&site, "/topic/news/page/1/").await.1, "/topic/news/");
    assert_eq!(fetch(&site, "/tag/news/").await.0, 404);
    // No author archives in this file.
    assert_eq!(fetch(&site, "/author/editorial-desk/").await.0, 404);
    let (status, body) = send(site.key(Method::GET, "/tags/slug/news/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["tags"][0]["url"],
        format!("{}/topic/news/", site.server.url)
    );
    let (_, _, sitemap) = fetch(&site, "/sitemap-tags.xml").await;
    assert!(sitemap.contains("/topic/news/"), "{sitemap}");
}

async fn casper_renders_a_custom_route(db: TestDb) {
    let Some(themes) = crate::themes::ghost_themes() else {
        return;
    };
    let app = db.app().await;
    let server = crate::themes::serve_with_theme(app.clone(), &themes.join("casper")).await;
    app.upload_routes(
        "routes:\n  /team/:\n    template: page\n    data: page.about\n  /latest/:\n    controller: channel\n    filter: tag:news\ncollections:\n  /:\n    permalink: /{year}/{slug}/\n    template: index\ntaxonomies:\n  tag: /tag/{slug}/\n  author: /author/{slug}/\n",
    )
    .await
    .unwrap();
    for path in ["/team/", "/latest/", "/", &format!("/2025/{STORY}/")] {
        let res = server.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("</html>"), "{path}");
    }
    let team = server.get("/team/").await.text().await.unwrap();
    assert!(
        team.contains("Our reporters work in Erbil"),
        "the page is the route's data"
    );
    let latest = server.get("/latest/").await.text().await.unwrap();
    assert!(
        latest.contains(&format!("/2025/{STORY}/")),
        "cards link the permalink"
    );
}

async fn a_file_in_the_data_folder_is_taken_in(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&dateline_testkit::ghost_export(), &|_, _| {})
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("settings")).unwrap();
    std::fs::write(
        data.path().join("settings/routes.yaml"),
        "collections:\n  /:\n    permalink: /archive/{slug}/\n",
    )
    .unwrap();
    let server = dateline_testkit::TestServer::start_in(app.clone(), None, data).await;
    let res = server.get(&format!("/archive/{STORY}/")).await;
    assert_eq!(res.status(), 200);
    let stored = app.settings().await.unwrap();
    assert!(
        stored
            .get("routes_yaml")
            .unwrap()
            .contains("/archive/{slug}/")
    );
}

/// Collections decide ownership in memory (`dateline_core::nql::matches`) and list in SQL
/// (`dateline_store::filter`): on the fixture's stories both must pick the same posts.
async fn filters_in_memory_agree_with_sql(db: TestDb) {
    use dateline_app::content::ListQuery;
    use dateline_core::post::PostType;

    let app = db.app().await;
    app.import_ghost(&dateline_testkit::ghost_export(), &|_, _| {})
        .await
        .unwrap();
    let query = |filter: Option<&str>| ListQuery {
        filter: filter.map(str::to_owned),
        order: None,
        limit: None,
        page: 1,
    };
    let all = app
        .list_posts(PostType::Post, &query(None))
        .await
        .unwrap()
        .items;
    assert!(all.len() >= 8);
    let now = dateline_core::time::now();
    for filter in [
        "tag:news",
        "primary_tag:news",
        "tag:-news",
        "-tag:news",
        "tags:[world,culture]",
        "tags:-[world,culture]",
        "tags:[news+politics]",
        "featured:true",
        "featured:false+visibility:public",
        "published_at:>'2025-09-04'",
        "published_at:<='2025-09-03T11:40:00Z'",
        "published_at:>now-30d",
        "author:editorial-desk",
        "primary_author:the-new-region",
        "authors.name:~'desk'",
        "title:~'iraq'",
        "slug:~^erbil",
        "-(tag:news,tag:world)",
        "tags:null",
        "custom_excerpt:null",
        "custom_excerpt:-null",
        "primary_tag:-news+tag:news",
        "tags.visibility:internal",
        "primary_tag.visibility:internal",
        "primary_tag:null",
        "status:published+type:post",
    ] {
        let expr = dateline_core::nql::parse(filter).unwrap();
        let mut in_memory: Vec<String> = all
            .iter()
            .filter(|d| dateline_core::nql::matches(&expr, &d.record(), now))
            .map(|d| d.post.slug.clone())
            .collect();
        let mut in_sql: Vec<String> = app
            .list_posts(PostType::Post, &query(Some(filter)))
            .await
            .unwrap()
            .items
            .iter()
            .map(|d| d.post.slug.clone())
            .collect();
        in_memory.sort();
        in_sql.sort();
        assert_eq!(in_memory, in_sql, "{filter}");
    }
}
