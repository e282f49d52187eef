//! `/images/upload/`: multipart uploads checked by their bytes, and served by every node that
//! shares the database.

use dateline_testkit::{TestDb, backend_tests, ghost_fixture_dir};
use reqwest::Method;

use super::{Site, error, send};

backend_tests!(
    images_are_checked_by_content_and_stored_safely,
    an_upload_is_served_and_resized_by_every_node
);

/// A `multipart/form-data` body with one `file` field (reqwest is built without multipart).
fn multipart(file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "dateline-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"ref\"\r\n\r\nhero\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(site: &Site, file_name: &str, bytes: &[u8]) -> (u16, serde_json::Value) {
    let (content_type, body) = multipart(file_name, bytes);
    send(
        site.key(Method::POST, "/images/upload/")
            .header("Content-Type", content_type)
            .body(body),
    )
    .await
}

async fn images_are_checked_by_content_and_stored_safely(db: TestDb) {
    let site = Site::new(&db).await;
    let png = std::fs::read(ghost_fixture_dir().join("images/2026/11/editorial-desk.png")).unwrap();
    let (status, body) = upload(&site, "../../../etc/Desk Photo.png", &png).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["images"][0]["ref"], "hero");
    let url = body["images"][0]["url"].as_str().unwrap();
    let prefix = format!("{}/content/images/", site.server.url);
    let path = url.strip_prefix(&prefix).unwrap_or_else(|| panic!("{url}"));
    assert!(!path.contains(".."), "{path}");
    assert!(path.ends_with(".png"), "{path}");
    let stored = site
        .server
        .media_dir
        .path()
        .join("content/images")
        .join(path);
    assert_eq!(std::fs::read(stored).unwrap(), png);

    // The same name again gets a new file, never an overwrite.
    let (_, again) = upload(&site, "../../../etc/Desk Photo.png", &png).await;
    assert_ne!(again["images"][0]["url"], url);

    // A script named like an image, and SVG (which can carry scripts), are refused.
    let (status, body) = upload(&site, "photo.png", b"<script>alert(1)</script>").await;
    assert_eq!(status, 415, "{body}");
    assert_eq!(error(&body)["type"], "UnsupportedMediaTypeError");
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let (status, _) = upload(&site, "logo.svg", svg).await;
    assert_eq!(status, 415);

    let (status, _) = send(site.server.client.post(site.url("/images/upload/"))).await;
    assert_eq!(status, 403, "uploads need credentials");
}

/// A PNG of `width` × `height` with some detail, so resizing changes its bytes.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// The path below `/content/images/` of an upload's answer.
fn uploaded_path(site: &Site, body: &serde_json::Value) -> String {
    let url = body["images"][0]["url"].as_str().unwrap();
    let prefix = format!("{}/content/images/", site.server.url);
    url.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{url}"))
        .to_owned()
}

async fn an_upload_is_served_and_resized_by_every_node(db: TestDb) {
    let first = Site::new(&db).await;
    let second = Site::serve(db.app().await).await;
    let wide = png(1400, 700);
    let (status, body) = upload(&first, "Wide Shot.png", &wide).await;
    assert_eq!(status, 201, "{body}");
    let path = uploaded_path(&first, &body);
    let on_second = second.server.media_dir.path().join("content/images");
    assert!(!on_second.join(&path).exists());

    // The second node has no file, asks the database, keeps a copy and serves the same bytes.
    let res = second.server.get(&format!("/content/images/{path}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().as_ref(), wide.as_slice());
    assert_eq!(std::fs::read(on_second.join(&path)).unwrap(), wide);
    // Its variants are made there from that copy.
    let res = second
        .server
        .get(&format!("/content/images/size/w600/{path}"))
        .await;
    assert_eq!(res.status(), 200);
    let small = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (600, 300));
    assert!(on_second.join("size/w600").join(&path).is_file());
    // The same name uploaded on a third node gets a name of its own, though that node's
    // folder never held the first one's file.
    let third = Site::serve(db.app().await).await;
    let (_, again) = upload(&third, "Wide Shot.png", &png(10, 10)).await;
    let other = uploaded_path(&third, &again);
    assert_ne!(other, path);
    assert!(other.ends_with("/wide-shot-1.png"), "{other}");
    let res = first.server.get(&format!("/content/images/{path}")).await;
    assert_eq!(res.bytes().await.unwrap().as_ref(), wide.as_slice());

    // A variant asked for first, on a node without the original, works too.
    let res = third
        .server
        .get(&format!("/content/images/size/w300/format/webp/{path}"))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/webp");

    // What no node took in stays a 404 everywhere.
    let res = second.server.get("/content/images/2020/01/never.png").await;
    assert_eq!(res.status(), 404);
    let res = second
        .server
        .get("/content/images/size/w600/2020/01/never.png")
        .await;
    assert_eq!(res.status(), 404);
}
