//! `/admin/members/{id}/`: the newsletters a member was sent, from the send queue, with what
//! the mail server said.

use std::time::Duration;

use dateline_app::mailing::MailSetup;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_testkit::{SmtpSink, TestDb, backend_tests};

use super::tags::text;
use super::{Admin, Browser, OWNER_EMAIL, PASSWORD};
use crate::members::{start_worker, wait_until_finished};

backend_tests!(a_members_page_lists_the_newsletters_sent_to_them);

async fn member_page(admin: &Admin, browser: &Browser, id: &str) -> String {
    let res = admin
        .get(&format!("/admin/members/{id}/"), Some(&browser.cookie))
        .await;
    assert_eq!(res.status(), 200);
    text(res).await
}

/// The history section, with the times (which depend on the clock) masked.
fn history(page: &str) -> String {
    let start = page
        .find(r#"<section class="card member-deliveries""#)
        .unwrap();
    let end = start + page[start..].find("</section>").unwrap() + "</section>".len();
    page[start..end]
        .lines()
        .map(|line| {
            let cell = line.trim();
            let inner = cell
                .strip_prefix("<td>")
                .and_then(|c| c.strip_suffix("</td>"));
            let is_time =
                inner.is_some_and(|c| !c.contains('<') && c.contains(", ") && c.contains(':'));
            if is_time {
                "        <td>[time]</td>"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn a_members_page_lists_the_newsletters_sent_to_them(db: TestDb) {
    let sink = SmtpSink::start().await;
    let mut mail = MailSetup::smtp(&sink.url()).unwrap();
    mail.delivery.idle_poll = Duration::from_millis(100);
    let admin = Admin::with_mail(&db, mail).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let reader = admin
        .app
        .add_member("reader@example.com", None)
        .await
        .unwrap();
    let bouncer = admin
        .app
        .add_member("bounce@example.com", None)
        .await
        .unwrap();

    let page = member_page(&admin, &owner, reader.id.as_str()).await;
    assert!(
        page.contains("No newsletter has been sent to this member yet."),
        "{page}"
    );

    let desk = {
        let mut db = admin.app.store.reader().await.unwrap();
        dateline_store::users::by_email(&mut db, OWNER_EMAIL)
            .await
            .unwrap()
            .unwrap()
    };
    let mut post = Post::draft(
        PostType::Post,
        "Budget passes",
        "",
        dateline_core::time::now(),
    );
    post.markdown = Some("The vote was close.".into());
    post.status = PostStatus::Published;
    let post = admin
        .app
        .save_post(post, &desk)
        .await
        .unwrap()
        .id
        .to_string();
    let send = admin
        .app
        .send_post_to_newsletter("https://news.example", &post, "daily-briefing")
        .await
        .unwrap();

    // Queued until a worker takes it.
    let page = member_page(&admin, &owner, reader.id.as_str()).await;
    assert!(page.contains("status-delivery-queued"), "{page}");

    let stop = start_worker(&admin.app);
    let progress = wait_until_finished(&admin.app, send.as_str(), Duration::from_secs(30)).await;
    let _ = stop.send(());
    assert_eq!((progress.sent, progress.failed), (1, 1), "{progress:?}");

    let sent =
        history(&member_page(&admin, &owner, reader.id.as_str()).await).replace(&post, "[post]");
    insta::assert_snapshot!("member_history_sent", sent);
    // A bounce shows the server's reply, which says why.
    let bounced =
        history(&member_page(&admin, &owner, bouncer.id.as_str()).await).replace(&post, "[post]");
    assert!(bounced.contains("status-delivery-bounced"), "{bounced}");
    assert!(bounced.contains("550"), "{bounced}");
    insta::assert_snapshot!("member_history_bounced", bounced);
}
