use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_fixture_dir};

backend_tests!(
    images_and_their_variants_are_served,
    bad_image_paths_are_not_found
);

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
