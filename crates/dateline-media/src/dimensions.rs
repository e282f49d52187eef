//! Pixel sizes of stored originals, read from the file header once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

/// Sizes remembered at most; past this a size is read again each time it is asked for (a
/// few microseconds), so a huge library cannot grow the cache without bound.
const MAX_ENTRIES: usize = 50_000;

#[derive(Debug, Default)]
pub(crate) struct DimensionCache {
    sizes: RwLock<HashMap<String, (u32, u32)>>,
}

impl DimensionCache {
    /// Only sizes that were read are kept: a file missing now may be copied in later.
    pub(crate) fn get_or_read(&self, key: &str, path: &Path) -> Option<(u32, u32)> {
        if let Some(size) = self.sizes.read().ok()?.get(key) {
            return Some(*size);
        }
        let size = image::ImageReader::open(path)
            .ok()?
            .with_guessed_format()
            .ok()?
            .into_dimensions()
            .ok()?;
        if let Ok(mut sizes) = self.sizes.write()
            && sizes.len() < MAX_ENTRIES
        {
            sizes.insert(key.to_owned(), size);
        }
        Some(size)
    }
}
