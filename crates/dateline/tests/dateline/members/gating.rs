//! Members on the public site: `@member`, each story's `access`, the paywall card's preview,
//! the `content-cta` partial, and a page cache that never hands one reader's page to another.
//! Readers sign in through the magic link in a real email, as on a live site.

use std::path::Path;
use std::time::Duration;

use dateline_app::App;
use dateline_app::editorial::SaveOptions;
use dateline_app::mailing::MailSetup;
use dateline_core::post::{Post, PostStatus, PostType, Visibility};
use dateline_testkit::{SmtpSink, TestDb, TestServer, backend_tests, ghost_export};
use serde_json::{Value, json};

use crate::themes::cli::write_theme;
use crate::themes::{ghost_themes, serve_with_theme};

backend_tests!(
    access_follows_visibility_and_the_member,
    the_page_cache_keeps_members_and_anonymous_readers_apart,
    feeds_and_the_content_api_serve_the_preview,
    the_builtin_theme_asks_for_a_subscription,
    ghost_themes_show_their_call_to_action
);

const MEMBERS_STORY: &str = "<p>Before the wall.</p><!--members-only--><p>Members secret.</p>";
const PAID_STORY: &str = "<p>Paid secret.</p>";
const PAID_WITH_PREVIEW: &str = "<p>Paid opening.</p><!--members-only--><p>Paid detail.</p>";

/// A theme that prints what gating decides: who `@member` is, `access`, and `{{content}}`
/// (with no `content-cta` of its own, so Dateline's default stands in, as Ghost's does).
const THEME: &[(&str, &str)] = &[
    (
        "package.json",
        r#"{"name": "gating", "version": "1.0.0", "config": {"posts_per_page": 5}}"#,
    ),
    (
        "default.hbs",
        "<!DOCTYPE html><html><head>{{ghost_head}}</head><body>{{{body}}}</body></html>",
    ),
    (
        "index.hbs",
        "{{!< default}}{{#foreach posts}}{{slug}} {{/foreach}}",
    ),
    (
        "post.hbs",
        "{{!< default}}{{#if @member}}<p class=\"member\">{{@member.firstname}}|{{@member.email}}|\
         {{@member.status}}|{{@member.paid}}|{{@member.uuid}}</p>{{else}}<p class=\"member\">\
         anonymous</p>{{/if}}{{#post}}<p class=\"access\">{{access}}</p>\
         <p class=\"excerpt\">{{excerpt}}</p><div class=\"body\">{{content}}</div>{{/post}}",
    ),
];

struct Site {
    app: App,
    server: TestServer,
    sink: SmtpSink,
    client: reqwest::Client,
}

