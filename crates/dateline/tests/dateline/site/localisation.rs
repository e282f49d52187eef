//! The built-in theme speaks the page's language: an article in Arabic, Sorani Kurdish,
//! Persian or Hebrew gets its furniture ("By", "min read", the newsletter box, the skip link)
//! and its dates in that language, while the rest of an English site stays English.

use dateline_testkit::{TestDb, TestServer, backend_tests, ghost_export};
use serde_json::Value;

backend_tests!(
    an_arabic_article_shows_arabic_strings_and_dates,
    kurdish_and_persian_articles_write_their_own_digits
);

const SITE: &str = "http://localhost:2368";
const SEED: &str = "/pm-sudani-speaks-at-nato-hq-says-iraq-reliable-strategic-partner/";

/// The fixture site with some stories' language changed.
async fn site_with_languages(db: &TestDb, languages: &[(&str, &str)]) -> TestServer {
    let mut root: Value = serde_json::from_slice(&ghost_export()).unwrap();
    for post in root["db"][0]["data"]["posts"].as_array_mut().unwrap() {
        if let Some((_, language)) = languages.iter().find(|(slug, _)| post["slug"] == *slug) {
            post["locale"] = (*language).into();
        }
    }
    let app = db.app().await;
    app.import_ghost(&serde_json::to_vec(&root).unwrap(), &|_, _| {})
        .await
        .unwrap();
    TestServer::start_as(app, Some(SITE)).await
}

async fn page(server: &TestServer, path: &str) -> String {
    let res = server.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

async fn an_arabic_article_shows_arabic_strings_and_dates(db: TestDb) {
    let seed = SEED.trim_matches('/');
    let server = site_with_languages(&db, &[(seed, "ar")]).await;
    let html = page(&server, SEED).await;
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    for expected in [
        r##"<a class="skip-link" href="#main">انتقل إلى المحتوى</a>"##,
        r#"<p class="byline__authors">بقلم <a href="/author/the-new-region/" rel="author">The New Region</a></p>"#,
        r#"<time datetime="2025-09-08T13:30:00+03:00">8 سبتمبر 2025</time> <span aria-hidden="true">•</span> وقت القراءة: 2 د</p>"#,
        r#"<p class="newsletter__text">احصل على آخر الأخبار في بريدك الإلكتروني.</p>"#,
        r#"<button class="button" type="submit">اشترك</button>"#,
        r#"<section class="newsletter wrap" aria-labelledby="newsletter-title" lang="ar" dir="rtl">"#,
        r#"<h2 id="related-title" class="block-title">المزيد من News</h2>"#,
        r#"alt="الصورة الشخصية لـThe New Region""#,
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    for english in [
        "Skip to content",
        "min read",
        "Subscribe",
        "Get the latest updates",
        ">By ",
    ] {
        assert!(!html.contains(english), "still English: {english}");
    }
    // The rest of the English site is untouched.
    let home = page(&server, "/").await;
    assert!(home.contains(r##"<a class="skip-link" href="#main">Skip to content</a>"##));
    let other = page(&server, "/heatwave-strains-iraqs-electricity-grid/").await;
    assert!(
        other.contains("Sep 3, 2025"),
        "English dates on English stories"
    );
    assert!(other.contains("min read"));
}

async fn kurdish_and_persian_articles_write_their_own_digits(db: TestDb) {
    let server = site_with_languages(
        &db,
        &[
            ("heatwave-strains-iraqs-electricity-grid", "ckb"),
            (
                "erbil-book-fair-opens-with-record-number-of-publishers",
                "fa-IR",
            ),
            ("baghdad-and-erbil-agree-on-oil-export-restart", "he"),
        ],
    )
    .await;
    let kurdish = page(&server, "/heatwave-strains-iraqs-electricity-grid/").await;
    assert!(kurdish.contains(r#"<html lang="ckb" dir="rtl">"#));
    assert!(
        kurdish.contains(">٣ ئەیلوول ٢٠٢٥</time>"),
        "Sorani month, Eastern Arabic digits"
    );
    assert!(kurdish.contains("بازدان بۆ ناوەڕۆک"));
    assert!(kurdish.contains(">بەشداربوون</button>"));

    let persian = page(
        &server,
        "/erbil-book-fair-opens-with-record-number-of-publishers/",
    )
    .await;
    assert!(persian.contains(">۴ سپتامبر ۲۰۲۵</time>"), "Persian digits");
    assert!(persian.contains("رفتن به محتوا"));
    assert!(
        persian.contains("</span> خواندن در ۱ دقیقه</p>"),
        "Persian reading time"
    );

    let hebrew = page(&server, "/baghdad-and-erbil-agree-on-oil-export-restart/").await;
    assert!(hebrew.contains(r#"<html lang="he" dir="rtl">"#));
    assert!(hebrew.contains(">2 ספט׳ 2025</time>"));
    assert!(hebrew.contains(">הרשמה</button>"));
}
