use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_export};
use serde_json::Value;

backend_tests!(
    sitemaps_list_what_is_public,
    news_sitemap_has_the_last_two_days_only,
    robots_points_at_the_sitemap
);

const SITE: &str = "http://localhost:2368";

async fn locs(server: &TestServer, path: &str) -> Vec<String> {
    let res = server.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(res.headers()["content-type"], "text/xml; charset=utf-8");
    let body = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    doc.descendants()
        .filter(|n| n.has_tag_name("loc") && n.parent().is_some_and(|p| !p.has_tag_name("image")))
        .map(|n| n.text().unwrap().to_owned())
        .collect()
}

async fn sitemaps_list_what_is_public(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    let server = TestServer::start_as(app, Some(SITE)).await;
    let index = locs(&server, "/sitemap.xml").await;
    assert_eq!(
        index,
        [
            "http://localhost:2368/sitemap-pages.xml",
            "http://localhost:2368/sitemap-posts.xml",
            "http://localhost:2368/sitemap-authors.xml",
            "http://localhost:2368/sitemap-tags.xml",
        ]
    );
    let posts = locs(&server, "/sitemap-posts.xml").await;
    assert_eq!(posts.len(), 8);
    assert!(posts.contains(&"http://localhost:2368/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/".to_owned()));
    assert!(
        !posts.iter().any(|p| p.contains("preview-iraqs-2027")),
        "scheduled posts are not listed"
    );
    assert_eq!(
        locs(&server, "/sitemap-pages.xml").await,
        ["http://localhost:2368/about/", "http://localhost:2368/"]
    );
    let mut tags = locs(&server, "/sitemap-tags.xml").await;
    tags.sort();
    let expected: Vec<String> = ["culture", "economy", "news", "politics", "sports", "world"]
        .iter()
        .map(|t| format!("http://localhost:2368/tag/{t}/"))
        .collect();
    assert_eq!(tags, expected, "public tags with posts only");
    assert_eq!(
        locs(&server, "/sitemap-authors.xml").await,
        [
            "http://localhost:2368/author/editorial-desk/",
            "http://localhost:2368/author/the-new-region/"
        ]
    );
}

async fn news_sitemap_has_the_last_two_days_only(db: TestDb) {
    let mut root: Value = serde_json::from_slice(&ghost_export()).unwrap();
    let an_hour_ago = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1))
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string();
    for post in root["db"][0]["data"]["posts"].as_array_mut().unwrap() {
        if post["slug"] == "heatwave-strains-iraqs-electricity-grid" {
            post["published_at"] = an_hour_ago.clone().into();
            post["locale"] = "ar-IQ".into();
        }
    }
    let app = db.app().await;
    app.import_ghost(&serde_json::to_vec(&root).unwrap(), &|_, _| {})
        .await
        .unwrap();
    let server = TestServer::start_as(app, Some(SITE)).await;
    let body = server.get("/sitemap-news.xml").await.text().await.unwrap();
    let doc = roxmltree::Document::parse(&body).unwrap();
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    assert_eq!(urls.len(), 1, "{body}");
    let text = |name: &str| {
        doc.descendants()
            .find(|n| n.tag_name().name() == name)
            .and_then(|n| n.text())
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        text("loc"),
        "http://localhost:2368/heatwave-strains-iraqs-electricity-grid/"
    );
    assert_eq!(text("name"), "The New Region");
    assert_eq!(text("language"), "ar");
    assert_eq!(text("title"), "Heatwave strains Iraq's electricity grid");
    assert!(text("publication_date").ends_with('Z'));
}

async fn robots_points_at_the_sitemap(db: TestDb) {
    let server = TestServer::start_as(db.app().await, Some(SITE)).await;
    let body = server.get("/robots.txt").await.text().await.unwrap();
    assert!(
        body.starts_with("User-agent: *\nSitemap: http://localhost:2368/sitemap.xml\n"),
        "{body}"
    );
    assert!(body.contains("Disallow: /ghost/\n"));
}

#[tokio::test]
async fn sitemap_snapshots() {
    let db = TestDb::new(dateline_testkit::Backend::Sqlite)
        .await
        .unwrap();
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    let server = TestServer::start_as(app, Some(SITE)).await;
    for name in ["posts", "pages", "tags", "authors"] {
        let body = server
            .get(&format!("/sitemap-{name}.xml"))
            .await
            .text()
            .await
            .unwrap();
        insta::assert_snapshot!(format!("sitemap_{name}"), body.replace("><", ">\n<"));
    }
}
