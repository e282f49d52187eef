//! A theme's `assets/` folder, held in memory: served at `/assets/…` and fingerprinted so
//! `{{asset}}` URLs change whenever a file does and can be cached forever.

use std::borrow::Cow;
use std::collections::HashMap;

/// One file of a theme's `assets/` folder, as served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asset<'a> {
    pub bytes: &'a [u8],
    pub content_type: &'static str,
    /// A hash of the content; `{{asset}}` URLs carry it as `?v=`, and it makes a fine ETag.
    pub version: &'a str,
}

#[derive(Debug)]
struct StoredAsset {
    bytes: Cow<'static, [u8]>,
    content_type: &'static str,
    version: String,
}

/// The assets of one theme, by path under `assets/` (`css/screen.css`).
#[derive(Debug, Default)]
pub(crate) struct AssetStore {
    files: HashMap<String, StoredAsset>,
}

impl AssetStore {
    pub(crate) fn insert(&mut self, path: &str, bytes: Cow<'static, [u8]>) {
        let stored = StoredAsset {
            content_type: content_type(path),
            version: version(&bytes),
            bytes,
        };
        self.files.insert(path.to_owned(), stored);
    }

    /// The asset at `path`: `css/screen.css`, or the URL path `/assets/css/screen.css`.
    pub(crate) fn get(&self, path: &str) -> Option<Asset<'_>> {
        let path = path.trim_start_matches('/');
        let path = path.strip_prefix("assets/").unwrap_or(path);
        self.files.get(path).map(|stored| Asset {
            bytes: &stored.bytes,
            content_type: stored.content_type,
            version: &stored.version,
        })
    }

    /// Every asset's version by path, for the `asset` helper.
    pub(crate) fn versions(&self) -> HashMap<String, String> {
        self.files
            .iter()
            .map(|(path, stored)| (path.clone(), stored.version.clone()))
            .collect()
    }
}

/// 64-bit FNV-1a of `bytes` as 10 hex digits. Cache busting needs a hash that is stable across
/// builds and Rust versions (std's `DefaultHasher` promises neither), not a cryptographic one.
pub(crate) fn version(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")[..10].to_owned()
}

/// A script Dateline itself serves (members, search), with its version worked out once into
/// `version`.
pub(crate) fn embedded_script(
    bytes: &'static [u8],
    version_cell: &'static std::sync::OnceLock<String>,
) -> Asset<'static> {
    Asset {
        bytes,
        content_type: "text/javascript; charset=utf-8",
        version: version_cell.get_or_init(|| version(bytes)),
    }
}

/// The `Content-Type` for a theme file, by extension.
fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" => "text/plain; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "xml" => "application/xml",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_by_either_path_with_type_and_version() {
        let mut store = AssetStore::default();
        store.insert("css/screen.css", Cow::Borrowed(b"body{}"));
        let asset = store.get("/assets/css/screen.css").unwrap();
        assert_eq!(asset.bytes, b"body{}");
        assert_eq!(asset.content_type, "text/css; charset=utf-8");
        assert_eq!(asset.version.len(), 10);
        assert_eq!(store.get("css/screen.css"), Some(asset));
        assert_eq!(store.get("../package.json"), None);
    }

    #[test]
    fn versions_follow_content() {
        assert_eq!(version(b"a"), version(b"a"));
        assert_ne!(version(b"a"), version(b"b"));
        // FNV-1a of the empty input is its offset basis.
        assert_eq!(version(b""), "cbf29ce484");
    }
}
