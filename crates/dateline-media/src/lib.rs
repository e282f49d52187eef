//! Images: where they live (`<data>/content/images/`, Ghost's layout, so a Ghost `content`
//! folder can be copied in as it is), what an upload must be (checked by its bytes, never its
//! name), and the resized variants Ghost's URL scheme asks for
//! (`/content/images/size/w600/2026/11/photo.jpg`, optionally `/format/webp/`), made on first
//! request and kept on disk. A browser that accepts WebP gets a WebP copy of a JPEG or PNG
//! (made once, kept beside the variants); others get the original format.
//!
//! Every path comes from a URL or a client, so every path is checked: no `..`, no absolute
//! paths, nothing outside the images folder.

mod dimensions;
mod kind;
mod variant;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use dimensions::DimensionCache;
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
    dimensions: Arc<DimensionCache>,
}

/// An image as served: its bytes, format and when its file was written (what its `ETag` is
/// made of: a file under an image URL is never rewritten in place).
#[derive(Debug)]
pub struct StoredImage {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    pub modified: SystemTime,
    /// Whether the answer depends on `Accept` (a JPEG or PNG that also exists as WebP), so
    /// caches must keep one copy per format (`Vary: Accept`).
    pub negotiable: bool,
}

impl StoredImage {
    fn read(path: &Path) -> Result<StoredImage, MediaError> {
        let mut file = std::fs::File::open(path).map_err(not_found)?;
        let modified = file.metadata()?.modified()?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        let kind = ImageKind::sniff(&bytes).ok_or(MediaError::NotAnImage)?;
        Ok(StoredImage {
            bytes,
            kind,
            modified,
            negotiable: false,
        })
    }
}

impl ImageStore {
    /// Images under `<data>/content/images`.
    pub fn new(data_dir: &Path) -> Self {
        ImageStore {
            root: data_dir.join("content").join("images"),
            dimensions: Arc::default(),
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

    /// A stored image, or its variant, making the variant if needed. `accepts_webp` (the
    /// browser said `Accept: image/webp`) turns a JPEG or PNG into its WebP copy; a URL that
    /// names its format (`/format/png/`) gets that format whatever the browser accepts.
    pub fn read(&self, url_path: &str, accepts_webp: bool) -> Result<StoredImage, MediaError> {
        let variant = Variant::parse(url_path).unwrap_or_else(|| Variant {
            width: None,
            format: None,
            original: url_path.to_owned(),
        });
        let negotiable = variant.format.is_none() && converts_to_webp(&variant.original);
        let mut image = if negotiable && accepts_webp {
            variant::load_or_make(self, &variant.as_webp())?
        } else if variant.width.is_none() {
            StoredImage::read(&self.resolve(&variant.original)?)?
        } else {
            variant::load_or_make(self, &variant)?
        };
        image.negotiable = negotiable;
        Ok(image)
    }

    /// The pixel size of a stored original (`2026/11/photo.jpg`), read from its header the
    /// first time and remembered, so pages can give `<img>` a `width` and `height` (no layout
    /// shift) without reading files on every render. `None` when it is not a readable image.
    pub fn dimensions(&self, relative: &str) -> Option<(u32, u32)> {
        let path = self.resolve(relative).ok()?;
        self.dimensions.get_or_read(relative, &path)
    }
}

/// JPEG and PNG originals have a WebP copy. GIFs may be animated and WebPs already are.
fn converts_to_webp(original: &str) -> bool {
    let lower = original.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"].iter().any(|e| lower.ends_with(e))
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
