//! Resized variants on Ghost's URL scheme: `size/w{width}/[format/{fmt}/]{original path}`.

use std::io::Cursor;

use image::{DynamicImage, ImageReader, Limits};

use crate::{ImageKind, ImageStore, MediaError, StoredImage};

/// Widths a variant may have. A fixed set keeps anyone from filling the disk with one variant
/// per pixel width; it covers the `image_sizes` of Ghost's Casper (30–2000) and Source
/// (160–2000) and the widths of the built-in theme's `srcset`.
pub const WIDTHS: &[u32] = &[
    30, 100, 160, 300, 320, 600, 720, 960, 1000, 1200, 1600, 2000, 2400,
];

/// WebP quality for photos: visually close to the JPEG it replaces at about two thirds of
/// the bytes.
const WEBP_QUALITY: f32 = 80.0;

/// Decoding refuses images bigger than this (pixels a side) or needing more memory, so a
/// small file that unpacks to gigabytes cannot take the server down.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// A requested variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// `None` keeps the original's size: the WebP a browser gets for an original it asked for
    /// with `Accept: image/webp`.
    pub width: Option<u32>,
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
            width: Some(width),
            format,
            original: original.to_owned(),
        })
    }

    /// The same image as WebP, for a browser that accepts it.
    pub(crate) fn as_webp(&self) -> Variant {
        Variant {
            format: Some(ImageKind::Webp),
            ..self.clone()
        }
    }

    /// Where the made variant is kept, mirroring its URL (a full-size conversion, which has
    /// no URL of its own, under `format/{fmt}/`).
    fn cache_path(&self) -> String {
        let size = self
            .width
            .map(|w| format!("size/w{w}/"))
            .unwrap_or_default();
        let format = self
            .format
            .map(|kind| format!("format/{}/", kind.extension()))
            .unwrap_or_default();
        format!("{size}{format}{}", self.original)
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
) -> Result<StoredImage, MediaError> {
    if variant.width.is_some_and(|w| !WIDTHS.contains(&w)) {
        return Err(MediaError::NotFound);
    }
    let cached = store.resolve(&variant.cache_path())?;
    if let Ok(image) = StoredImage::read(&cached) {
        return Ok(image);
    }
    let source = StoredImage::read(&store.resolve(&variant.original)?)?;
    let target = variant.format.unwrap_or(source.kind);
    // GIFs may be animated; resizing would keep one frame, so they are served as they are.
    if source.kind == ImageKind::Gif && variant.format.is_none() {
        return Ok(source);
    }
    let image = decode(&source.bytes, source.kind)?;
    let resized = match variant.width {
        Some(width) if image.width() > width => {
            image.resize(width, u32::MAX, image::imageops::FilterType::Lanczos3)
        }
        _ => image,
    };
    let bytes = encode(resized, target)?;
    crate::write_whole(&cached, &bytes)?;
    StoredImage::read(&cached)
}

