//! The stories list: search, filters by status, section and author, order and pages.

use dateline_app::admin::Actor;
use dateline_app::admin::posts::{AuthorRef, BodyInput, PostInput, TagRef};
use dateline_core::post::{PostStatus, PostType};
use dateline_core::role::Role;
use dateline_core::user::User;
use dateline_testkit::{TestDb, backend_tests};
use jiff::{SignedDuration, Timestamp};

use super::{Admin, Browser, OWNER_EMAIL, PASSWORD};
use crate::admin_api::add_staff;

backend_tests!(stories_are_searched_filtered_sorted_and_paged);

async fn story(
    admin: &Admin,
    owner: &User,
    title: &str,
    status: PostStatus,
    section: &str,
    author: &User,
    published_at: Option<Timestamp>,
) {
    let input = PostInput {
        title: Some(title.to_owned()),
        body: Some(BodyInput::Markdown("Text.".to_owned())),
        status: Some(status),
        published_at: Some(published_at),
        tags: Some(vec![TagRef {
            name: Some(section.to_owned()),
            ..TagRef::default()
        }]),
        authors: Some(vec![AuthorRef {
            id: Some(author.id.to_string()),
            ..AuthorRef::default()
        }]),
        ..PostInput::default()
    };
    admin
        .app
        .add_post(
            &Actor::Staff(Box::new(owner.clone())),
            PostType::Post,
            input,
        )
        .await
        .unwrap();
}

async fn list(admin: &Admin, browser: &Browser, query: &str) -> String {
    let res = admin
        .get(&format!("/admin/posts/{query}"), Some(&browser.cookie))
        .await;
    assert_eq!(res.status(), 200, "{query}");
    // Attribute values come entity-escaped; the checks below read them as a browser does.
    res.text()
        .await
        .unwrap()
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The titles a page lists, in order.
fn titles(html: &str) -> Vec<String> {
    html.split(r#"class="story-title""#)
        .skip(1)
        .map(|rest| {
            let from = rest.find('>').unwrap() + 1;
            let to = rest.find("</a>").unwrap();
            rest[from..to].to_owned()
        })
        .collect()
}

async fn stories_are_searched_filtered_sorted_and_paged(db: TestDb) {
    let admin = Admin::new(&db).await;
    let owner =
        dateline_store::users::by_email(&mut admin.app.store.reader().await.unwrap(), OWNER_EMAIL)
            .await
            .unwrap()
            .unwrap();
    let lana = add_staff(&admin.app, "Lana Aziz", Role::Author).await;
    let now = dateline_core::time::now();
    let hour = SignedDuration::from_hours(1);
    story(
        &admin,
        &owner,
        "Budget vote delayed",
        PostStatus::Draft,
        "Politics",
        &lana,
        None,
    )
    .await;
    story(
        &admin,
        &owner,
        "O'Brien visits Erbil",
        PostStatus::Published,
        "Politics",
        &owner,
        Some(now - hour),
    )
    .await;
    story(
        &admin,
        &owner,
        "Oil exports resume",
        PostStatus::Scheduled,
        "Economy",
        &lana,
        Some(now + hour * 24),
    )
    .await;
    story(
        &admin,
        &owner,
        "Market report",
        PostStatus::Published,
        "Economy",
        &owner,
        Some(now - hour * 3),
    )
    .await;
    let browser = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    let all = list(&admin, &browser, "").await;
    assert_eq!(titles(&all).len(), 4);
    assert!(
        all.contains("Scheduled for"),
        "a scheduled row shows its time"
    );
    assert!(all.contains(r#"class="status status-draft""#));
    assert!(all.contains("Lana Aziz"));

    assert_eq!(
        titles(&list(&admin, &browser, "?status=draft").await),
        ["Budget vote delayed"]
    );
    assert_eq!(
        titles(&list(&admin, &browser, "?status=scheduled").await),
        ["Oil exports resume"]
    );
    let mut published = titles(&list(&admin, &browser, "?status=published&sort=published").await);
    assert_eq!(published, ["O'Brien visits Erbil", "Market report"]);
    published = titles(&list(&admin, &browser, "?status=published&sort=title").await);
    assert_eq!(published, ["Market report", "O'Brien visits Erbil"]);
    let mut economy = titles(&list(&admin, &browser, "?section=economy&sort=title").await);
    economy.sort();
    assert_eq!(economy, ["Market report", "Oil exports resume"]);
    let mut by_lana = titles(&list(&admin, &browser, "?author=lana-aziz").await);
    by_lana.sort();
    assert_eq!(by_lana, ["Budget vote delayed", "Oil exports resume"]);
    assert_eq!(
        titles(&list(&admin, &browser, "?q=o%27brien").await),
        ["O'Brien visits Erbil"]
    );
    assert_eq!(
        titles(
            &list(
                &admin,
                &browser,
                "?q=vote&section=politics&status=draft&author=lana-aziz"
            )
            .await
        ),
        ["Budget vote delayed"]
    );
    assert!(titles(&list(&admin, &browser, "?q=nothing+like+this").await).is_empty());

    // Paging keeps the filters in its links.
    for i in 0..dateline_http::admin_ui::stories::PER_PAGE {
        story(
            &admin,
            &owner,
            &format!("Brief {i}"),
            PostStatus::Draft,
            "Politics",
            &lana,
            None,
        )
        .await;
    }
    let first = list(&admin, &browser, "?status=draft").await;
    assert_eq!(titles(&first).len(), 20);
    assert!(first.contains("Page 1 of 2"));
    assert!(
        first.contains(r#"href="/admin/posts/?status=draft&page=2""#),
        "{first}"
    );
    let second = list(&admin, &browser, "?status=draft&page=2").await;
    assert_eq!(titles(&second).len(), 1);
}
