//! `dateline images sync`: originals that only the data folder holds go into the database.

use std::path::Path;

use dateline_store::image_originals;
use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_fixture_dir};

use crate::support::{run, stderr, stdout};

backend_tests!(
    sync_stores_each_original_once_and_skips_what_is_not_one,
    a_synced_image_is_served_by_a_node_without_the_file,
);

/// The fixture's six images where a site that took them in before the database kept
/// originals has them, plus what such a folder also holds: a text file named `.jpg`, a
/// variant, a full-size WebP copy and a half-written file.
fn old_site_folder(data: &Path) -> Vec<String> {
    let images = data.join("content/images");
    let month = images.join("2026/11");
    std::fs::create_dir_all(&month).unwrap();
    let mut originals = Vec::new();
    for entry in std::fs::read_dir(ghost_fixture_dir().join("images/2026/11")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), month.join(entry.file_name())).unwrap();
        originals.push(format!("2026/11/{}", entry.file_name().to_str().unwrap()));
    }
    originals.sort();
    std::fs::write(month.join("notes.jpg"), "not a picture").unwrap();
    std::fs::write(month.join(".partial-x1y2"), "half").unwrap();
    for made in ["size/w300/2026/11/img0.jpg", "format/webp/2026/11/img0.jpg"] {
        let file = images.join(made);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::copy(month.join("img0.jpg"), file).unwrap();
    }
    originals
}

fn sync(db: &TestDb) -> (String, String) {
    let out = run(db, &["images", "sync"]);
    assert!(out.status.success(), "{}", stderr(&out));
    (stdout(&out), stderr(&out))
}

async fn stored(db: &TestDb) -> Vec<String> {
    let app = db.app().await;
    let mut conn = app.store.reader().await.unwrap();
    let mut paths: Vec<String> = image_originals::lengths(&mut conn)
        .await
        .unwrap()
        .into_keys()
        .collect();
    paths.sort();
    paths
}

async fn sync_stores_each_original_once_and_skips_what_is_not_one(db: TestDb) {
    let originals = old_site_folder(db.data_dir.path());
    assert_eq!(originals.len(), 6);
    assert!(stored(&db).await.is_empty());

    let (out, err) = sync(&db);
    assert!(
        out.contains(": 6 images stored, 0 already there, 2 skipped."),
        "{out}"
    );
    assert!(
        err.contains("skipped 2026/11/notes.jpg: the file is not an image Dateline accepts"),
        "{err}"
    );
    assert!(
        err.contains("skipped 2026/11/.partial-x1y2: a hidden or partly written file"),
        "{err}"
    );
    // Variants and conversions are made from originals; they are not originals.
    assert_eq!(stored(&db).await, originals);
    let app = db.app().await;
    let mut conn = app.store.reader().await.unwrap();
    let kept = image_originals::bytes(&mut conn, "2026/11/img0.jpg")
        .await
        .unwrap()
        .unwrap();
    let file = db.data_dir.path().join("content/images/2026/11/img0.jpg");
    assert_eq!(kept, std::fs::read(&file).unwrap());
    drop(conn);

    // Again: nothing new.
    let (out, _) = sync(&db);
    assert!(
        out.contains(": 0 images stored, 6 already there, 2 skipped."),
        "{out}"
    );

    // A file that is not the image the database keeps under its name is left alone.
    std::fs::copy(
        db.data_dir.path().join("content/images/2026/11/img1.jpg"),
        &file,
    )
    .unwrap();
    let (out, err) = sync(&db);
    assert!(
        out.contains(": 0 images stored, 5 already there, 3 skipped."),
        "{out}"
    );
    assert!(
        err.contains(
            "skipped 2026/11/img0.jpg: the database keeps a different image under this name"
        ),
        "{err}"
    );
    let mut conn = app.store.reader().await.unwrap();
    let still = image_originals::bytes(&mut conn, "2026/11/img0.jpg")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still, kept);
}

async fn a_synced_image_is_served_by_a_node_without_the_file(db: TestDb) {
    old_site_folder(db.data_dir.path());
    let other = TestServer::start(db.app().await).await;
    let path = "/content/images/2026/11/the-new-region.png";
    assert_eq!(other.get(path).await.status(), 404, "not synced yet");

    sync(&db);
    let res = other.get(path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let original = std::fs::read(ghost_fixture_dir().join("images/2026/11/the-new-region.png"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), original.unwrap());
}
