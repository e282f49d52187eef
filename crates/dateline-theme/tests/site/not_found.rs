//! Any unknown URL: the 404 page.

use dateline_theme::PageView;

use crate::fixture::{fixture, render};

fn not_found() -> String {
    render(&PageView::NotFound {
        site: fixture().site_view(),
        past_last_page: false,
    })
}

#[test]
fn snapshot() {
    insta::assert_snapshot!("not_found", not_found());
}

#[test]
fn says_not_found_and_stays_out_of_search() {
    let html = not_found();
    assert!(html.contains("<title>Page not found - The New Region</title>"));
    assert!(html.contains(r#"<h1 class="error-page__title">Page not found</h1>"#));
    assert!(html.contains(r#"<p class="error-page__code">404</p>"#));
    assert!(
        html.contains(
            r#"<a class="button" href="http://localhost:2368/">Go to the front page</a>"#
        )
    );
    assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(!html.contains("rel=\"canonical\""));
    assert!(!html.contains("<script"));
    assert!(
        html.contains(r#"<body class="">"#),
        "no context, no class, as in Ghost"
    );
}