/// The image in `target`'s format. WebP is lossy (libwebp), as a lossless WebP of a photo is
/// larger than the JPEG it would replace; the `image` crate only writes lossless WebP.
fn encode(image: DynamicImage, target: ImageKind) -> Result<Vec<u8>, MediaError> {
    let failed = |e: String| MediaError::Undecodable(e);
    match target {
        ImageKind::Webp => {
            let (width, height) = (image.width(), image.height());
            let encoded = if image.color().has_alpha() {
                let rgba = image.to_rgba8();
                webp::Encoder::from_rgba(&rgba, width, height)
                    .encode_simple(false, WEBP_QUALITY)
                    .map(|m| m.to_vec())
            } else {
                let rgb = image.to_rgb8();
                webp::Encoder::from_rgb(&rgb, width, height)
                    .encode_simple(false, WEBP_QUALITY)
                    .map(|m| m.to_vec())
            };
            encoded.map_err(|e| failed(format!("WebP encoding failed: {e:?}")))
        }
        _ => {
            let image = if target == ImageKind::Jpeg {
                DynamicImage::ImageRgb8(image.to_rgb8())
            } else {
                image
            };
            let mut out = Cursor::new(Vec::new());
            image
                .write_to(&mut out, target.format())
                .map_err(|e| failed(e.to_string()))?;
            Ok(out.into_inner())
        }
    }
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
                width: Some(600),
                format: None,
                original: "2026/11/img0.jpg".into()
            })
        );
        assert_eq!(
            Variant::parse("size/w1200/format/webp/2026/11/img0.jpg"),
            Some(Variant {
                width: Some(1200),
                format: Some(ImageKind::Webp),
                original: "2026/11/img0.jpg".into()
            })
        );
        assert_eq!(Variant::parse("2026/11/img0.jpg"), None);
        assert_eq!(Variant::parse("size/wide/2026/x.jpg"), None);
        assert_eq!(Variant::parse("size/w600/format/tiff/x.jpg"), None);
    }

    fn store_with(path: &str, bytes: &[u8]) -> (tempfile::TempDir, ImageStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::new(dir.path());
        let file = store.root().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
        (dir, store)
    }

    #[test]
    fn variants_are_made_once_and_kept() {
        let (_dir, store) = store_with("2026/11/wide.png", &png(1500, 500));
        let made = store.read("size/w600/2026/11/wide.png", false).unwrap();
        assert_eq!(made.kind, ImageKind::Png);
        assert!(made.negotiable);
        let decoded = image::load_from_memory(&made.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (600, 200));
        let file = store.root().join("size/w600/2026/11/wide.png");
        let written = std::fs::metadata(&file).unwrap().modified().unwrap();
        let again = store.read("size/w600/2026/11/wide.png", false).unwrap();
        assert_eq!(again.bytes, made.bytes);
        assert_eq!(
            std::fs::metadata(&file).unwrap().modified().unwrap(),
            written,
            "read from the file, not made again"
        );

        let webp = store
            .read("size/w300/format/webp/2026/11/wide.png", false)
            .unwrap();
        assert_eq!(webp.kind, ImageKind::Webp);
        assert_eq!(ImageKind::sniff(&webp.bytes), Some(ImageKind::Webp));
        assert!(!webp.negotiable);

        // Small images are not enlarged; unknown widths and missing files are not found.
        let small = store.read("size/w2000/2026/11/wide.png", false).unwrap();
        assert_eq!(image::load_from_memory(&small.bytes).unwrap().width(), 1500);
        assert!(matches!(
            store.read("size/w601/2026/11/wide.png", false),
            Err(MediaError::NotFound)
        ));
        assert!(matches!(
            store.read("size/w600/2026/11/missing.png", false),
            Err(MediaError::NotFound)
        ));
        assert!(matches!(
            store.read("size/w600/../../etc/passwd", false),
            Err(MediaError::BadPath(_))
        ));
    }

    #[test]
    fn browsers_that_accept_webp_get_a_kept_webp_copy() {
        let (_dir, store) = store_with("2026/11/photo.png", &png(1400, 700));
        let original = store.read("2026/11/photo.png", true).unwrap();
        assert_eq!(original.kind, ImageKind::Webp);
        assert!(original.negotiable);
        let decoded = image::load_from_memory(&original.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (1400, 700));
        assert!(store.root().join("format/webp/2026/11/photo.png").exists());

        let sized = store.read("size/w600/2026/11/photo.png", true).unwrap();
        assert_eq!(sized.kind, ImageKind::Webp);
        assert_eq!(image::load_from_memory(&sized.bytes).unwrap().width(), 600);
        assert!(
            store
                .root()
                .join("size/w600/format/webp/2026/11/photo.png")
                .exists()
        );
        // Others get the original format; a URL naming its format keeps it.
        assert_eq!(
            store.read("2026/11/photo.png", false).unwrap().kind,
            ImageKind::Png
        );
        let named = store
            .read("size/w600/format/png/2026/11/photo.png", true)
            .unwrap();
        assert_eq!((named.kind, named.negotiable), (ImageKind::Png, false));
    }

    #[test]
    fn gifs_are_never_negotiated() {
        let gif = {
            let image = DynamicImage::ImageRgba8(image::RgbaImage::new(8, 8));
            let mut out = Cursor::new(Vec::new());
            image.write_to(&mut out, image::ImageFormat::Gif).unwrap();
            out.into_inner()
        };
        let (_dir, store) = store_with("2026/a.gif", &gif);
        let served = store.read("2026/a.gif", true).unwrap();
        assert_eq!((served.kind, served.negotiable), (ImageKind::Gif, false));
    }

    #[test]
    fn corrupt_originals_are_a_clear_error() {
        let png = png(800, 800);
        let (_dir, store) = store_with("2026/broken.png", &png[..200]);
        assert!(matches!(
            store.read("size/w600/2026/broken.png", false),
            Err(MediaError::Undecodable(_))
        ));
    }

    #[test]
    fn dimensions_come_from_the_header() {
        let (_dir, store) = store_with("2026/11/wide.png", &png(1500, 500));
        assert_eq!(store.dimensions("2026/11/wide.png"), Some((1500, 500)));
        assert_eq!(store.dimensions("2026/11/missing.png"), None);
        assert_eq!(store.dimensions("../x.png"), None);
    }
}
