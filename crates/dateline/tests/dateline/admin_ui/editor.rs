//! The editor's calls: saving (first save, autosave, status changes) with the collision
//! check, roles, the live preview with word count, rich pastes, uploads and the preview page.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Admin, Browser, OWNER_EMAIL, PASSWORD};
use crate::admin_api::{add_staff, error, send};

backend_tests!(
    a_stale_save_is_refused_and_nothing_is_overwritten,
    saves_within_one_second_are_told_apart,
    contributors_save_drafts_but_cannot_publish,
    live_preview_counts_words_and_pastes_become_markdown,
    the_editor_and_preview_pages_show_the_story,
    an_expired_session_answers_401_to_the_script,
);

async fn create(admin: &Admin, browser: &Browser, post: Value) -> (u16, Value) {
    send(
        admin
            .call(Method::POST, "/admin/api/posts/", browser)
            .json(&json!({ "posts": [post] })),
    )
    .await
}

async fn save(admin: &Admin, browser: &Browser, id: &str, post: Value) -> (u16, Value) {
    send(
        admin
            .call(Method::PUT, &format!("/admin/api/posts/{id}/"), browser)
            .json(&json!({ "posts": [post] })),
    )
    .await
}

async fn a_stale_save_is_refused_and_nothing_is_overwritten(db: TestDb) {
    let admin = Admin::new(&db).await;
    let me = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let (status, body) = create(
        &admin,
        &me,
        json!({ "title": "Dam talks", "markdown": "First." }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["posts"][0]["id"].as_str().unwrap().to_owned();
    let seen = body["posts"][0]["updated_at"].clone();
    assert_eq!(body["posts"][0]["status"], "draft");

    // Timestamps are whole seconds: the other tab's save lands in a later one.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let other_tab = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let (status, body) = save(
        &admin,
        &other_tab,
        &id,
        json!({ "title": "Dam talks", "markdown": "Their text.", "updated_at": seen }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = save(
        &admin,
        &me,
        &id,
        json!({ "title": "Dam talks", "markdown": "My text.", "updated_at": seen }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error(&body)["type"], "UpdateCollisionError");
    assert_eq!(error(&body)["code"], "UPDATE_COLLISION");
    let stored = admin
        .app
        .staff_post(
            dateline_core::post::PostType::Post,
            dateline_app::content::PostKey::Id(&id),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.post.markdown.as_deref(), Some("Their text."));

    // With what the server has now, the save goes through.
    let fresh = json!(stored.post.updated_at.to_string());
    let (status, body) = save(
        &admin,
        &me,
        &id,
        json!({ "title": "Dam talks", "markdown": "My text.", "updated_at": fresh }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// Saves come faster than the whole seconds `updated_at` is kept in (autosave in one tab, a
/// save in another): each still moves `updated_at` on, so a tab that read an earlier save is
/// refused, with no second waited between them.
async fn saves_within_one_second_are_told_apart(db: TestDb) {
    let admin = Admin::new(&db).await;
    let me = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let other_tab = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let (status, body) = create(
        &admin,
        &me,
        json!({ "title": "Fuel prices", "markdown": "Draft." }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["posts"][0]["id"].as_str().unwrap().to_owned();
    let mut seen = vec![body["posts"][0]["updated_at"].clone()];
    // Three saves in a row from this tab, each with what the last one answered.
    for text in ["One.", "Two.", "Three."] {
        let last = seen.last().unwrap().clone();
        let (status, body) = save(
            &admin,
            &me,
            &id,
            json!({ "title": "Fuel prices", "markdown": text, "updated_at": last }),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        seen.push(body["posts"][0]["updated_at"].clone());
    }
    let times: Vec<jiff::Timestamp> = seen
        .iter()
        .map(|t| t.as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] < w[1]),
        "every save moves updated_at on: {seen:?}"
    );

    // The other tab read the story after the second save; its save is refused.
    let (status, body) = save(
        &admin,
        &other_tab,
        &id,
        json!({ "title": "Fuel prices", "markdown": "Stale.", "updated_at": seen[2] }),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error(&body)["code"], "UPDATE_COLLISION");
    let stored = admin
        .app
        .staff_post(
            dateline_core::post::PostType::Post,
            dateline_app::content::PostKey::Id(&id),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.post.markdown.as_deref(), Some("Three."));

    // Five tabs that read the same version save at once: one wins, the others are refused.
    let last = seen.last().unwrap().clone();
    let tabs: Vec<_> = (0..5)
        .map(|n| {
            let request = admin
                .call(Method::PUT, &format!("/admin/api/posts/{id}/"), &me)
                .json(
                    &json!({ "posts": [{ "markdown": format!("Tab {n}."), "updated_at": last }] }),
                );
            tokio::spawn(send(request))
        })
        .collect();
    let mut codes = Vec::new();
    for tab in tabs {
        codes.push(tab.await.unwrap().0);
    }
    codes.sort_unstable();
    assert_eq!(codes, [200, 409, 409, 409, 409]);
}

async fn contributors_save_drafts_but_cannot_publish(db: TestDb) {
    let admin = Admin::new(&db).await;
    let writer = add_staff(&admin.app, "Rawa Contributor", Role::Contributor).await;
    let browser = admin.sign_in(&writer.email, PASSWORD).await;
    let (status, body) = create(
        &admin,
        &browser,
        json!({ "title": "Draft", "markdown": "x" }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let post = &body["posts"][0];
    assert_eq!(post["authors"][0]["id"], writer.id.to_string());
    let (status, body) = save(
        &admin,
        &browser,
        post["id"].as_str().unwrap(),
        json!({ "status": "published", "updated_at": post["updated_at"] }),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error(&body)["type"], "NoPermissionError");

    let page = admin
        .get(
            &format!("/admin/posts/{}/", post["id"].as_str().unwrap()),
            Some(&browser.cookie),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"data-action="save""#));
    assert!(
        !page.contains(r#"data-action="publish""#),
        "no publish button"
    );
}

async fn live_preview_counts_words_and_pastes_become_markdown(db: TestDb) {
    let admin = Admin::new(&db).await;
    let me = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let (status, body) = send(
        admin
            .call(Method::POST, "/admin/api/render/", &me)
            .json(&json!({ "markdown": "# Heading\n\nFive words in this sentence.", "has_feature_image": false })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["html"].as_str().unwrap().contains("<h1"), "{body}");
    assert_eq!(body["words"], 6);
    assert_eq!(body["minutes"], 1);

    let word_doc = r#"<meta charset="utf-8"><p class="MsoNormal" style="mso-line-height:1"><b>Bold</b> and <span style="color:red">plain</span> <a href="https://example.com">link</a></p><script>alert(1)</script>"#;
    let (status, body) = send(
        admin
            .call(Method::POST, "/admin/api/paste/", &me)
            .json(&json!({ "html": word_doc })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["markdown"],
        "**Bold** and plain [link](https://example.com)"
    );

    let (status, _) = send(
        admin
            .client
            .post(admin.url("/admin/api/render/"))
            .header("Cookie", &me.cookie)
            .json(&json!({ "markdown": "x" })),
    )
    .await;
    assert_eq!(status, 403, "the preview call needs the token too");
}

async fn the_editor_and_preview_pages_show_the_story(db: TestDb) {
    let admin = Admin::new(&db).await;
    let me = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let (_, body) = create(
        &admin,
        &me,
        json!({
            "title": "Ceasefire holds",
            "markdown": "The **ceasefire** held overnight.",
            "dateline": "ERBIL, Kurdistan Region of Iraq",
            "custom_excerpt": "Both sides kept their word.",
            "tags": ["Politics", "Security"],
        }),
    )
    .await;
    let id = body["posts"][0]["id"].as_str().unwrap();
    let page = admin
        .get(&format!("/admin/posts/{id}/"), Some(&me.cookie))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for expected in [
        "Ceasefire holds",
        "The **ceasefire** held overnight.",
        r#"name="dateline" value="ERBIL, Kurdistan Region of Iraq""#,
        r#"name="section" list="tag-names" value="Politics""#,
        r#"name="tags" list="tag-names" value="Security""#,
        r#"data-action="publish""#,
        // The script refuses to send a story the server would refuse (2 MB), and says so.
        r#"data-body-limit="2097152""#,
    ] {
        assert!(html.contains(expected), "{expected}");
    }
    let preview = admin
        .get(&format!("/admin/posts/{id}/preview/"), Some(&me.cookie))
        .await;
    assert_eq!(preview.status(), 200);
    assert_eq!(preview.headers()["cache-control"], "no-store");
    let html = preview.text().await.unwrap();
    assert!(
        html.contains("<strong>ceasefire</strong>"),
        "the draft's body in the theme"
    );
    assert!(html.contains("ERBIL"), "the dateline");
    // The public address of a draft is still a 404.
    let slug = body["posts"][0]["slug"].as_str().unwrap();
    assert_eq!(admin.get(&format!("/{slug}/"), None).await.status(), 404);
    assert_eq!(
        admin
            .get("/admin/posts/000000000000000000000000/", Some(&me.cookie))
            .await
            .status(),
        404
    );
}

async fn an_expired_session_answers_401_to_the_script(db: TestDb) {
    let admin = Admin::new(&db).await;
    let me = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let token = me.cookie.split_once('=').unwrap().1;
    admin.app.end_session(token).await.unwrap();
    let (status, body) = create(&admin, &me, json!({ "title": "Lost?", "markdown": "No." })).await;
    assert_eq!(status, 401, "{body}");
    assert!(
        error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("Sign in again")
    );
}
