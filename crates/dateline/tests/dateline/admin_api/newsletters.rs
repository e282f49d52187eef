//! Newsletters: list (with subscriber counts), add, edit, archive.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Site, error, send};

backend_tests!(newsletters_are_listed_added_and_edited);

async fn newsletters_are_listed_added_and_edited(db: TestDb) {
    let site = Site::new(&db).await;
    // A fresh site has Dateline's default newsletter.
    let (status, body) = send(site.key(Method::GET, "/newsletters/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["newsletters"][0]["name"], "Daily Briefing");
    assert_eq!(body["newsletters"][0]["sender_reply_to"], "newsletter");
    assert_eq!(body["meta"]["pagination"]["total"], 1);

    let (status, body) = send(site.key(Method::POST, "/newsletters/").json(&json!({
        "newsletters": [{
            "name": "Breaking News",
            "sender_name": "The Desk",
            "sender_email": "alerts@news.example",
            "sender_reply_to": "desk@news.example",
            "header_image": "https://news.example/content/images/header.png",
            "show_feature_image": false,
            "footer_content": "Sent when it matters.",
            "subscribe_on_signup": false,
        }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let n = &body["newsletters"][0];
    assert_eq!(n["slug"], "breaking-news");
    assert_eq!(n["sender_email"], "alerts@news.example");
    assert_eq!(n["sender_reply_to"], "desk@news.example");
    assert_eq!(n["show_feature_image"], false);
    assert_eq!(n["subscribe_on_signup"], false);
    assert_eq!(n["status"], "active");
    assert_eq!(n["sort_order"], 1);
    let id = n["id"].as_str().unwrap().to_owned();

    // A bad sender address, a nameless newsletter and a taken slug are refused.
    for (payload, needle) in [
        (json!({ "name": "X", "sender_email": "nope" }), "`nope`"),
        (json!({ "description": "no name" }), "name"),
        (json!({ "name": "Breaking News" }), "slug"),
    ] {
        let (status, body) = send(
            site.key(Method::POST, "/newsletters/")
                .json(&json!({ "newsletters": [payload] })),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            error(&body)["message"].as_str().unwrap().contains(needle),
            "{body}"
        );
    }

    // Two members, one subscribed to Breaking News.
    let (status, body) = send(site.key(Method::POST, "/members/").json(&json!({
        "members": [{ "email": "a@example.com", "newsletters": [{ "id": id }] }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["members"][0]["newsletters"][0]["name"],
        "Breaking News"
    );
    send(
        site.key(Method::POST, "/members/")
            .json(&json!({ "members": [{ "email": "b@example.com" }] })),
    )
    .await;
    let (_, body) = send(site.key(Method::GET, "/newsletters/?include=count.members")).await;
    let counts: Vec<(&str, &Value)> = body["newsletters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["slug"].as_str().unwrap(), &n["count"]["members"]))
        .collect();
    assert_eq!(
        counts,
        [("daily-briefing", &json!(1)), ("breaking-news", &json!(1))]
    );

    let (status, body) = send(site.key(Method::PUT, &format!("/newsletters/{id}/")).json(
        &json!({ "newsletters": [{
                "name": "Breaking",
                "sender_reply_to": "newsletter",
                "footer_content": null,
                "status": "archived",
            }] }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let n = &body["newsletters"][0];
    assert_eq!(n["name"], "Breaking");
    assert_eq!(n["slug"], "breaking-news");
    assert_eq!(n["sender_reply_to"], "newsletter");
    assert_eq!(n["footer_content"], Value::Null);
    assert_eq!(n["status"], "archived");
    assert_eq!(n["sender_email"], "alerts@news.example");

    let (_, body) = send(site.key(Method::GET, "/newsletters/?filter=status:active")).await;
    assert_eq!(body["newsletters"].as_array().unwrap().len(), 1);
    let (_, body) = send(site.key(Method::GET, "/newsletters/?limit=all")).await;
    assert_eq!(body["newsletters"].as_array().unwrap().len(), 2);
    // Archived newsletters are not among a member's.
    let (_, body) = send(site.key(Method::GET, "/members/?filter=email:'a@example.com'")).await;
    assert_eq!(body["members"][0]["newsletters"], json!([]));

    let (status, body) = send(
        site.key(Method::PUT, "/newsletters/000000000000000000000000/")
            .json(&json!({ "newsletters": [{ "name": "Ghost" }] })),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = send(
        site.key(Method::PUT, &format!("/newsletters/{id}/"))
            .json(&json!({ "newsletters": [{ "status": "deleted" }] })),
    )
    .await;
    assert_eq!(status, 422);
}
