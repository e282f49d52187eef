//! `/{slug}/` for a static page.

use dateline_theme::PageView;

use crate::fixture::{element, fixture, json_ld, render, text_of};

fn about() -> PageView {
    let f = fixture();
    PageView::Page {
        site: f.site_view(),
        page: f.view(f.post("about")),
    }
}

#[test]
fn snapshot() {
    insta::assert_snapshot!("page_about", render(&about()));
}

#[test]
fn title_body_and_no_article_furniture() {
    let html = render(&about());
    assert!(html.contains("<title>About</title>"));
    assert!(html.contains(r#"<body class="page-template page-about">"#));
    assert_eq!(text_of(element(&html, r#"class="article-title""#)), "About");
    assert!(element(&html, r#"class="article-body"#).contains("The New Region is a news outlet"));
    for absent in ["byline", "newsletter", "related", "author-card", "dateline"] {
        assert!(
            !html.contains(&format!("class=\"{absent}")),
            "{absent} on a page"
        );
    }
    assert!(html.contains(r#"<li class="nav-about nav-current"><a href="http://localhost:2368/about/" aria-current="page">About</a></li>"#));
    assert_eq!(json_ld(&html)["@type"], "WebPage");
}

#[test]
fn hidden_title_stays_for_screen_readers() {
    let f = fixture();
    let mut post = f.post("about").clone();
    post.show_title_and_feature_image = false;
    let html = render(&PageView::Page {
        site: f.site_view(),
        page: f.view(&post),
    });
    assert!(html.contains(r#"<h1 class="visually-hidden">About</h1>"#));
    assert!(!html.contains(r#"class="article-title""#));
}
