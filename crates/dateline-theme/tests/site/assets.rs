//! `/assets/…`: the theme's stylesheet, and the limits it keeps.

use crate::fixture::theme;

fn css() -> String {
    let asset = theme()
        .asset("/assets/css/screen.css")
        .expect("the theme has a stylesheet");
    assert_eq!(asset.content_type, "text/css; charset=utf-8");
    assert_eq!(asset.version.len(), 10);
    String::from_utf8(asset.bytes.to_vec()).unwrap()
}

#[test]
fn stylesheet_stays_under_40_kb() {
    let size = css().len();
    assert!(size < 40 * 1024, "screen.css is {size} bytes");
}

#[test]
fn stylesheet_covers_dark_mode_print_and_focus_with_system_fonts_only() {
    let css = css();
    for required in [
        "@media (prefers-color-scheme: dark)",
        "@media print",
        ":focus-visible",
        "system-ui",
        ".kg-width-wide",
        ".kg-width-full",
        ".kg-image-card",
        ".dateline",
    ] {
        assert!(css.contains(required), "missing {required}");
    }
    assert!(!css.contains("@font-face"), "no web fonts");
    assert!(!css.contains("url("), "no external resources");
    for physical in [
        "margin-left",
        "margin-right",
        "padding-left",
        "padding-right",
        "border-left",
        "border-right",
        "float: left",
        "float: right",
    ] {
        assert!(
            !css.contains(physical),
            "{physical} does not mirror in right-to-left pages"
        );
    }
}

#[test]
fn unknown_assets_are_absent() {
    assert!(theme().asset("css/missing.css").is_none());
    assert!(theme().asset("../package.json").is_none());
    assert_eq!(theme().posts_per_page(), 12);
    assert_eq!(theme().name(), "dateline");
}
