//! Every page through a small Ghost-style theme folder instead of the built-in theme: the
//! template hierarchy, layouts, partials, `@custom`, assets and the errors a broken theme gets.

use std::fs;
use std::path::Path;

use dateline_theme::{PageView, Theme, ThemeError};

use crate::fixture::{SEED, fixture};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }
}

const THEME: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "mini", "config": {"posts_per_page": 7, "custom": {
            "color": {"type": "select", "options": ["a", "b"], "default": "b"}}}}"#,
    ),
    (
        "default.hbs",
        "<html lang=\"{{@site.locale}}\"><head><title>{{meta_title}}</title></head><body class=\"{{body_class}}\">{{{body}}}</body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}<ul>{{#foreach posts}}{{> \"post-card\"}}{{/foreach}}</ul>{{pagination}}",
    ),
    (
        "post.hbs",
        "{{!< default}}{{#post}}<h1>{{title}}</h1><p>{{date format=\"D MMMM YYYY\"}}|{{reading_time}}|{{@custom.color}}|{{#is \"post\"}}is-post{{/is}}|{{#foreach tags}}[{{name}}]{{/foreach}}</p>{{get_recent \"posts\" limit=\"3\"}}{{#get \"tags\"}}never{{/get}}{{/post}}",
    ),
    ("custom-wide.hbs", "{{!< default}}WIDE {{post.title}}"),
    ("page-about.hbs", "{{!< default}}ABOUT {{post.title}}"),
    (
        "partials/post-card.hbs",
        "<li>{{> icons/dot}}<a href=\"{{url}}\">{{title}}</a> {{@site.title}}</li>",
    ),
    ("partials/icons/dot.hbs", "•"),
    ("assets/css/style.css", "body{color:red}"),
    ("assets/built/app.js", "console.log(1)"),
    ("node_modules/x/index.hbs", "{{ broken"),
    ("README.md", "not a template"),
];

fn theme_with(extra: &[(&str, &str)], without: &[&str]) -> Result<Theme, ThemeError> {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, &str)> = THEME
        .iter()
        .filter(|(path, _)| !without.contains(path))
        .chain(extra)
        .copied()
        .collect();
    write(dir.path(), &files);
    Theme::from_dir(dir.path())
}

fn mini() -> Theme {
    theme_with(&[], &[]).expect("the theme loads")
}

#[test]
fn reads_package_json_and_assets() {
    let theme = mini();
    assert_eq!(theme.name(), "mini");
    assert_eq!(theme.posts_per_page(), 7);
    assert_eq!(
        theme.asset("css/style.css").unwrap().bytes,
        b"body{color:red}"
    );
    assert_eq!(
        theme.asset("/assets/built/app.js").unwrap().content_type,
        "text/javascript; charset=utf-8"
    );
    assert!(theme.asset("README.md").is_none());
}

