//! Images: where they live (`<data>/content/images/`, Ghost's layout, so a Ghost `content`
//! folder can be copied in as it is), what an upload must be (checked by its bytes, never its
//! name), and the resized variants Ghost's URL scheme asks for
//! (`/content/images/size/w600/2026/11/photo.jpg`, optionally `/format/webp/`), made on first
//! request and kept on disk.
//!
//! Every path comes from a URL or a client, so every path is checked: no `..`, no absolute
//! paths, nothing outside the images folder.

mod kind;
mod variant;

use std::path::{Component, Path, PathBuf};

pub use kind::ImageKind;
pub use variant::{Variant, WIDTHS};

/// Uploads larger than this are refused.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("not found")]
    NotFound,
    #[error("`{0}` is not a valid image path")]
    BadPath(String),
    #[error("the file is not an image Dateline accepts (JPEG, PNG, GIF or WebP)")]
    NotAnImage,
    #[error("the image is larger than {} MB", MAX_UPLOAD_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("the image cannot be read: {0}")]
    Undecodable(String),
    #[error("image storage failed: {0}")]
    Io(#[from] std::io::Error),
}

/// The images folder and the operations on it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ImageStore {
    root: PathBuf,
}

impl ImageStore {
    /// Images under `<data>/content/images`.
    pub fn new(data_dir: &Path) -> Self {
        ImageStore {
            root: data_dir.join("content").join("images"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file for a URL path below `/content/images/`, if it is a safe relative path.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, MediaError> {
        let path = Path::new(relative);
        let safe = !relative.is_empty()
            && !relative.contains('\\')
            && !relative.contains('\0')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if safe {
            Ok(self.root.join(path))
        } else {
            Err(MediaError::BadPath(relative.to_owned()))
        }
    }

    /// Stores an upload under `YYYY/MM/` with a name made from the original's (cleaned) and a
    /// suffix when taken; returns the path below the images folder.
    pub fn save_upload(
        &self,
        bytes: &[u8],
        original_name: &str,
        now: jiff::Timestamp,
    ) -> Result<String, MediaError> {
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(MediaError::TooLarge);
        }
        let kind = ImageKind::sniff(bytes).ok_or(MediaError::NotAnImage)?;
        // Decoding proves the bytes are an image and not only its first few bytes.
        variant::decode(bytes, kind)?;
        let month = now.strftime("%Y/%m").to_string();
        let dir = self.root.join(&month);
        std::fs::create_dir_all(&dir)?;
        let stem = clean_stem(original_name);
        for n in 0u32.. {
            let name = match n {
                0 => format!("{stem}.{}", kind.extension()),
                n => format!("{stem}-{n}.{}", kind.extension()),
            };
            let path = dir.join(&name);
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    std::io::Write::write_all(&mut file, bytes)?;
                    return Ok(format!("{month}/{name}"));
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(err) => return Err(err.into()),
            }
        }
        Err(MediaError::BadPath(original_name.to_owned()))
    }

    /// The bytes of a stored image, or of its variant, making the variant if needed.
    pub fn read(&self, url_path: &str) -> Result<(Vec<u8>, ImageKind), MediaError> {
        match Variant::parse(url_path) {
            Some(variant) => variant::load_or_make(self, &variant),
            None => {
                let path = self.resolve(url_path)?;
                let bytes = std::fs::read(&path).map_err(not_found)?;
                let kind = ImageKind::sniff(&bytes).ok_or(MediaError::NotAnImage)?;
                Ok((bytes, kind))
            }
        }
    }
}

fn not_found(err: std::io::Error) -> MediaError {
    if err.kind() == std::io::ErrorKind::NotFound {
        MediaError::NotFound
    } else {
        MediaError::Io(err)
    }
}

/// A file name stem safe on every file system and in URLs: the slug of the original name.
fn clean_stem(original: &str) -> String {
    let name = original.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let slug = dateline_core::slug::slugify(stem);
    if slug.is_empty() {
        "image".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        let store = ImageStore::new(Path::new("/srv/data"));
        for bad in ["../dateline.db", "2026/../../x", "/etc/passwd", "a\\b", ""] {
            assert!(store.resolve(bad).is_err(), "{bad}");
        }
        assert_eq!(
            store.resolve("2026/11/img0.jpg").unwrap(),
            Path::new("/srv/data/content/images/2026/11/img0.jpg")
        );
    }

    #[test]
    fn upload_names_are_cleaned_and_never_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::new(dir.path());
        let png = variant::tests::png(4, 3);
        let now: jiff::Timestamp = "2026-11-28T06:00:00Z".parse().unwrap();
        assert_eq!(
            store
                .save_upload(&png, "../../Erbil Citadel.PNG", now)
                .unwrap(),
            "2026/11/erbil-citadel.png"
        );
        assert_eq!(
            store.save_upload(&png, "Erbil Citadel.png", now).unwrap(),
            "2026/11/erbil-citadel-1.png"
        );
        // The extension follows the content, not the name.
        assert_eq!(
            store.save_upload(&png, "photo.jpg", now).unwrap(),
            "2026/11/photo.png"
        );
    }

    #[test]
    fn non_images_and_truncated_images_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::new(dir.path());
        let now = jiff::Timestamp::UNIX_EPOCH;
        assert!(matches!(
            store.save_upload(b"<?php echo 1; ?>", "x.jpg", now),
            Err(MediaError::NotAnImage)
        ));
        let png = variant::tests::png(40, 30);
        assert!(matches!(
            store.save_upload(&png[..png.len() / 2], "x.png", now),
            Err(MediaError::Undecodable(_))
        ));
        let huge = vec![0u8; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(
            store.save_upload(&huge, "x.png", now),
            Err(MediaError::TooLarge)
        ));
    }
}
