use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_export, ghost_fixture_dir};

backend_tests!(
    images_and_their_variants_are_served,
    bad_image_paths_are_not_found,
    browsers_that_accept_webp_get_webp,
    each_format_has_its_own_etag_and_304,
    every_node_gives_an_image_the_same_etag_and_304,
    every_srcset_candidate_of_the_article_is_served_at_its_width,
    the_sizes_of_caspers_and_sources_srcsets_are_served
);

/// What Chromium sends for `<img>`.
const BROWSER_ACCEPT: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

/// Copies the fixture's images where Ghost keeps them: `<data>/content/images/2026/11/`.
fn install_fixture_images(server: &TestServer) {
    let target = server.media_dir.path().join("content/images/2026/11");
    std::fs::create_dir_all(&target).unwrap();
    for entry in std::fs::read_dir(ghost_fixture_dir().join("images/2026/11")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
    }
}

async fn images_and_their_variants_are_served(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    install_fixture_images(&server);
    let original = std::fs::read(ghost_fixture_dir().join("images/2026/11/img0.jpg")).unwrap();
    let res = server.get("/content/images/2026/11/img0.jpg").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000");
    assert_eq!(res.bytes().await.unwrap().as_ref(), original.as_slice());

    let full = image::load_from_memory(&original).unwrap();
    let res = server
        .get("/content/images/size/w300/2026/11/img0.jpg")
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let small = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(small.width(), 300.min(full.width()));
    assert!(
        server
            .media_dir
            .path()
            .join("content/images/size/w300/2026/11/img0.jpg")
            .exists(),
        "kept on disk"
    );

    let res = server
        .get("/content/images/size/w600/format/webp/2026/11/the-new-region.png")
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/webp");
}

async fn bad_image_paths_are_not_found(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    install_fixture_images(&server);
    std::fs::write(server.media_dir.path().join("secret.txt"), "dateline").unwrap();
    for path in [
        "/content/images/2026/11/missing.jpg",
        "/content/images/..%2F..%2Fsecret.txt",
        "/content/images/%2e%2e/%2e%2e/secret.txt",
        "/content/images/size/w601/2026/11/img0.jpg",
    ] {
        assert_eq!(server.get(path).await.status(), 404, "{path}");
    }
    // Not an image: a clear 4xx, not a crash.
    std::fs::write(
        server
            .media_dir
            .path()
            .join("content/images/2026/11/notes.jpg"),
        "just text",
    )
    .unwrap();
    assert_eq!(
        server
            .get("/content/images/size/w600/2026/11/notes.jpg")
            .await
            .status(),
        422
    );
}

async fn get_accepting(server: &TestServer, path: &str, accept: &str) -> reqwest::Response {
    server
        .client
        .get(format!("{}{path}", server.url))
        .header("accept", accept)
        .send()
        .await
        .unwrap()
}

async fn browsers_that_accept_webp_get_webp(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    install_fixture_images(&server);
    let images = server.media_dir.path().join("content/images");

    let res = get_accepting(&server, "/content/images/2026/11/img0.jpg", BROWSER_ACCEPT).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/webp");
    assert_eq!(res.headers()["vary"], "Accept");
    let webp = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((webp.width(), webp.height()), (1200, 675), "full size");
    assert!(
        images.join("format/webp/2026/11/img0.jpg").exists(),
        "kept on disk"
    );

    let res = get_accepting(
        &server,
        "/content/images/size/w600/2026/11/img0.jpg",
        BROWSER_ACCEPT,
    )
    .await;
    assert_eq!(res.headers()["content-type"], "image/webp");
    let webp = res.bytes().await.unwrap();
    assert_eq!(image::load_from_memory(&webp).unwrap().width(), 600);
    let jpeg = std::fs::metadata(images.join("2026/11/img0.jpg"))
        .unwrap()
        .len();
    assert!(
        (webp.len() as u64) < jpeg,
        "lossy WebP, smaller than the original"
    );
    assert!(
        images
            .join("size/w600/format/webp/2026/11/img0.jpg")
            .exists()
    );

    // Browsers that do not name WebP, or refuse it, get the original format, still with Vary.
    for accept in ["*/*", "image/png,image/*;q=0.8", "image/webp;q=0,*/*"] {
        let res = get_accepting(
            &server,
            "/content/images/size/w600/2026/11/img0.jpg",
            accept,
        )
        .await;
        assert_eq!(res.headers()["content-type"], "image/jpeg", "{accept}");
        assert_eq!(res.headers()["vary"], "Accept", "{accept}");
    }
    // A URL that names its format gets it whatever is accepted, and does not vary.
    let res = get_accepting(
        &server,
        "/content/images/size/w300/format/png/2026/11/img0.jpg",
        BROWSER_ACCEPT,
    )
    .await;
    assert_eq!(res.headers()["content-type"], "image/png");
    assert!(res.headers().get("vary").is_none());
    // GIFs and WebPs are never converted.
    std::fs::copy(
        images.join("size/w600/format/webp/2026/11/img0.jpg"),
        images.join("2026/11/photo.webp"),
    )
    .unwrap();
    let res = get_accepting(
        &server,
        "/content/images/2026/11/photo.webp",
        BROWSER_ACCEPT,
    )
    .await;
    assert_eq!(res.headers()["content-type"], "image/webp");
    assert!(res.headers().get("vary").is_none());
}

