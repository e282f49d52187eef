//! Uploaded themes kept in the database, so every node sharing it can serve them.
//!
//! `<data>/themes/` is each node's working copy: the site renders from folders there. An
//! upload also keeps its ZIP archive in `theme_archives`, and a node unpacks any archive whose
//! checksum differs from the one its copy came from (recorded in `<data>/themes/.archives/`,
//! a hidden folder the theme list skips): at start, on activation, when listing themes and
//! when another node announces a change. A theme whose archive was deleted is removed from the
//! nodes that unpacked it. Themes the CLI installs are kept the same way, packed from the
//! folder they were installed as (see [`App::install_shared_theme`]).

use std::path::{Path, PathBuf};

use dateline_store::theme_archives;
use sha2::{Digest, Sha256};

use dateline_theme::Report;

use super::{ThemeInstallError, archive, checked_name, install_archive, install_theme, themes_dir};
use crate::{App, AppError, ContentChanged};

/// Where the checksums of the archives this node unpacked are recorded, one file per theme.
fn markers(data_dir: &Path) -> PathBuf {
    themes_dir(data_dir).join(".archives")
}

/// The checksum of the archive this node's copy of `name` came from, if it came from one.
fn unpacked_from(data_dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(markers(data_dir).join(name))
        .ok()
        .map(|s| s.trim().to_owned())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ThemeInstallError {
    let path = path.to_path_buf();
    move |source| ThemeInstallError::Io { path, source }
}

/// Records that this node's copy of `name` came from the archive with `sha256`.
fn mark(data_dir: &Path, name: &str, sha256: &str) -> Result<(), ThemeInstallError> {
    let dir = markers(data_dir);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let file = dir.join(name);
    std::fs::write(&file, sha256).map_err(io(&file))
}

/// The hex SHA-256 of an archive.
pub(super) fn checksum(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl App {
    /// The CLI's install: checks the theme at `source` (a folder or a `.zip`) and installs it
    /// as [`install_theme`] does, then keeps the installed folder, packed, as an upload is
    /// kept, so every node sharing the database unpacks it and can activate it.
    pub async fn install_shared_theme(
        &self,
        data_dir: &Path,
        source: &Path,
    ) -> Result<(String, Report), ThemeInstallError> {
        let (data, from) = (data_dir.to_path_buf(), source.to_path_buf());
        // Checking, copying and packing are blocking work; the async workers must not wait.
        let (name, report, archive) = tokio::task::spawn_blocking(move || {
            let (name, report) = install_theme(&data, &from)?;
            let archive = archive::pack(&themes_dir(&data).join(&name), &name)?;
            Ok::<_, ThemeInstallError>((name, report, archive))
        })
        .await
        .map_err(|err| io(&themes_dir(data_dir))(std::io::Error::other(err)))??;
        self.keep_archive(data_dir, &name, &archive).await?;
        // Other nodes unpack the new archive when they hear of a change.
        self.events.emit(ContentChanged::Everything);
        Ok((name, report))
    }

    /// Keeps the archive `bytes` the theme `name` was installed from, for the other nodes,
    /// and records that this node's copy is that archive's.
    pub(super) async fn keep_archive(
        &self,
        data_dir: &Path,
        name: &str,
        bytes: &[u8],
    ) -> Result<(), ThemeInstallError> {
        let sha256 = checksum(bytes);
        let mut tx = self.store.begin().await.map_err(AppError::from)?;
        theme_archives::put(&mut tx, name, bytes, &sha256, dateline_core::time::now())
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        mark(data_dir, name, &sha256)
    }

    /// Forgets the archive of the deleted theme `name`, so other nodes remove their copies.
    pub(super) async fn forget_archive(
        &self,
        data_dir: &Path,
        name: &str,
    ) -> Result<(), ThemeInstallError> {
        let mut tx = self.store.begin().await.map_err(AppError::from)?;
        theme_archives::delete(&mut tx, name)
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        let marker = markers(data_dir).join(name);
        match std::fs::remove_file(&marker) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(io(&marker)(err)),
            _ => Ok(()),
        }
    }

    /// Brings `<data>/themes/` in line with the archives in the database: unpacks themes this
    /// node lacks or has an older copy of, and removes copies of themes deleted elsewhere
    /// (never the active one). Returns whether anything changed.
    pub async fn sync_themes(&self, data_dir: &Path) -> Result<bool, ThemeInstallError> {
        let stored = {
            let mut db = self.store.reader().await.map_err(AppError::from)?;
            theme_archives::checksums(&mut db)
                .await
                .map_err(AppError::from)?
        };
        let mut changed = false;
        for (name, sha256) in &stored {
            let folder = themes_dir(data_dir).join(checked_name(name)?);
            if folder.is_dir() && unpacked_from(data_dir, name).as_deref() == Some(sha256) {
                continue;
            }
            self.unpack_stored(data_dir, name).await?;
            changed = true;
        }
        let active = self.active_theme().await?;
        let marked = match std::fs::read_dir(markers(data_dir)) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        };
        for name in marked {
            let gone = !stored.iter().any(|(n, _)| *n == name);
            if gone && active.as_deref() != Some(name.as_str()) {
                let folder = themes_dir(data_dir).join(checked_name(&name)?);
                if folder.is_dir() {
                    std::fs::remove_dir_all(&folder).map_err(io(&folder))?;
                }
                let marker = markers(data_dir).join(&name);
                std::fs::remove_file(&marker).map_err(io(&marker))?;
                changed = true;
            }
        }
        Ok(changed)
    }

    /// Unpacks the stored archive of `name` over this node's copy, if the database has one.
    async fn unpack_stored(&self, data_dir: &Path, name: &str) -> Result<(), ThemeInstallError> {
        let archive = {
            let mut db = self.store.reader().await.map_err(AppError::from)?;
            theme_archives::get(&mut db, name)
                .await
                .map_err(AppError::from)?
        };
        let Some((bytes, sha256)) = archive else {
            return Ok(());
        };
        let data = data_dir.to_path_buf();
        let (installed, _) = tokio::task::spawn_blocking(move || install_archive(&data, &bytes))
            .await
            .map_err(|err| io(&themes_dir(data_dir))(std::io::Error::other(err)))??;
        tracing::info!(theme = installed, "unpacked a theme another node uploaded");
        mark(data_dir, &installed, &sha256)
    }

    /// A stamp of what the active theme is: its name, the archive it came from and its custom
    /// setting values, so a server can tell when another node activated, re-uploaded or
    /// configured it.
    pub async fn active_theme_stamp(&self) -> Result<String, ThemeInstallError> {
        let Some(name) = self.active_theme().await? else {
            return Ok(String::new());
        };
        let mut db = self.store.reader().await.map_err(AppError::from)?;
        let sha = theme_archives::checksums(&mut db)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, sha)| sha)
            .unwrap_or_default();
        drop(db);
        let values = serde_json::Value::Object(self.custom_values(&name).await?);
        Ok(format!("{name}:{sha}:{values}"))
    }
}

impl App {
    /// The archive the theme `name` was uploaded as, if it was uploaded.
    pub(super) async fn stored_archive(
        &self,
        name: &str,
    ) -> Result<Option<Vec<u8>>, ThemeInstallError> {
        let mut db = self.store.reader().await.map_err(AppError::from)?;
        Ok(theme_archives::get(&mut db, name)
            .await
            .map_err(AppError::from)?
            .map(|(bytes, _)| bytes))
    }
}
