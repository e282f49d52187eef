//! Dateline's search box: what opens when a reader presses a Ghost theme's search button
//! (`data-ghost-search`, or `{{search}}`). Ghost's `{{ghost_head}}` loads its search UI from a
//! CDN; Dateline sites send no request elsewhere, so `{{ghost_head}}` links this script,
//! served by the site itself, when the theme has such a button. It looks stories up in the
//! site's own Content API with the frontend key, as Ghost's search does.

use std::fmt::Write;

use crate::engine::Asset;
use crate::html::escape_into;

/// Where the site serves the script.
pub const SEARCH_SCRIPT_PATH: &str = "/public/search.js";

/// What in a template is a search button: the attribute, or `{{search}}`, which prints one.
pub(crate) const MARKERS: &[&str] = &["data-ghost-search", "{{search}}", "{{ search }}"];

const SCRIPT: &[u8] = include_bytes!("site_search/search.js");

/// The script, with the version its URL carries (so it may be cached for a year).
pub fn search_script() -> Asset<'static> {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    crate::engine::embedded_script(SCRIPT, &VERSION)
}

/// The `<script>` tag `{{ghost_head}}` prints: the Content API's address and key ride on it,
/// as they do on Ghost's own search script.
pub(crate) fn script_tag(api_url: &str, key: &str) -> String {
    let mut tag = format!(
        "    <script defer src=\"{SEARCH_SCRIPT_PATH}?v={}\" data-api=\"",
        search_script().version
    );
    escape_into(&mut tag, api_url);
    tag.push_str("\" data-key=\"");
    escape_into(&mut tag, key);
    let _ = writeln!(tag, "\"></script>");
    tag
}