async fn each_format_has_its_own_etag_and_304(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    install_fixture_images(&server);
    let path = "/content/images/size/w300/2026/11/img1.jpg";
    let etag_of = |res: &reqwest::Response| res.headers()["etag"].to_str().unwrap().to_owned();
    let webp = etag_of(&get_accepting(&server, path, BROWSER_ACCEPT).await);
    let jpeg = etag_of(&get_accepting(&server, path, "*/*").await);
    assert_ne!(webp, jpeg);
    assert_eq!(
        webp,
        etag_of(&get_accepting(&server, path, BROWSER_ACCEPT).await),
        "stable"
    );

    let conditional = |etag: String, accept: &'static str| {
        server
            .client
            .get(format!("{}{path}", server.url))
            .header("accept", accept)
            .header("if-none-match", etag)
            .send()
    };
    let res = conditional(webp.clone(), BROWSER_ACCEPT).await.unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["etag"], webp.as_str());
    assert_eq!(res.headers()["vary"], "Accept");
    assert!(res.bytes().await.unwrap().is_empty());
    // The WebP's validator does not validate the JPEG, nor the other way round.
    let res = conditional(webp, "*/*").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let res = conditional(jpeg.clone(), BROWSER_ACCEPT).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/webp");
    assert_eq!(conditional(jpeg, "*/*").await.unwrap().status(), 304);
}

/// Two nodes on one database: the first has the images on disk (and stores them), the second
/// writes its copies and makes its variants later, yet both name each answer alike, so a
/// reader a load balancer sends back and forth revalidates instead of downloading again.
async fn every_node_gives_an_image_the_same_etag_and_304(db: TestDb) {
    let first = TestServer::start(db.app().await).await;
    install_fixture_images(&first);
    let media = dateline_media::ImageStore::new(first.media_dir.path());
    let synced = db
        .app()
        .await
        .sync_images(&media, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(synced.stored, 6);
    let second = TestServer::start(db.app().await).await;
    let etag_of = |res: &reqwest::Response| {
        assert_eq!(res.status(), 200);
        res.headers()["etag"].to_str().unwrap().to_owned()
    };
    for (path, accept) in [
        ("/content/images/2026/11/img0.jpg", "*/*"),
        ("/content/images/2026/11/img0.jpg", BROWSER_ACCEPT),
        ("/content/images/size/w300/2026/11/img1.jpg", "*/*"),
        ("/content/images/size/w300/2026/11/img1.jpg", BROWSER_ACCEPT),
        (
            "/content/images/size/w600/format/webp/2026/11/the-new-region.png",
            "*/*",
        ),
    ] {
        let on_first = etag_of(&get_accepting(&first, path, accept).await);
        // Made a little later on the second node, from its own copy.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let on_second = etag_of(&get_accepting(&second, path, accept).await);
        assert_eq!(on_first, on_second, "{path} ({accept})");
        for (server, etag) in [(&first, &on_second), (&second, &on_first)] {
            let res = server
                .client
                .get(format!("{}{path}", server.url))
                .header("accept", accept)
                .header("if-none-match", etag.as_str())
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 304, "{path} ({accept})");
            assert_eq!(res.headers()["etag"], etag.as_str());
        }
    }
}

/// The built-in theme's `srcset` only names widths the media store makes, each at its width.
async fn every_srcset_candidate_of_the_article_is_served_at_its_width(db: TestDb) {
    let app = db.app().await;
    app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
    let server = TestServer::start_as(app, Some("http://localhost:2368")).await;
    install_fixture_images(&server);
    let html = server
        .get("/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/")
        .await
        .text()
        .await
        .unwrap();
    let srcsets: Vec<&str> = html
        .split(r#"srcset=""#)
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert!(srcsets.len() >= 2, "feature image and related cards");
    for candidate in srcsets.iter().flat_map(|s| s.split(", ")) {
        let (url, width) = candidate.split_once(' ').unwrap();
        let width: u32 = width.trim_end_matches('w').parse().unwrap();
        let res = get_accepting(&server, url, BROWSER_ACCEPT).await;
        assert_eq!(res.status(), 200, "{url}");
        let image = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
        assert_eq!(image.width(), width, "{url}");
    }
    // Every image in the article has its size, so nothing shifts while it loads.
    let article = &html[html.find("<article").unwrap()..html.find("</article>").unwrap()];
    for (at, _) in article.match_indices("<img ") {
        let tag = &article[at..at + article[at..].find('>').unwrap()];
        assert!(
            tag.contains(" width=\"") && tag.contains(" height=\""),
            "{tag}"
        );
    }
}

/// Casper asks for `w30`–`w2000` and Source for `w160`–`w2000` (their `image_sizes`); Ghost
/// 5.130 served the fixture's profile picture at `w100` (Casper) and `w160` (Source).
async fn the_sizes_of_caspers_and_sources_srcsets_are_served(db: TestDb) {
    let server = TestServer::start(db.app().await).await;
    install_fixture_images(&server);
    for width in [30, 100, 160, 300, 320, 600, 960, 1000, 1200, 2000] {
        let res = server
            .get(&format!(
                "/content/images/size/w{width}/2026/11/the-new-region.png"
            ))
            .await;
        assert_eq!(res.status(), 200, "w{width}");
        let image = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
        assert_eq!(image.width(), width.min(400), "w{width}");
    }
}
