//! Theme ZIP archives, unpacked as Ghost lays its theme zips out: the theme's files at the root
//! of the archive, or inside one top folder (what "compress this folder" makes).
//!
//! An archive comes from whoever holds an admin key, so nothing in it is trusted: entries that
//! would land outside the target folder and symbolic links are refused, and the number of
//! entries and the bytes actually inflated are capped (an entry's declared size is not believed),
//! so a small archive cannot fill the disk.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

/// The largest archive taken, compressed: Ghost's official themes are a few MB, themes with
/// fonts and demo images tens of MB.
pub const MAX_ARCHIVE_BYTES: usize = 64 * 1024 * 1024;

/// The most bytes an archive may inflate to, all entries together.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// The most entries (files and folders) an archive may hold; Casper has about a hundred.
pub const MAX_ENTRIES: usize = 5_000;

/// Why an archive was refused.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("the file is not a ZIP archive: {0}")]
    NotAZip(String),
    #[error("the archive is larger than {} MB", MAX_ARCHIVE_BYTES / (1024 * 1024))]
    ArchiveTooLarge,
    #[error("the archive unpacks to more than {} MB", MAX_UNPACKED_BYTES / (1024 * 1024))]
    UnpacksTooLarge,
    #[error("the archive has more than {MAX_ENTRIES} entries")]
    TooManyEntries,
    #[error("the archive entry {0:?} points outside the theme folder")]
    OutsidePath(String),
    #[error("the archive entry {0:?} is a symbolic link; themes may not contain links")]
    Symlink(String),
    #[error("the archive entry {entry:?} cannot be read: {reason}")]
    BadEntry { entry: String, reason: String },
    #[error("cannot unpack the archive into {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Unpacks `bytes` into the empty folder `into` and returns the theme's folder: `into` itself,
/// or the one top folder the archive keeps everything in.
pub fn unpack(bytes: &[u8], into: &Path) -> Result<PathBuf, ArchiveError> {
    if bytes.len() > MAX_ARCHIVE_BYTES {
        return Err(ArchiveError::ArchiveTooLarge);
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|err| ArchiveError::NotAZip(err.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ArchiveError::TooManyEntries);
    }
    // Declared sizes refuse an honest bomb before anything is written; the count of bytes
    // actually inflated below catches one that lies about its sizes.
    if archive
        .decompressed_size()
        .is_some_and(|declared| declared > u128::from(MAX_UNPACKED_BYTES))
    {
        return Err(ArchiveError::UnpacksTooLarge);
    }
    let mut budget = MAX_UNPACKED_BYTES;
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|err| ArchiveError::BadEntry {
                entry: format!("#{index}"),
                reason: err.to_string(),
            })?;
        let name = entry
            .name()
            .map_err(|err| ArchiveError::BadEntry {
                entry: format!("#{index}"),
                reason: err.to_string(),
            })?
            .into_owned();
        // Finder's resource forks ride along in zips made on a Mac; they are not theme files.
        if name.starts_with("__MACOSX/") {
            continue;
        }
        if entry.is_symlink() {
            return Err(ArchiveError::Symlink(name));
        }
        let relative = entry
            .enclosed_name()
            .ok_or_else(|| ArchiveError::OutsidePath(name.clone()))?;
        let target = into.join(relative);
        let io = |source| ArchiveError::Io {
            path: target.clone(),
            source,
        };
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(io)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut file = std::fs::File::create(&target).map_err(io)?;
        // One byte past the budget tells a file that would overrun it from one that fits.
        let copied =
            std::io::copy(&mut (&mut entry).take(budget + 1), &mut file).map_err(|err| {
                ArchiveError::BadEntry {
                    entry: name.clone(),
                    reason: err.to_string(),
                }
            })?;
        if copied > budget {
            return Err(ArchiveError::UnpacksTooLarge);
        }
        budget -= copied;
        file.flush().map_err(io)?;
    }
    theme_root(into)
}

/// The theme folder `dir` as a ZIP archive with its files under `name/`, as Ghost's "download"
/// makes it (hidden files left out).
pub fn pack(dir: &Path, name: &str) -> Result<Vec<u8>, ArchiveError> {
    fn add(
        writer: &mut zip::ZipWriter<Cursor<Vec<u8>>>,
        dir: &Path,
        at: &str,
    ) -> Result<(), ArchiveError> {
        let io = |source| ArchiveError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .collect::<Result<_, _>>()
            .map_err(io)?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for entry in entries {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            if file_name.starts_with('.') {
                continue;
            }
            let path = format!("{at}/{file_name}");
            let file_type = entry.file_type().map_err(io)?;
            if file_type.is_dir() {
                add(writer, &entry.path(), &path)?;
            } else if file_type.is_file() {
                let bytes = std::fs::read(entry.path()).map_err(io)?;
                let bad = |err: zip::result::ZipError| ArchiveError::BadEntry {
                    entry: path.clone(),
                    reason: err.to_string(),
                };
                writer.start_file(path.as_str(), options).map_err(bad)?;
                writer.write_all(&bytes).map_err(io)?;
            }
        }
        Ok(())
    }
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    add(&mut writer, dir, name)?;
    let done = writer.finish().map_err(|err| ArchiveError::BadEntry {
        entry: name.to_owned(),
        reason: err.to_string(),
    })?;
    Ok(done.into_inner())
}

/// `into`, unless everything visible in it is one folder: then that folder.
fn theme_root(into: &Path) -> Result<PathBuf, ArchiveError> {
    let io = |source| ArchiveError::Io {
        path: into.to_path_buf(),
        source,
    };
    let mut visible = Vec::new();
    for entry in std::fs::read_dir(into).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with('.') && name != "__MACOSX" {
            visible.push(entry.path());
        }
    }
    match visible.as_slice() {
        [only] if only.is_dir() && !into.join("package.json").exists() => Ok(only.clone()),
        _ => Ok(into.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::{ArchiveError, unpack};

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn one_top_folder_is_the_theme_folder() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = zip_of(&[
            ("casper/package.json", b"{}"),
            ("casper/partials/card.hbs", b"x"),
            ("__MACOSX/casper/._package.json", b"junk"),
        ]);
        let root = unpack(&bytes, dir.path()).unwrap();
        assert_eq!(root, dir.path().join("casper"));
        assert!(root.join("partials/card.hbs").is_file());
    }

    #[test]
    fn files_at_the_root_stay_there() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = zip_of(&[("package.json", b"{}"), ("assets/a.css", b"x")]);
        assert_eq!(unpack(&bytes, dir.path()).unwrap(), dir.path());
    }

    #[test]
    fn entries_climbing_out_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = zip_of(&[("package.json", b"{}"), ("../../evil.hbs", b"x")]);
        let err = unpack(&bytes, dir.path()).unwrap_err();
        assert!(matches!(err, ArchiveError::OutsidePath(ref n) if n == "../../evil.hbs"));
        assert!(!dir.path().parent().unwrap().join("evil.hbs").exists());
    }

    #[test]
    fn symbolic_links_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        writer
            .add_symlink("index.hbs", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
        let bytes = writer.finish().unwrap().into_inner();
        let err = unpack(&bytes, dir.path()).unwrap_err();
        assert!(matches!(err, ArchiveError::Symlink(_)), "{err}");
    }

    #[test]
    fn not_a_zip_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = unpack(b"PK but not really", dir.path()).unwrap_err();
        assert!(matches!(err, ArchiveError::NotAZip(_)), "{err}");
    }
}
