//! Uploaded images shared by every node. An upload's original is kept in the database
//! (`image_originals`) as well as in this node's images folder; a node asked for an image its
//! folder lacks writes it there from the database first, then serves it and makes its variants
//! as for any other file. The folder stays the fast path: a file that is there is served
//! without asking the database.
//!
//! The originals are kept on SQLite too, though one SQLite file has one node: one code path,
//! tested on both backends, and a copy of the database file is a copy of the images. Upload
//! names are claimed in the database, so two nodes taking `photo.jpg` in the same month give
//! out `photo.jpg` and `photo-1.jpg`, never one name for two images.

mod sync;

use dateline_media::{ImageStore, MediaError, StoredImage};
use dateline_store::image_originals;
use sha2::{Digest, Sha256};

pub use sync::SyncReport;

use crate::{App, AppError};

/// An image as served, with a digest of its bytes: the validator every node gives the same
/// answer for. A node's file times say when *that node* wrote its copy or made its variant,
/// so validators made from them differ between nodes behind one load balancer and turn a
/// reader's revalidation into a download; the bytes are the same everywhere (the original
/// comes from the database, variants are made from it by the same code).
#[derive(Debug)]
pub struct ServedImage {
    pub image: StoredImage,
    /// Hex of the first 128 bits of the bytes' SHA-256.
    pub digest: String,
}

impl ServedImage {
    fn of(image: StoredImage) -> ServedImage {
        let digest = hex::encode(&Sha256::digest(&image.bytes)[..16]);
        ServedImage { image, digest }
    }
}

/// Why an image could not be taken in or served.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<dateline_store::StoreError> for ImageError {
    fn from(err: dateline_store::StoreError) -> Self {
        ImageError::App(err.into())
    }
}

/// Runs file and image work off the async workers (decoding and resizing are CPU work).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, MediaError> + Send + 'static,
) -> Result<T, MediaError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|err| MediaError::Io(std::io::Error::other(err)))?
}

impl App {
    /// Takes in an upload: checks it by its bytes, claims a free name under `YYYY/MM/` (made
    /// from `original_name`), keeps the original in the database and writes it to `media`.
    /// Returns the path below the images folder.
    pub async fn upload_image(
        &self,
        media: &ImageStore,
        bytes: Vec<u8>,
        original_name: &str,
    ) -> Result<String, ImageError> {
        let (kind, bytes) =
            blocking(move || ImageStore::check_upload(&bytes).map(|kind| (kind, bytes))).await?;
        let now = dateline_core::time::now();
        for path in media.upload_names(original_name, kind, now) {
            let mut tx = self.store.begin().await?;
            let claimed =
                image_originals::claim(&mut tx, &path, kind.content_type(), &bytes, now).await?;
            tx.commit().await?;
            if claimed {
                let (media, written) = (media.clone(), path.clone());
                blocking(move || media.write(&written, &bytes)).await?;
                return Ok(path);
            }
        }
        Err(MediaError::BadPath(original_name.to_owned()).into())
    }

    /// The image at `url_path` below `/content/images/` (an original or a variant), as
    /// [`ImageStore::read`] serves it, after writing its original to `media` from the database
    /// when this node lacks it. Hashing is done with the read, off the async workers.
    pub async fn read_image(
        &self,
        media: &ImageStore,
        url_path: String,
        accepts_webp: bool,
    ) -> Result<ServedImage, ImageError> {
        let read = |path: String| {
            let media = media.clone();
            blocking(move || media.read(&path, accepts_webp).map(ServedImage::of))
        };
        match read(url_path.clone()).await {
            Err(MediaError::NotFound) => {}
            other => return Ok(other?),
        }
        let Some(original) = media.missing_original(&url_path) else {
            return Err(MediaError::NotFound.into());
        };
        let stored = {
            let mut db = self.store.reader().await?;
            image_originals::bytes(&mut db, &original).await?
        };
        let Some(bytes) = stored else {
            return Err(MediaError::NotFound.into());
        };
        let copy = media.clone();
        blocking(move || copy.write(&original, &bytes)).await?;
        tracing::debug!(path = url_path, "copied an image another node took in");
        Ok(read(url_path).await?)
    }
}