#[test]
fn listings_fall_back_to_index_with_partials() {
    let theme = mini();
    let f = fixture();
    let home = theme.render(&f.home_page()).unwrap();
    assert!(home.starts_with(r#"<html lang="en"><head><title>The New Region</title></head><body class="home-template"><ul><li>•<a href="/pm-sudani"#), "{home}");
    assert_eq!(home.matches("<li>•").count(), 8);
    assert!(
        home.contains("</a> The New Region</li>"),
        "@site inside a loop and a partial"
    );
    let tag = theme.render(&f.tag_page(1)).unwrap();
    assert!(tag.contains(r#"<body class="tag-template tag-news"><ul>"#));
    assert!(
        tag.contains(r#"<a class="older-posts" href="/tag/news/page/2/" rel="next">"#),
        "Ghost's default pagination: {tag}"
    );
}

#[test]
fn posts_and_pages_follow_the_hierarchy() {
    let theme = mini();
    let f = fixture();
    let post = theme.render(&f.article_page(f.post(SEED))).unwrap();
    assert!(
        post.contains("<p>8 September 2025|2 min read|b|is-post|[News]</p>"),
        "{post}"
    );
    assert!(!post.contains("never"), "unknown helpers render nothing");

    let mut wide = f.post(SEED).clone();
    wide.custom_template = Some("custom-wide".to_owned());
    assert!(
        theme
            .render(&f.article_page(&wide))
            .unwrap()
            .contains("<body class=\"post-template tag-news\">WIDE PM Sudani")
    );

    let about = PageView::Page {
        site: f.site_view(),
        page: f.view(f.post("about")),
    };
    assert!(theme.render(&about).unwrap().contains("ABOUT About"));
}

#[test]
fn a_theme_without_error_templates_gets_the_engine_error_page() {
    let html = mini()
        .render(&PageView::NotFound {
            site: fixture().site_view(),
            past_last_page: false,
        })
        .unwrap();
    // Ghost's own error page: its title and landmarks.
    assert!(
        html.contains("<title>404 — Page not found</title>"),
        "{html}"
    );
    assert!(
        html.contains(r#"<h1 class="error-code">404</h1>"#),
        "{html}"
    );
    assert!(html.contains(r#"<h2 class="error-description">Page not found</h2>"#));
    assert!(html.contains(r#"<section class="error-content error-404 js-error-container">"#));
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    // A listing's page past its last is worded as Ghost words it.
    let html = mini()
        .render(&PageView::NotFound {
            site: fixture().site_view(),
            past_last_page: true,
        })
        .unwrap();
    assert!(
        html.contains("<title>404 — Page not found.</title>"),
        "{html}"
    );
}

#[test]
fn error_templates_get_ghost_5s_code_beside_the_status_code() {
    let theme = theme_with(
        &[(
            "error.hbs",
            "{{!< default}}<p class=\"error\">{{code}}|{{statusCode}}|{{message}}</p>",
        )],
        &[],
    )
    .unwrap();
    let html = theme
        .render(&PageView::NotFound {
            site: fixture().site_view(),
            past_last_page: false,
        })
        .unwrap();
    assert!(
        html.contains(r#"<p class="error">404|404|Page not found</p>"#),
        "{html}"
    );
}

#[test]
fn search_buttons_link_the_search_box_with_the_frontend_key() {
    let home = |theme: Theme| {
        let mut page = fixture().home_page();
        if let PageView::Home { site, .. } = &mut page {
            site.content_api_key = Some("f1e2d3".into());
        }
        theme.render(&page).unwrap()
    };
    let with_button = theme_with(
        &[
            (
                "default.hbs",
                "<head>{{ghost_head}}</head><body>{{{body}}}</body>",
            ),
            ("index.hbs", "{{!< default}}{{search}}"),
        ],
        &[],
    )
    .unwrap();
    let html = home(with_button);
    assert!(
        html.contains(
            r#"data-api="http://localhost:2368/ghost/api/content/" data-key="f1e2d3"></script>"#
        ),
        "{html}"
    );
    let without = theme_with(
        &[(
            "default.hbs",
            "<head>{{ghost_head}}</head><body>{{{body}}}</body>",
        )],
        &[],
    )
    .unwrap();
    assert!(!home(without).contains("/public/search.js"));
}

#[test]
fn broken_themes_are_refused_at_load() {
    assert!(matches!(
        theme_with(&[], &["post.hbs"]),
        Err(ThemeError::MissingTemplate("post"))
    ));
    match theme_with(&[("tag.hbs", "{{#if}}")], &[]) {
        Err(ThemeError::Template { name, .. }) => assert_eq!(name, "tag.hbs"),
        other => panic!("expected a template error, got {other:?}"),
    }
    assert!(matches!(
        theme_with(&[("package.json", "{not json")], &["package.json"]),
        Err(ThemeError::Package(_))
    ));
    match theme_with(&[("tag.hbs", "{{!< base}}x")], &[]) {
        Err(ThemeError::MissingLayout { template, layout }) => {
            assert_eq!((template.as_str(), layout.as_str()), ("tag", "base"));
        }
        other => panic!("expected a missing layout, got {other:?}"),
    }
}

#[test]
fn a_layout_that_wraps_itself_fails_the_render_not_the_process() {
    let theme = theme_with(
        &[("default.hbs", "{{!< default}}{{{body}}}")],
        &["default.hbs"],
    )
    .unwrap();
    let result = theme.render(&fixture().home_page());
    assert!(
        matches!(result, Err(ThemeError::LayoutLoop(_))),
        "{result:?}"
    );
}
