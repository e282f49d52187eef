//! An Arabic story on the English site: the page turns right to left.

use dateline_theme::PageView;

use crate::fixture::{SEED, element, fixture, json_ld, render, text_of};

fn arabic_page() -> PageView {
    let f = fixture();
    let mut post = f.post(SEED).clone();
    post.slug = "sudani-nato-ar".to_owned();
    post.language = Some("ar-IQ".to_owned());
    post.title = "السوداني في مقر الناتو: العراق شريك استراتيجي موثوق".to_owned();
    post.custom_excerpt = Some(
        "قال رئيس الوزراء العراقي محمد شياع السوداني إن العراق يتطلع إلى دعم الناتو.".to_owned(),
    );
    post.feature_image_alt = Some("قاعة اجتماعات مجلس شمال الأطلسي".to_owned());
    post.feature_image_caption =
        Some("قاعة مجلس شمال الأطلسي. الصورة: <em>مكتب رئيس الوزراء</em>".to_owned());
    post.dateline = Some("أربيل، إقليم كوردستان".to_owned());
    post.html = Some("<p>ألقى رئيس الوزراء العراقي محمد شياع السوداني يوم الاثنين كلمة أمام مجلس شمال الأطلسي في بروكسل.</p><p>وأكد أن العراق «لم يعد مصدر قلق أمني».</p><pre><code>NATO 2025</code></pre>".to_owned());
    PageView::Post {
        site: f.site_view(),
        post: f.view(&post),
        related: Vec::new(),
    }
}

#[test]
fn snapshot() {
    insta::assert_snapshot!("article_arabic_rtl", render(&arabic_page()));
}

#[test]
fn page_is_right_to_left_in_arabic() {
    let html = render(&arabic_page());
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"ar-IQ\" dir=\"rtl\">"),
        "{}",
        &html[..80]
    );
    assert!(
        html.contains(
            r#"<p><span class="dateline">أربيل، إقليم كوردستان —</span> ألقى رئيس الوزراء"#
        )
    );
    assert_eq!(
        text_of(element(&html, r#"class="article-title""#)),
        "السوداني في مقر الناتو: العراق شريك استراتيجي موثوق"
    );
    assert!(element(&html, "<figcaption").contains("<em>مكتب رئيس الوزراء</em>"));
    let ld = json_ld(&html);
    assert_eq!(ld["inLanguage"], "ar-IQ");
    assert_eq!(ld["dateline"], "أربيل، إقليم كوردستان");
    assert!(
        !html.contains(r#"class="related"#),
        "no related stories given, no block"
    );
}
