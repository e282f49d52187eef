//! Dateline's members script: what makes a Ghost theme's sign-up forms (`data-members-form`)
//! and Portal links (`#/portal/signup`) work, served by the site itself. Ghost loads Portal
//! from a CDN; Dateline sites send no request elsewhere, so `{{ghost_head}}` links this
//! instead when the site has members and the theme has such forms or links (the built-in
//! theme's own form needs no script).

use crate::engine::Asset;

/// Where the site serves the script.
pub const MEMBERS_SCRIPT_PATH: &str = "/public/members.js";

/// What in a template shows it relies on Ghost's members scripts;
/// `{{subscribe_form}}` prints a members form.
pub(crate) const MARKERS: &[&str] = &[
    "data-members-form",
    "#/portal",
    "data-portal",
    "subscribe_form",
];

const SCRIPT: &[u8] = include_bytes!("members/members.js");

/// The script, with the version its URL carries (so it may be cached for a year).
pub fn members_script() -> Asset<'static> {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    crate::engine::embedded_script(SCRIPT, &VERSION)
}

/// The `<script>` tag `{{ghost_head}}` prints.
pub(crate) fn script_tag() -> String {
    format!(
        "    <script defer src=\"{MEMBERS_SCRIPT_PATH}?v={}\"></script>\n",
        members_script().version
    )
}
