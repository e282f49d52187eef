//! `dateline theme install THEME.zip`: archives laid out as Ghost's theme zips are, and the
//! archives a hostile uploader would make (paths climbing out, links, bombs), refused with a
//! message that says why.

use std::io::Write;

use dateline_testkit::{TestDb, TestServer, backend_tests};
use zip::write::SimpleFileOptions;

use super::cli::{GOOD, theme_cmd};
use crate::support::{stderr, stdout};

backend_tests!(
    a_zip_with_one_top_folder_installs_and_serves,
    hostile_or_broken_zips_are_refused_and_leave_nothing
);

/// A ZIP archive of `files` (path, contents), deflated as Ghost's exports are.
pub(crate) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in files {
        writer.start_file(*path, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The folder `dir` as a zip, its files under `prefix/`, as Ghost's "download theme" makes it.
pub(crate) fn zip_dir(dir: &std::path::Path, prefix: &str) -> Vec<u8> {
    fn walk(dir: &std::path::Path, at: &str, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{at}/{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &name, files);
            } else {
                files.push((name, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, prefix, &mut files);
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), &b[..])).collect();
    zip_of(&files)
}

/// [`GOOD`] as a zip, its files under `prefix` (`""` or `"plain/"`), plus `extra` files.
pub(crate) fn good_zip(prefix: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut files: Vec<(String, &[u8])> = GOOD
        .iter()
        .map(|(path, text)| (format!("{prefix}{path}"), text.as_bytes()))
        .collect();
    files.extend(extra.iter().map(|(p, b)| (format!("{prefix}{p}"), *b)));
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    zip_of(&files)
}

async fn a_zip_with_one_top_folder_installs_and_serves(db: TestDb) {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    let archive = source.path().join("plain.zip");
    std::fs::write(
        &archive,
        good_zip("plain/", &[("assets/built/screen.css", b"body{}")]),
    )
    .unwrap();

    let out = theme_cmd(
        &db,
        data.path(),
        &["install", archive.to_str().unwrap(), "--activate"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Installed the theme plain."));
    assert!(
        stderr(&out).contains("warning: package.json"),
        "{}",
        stderr(&out)
    );
    // The top folder is the theme: its files sit directly in `themes/plain/`.
    let installed = data.path().join("themes/plain");
    assert!(installed.join("index.hbs").is_file());
    assert!(installed.join("assets/built/screen.css").is_file());
    // The unpacked upload is gone; only the theme is listed.
    let out = theme_cmd(&db, data.path(), &["list"]);
    assert_eq!(stdout(&out), "  builtin\n* plain\n");

    // Files at the root of the archive work as well, and replace the installed copy.
    std::fs::write(&archive, good_zip("", &[])).unwrap();
    let out = theme_cmd(&db, data.path(), &["install", archive.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!installed.join("assets/built/screen.css").exists());

    let server = TestServer::start_in(db.app().await, None, data).await;
    let html = server.get("/").await.text().await.unwrap();
    assert!(html.contains("<h1>Marhaba from "), "{html}");
}

async fn hostile_or_broken_zips_are_refused_and_leave_nothing(db: TestDb) {
    let data = tempfile::tempdir().unwrap();
    let source = tempfile::tempdir().unwrap();
    let install = |name: &str, bytes: Vec<u8>| {
        let path = source.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = theme_cmd(&db, data.path(), &["install", path.to_str().unwrap()]);
        assert!(!out.status.success(), "{name} was installed");
        stderr(&out)
    };

    let err = install(
        "climb.zip",
        good_zip("", &[("../../escaped.hbs", b"{{title}}")]),
    );
    assert!(
        err.contains(r#"the archive entry "../../escaped.hbs" points outside the theme folder"#),
        "{err}"
    );
    assert!(!data.path().join("escaped.hbs").exists());

    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .add_symlink("index.hbs", "/etc/passwd", SimpleFileOptions::default())
        .unwrap();
    let err = install("link.zip", writer.finish().unwrap().into_inner());
    assert!(err.contains("is a symbolic link"), "{err}");

    // 300 MB of zeros deflate to a few hundred KB: a bomb, refused before it is written out.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file("assets/zeros.bin", SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![0u8; 1024 * 1024];
    for _ in 0..300 {
        writer.write_all(&chunk).unwrap();
    }
    let bomb = writer.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    let err = install("bomb.zip", bomb);
    assert!(
        err.contains("the archive unpacks to more than 256 MB"),
        "{err}"
    );

    let too_many: Vec<(String, &[u8])> = (0..5_001)
        .map(|i| (format!("assets/{i}.txt"), &b"x"[..]))
        .collect();
    let too_many: Vec<(&str, &[u8])> = too_many.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let err = install("many.zip", zip_of(&too_many));
    assert!(
        err.contains("the archive has more than 5000 entries"),
        "{err}"
    );

    let no_package: Vec<(&str, &[u8])> = GOOD
        .iter()
        .filter(|(path, _)| *path != "package.json")
        .map(|(path, text)| (*path, text.as_bytes()))
        .collect();
    let err = install("nameless.zip", zip_of(&no_package));
    assert!(
        err.contains("error: package.json: package.json is missing"),
        "{err}"
    );

    let err = install("fake.zip", b"PK\x03\x04 not really".to_vec());
    assert!(err.contains("the file is not a ZIP archive"), "{err}");
    let err = install("notes.txt", b"hello".to_vec());
    assert!(
        err.contains("is neither a theme folder nor a .zip archive"),
        "{err}"
    );

    // Nothing was installed, and no unpacked upload was left behind.
    let left: Vec<_> = std::fs::read_dir(data.path().join("themes"))
        .map(|entries| entries.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}
