//! Site settings. Ghost stores settings as a key/value table with a group and a type; we keep
//! that shape (so an import keeps every key, even ones Dateline does not use yet) and read the
//! ones the site needs through typed accessors.

pub mod public;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One stored setting, as in Ghost's `settings` table. `value` is Ghost's text encoding:
/// strings as-is, booleans as `true`/`false`, numbers as digits, arrays and objects as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub key: String,
    pub value: Option<String>,
    pub group: String,
    pub value_type: String,
    pub flags: Option<String>,
}

/// All settings by key, with typed accessors and Dateline's defaults for a new site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings(pub BTreeMap<String, Setting>);

impl Settings {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|s| s.value.as_deref())
    }

    pub fn title(&self) -> &str {
        self.get("title").unwrap_or("Dateline")
    }

    pub fn description(&self) -> &str {
        self.get("description").unwrap_or("")
    }

    /// IANA zone name; dates on the site are shown in it.
    pub fn timezone(&self) -> &str {
        self.get("timezone").unwrap_or("Etc/UTC")
    }

    pub fn locale(&self) -> &str {
        self.get("locale").unwrap_or("en")
    }

    pub fn posts_per_page(&self) -> u32 {
        self.get("posts_per_page")
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(15)
    }

    /// Settings a fresh site starts with: the keys the site reads, grouped as Ghost groups them.
    pub fn defaults(title: &str) -> Vec<Setting> {
        let s = |key: &str, value: &str, group: &str, value_type: &str| Setting {
            key: key.to_owned(),
            value: Some(value.to_owned()),
            group: group.to_owned(),
            value_type: value_type.to_owned(),
            flags: None,
        };
        vec![
            s("title", title, "site", "string"),
            s("description", "", "site", "string"),
            s("logo", "", "site", "string"),
            s("icon", "", "site", "string"),
            s("accent_color", "#15171A", "site", "string"),
            s("locale", "en", "site", "string"),
            s("timezone", "Etc/UTC", "site", "string"),
            s(
                "navigation",
                r#"[{"label":"Home","url":"/"}]"#,
                "site",
                "array",
            ),
            s("secondary_navigation", "[]", "site", "array"),
            s("posts_per_page", "15", "theme", "number"),
            s("active_theme", "dateline", "theme", "string"),
        ]
    }
}
