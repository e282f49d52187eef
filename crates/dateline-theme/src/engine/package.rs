//! A theme's `package.json`: its name, how many posts a listing page shows, and the custom
//! settings whose defaults become `@custom`.

use serde::Deserialize;
use serde_json::{Map, Value as Json};

/// Ghost's listing size for a theme that does not set `config.posts_per_page`.
const GHOST_POSTS_PER_PAGE: u32 = 5;

#[derive(Debug, Default, Deserialize)]
struct PackageJson {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    config: Config,
}

#[derive(Debug, Default, Deserialize)]
struct Config {
    #[serde(default)]
    posts_per_page: Option<u32>,
    #[serde(default)]
    custom: Map<String, Json>,
    #[serde(default)]
    image_sizes: Map<String, Json>,
}

/// What the engine keeps of `package.json`.
#[derive(Debug)]
pub(crate) struct Package {
    pub(crate) name: String,
    pub(crate) posts_per_page: u32,
    /// `@custom`: each custom setting's default (`null` when it has none).
    pub(crate) custom: Json,
    /// `config.image_sizes`: `{"m": {"width": 600}, …}`, which `{{img_url size="m"}}` reads.
    pub(crate) image_sizes: Json,
}

impl Package {
    /// `bytes` of `package.json`, or `None` when the theme has none (Ghost warns; the theme
    /// still runs with defaults).
    pub(crate) fn parse(bytes: Option<&[u8]>) -> Result<Package, serde_json::Error> {
        let package: PackageJson = match bytes {
            Some(bytes) => serde_json::from_slice(bytes)?,
            None => PackageJson::default(),
        };
        let custom = package
            .config
            .custom
            .into_iter()
            .map(|(key, setting)| {
                let default = setting.get("default").cloned().unwrap_or(Json::Null);
                (key, default)
            })
            .collect();
        Ok(Package {
            name: package.name.unwrap_or_else(|| "theme".to_owned()),
            posts_per_page: package
                .config
                .posts_per_page
                .filter(|n| *n > 0)
                .unwrap_or(GHOST_POSTS_PER_PAGE),
            custom: Json::Object(custom),
            image_sizes: Json::Object(package.config.image_sizes),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Package;

    #[test]
    fn reads_posts_per_page_and_custom_defaults() {
        let package = Package::parse(Some(
            br#"{"name":"casper","config":{"posts_per_page":25,"custom":{
                "navigation_layout":{"type":"select","options":["A","B"],"default":"B"},
                "show_author":{"type":"boolean","default":true},
                "logo":{"type":"image"}}}}"#,
        ))
        .unwrap();
        assert_eq!(package.name, "casper");
        assert_eq!(package.posts_per_page, 25);
        assert_eq!(
            package.custom,
            serde_json::json!({"navigation_layout":"B","show_author":true,"logo":null})
        );
    }

    #[test]
    fn a_missing_package_uses_ghost_defaults() {
        let package = Package::parse(None).unwrap();
        assert_eq!(package.posts_per_page, 5);
        assert_eq!(package.custom, serde_json::json!({}));
    }
}
