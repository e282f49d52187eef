//! `dateline images sync`: originals that only this node's folder holds (sites that took their
//! uploads before the database kept them, or a Ghost `content/images` copied in) are stored in
//! the database, so every node can serve them.
//!
//! Each file is checked by its bytes as an upload is, and stored in a transaction of its own
//! under the name its URL already has: stopping half-way keeps what was stored, and running
//! again stores only the rest. A name the database already keeps is never overwritten; when
//! its length differs from the file's, the two are different images and the file is skipped
//! with that reason (the database's image is the one every other node serves).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use dateline_media::{ImageStore, MediaError};
use dateline_store::image_originals;

use super::{ImageError, blocking};
use crate::App;

/// Top-level folders that hold only what is made here from originals: resized variants
/// (`size/w600/…`, Ghost's layout too) and full-size format conversions (`format/webp/…`).
const MADE_HERE: &[&str] = &["size", "format"];

/// A file left out of a sync: its path below the images folder, and why.
pub type Skipped = (String, String);

/// What a sync did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub stored: u64,
    pub already_there: u64,
    pub skipped: Vec<Skipped>,
}

/// A file found under the images folder.
struct Found {
    /// Below the images folder, with `/` between folders.
    path: String,
    length: u64,
    modified: SystemTime,
}

impl App {
    /// Stores in the database every original in `media`'s folder that it lacks. `progress` is
    /// told `(files done, files found)` after each file.
    pub async fn sync_images(
        &self,
        media: &ImageStore,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<SyncReport, ImageError> {
        let root = media.root().to_owned();
        let (found, mut skipped) = blocking(move || Ok(originals_in(&root)?)).await?;
        let kept = {
            let mut db = self.store.reader().await?;
            image_originals::lengths(&mut db).await?
        };
        let mut report = SyncReport::default();
        let total = found.len() as u64;
        for (done, file) in (1..).zip(found) {
            let outcome = match kept.get(&file.path) {
                Some(&length) if length == file.length => Outcome::AlreadyThere,
                Some(_) => Outcome::Skipped(
                    "the database keeps a different image under this name".to_owned(),
                ),
                None => self.store_original(media, &file).await?,
            };
            match outcome {
                Outcome::Stored => report.stored += 1,
                Outcome::AlreadyThere => report.already_there += 1,
                Outcome::Skipped(why) => skipped.push((file.path, why)),
            }
            progress(done, total);
        }
        report.skipped = skipped;
        Ok(report)
    }

    /// Checks `file` as an upload is checked and stores it under its path. Only database
    /// errors stop the sync; a file that cannot be stored is skipped with the reason.
    async fn store_original(
        &self,
        media: &ImageStore,
        file: &Found,
    ) -> Result<Outcome, ImageError> {
        let Ok(source) = media.resolve(&file.path) else {
            return Ok(Outcome::Skipped(
                "no image URL can name this file".to_owned(),
            ));
        };
        let checked = blocking(move || {
            let bytes = std::fs::read(&source)?;
            ImageStore::check_upload(&bytes).map(|kind| (kind, bytes))
        })
        .await;
        let (kind, bytes) = match checked {
            Ok(checked) => checked,
            Err(err @ (MediaError::Io(_) | MediaError::NotFound)) => {
                return Ok(Outcome::Skipped(format!("cannot be read: {err}")));
            }
            Err(err) => return Ok(Outcome::Skipped(err.to_string())),
        };
        // The file's time is the best record of when the image was taken in.
        let taken_in =
            jiff::Timestamp::try_from(file.modified).unwrap_or_else(|_| dateline_core::time::now());
        let mut tx = self.store.begin().await?;
        let stored =
            image_originals::claim(&mut tx, &file.path, kind.content_type(), &bytes, taken_in)
                .await?;
        tx.commit().await?;
        // Not stored: an upload or another sync took the name in since the list was read.
        Ok(if stored {
            Outcome::Stored
        } else {
            Outcome::AlreadyThere
        })
    }
}

enum Outcome {
    Stored,
    AlreadyThere,
    Skipped(String),
}

/// The files under `root` that may be originals, and those that cannot be (a name no URL can
/// carry, a hidden or half-written file) with the reason. Variants' folders are not entered;
/// symbolic links to files are followed, to folders not (no loops).
fn originals_in(root: &Path) -> std::io::Result<(Vec<Found>, Vec<Skipped>)> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    if !root.exists() {
        return Ok((found, skipped));
    }
    let mut folders: Vec<(PathBuf, String)> = vec![(root.to_owned(), String::new())];
    while let Some((folder, prefix)) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                let shown = format!("{prefix}{}", name.to_string_lossy());
                skipped.push((
                    shown,
                    "its name is not UTF-8, so no URL names it".to_owned(),
                ));
                continue;
            };
            let path = format!("{prefix}{name}");
            if entry.file_type()?.is_dir() {
                if !(prefix.is_empty() && MADE_HERE.contains(&name)) {
                    folders.push((entry.path(), format!("{path}/")));
                }
            } else if name.starts_with('.') {
                skipped.push((path, "a hidden or partly written file".to_owned()));
            } else {
                match std::fs::metadata(entry.path())
                    .and_then(|m| Ok((m.is_file(), m.len(), m.modified()?)))
                {
                    Ok((true, length, modified)) => found.push(Found {
                        path,
                        length,
                        modified,
                    }),
                    Ok(_) => {}
                    Err(err) => skipped.push((path, format!("cannot be read: {err}"))),
                }
            }
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    skipped.sort();
    Ok((found, skipped))
}
