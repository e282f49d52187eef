//! `/tag/{slug}/` and `/tag/{slug}/page/N/`: the News archive over two pages.

use crate::fixture::{SITE_URL, element, fixture, json_ld, render, text_of};

#[test]
fn snapshot_page_1() {
    insta::assert_snapshot!("tag_news_page_1", render(&fixture().tag_page(1)));
}

#[test]
fn snapshot_page_2() {
    insta::assert_snapshot!("tag_news_page_2", render(&fixture().tag_page(2)));
}

#[test]
fn first_page_links_to_the_second() {
    let html = render(&fixture().tag_page(1));
    assert!(html.contains("<title>News - The New Region</title>"));
    assert!(html.contains(r#"<body class="tag-template tag-news">"#));
    assert_eq!(text_of(element(&html, r#"class="listing-title""#)), "News");
    assert_eq!(html.matches(r#"class="card__title""#).count(), 3);
    assert!(html.contains(&format!(
        r#"<link rel="canonical" href="{SITE_URL}/tag/news/">"#
    )));
    assert!(html.contains(&format!(
        r#"<link rel="next" href="{SITE_URL}/tag/news/page/2/">"#
    )));
    let pagination = element(&html, r#"class="pagination""#);
    assert!(pagination.contains(
        r#"<a class="pagination__link" href="/tag/news/page/2/" rel="next">Older stories</a>"#
    ));
    assert!(!pagination.contains("rel=\"prev\""));
    assert_eq!(
        text_of(element(pagination, "pagination__page")),
        "Page 1 of 2"
    );
    assert_eq!(json_ld(&html)["@type"], "CollectionPage");
}

#[test]
fn second_page_links_back() {
    let html = render(&fixture().tag_page(2));
    assert!(html.contains("<title>News - The New Region (Page 2)</title>"));
    assert!(html.contains(r#"<body class="tag-template tag-news paged">"#));
    assert!(html.contains(&format!(
        r#"<link rel="canonical" href="{SITE_URL}/tag/news/page/2/">"#
    )));
    assert!(html.contains(&format!(r#"<link rel="prev" href="{SITE_URL}/tag/news/">"#)));
    assert!(html.contains(r#"<p class="listing-page">Page 2 of 2</p>"#));
    assert_eq!(html.matches(r#"class="card__title""#).count(), 1);
    let pagination = element(&html, r#"class="pagination""#);
    assert!(
        pagination.contains(
            r#"<a class="pagination__link" href="/tag/news/" rel="prev">Newer stories</a>"#
        )
    );
    assert!(!pagination.contains("rel=\"next\""));
}
