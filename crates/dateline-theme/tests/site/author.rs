//! `/author/{slug}/`.

use crate::fixture::{element, fixture, json_ld, render, text_of};

#[test]
fn snapshot() {
    insta::assert_snapshot!(
        "author_the_new_region",
        render(&fixture().author_page("the-new-region"))
    );
}

#[test]
fn profile_and_stories() {
    let html = render(&fixture().author_page("the-new-region"));
    assert!(html.contains("<title>The New Region - The New Region</title>"));
    assert!(html.contains(r#"<body class="author-template author-the-new-region">"#));
    let header = element(&html, r#"class="listing-header author-header""#);
    assert!(header.contains(r#"<img class="author-header__image" src="/content/images/size/w160/2026/11/the-new-region.png" alt="Profile picture of The New Region""#));
    assert_eq!(text_of(element(header, "<h1")), "The New Region");
    assert_eq!(
        text_of(element(header, "listing-description")),
        "News from the ground in Iraq and the wider Middle East."
    );
    assert_eq!(html.matches(r#"class="card__title""#).count(), 5);
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "ProfilePage");
    assert_eq!(ld["mainEntity"]["@type"], "Person");
    assert!(html.contains(r#"<meta property="og:type" content="profile">"#));
}
