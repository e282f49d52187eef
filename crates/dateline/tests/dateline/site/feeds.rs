use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_export};

backend_tests!(
    rss_carries_full_stories_as_ghost_does,
    tag_and_author_feeds_and_unknown_ones
);

const SITE: &str = "http://localhost:2368";

async fn fixture(db: &TestDb) -> TestServer {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    TestServer::start_as(app, Some(SITE)).await
}

fn text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    node.children()
        .find(|c| c.tag_name().name() == name)
        .and_then(|c| c.text())
        .unwrap_or_else(|| panic!("<{name}>"))
}

async fn rss_carries_full_stories_as_ghost_does(db: TestDb) {
    let server = fixture(&db).await;
    let res = server.get("/rss/").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    let body = res.text().await.unwrap();
    let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = rss.first_element_child().unwrap();
    assert_eq!(text(channel, "title"), "The New Region");
    assert_eq!(text(channel, "link"), "http://localhost:2368/");
    let items: Vec<_> = channel
        .children()
        .filter(|c| c.has_tag_name("item"))
        .collect();
    assert_eq!(items.len(), 8, "published posts only");
    let seed = items[0];
    assert_eq!(
        text(seed, "title"),
        "PM Sudani speaks at NATO HQ, says Iraq reliable strategic partner"
    );
    assert_eq!(
        text(seed, "link"),
        "http://localhost:2368/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/"
    );
    assert_eq!(text(seed, "guid"), "6b0a71b88161d82b79d23c5b");
    assert_eq!(text(seed, "pubDate"), "Mon, 08 Sep 2025 10:30:00 GMT");
    assert_eq!(text(seed, "category"), "News");
    assert_eq!(text(seed, "creator"), "The New Region");
    let media = seed
        .children()
        .find(|c| c.tag_name().name() == "content" && c.attribute("medium").is_some())
        .unwrap();
    assert_eq!(
        media.attribute("url"),
        Some("http://localhost:2368/content/images/2026/11/img0.jpg")
    );
    let encoded = seed
        .children()
        .find(|c| c.tag_name().name() == "encoded")
        .unwrap()
        .text()
        .unwrap();
    assert!(
        encoded.starts_with("<img src=\"http://localhost:2368/content/images/2026/11/img0.jpg\""),
        "{encoded}"
    );
    assert!(encoded.contains("headquarters in the Belgian capital of Brussels"));
    // The internal tag is never a category.
    let internal = items
        .iter()
        .find(|i| text(**i, "title") == "How we cover election results")
        .unwrap();
    let categories: Vec<&str> = internal
        .children()
        .filter(|c| c.has_tag_name("category"))
        .filter_map(|c| c.text())
        .collect();
    assert_eq!(categories, ["Politics"]);
    // Links that leave the site carry Ghost's ref tag, as in Ghost's feed.
    assert!(body.contains("https://example.com/report?ref=localhost"));
}

async fn tag_and_author_feeds_and_unknown_ones(db: TestDb) {
    let server = fixture(&db).await;
    let body = server.get("/tag/news/rss/").await.text().await.unwrap();
    let doc = roxmltree::Document::parse(&body).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|i| text(i, "title"))
        .collect();
    assert_eq!(titles.len(), 4);
    assert!(titles.contains(&"Iraq names squad for World Cup qualifiers"));
    let body = server
        .get("/author/editorial-desk/rss/")
        .await
        .text()
        .await
        .unwrap();
    let doc = roxmltree::Document::parse(&body).unwrap();
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("item")).count(),
        4
    );
    assert_eq!(server.get("/tag/no-such-tag/rss/").await.status(), 404);
    assert_eq!(server.get("/tag/hash-internal/rss/").await.status(), 404);
    assert_eq!(server.get("/author/nobody/rss/").await.status(), 404);
}

/// The whole feed, with the build time (the only moving part) masked.
#[tokio::test]
async fn rss_snapshot() {
    let db = TestDb::new(dateline_testkit::Backend::Sqlite)
        .await
        .unwrap();
    let server = fixture(&db).await;
    let body = server.get("/rss/").await.text().await.unwrap();
    let start = body.find("<lastBuildDate>").unwrap();
    let end = body.find("</lastBuildDate>").unwrap();
    let masked = format!("{}<lastBuildDate>[time]{}", &body[..start], &body[end..]);
    insta::assert_snapshot!("rss", masked.replace("><", ">\n<"));
}
