//! Resized variants on Ghost's URL scheme: `size/w{width}/[format/{fmt}/]{original path}`.

use std::io::Cursor;

use image::{DynamicImage, ImageReader, Limits};

use crate::{ImageKind, ImageStore, MediaError, not_found};

/// Widths a variant may have. A fixed set keeps anyone from filling the disk with one variant
/// per pixel width; it covers Ghost's default theme sizes and the built-in theme's `srcset`.
pub const WIDTHS: &[u32] = &[300, 600, 720, 960, 1000, 1200, 1600, 2000, 2400];

/// Decoding refuses images bigger than this (pixels a side) or needing more memory, so a
/// small file that unpacks to gigabytes cannot take the server down.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// A requested variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    /// `Some` for `/format/webp/` and friends.
    pub format: Option<ImageKind>,
    /// The original's path below the images folder.
    pub original: String,
}

impl Variant {
    /// Parses `size/w600/2026/11/a.jpg` or `size/w600/format/webp/2026/11/a.jpg`; `None` when
    /// the path is not a variant URL (it is then an original).
    pub fn parse(path: &str) -> Option<Variant> {
        let rest = path.strip_prefix("size/w")?;
        let (width, rest) = rest.split_once('/')?;
        let width: u32 = width.parse().ok()?;
        let (format, original) = match rest.strip_prefix("format/") {
            Some(rest) => {
                let (fmt, original) = rest.split_once('/')?;
                let kind = match fmt {
                    "webp" => ImageKind::Webp,
                    "jpeg" | "jpg" => ImageKind::Jpeg,
                    "png" => ImageKind::Png,
                    _ => return None,
                };
                (Some(kind), original)
            }
            None => (None, rest),
        };
        Some(Variant {
            width,
            format,
            original: original.to_owned(),
        })
    }

    /// Where the made variant is kept, mirroring its URL.
    fn cache_path(&self) -> String {
        match self.format {
            Some(kind) => format!(
                "size/w{}/format/{}/{}",
                self.width,
                kind.extension(),
                self.original
            ),
            None => format!("size/w{}/{}", self.width, self.original),
        }
    }
}

pub(crate) fn decode(bytes: &[u8], kind: ImageKind) -> Result<DynamicImage, MediaError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| MediaError::Undecodable(e.to_string()))
}

pub(crate) fn load_or_make(
    store: &ImageStore,
    variant: &Variant,
) -> Result<(Vec<u8>, ImageKind), MediaError> {
    if !WIDTHS.contains(&variant.width) {
        return Err(MediaError::NotFound);
    }
    let cached = store.resolve(&variant.cache_path())?;
    if let Ok(bytes) = std::fs::read(&cached)
        && let Some(kind) = ImageKind::sniff(&bytes)
    {
        return Ok((bytes, kind));
    }
    let original = std::fs::read(store.resolve(&variant.original)?).map_err(not_found)?;
    let source_kind = ImageKind::sniff(&original).ok_or(MediaError::NotAnImage)?;
    let target = variant.format.unwrap_or(source_kind);
    // GIFs may be animated; resizing would keep one frame, so they are served as they are.
    if source_kind == ImageKind::Gif && variant.format.is_none() {
        return Ok((original, source_kind));
    }
    let image = decode(&original, source_kind)?;
    let resized = if image.width() > variant.width {
        image.resize(
            variant.width,
            u32::MAX,
            image::imageops::FilterType::Lanczos3,
        )
    } else {
        image
    };
    let mut out = Cursor::new(Vec::new());
    let resized = if target == ImageKind::Jpeg {
        DynamicImage::ImageRgb8(resized.to_rgb8())
    } else {
        resized
    };
    resized
        .write_to(&mut out, target.format())
        .map_err(|e| MediaError::Undecodable(e.to_string()))?;
    let bytes = out.into_inner();
    if let Some(dir) = cached.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Written beside and renamed, so a concurrent reader never sees half a file.
    let partial = cached.with_extension("partial");
    std::fs::write(&partial, &bytes)?;
    std::fs::rename(&partial, &cached)?;
    Ok((bytes, target))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn parses_ghost_variant_urls() {
        assert_eq!(
            Variant::parse("size/w600/2026/11/img0.jpg"),
            Some(Variant {
                width: 600,
                format: None,
                original: "2026/11/img0.jpg".into()
            })
        );
        assert_eq!(
            Variant::parse("size/w1200/format/webp/2026/11/img0.jpg"),
            Some(Variant {
                width: 1200,
                format: Some(ImageKind::Webp),
                original: "2026/11/img0.jpg".into()
            })
        );
        assert_eq!(Variant::parse("2026/11/img0.jpg"), None);
        assert_eq!(Variant::parse("size/wide/2026/x.jpg"), None);
        assert_eq!(Variant::parse("size/w600/format/tiff/x.jpg"), None);
    }

    #[test]
    fn variants_are_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::new(dir.path());
        std::fs::create_dir_all(store.root().join("2026/11")).unwrap();
        std::fs::write(store.root().join("2026/11/wide.png"), png(1500, 500)).unwrap();
        let (bytes, kind) = store.read("size/w600/2026/11/wide.png").unwrap();
        assert_eq!(kind, ImageKind::Png);
        let made = image::load_from_memory(&bytes).unwrap();
        assert_eq!((made.width(), made.height()), (600, 200));
        assert!(store.root().join("size/w600/2026/11/wide.png").exists());

        let (webp, kind) = store
            .read("size/w300/format/webp/2026/11/wide.png")
            .unwrap();
        assert_eq!(kind, ImageKind::Webp);
        assert_eq!(ImageKind::sniff(&webp), Some(ImageKind::Webp));

        // Small images are not enlarged; unknown widths and missing files are not found.
        let (small, _) = store.read("size/w2000/2026/11/wide.png").unwrap();
        assert_eq!(image::load_from_memory(&small).unwrap().width(), 1500);
        assert!(matches!(
            store.read("size/w601/2026/11/wide.png"),
            Err(MediaError::NotFound)
        ));
        assert!(matches!(
            store.read("size/w600/2026/11/missing.png"),
            Err(MediaError::NotFound)
        ));
        assert!(matches!(
            store.read("size/w600/../../etc/passwd"),
            Err(MediaError::BadPath(_))
        ));
    }

    #[test]
    fn corrupt_originals_are_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::new(dir.path());
        std::fs::create_dir_all(store.root().join("2026")).unwrap();
        let png = png(800, 800);
        std::fs::write(store.root().join("2026/broken.png"), &png[..200]).unwrap();
        assert!(matches!(
            store.read("size/w600/2026/broken.png"),
            Err(MediaError::Undecodable(_))
        ));
    }
}
