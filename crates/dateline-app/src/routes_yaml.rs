//! The site's `routes.yaml`, kept where Ghost keeps it (`content/settings/routes.yaml`, here
//! `<data>/settings/routes.yaml`) so a newsroom can move the file between the two as it is. A
//! site without one has Ghost's default. Only a file that passes [`RoutesFile::parse`] and
//! whose filters select posts is ever written, so a server reading it finds it good.

use std::path::{Path, PathBuf};

use dateline_core::role::Role;
use dateline_core::routes::{DEFAULT_YAML, RoutesError, RoutesFile};

use dateline_store::filter::Resource;

use crate::admin::Actor;
use crate::content::compile_filter;
use crate::{App, AppError, ContentChanged};

#[derive(Debug, thiserror::Error)]
pub enum RoutesYamlError {
    #[error("{0}")]
    App(#[from] AppError),
    /// The file was refused; the error names the line.
    #[error("{0}")]
    Invalid(#[from] RoutesError),
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// `<data>/settings/routes.yaml`.
pub fn routes_path(data_dir: &Path) -> PathBuf {
    data_dir.join("settings").join("routes.yaml")
}

/// The file as uploaded, or Ghost's default when there is none.
pub async fn routes_text(data_dir: &Path) -> Result<String, RoutesYamlError> {
    let path = routes_path(data_dir);
    match tokio::fs::read_to_string(&path).await {
        Ok(text) => Ok(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(DEFAULT_YAML.to_owned()),
        Err(source) => Err(RoutesYamlError::Io {
            action: "read",
            path,
            source,
        }),
    }
}

/// A filter can be valid NQL and still name a field posts do not have; that is found here, at
/// upload, rather than on the first visit to the channel.
fn check_filters(routes: &RoutesFile, text: &str) -> Result<(), RoutesError> {
    let filters = routes
        .routes
        .iter()
        .filter_map(|r| r.channel.as_ref())
        .chain(routes.collections.iter().map(|c| &c.listing))
        .filter_map(|l| l.filter.as_deref());
    for filter in filters {
        if let Err(err) = compile_filter(Some(filter), Resource::Posts, 1) {
            return Err(RoutesError {
                line: text
                    .lines()
                    .position(|line| line.contains(filter))
                    .map(|i| i + 1),
                message: format!("the filter `{filter}` cannot select posts: {err}"),
            });
        }
    }
    Ok(())
}

impl App {
    /// Checks `text` and stores it as the site's routing, then announces the change so no
    /// cached page outlives it.
    pub async fn upload_routes(
        &self,
        data_dir: &Path,
        text: &str,
    ) -> Result<RoutesFile, RoutesYamlError> {
        let routes = RoutesFile::parse(text)?;
        check_filters(&routes, text)?;
        let path = routes_path(data_dir);
        let io = |action, source| RoutesYamlError::Io {
            action,
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| io("create the folder of", e))?;
        }
        // Written beside and renamed over, so a reader never sees half a file.
        let partial = path.with_extension("yaml.partial");
        tokio::fs::write(&partial, text)
            .await
            .map_err(|e| io("write", e))?;
        tokio::fs::rename(&partial, &path)
            .await
            .map_err(|e| io("replace", e))?;
        self.events.emit(ContentChanged::Everything);
        Ok(routes)
    }

    /// The Admin API's upload: administrators and integrations only, as in Ghost.
    pub async fn staff_upload_routes(
        &self,
        actor: &Actor,
        data_dir: &Path,
        text: &str,
    ) -> Result<RoutesFile, RoutesYamlError> {
        actor.require(Role::Administrator)?;
        self.upload_routes(data_dir, text).await
    }

    /// The Admin API's download.
    pub async fn staff_routes_text(
        &self,
        actor: &Actor,
        data_dir: &Path,
    ) -> Result<String, RoutesYamlError> {
        actor.require(Role::Administrator)?;
        routes_text(data_dir).await
    }
}
