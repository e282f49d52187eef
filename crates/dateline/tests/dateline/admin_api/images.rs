//! `/images/upload/`: multipart uploads checked by their bytes.

use dateline_testkit::{TestDb, backend_tests, ghost_fixture_dir};
use reqwest::Method;

use super::{Site, error, send};

backend_tests!(images_are_checked_by_content_and_stored_safely);

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
