//! Configuration, loaded once: defaults < `<data>/dateline.toml` < `DATELINE_*` environment <
//! flags. Clap resolves flags over the environment; this fills what neither gave from the file,
//! then from the defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cli::{GlobalArgs, ServeArgs};

pub const DEFAULT_BIND: &str = "127.0.0.1:2368";

/// Settings every command needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data folder (database, images, `dateline.toml`).
    pub data: PathBuf,
    pub database_url: String,
    file: FileConfig,
}

/// Settings only `serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub bind: SocketAddr,
    /// The public URL without a trailing slash, when one was configured; otherwise it is
    /// derived from the address actually bound (see [`url_for_bind`]).
    pub url: Option<String>,
    /// The SMTP server's URL; `None` logs mail instead of sending it.
    pub smtp_url: Option<String>,
    /// A private CA's certificate (PEM) that TLS to the SMTP server trusts besides the public
    /// roots, for the server above and for the one the admin's mail settings name.
    pub smtp_ca_file: Option<PathBuf>,
}

/// `<data>/dateline.toml`; every key optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    url: Option<String>,
    smtp_url: Option<String>,
    smtp_ca_file: Option<PathBuf>,
}

impl Config {
    pub fn load(args: &GlobalArgs) -> Result<Config> {
        let data = args.data.clone().unwrap_or_else(|| PathBuf::from("./data"));
        std::fs::create_dir_all(&data)
            .with_context(|| format!("cannot create the data folder {}", data.display()))?;
        let file = read_file(&data.join("dateline.toml"))?;
        let database_url = match args
            .database_url
            .clone()
            .or_else(|| file.database_url.clone())
        {
            Some(url) => url,
            None => format!("sqlite:{}", data.join("dateline.db").display()),
        };
        Ok(Config {
            data,
            database_url,
            file,
        })
    }

    pub fn serve(&self, args: &ServeArgs) -> Result<ServeConfig> {
        let bind_text = args
            .bind
            .clone()
            .or_else(|| self.file.bind.clone())
            .unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind: SocketAddr = bind_text.parse().with_context(|| {
            format!("--bind `{bind_text}` is not an address like 127.0.0.1:2368")
        })?;
        let url = args
            .url
            .clone()
            .or_else(|| self.file.url.clone())
            .map(|url| normalise_url(&url))
            .transpose()?;
        let smtp_url = args
            .smtp_url
            .clone()
            .or_else(|| self.file.smtp_url.clone())
            .filter(|url| !url.trim().is_empty());
        let smtp_ca_file = args
            .smtp_ca_file
            .clone()
            .or_else(|| self.file.smtp_ca_file.clone())
            .filter(|path| !path.as_os_str().is_empty());
        Ok(ServeConfig {
            bind,
            url,
            smtp_url,
            smtp_ca_file,
        })
    }
}

fn read_file(path: &Path) -> Result<FileConfig> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            toml::from_str(&text).with_context(|| format!("cannot read {}", path.display()))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn normalise_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        bail!("--url `{url}` must start with http:// or https://");
    }
    Ok(url.to_owned())
}

/// `http://localhost:PORT` for a wildcard or loopback bind, `http://ADDR` otherwise.
pub fn url_for_bind(bind: SocketAddr) -> String {
    if bind.ip().is_unspecified() || bind.ip().is_loopback() {
        format!("http://localhost:{}", bind.port())
    } else {
        format!("http://{bind}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            url_for_bind("127.0.0.1:2368".parse().unwrap()),
            "http://localhost:2368"
        );
        assert_eq!(
            url_for_bind("0.0.0.0:80".parse().unwrap()),
            "http://localhost:80"
        );
        assert_eq!(
            url_for_bind("10.1.2.3:8080".parse().unwrap()),
            "http://10.1.2.3:8080"
        );
        assert_eq!(
            normalise_url("https://news.example/").unwrap(),
            "https://news.example"
        );
        assert!(normalise_url("news.example").is_err());
    }
}