/// The Ghost fixture site with three closed stories, the given theme (or the built-in one),
/// and mail going to a local SMTP sink.
async fn site(db: &TestDb, theme: Option<&Path>) -> Site {
    let sink = SmtpSink::start().await;
    let app = db
        .app()
        .await
        .with_mail(MailSetup::smtp(&sink.url()).unwrap());
    let server = match theme {
        Some(theme) => serve_with_theme(app.clone(), theme).await,
        None => {
            app.import_ghost(&ghost_export(), &|_, _| {}).await.unwrap();
            TestServer::start_as(app.clone(), Some("http://localhost:2368")).await
        }
    };
    let editor = app
        .sign_in("editor@example.com", "EditorialDesk!2025pw")
        .await
        .unwrap();
    for (slug, visibility, html, custom_excerpt) in [
        ("members-story", Visibility::Members, MEMBERS_STORY, None),
        (
            "paid-story",
            Visibility::Paid,
            PAID_STORY,
            Some("Paid teaser"),
        ),
        ("paid-preview", Visibility::Paid, PAID_WITH_PREVIEW, None),
    ] {
        let mut post = Post::draft(PostType::Post, slug, slug, dateline_core::time::now());
        post.status = PostStatus::Published;
        post.visibility = visibility;
        post.custom_excerpt = custom_excerpt.map(str::to_owned);
        let options = SaveOptions {
            html: Some(html.to_owned()),
            ..Default::default()
        };
        app.save_post_with(post, &editor, options).await.unwrap();
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Site {
        app,
        server,
        sink,
        client,
    }
}

impl Site {
    /// Signs `email` up through the magic link and returns the session cookie; `status` other
    /// than `free` is then set as staff would (a comped or paying member).
    async fn member(&self, email: &str, name: &str, status: &str) -> String {
        let res = self
            .client
            .post(format!("{}/members/api/send-magic-link/", self.server.url))
            .json(&json!({"email": email, "name": name, "emailType": "signup"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let link = loop {
            let mails = self.sink.wait_for(1, Duration::from_secs(10)).await;
            if let Some(mail) = mails.iter().find(|m| m.rcpt_to == [email]) {
                break mail.link_containing("/members/?token=").unwrap();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let path = &link[link.find("/members/?token=").unwrap()..];
        let res = self
            .client
            .get(format!("{}{path}", self.server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let cookie = res.headers()["set-cookie"].to_str().unwrap();
        let session = cookie.split(';').next().unwrap().to_owned();
        if status != "free" {
            let mut tx = self.app.store.begin().await.unwrap();
            let mut member = dateline_store::members::by_email(&mut tx, email)
                .await
                .unwrap()
                .unwrap();
            member.status = status.to_owned();
            assert!(
                dateline_store::members::update(&mut tx, &member)
                    .await
                    .unwrap()
            );
            tx.commit().await.unwrap();
        }
        session
    }

    /// `path` as the reader with `session` (or nobody) sees it: status, `Cache-Control`, body.
    async fn page(&self, path: &str, session: Option<&str>) -> (u16, String, String) {
        let mut request = self.client.get(format!("{}{path}", self.server.url));
        if let Some(session) = session {
            request = request.header("cookie", session);
        }
        let res = request.send().await.unwrap();
        let status = res.status().as_u16();
        let cache = res
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, cache, res.text().await.unwrap())
    }
}

/// The text of the first `<{tag} class="{class}">` in `html`.
fn element<'a>(html: &'a str, tag: &str, class: &str) -> &'a str {
    let open = format!("<{tag} class=\"{class}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no {open} in {html}"))
        + open.len();
    let end = start + html[start..].find(&format!("</{tag}>")).unwrap();
    html[start..end].trim()
}

async fn access_follows_visibility_and_the_member(db: TestDb) {
    let theme = tempfile::tempdir().unwrap();
    write_theme(theme.path(), THEME);
    let site = site(&db, Some(theme.path())).await;
    let free = site.member("free@example.com", "Nour Ali", "free").await;
    let paid = site.member("paid@example.com", "Karwan Aziz", "paid").await;
    let comped = site.member("comped@example.com", "Sara", "comped").await;

    // Anonymous: every closed story is its preview and the call to action.
    let (status, _, html) = site.page("/members-story/", None).await;
    assert_eq!(status, 200);
    assert_eq!(element(&html, "p", "member"), "anonymous");
    assert_eq!(element(&html, "p", "access"), "false");
    assert!(html.contains("<p>Before the wall.</p>"), "{html}");
    assert!(!html.contains("Members secret"), "{html}");
    assert!(html.contains("This post is for subscribers only"), "{html}");
    // Ghost's call to action: a Portal sign-up link, which the members script opens.
    assert!(
        html.contains(r##"<a class="gh-btn" data-portal="signup" href="#/portal/signup""##),
        "{html}"
    );
    assert!(html.contains("/public/members.js?v="), "{html}");
    assert_eq!(element(&html, "p", "excerpt"), "Before the wall.");

    let (_, _, html) = site.page("/paid-story/", None).await;
    assert_eq!(element(&html, "p", "access"), "false");
    assert!(!html.contains("Paid secret"), "{html}");
    assert!(
        html.contains("This post is for paying subscribers only"),
        "{html}"
    );

    // A free member reads members-only stories, not paid ones.
    let (_, cache, html) = site.page("/members-story/", Some(&free)).await;
    assert!(cache.starts_with("private"), "{cache}");
    let who = element(&html, "p", "member");
    assert!(
        who.starts_with("Nour|free@example.com|free|false|"),
        "{who}"
    );
    assert_eq!(element(&html, "p", "access"), "true");
    assert!(html.contains("Members secret"), "{html}");
    assert!(!html.contains("gh-post-upgrade-cta"), "{html}");

    let (_, _, html) = site.page("/paid-story/", Some(&free)).await;
    assert_eq!(element(&html, "p", "access"), "false");
    assert!(!html.contains("Paid secret"), "{html}");
    // Without a paywall card nothing of the body is left; the custom excerpt is public, and
    // `{{excerpt}}` prefers it, as in Ghost.
    assert_eq!(element(&html, "p", "excerpt"), "Paid teaser");
    assert!(
        !html.contains("members/api/subscribe"),
        "a member is not asked to sign up again: {html}"
    );
    let (_, _, html) = site.page("/paid-preview/", Some(&free)).await;
    assert!(html.contains("<p>Paid opening.</p>"), "{html}");
    assert!(!html.contains("Paid detail"), "{html}");

    // Paying and comped members read everything.
    for (session, who) in [
        (&paid, "Karwan|paid@example.com|paid|true|"),
        (&comped, "Sara|comped@example.com|comped|true|"),
    ] {
        for (path, secret) in [
            ("/members-story/", "Members secret"),
            ("/paid-story/", "Paid secret"),
            ("/paid-preview/", "Paid detail"),
        ] {
            let (_, _, html) = site.page(path, Some(session)).await;
            assert!(element(&html, "p", "member").starts_with(who), "{html}");
            assert_eq!(element(&html, "p", "access"), "true", "{path}");
            assert!(html.contains(secret), "{path}: {html}");
        }
    }

    // A cookie that signs nobody in is an anonymous reader, served the shared cached page: a
    // made-up cookie cannot force a fresh render.
    let (_, cache, html) = site
        .page("/members-story/", Some("ghost-members-ssr=not-a-session"))
        .await;
    assert!(cache.starts_with("public"), "{cache}");
    assert_eq!(element(&html, "p", "member"), "anonymous");
    assert!(!html.contains("Members secret"), "{html}");
}

async fn the_page_cache_keeps_members_and_anonymous_readers_apart(db: TestDb) {
    let theme = tempfile::tempdir().unwrap();
    write_theme(theme.path(), THEME);
    let site = site(&db, Some(theme.path())).await;
    let free = site.member("reader@example.com", "Rea Der", "free").await;

    for round in 0..2 {
        let (_, cache, html) = site.page("/members-story/", None).await;
        assert!(cache.starts_with("public"), "round {round}: {cache}");
        assert!(!html.contains("Members secret"), "round {round}: {html}");
        assert_eq!(element(&html, "p", "member"), "anonymous");

        let (_, cache, html) = site.page("/members-story/", Some(&free)).await;
        assert!(
            cache.starts_with("private, no-cache"),
            "round {round}: {cache}"
        );
        assert!(html.contains("Members secret"), "round {round}: {html}");
        assert!(element(&html, "p", "member").starts_with("Rea|"), "{html}");
    }
    // The anonymous page is still the cached one: the member's render did not replace it.
    let (_, _, first) = site.page("/members-story/", None).await;
    let (_, _, second) = site.page("/members-story/", None).await;
    assert_eq!(first, second);
    assert!(!first.contains("reader@example.com"));
}

async fn feeds_and_the_content_api_serve_the_preview(db: TestDb) {
    let site = site(&db, None).await;
    let free = site.member("reader@example.com", "Rea Der", "free").await;

    // Feeds are for no member, whoever asks.
    for session in [None, Some(free.as_str())] {
        let (status, _, rss) = site.page("/rss/", session).await;
        assert_eq!(status, 200);
        assert!(rss.contains("Before the wall."), "{rss}");
        assert!(rss.contains("Paid opening."), "{rss}");
        for secret in ["Members secret", "Paid secret", "Paid detail"] {
            assert!(!rss.contains(secret), "{secret} in {rss}");
        }
    }

    let key = site.app.frontend_content_key().await.unwrap();
    let api = |slug: &str| {
        format!("/ghost/api/content/posts/slug/{slug}/?key={key}&formats=html,plaintext")
    };
    let (status, _, body) = site.page(&api("members-story"), None).await;
    assert_eq!(status, 200, "{body}");
    let post: Value = serde_json::from_str::<Value>(&body).unwrap()["posts"][0].clone();
    assert_eq!(post["access"], false);
    assert_eq!(post["visibility"], "members");
    assert_eq!(post["html"], "<p>Before the wall.</p>");
    assert_eq!(post["plaintext"], "Before the wall.");
    assert_eq!(post["excerpt"], "Before the wall.");
    assert!(post["reading_time"].is_number());

    let (_, _, body) = site.page(&api("paid-story"), None).await;
    let post: Value = serde_json::from_str::<Value>(&body).unwrap()["posts"][0].clone();
    assert_eq!(post["access"], false);
    assert_eq!(post["visibility"], "paid");
    assert_eq!(post["html"], "");
    assert_eq!(post["plaintext"], "");
    assert_eq!(post["excerpt"], "");
    assert_eq!(post["custom_excerpt"], "Paid teaser");

    let (_, _, body) = site
        .page(&api("baghdad-and-erbil-agree-on-oil-export-restart"), None)
        .await;
    let post: Value = serde_json::from_str::<Value>(&body).unwrap()["posts"][0].clone();
    assert_eq!(post["access"], true);
    assert!(post["html"].as_str().unwrap().len() > 100);
}

async fn the_builtin_theme_asks_for_a_subscription(db: TestDb) {
    let site = site(&db, None).await;
    let (status, _, html) = site.page("/members-story/", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("This story is for subscribers"), "{html}");
    assert!(html.contains("<p>Before the wall.</p>"), "{html}");
    assert!(!html.contains("Members secret"), "{html}");
    assert!(
        html.contains("action=\"/members/api/subscribe/\""),
        "{html}"
    );

    let (_, _, html) = site.page("/paid-story/", None).await;
    assert!(
        html.contains("This story is for paying subscribers"),
        "{html}"
    );
    assert!(!html.contains("Paid secret"), "{html}");

    let free = site.member("reader@example.com", "Rea Der", "free").await;
    let (_, _, html) = site.page("/members-story/", Some(&free)).await;
    assert!(html.contains("Members secret"), "{html}");
    assert!(!html.contains("This story is for subscribers"), "{html}");
}

async fn ghost_themes_show_their_call_to_action(db: TestDb) {
    let Some(themes) = ghost_themes() else {
        return;
    };
    // Casper has no `content-cta` of its own: Ghost's (here Dateline's) default stands in.
    let site = site(&db, Some(&themes.join("casper"))).await;
    let (status, _, html) = site.page("/members-story/", None).await;
    assert_eq!(status, 200);
    assert!(html.contains("gh-post-upgrade-cta"), "{html}");
    assert!(html.contains("This post is for subscribers only"), "{html}");
    assert!(html.contains("Before the wall."), "{html}");
    assert!(!html.contains("Members secret"), "{html}");

    let free = site.member("reader@example.com", "Rea Der", "free").await;
    let (_, _, html) = site.page("/members-story/", Some(&free)).await;
    assert!(html.contains("Members secret"), "{html}");
    assert!(!html.contains("gh-post-upgrade-cta"), "{html}");
}
