//! Images: where they live (`<data>/content/images/`, Ghost's layout, so a Ghost `content`
//! folder can be copied in as it is), what an upload must be (checked by its bytes, never its
//! name), and the resized variants Ghost's URL scheme asks for
//! (`/content/images/size/w600/2026/11/photo.jpg`, optionally `/format/webp/`), made on first
//! request and kept on disk. A browser that accepts WebP gets a WebP copy of a JPEG or PNG
//! (made once, kept beside the variants); others get the original format.
//!
//! The folder is this node's copy. Nodes sharing a database keep each upload's original there
//! too (`dateline_app::images`), and a node missing a file writes it here from the database
//! ([`ImageStore::missing_original`], [`ImageStore::write`]) before serving it; variants are
//! always made here, from the original.
//!
//! Every path comes from a URL or a client, so every path is checked: no `..`, no absolute
//! paths, nothing outside the images folder.

mod dimensions;
mod kind;
mod variant;

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

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

/// An image as served: its bytes and format. (Its validator is a digest of the bytes, made in
/// `dateline-app`: file times differ from node to node.)
#[derive(Debug)]
pub struct StoredImage {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
    /// Whether the answer depends on `Accept` (a JPEG or PNG that also exists as WebP), so
    /// caches must keep one copy per format (`Vary: Accept`).
    pub negotiable: bool,
}

impl StoredImage {
    fn read(path: &Path) -> Result<StoredImage, MediaError> {
        let mut file = std::fs::File::open(path).map_err(not_found)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes)?;
        let kind = ImageKind::sniff(&bytes).ok_or(MediaError::NotAnImage)?;
        Ok(StoredImage {
            bytes,
            kind,
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

    /// The format of an upload, from its bytes, once they are proven to decode.
    pub fn check_upload(bytes: &[u8]) -> Result<ImageKind, MediaError> {
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(MediaError::TooLarge);
        }
        let kind = ImageKind::sniff(bytes).ok_or(MediaError::NotAnImage)?;
        // Decoding proves the bytes are an image and not only its first few bytes.
        variant::decode(bytes, kind)?;
        Ok(kind)
    }

    /// The paths an upload may take, best first: `YYYY/MM/` and a name made from the
    /// original's (cleaned), then the same with `-1`, `-2`, … Names with a file in this folder
    /// are skipped (a Ghost `content` folder copied in has files no database knows); which of
    /// the rest is free, across nodes, only the database can say.
    pub fn upload_names(
        &self,
        original_name: &str,
        kind: ImageKind,
        now: jiff::Timestamp,
    ) -> impl Iterator<Item = String> + '_ {
        let month = now.strftime("%Y/%m").to_string();
        let stem = clean_stem(original_name);
        (0u32..)
            .map(move |n| match n {
                0 => format!("{month}/{stem}.{}", kind.extension()),
                n => format!("{month}/{stem}-{n}.{}", kind.extension()),
            })
            .filter(|path| !self.root.join(path).exists())
    }

    /// Writes `bytes` as the file for `relative` (a checked path): beside it first, then
    /// renamed, so a concurrent reader never sees half a file.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), MediaError> {
        write_whole(&self.resolve(relative)?, bytes)
    }

    /// The original behind `url_path` (an original's path or a variant's) when this node's
    /// folder lacks its file: what to fetch from elsewhere before serving. `None` when the
    /// file is here or the path is not a safe one.
    pub fn missing_original(&self, url_path: &str) -> Option<String> {
        let original = Variant::parse(url_path).map_or_else(|| url_path.to_owned(), |v| v.original);
        let file = self.resolve(&original).ok()?;
        (!file.exists()).then_some(original)
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

/// Writes `file` whole or not at all: a temporary file beside it, renamed over it. Each writer
/// has its own temporary file, so two nodes' threads filling the same file cannot mix bytes.
fn write_whole(file: &Path, bytes: &[u8]) -> Result<(), MediaError> {
    let dir = file
        .parent()
        .ok_or_else(|| MediaError::BadPath(file.display().to_string()))?;
    std::fs::create_dir_all(dir)?;
    let mut partial = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut partial, bytes)?;
    partial.persist(file).map_err(|e| MediaError::Io(e.error))?;
    Ok(())
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
    fn upload_names_are_cleaned_and_skip_files_already_here() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::new(dir.path());
        let now: jiff::Timestamp = "2026-11-28T06:00:00Z".parse().unwrap();
        let names = |name: &str, kind| {
            store
                .upload_names(name, kind, now)
                .take(2)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("../../Erbil Citadel.PNG", ImageKind::Png),
            ["2026/11/erbil-citadel.png", "2026/11/erbil-citadel-1.png"]
        );
        // The extension follows the content, not the name.
        assert_eq!(names("photo.jpg", ImageKind::Png)[0], "2026/11/photo.png");
        assert_eq!(names("...", ImageKind::Gif)[0], "2026/11/image.gif");
        store.write("2026/11/photo.png", b"taken").unwrap();
        assert_eq!(
            names("photo.jpg", ImageKind::Png),
            ["2026/11/photo-1.png", "2026/11/photo-2.png"]
        );
    }

    #[test]
    fn writes_are_whole_and_missing_originals_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::new(dir.path());
        assert_eq!(
            store.missing_original("size/w600/2026/11/a.png").as_deref(),
            Some("2026/11/a.png")
        );
        let png = variant::tests::png(4, 3);
        store.write("2026/11/a.png", &png).unwrap();
        assert_eq!(
            std::fs::read(store.root().join("2026/11/a.png")).unwrap(),
            png
        );
        assert_eq!(store.missing_original("2026/11/a.png"), None);
        assert_eq!(store.missing_original("size/w600/2026/11/a.png"), None);
        // Only the file is left behind, no temporary one.
        let files: Vec<_> = std::fs::read_dir(store.root().join("2026/11"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1);
        assert!(store.write("../escape.png", &png).is_err());
        assert_eq!(store.missing_original("../../dateline.db"), None);
    }

    #[test]
    fn non_images_and_truncated_images_are_refused() {
        assert!(matches!(
            ImageStore::check_upload(b"<?php echo 1; ?>"),
            Err(MediaError::NotAnImage)
        ));
        let png = variant::tests::png(40, 30);
        assert_eq!(ImageStore::check_upload(&png).unwrap(), ImageKind::Png);
        assert!(matches!(
            ImageStore::check_upload(&png[..png.len() / 2]),
            Err(MediaError::Undecodable(_))
        ));
        let huge = vec![0u8; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(
            ImageStore::check_upload(&huge),
            Err(MediaError::TooLarge)
        ));
    }
}
