//! The site's `routes.yaml`. It is stored in the database (the `routes_yaml` setting, in
//! Ghost's hidden `core` group), so every node sharing a database routes by the same file and
//! an upload reaches them all with the change notice that follows it. Ghost keeps the file at
//! `content/settings/routes.yaml`; a file found at `<data>/settings/routes.yaml` is taken in
//! once, when the site has none stored, so a newsroom moving from Ghost keeps its routing. A
//! site with neither has Ghost's default. Only a file that passes [`RoutesFile::parse`] and
//! whose filters select posts is ever stored, so a server reading it finds it good.

use std::path::{Path, PathBuf};

use dateline_core::role::Role;
use dateline_core::routes::{DEFAULT_YAML, RoutesError, RoutesFile, SETTING_KEY};
use dateline_core::settings::Setting;
use dateline_store::settings;

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

/// `<data>/settings/routes.yaml`, where Ghost keeps the file.
pub fn routes_path(data_dir: &Path) -> PathBuf {
    data_dir.join("settings").join("routes.yaml")
}

/// The file on disk, if there is one.
async fn file_text(data_dir: &Path) -> Result<Option<String>, RoutesYamlError> {
    let path = routes_path(data_dir);
    match tokio::fs::read_to_string(&path).await {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
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
    /// The routing in force: the stored file, else one on disk not yet taken in, else Ghost's
    /// default.
    pub async fn routes_text(&self, data_dir: &Path) -> Result<String, RoutesYamlError> {
        let settings = self.settings().await?;
        if let Some(text) = settings.get(SETTING_KEY) {
            return Ok(text.to_owned());
        }
        Ok(file_text(data_dir)
            .await?
            .unwrap_or_else(|| DEFAULT_YAML.to_owned()))
    }

    /// Takes in `<data>/settings/routes.yaml` when the database holds no routes yet (a site
    /// moved from Ghost, or from an older Dateline that kept the file on disk). A file that no
    /// longer passes the checks is left alone, with a warning, and the site keeps the default.
    pub async fn import_routes_file(&self, data_dir: &Path) -> Result<(), RoutesYamlError> {
        if self.settings().await?.get(SETTING_KEY).is_some() {
            return Ok(());
        }
        let Some(text) = file_text(data_dir).await? else {
            return Ok(());
        };
        match self.upload_routes(&text).await {
            Ok(_) => {
                tracing::info!(path = %routes_path(data_dir).display(), "took in routes.yaml");
                Ok(())
            }
            Err(RoutesYamlError::Invalid(err)) => {
                tracing::warn!(%err, "routes.yaml on disk was not taken in");
                Ok(())
            }
            Err(err) => Err(err),
        }
    }

    /// Checks `text` and stores it as the site's routing, then announces the change: this
    /// node's cached pages go stale at once, and other nodes' when the notice reaches them.
    pub async fn upload_routes(&self, text: &str) -> Result<RoutesFile, RoutesYamlError> {
        let routes = RoutesFile::parse(text)?;
        check_filters(&routes, text)?;
        let setting = Setting {
            key: SETTING_KEY.to_owned(),
            value: Some(text.to_owned()),
            group: "core".to_owned(),
            value_type: "string".to_owned(),
            flags: None,
        };
        let mut tx = self.store.begin().await.map_err(AppError::from)?;
        settings::upsert(&mut tx, &setting, dateline_core::time::now())
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        self.events.emit(ContentChanged::Everything);
        Ok(routes)
    }

    /// The Admin API's upload: administrators and integrations only, as in Ghost.
    pub async fn staff_upload_routes(
        &self,
        actor: &Actor,
        text: &str,
    ) -> Result<RoutesFile, RoutesYamlError> {
        actor.require(Role::Administrator)?;
        self.upload_routes(text).await
    }

    /// The Admin API's download.
    pub async fn staff_routes_text(
        &self,
        actor: &Actor,
        data_dir: &Path,
    ) -> Result<String, RoutesYamlError> {
        actor.require(Role::Administrator)?;
        self.routes_text(data_dir).await
    }
}
