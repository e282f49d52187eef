//! Members: add (labels made on the fly, default newsletters), list with filter, search, order
//! and pages, edit, delete, labels; duplicates and bad addresses refused as Ghost refuses them.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Site, error, send};

backend_tests!(
    member_crud_with_labels_and_newsletters,
    members_browse_filters_searches_orders_and_pages,
    members_are_for_administrators,
    members_filter_by_subscribed,
    unsubscribe_url_opens_the_members_newsletters
);

async fn add(site: &Site, member: Value) -> (u16, Value) {
    send(
        site.key(Method::POST, "/members/")
            .json(&json!({ "members": [member] })),
    )
    .await
}

fn emails(body: &Value) -> Vec<&str> {
    body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect()
}

async fn member_crud_with_labels_and_newsletters(db: TestDb) {
    let site = Site::new(&db).await;
    let (status, body) = add(
        &site,
        json!({
            "email": "Reader@Example.com",
            "name": "Rana Reader",
            "note": "Met at the book fair",
            "labels": ["VIP", { "name": "Press" }],
        }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let m = &body["members"][0];
    assert_eq!(m["email"], "reader@example.com");
    assert_eq!(m["name"], "Rana Reader");
    assert_eq!(m["note"], "Met at the book fair");
    assert_eq!(m["status"], "free");
    assert_eq!(m["subscribed"], true);
    assert_eq!(m["comped"], false);
    assert_eq!(m["email_suppression"]["suppressed"], false);
    assert!(m["created_at"].as_str().unwrap().ends_with(".000Z"));
    assert_eq!(m["uuid"].as_str().unwrap().len(), 36);
    let labels: Vec<&str> = m["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["slug"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["vip", "press"]);
    assert_eq!(m["newsletters"][0]["name"], "Daily Briefing");
    assert_eq!(m["newsletters"][0]["status"], "active");
    let id = m["id"].as_str().unwrap().to_owned();

    // The same address again, in another case: Ghost's 422.
    let (status, body) = add(&site, json!({ "email": "READER@example.com" })).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["type"], "ValidationError");
    assert!(
        error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("Member already exists"),
        "{body}"
    );
    // Not an address: refused, and the message says which.
    let (status, body) = add(&site, json!({ "email": "not-an-address" })).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error(&body)["message"]
            .as_str()
            .unwrap()
            .contains("`not-an-address` is not an email address"),
        "{body}"
    );
    let (status, _) = add(&site, json!({ "name": "No address" })).await;
    assert_eq!(status, 422);

    // An existing label is reused by name; a new one is made. Unsubscribing from everything.
    let (status, body) = send(site.key(Method::PUT, &format!("/members/{id}/")).json(
        &json!({ "members": [{
                "name": "Rana R.",
                "note": null,
                "labels": [{ "name": "VIP" }, "Donor"],
                "newsletters": [],
            }] }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let m = &body["members"][0];
    assert_eq!(m["name"], "Rana R.");
    assert_eq!(m["note"], Value::Null);
    assert_eq!(m["subscribed"], false);
    assert_eq!(m["newsletters"], json!([]));
    let labels: Vec<&str> = m["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["VIP", "Donor"]);

    let (status, body) = send(site.key(Method::GET, "/labels/")).await;
    assert_eq!(status, 200, "{body}");
    let names: Vec<&str> = body["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Donor", "Press", "VIP"]);
    assert_eq!(body["meta"]["pagination"]["total"], 3);

    // Resubscribing by newsletter id, as Ghost's admin sends it.
    let (_, newsletters) = send(site.key(Method::GET, "/newsletters/")).await;
    let newsletter = newsletters["newsletters"][0]["id"].as_str().unwrap();
    let (status, body) = send(
        site.key(Method::PUT, &format!("/members/{id}/"))
            .json(&json!({ "members": [{ "newsletters": [{ "id": newsletter }] }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["members"][0]["subscribed"], true);
    assert_eq!(body["members"][0]["labels"].as_array().unwrap().len(), 2);

    // Taking another member's address is the same 422.
    add(&site, json!({ "email": "second@example.com" })).await;
    let (status, body) = send(
        site.key(Method::PUT, &format!("/members/{id}/"))
            .json(&json!({ "members": [{ "email": "second@example.com" }] })),
    )
    .await;
    assert_eq!(status, 422, "{body}");

    let (status, body) = send(site.key(Method::GET, &format!("/members/{id}/"))).await;
    assert_eq!(status, 200);
    assert_eq!(body["members"][0]["email"], "reader@example.com");
    let (status, _) = send(site.key(Method::DELETE, &format!("/members/{id}/"))).await;
    assert_eq!(status, 204);
    let (status, body) = send(site.key(Method::GET, &format!("/members/{id}/"))).await;
    assert_eq!(status, 404);
    assert_eq!(error(&body)["type"], "NotFoundError");
    let (status, _) = send(site.key(Method::DELETE, &format!("/members/{id}/"))).await;
    assert_eq!(status, 404);
}

async fn members_browse_filters_searches_orders_and_pages(db: TestDb) {
    let site = Site::new(&db).await;
    for (email, name, labels) in [
        ("amal@example.com", "Amal", json!(["vip"])),
        ("basim@example.com", "Basim", json!(["press"])),
        ("carla@example.org", "Carla", json!(["vip", "press"])),
        ("dana@example.org", "Dana", json!([])),
        ("emad@example.com", "Emad Yousef", json!([])),
    ] {
        let (status, body) = add(
            &site,
            json!({ "email": email, "name": name, "labels": labels }),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }

    let (status, body) = send(site.key(Method::GET, "/members/?order=email%20asc")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        emails(&body),
        [
            "amal@example.com",
            "basim@example.com",
            "carla@example.org",
            "dana@example.org",
            "emad@example.com"
        ]
    );
    assert_eq!(body["meta"]["pagination"]["limit"], 15);

    for (filter, expected) in [
        ("label:vip", vec!["amal@example.com", "carla@example.org"]),
        (
            "labels.slug:[vip,press]+label:-vip",
            vec!["basim@example.com"],
        ),
        (
            "email:~$'example.org'",
            vec!["carla@example.org", "dana@example.org"],
        ),
        ("name:Dana", vec!["dana@example.org"]),
        (
            "status:free+label:press+email:-'basim@example.com'",
            vec!["carla@example.org"],
        ),
        (
            "newsletters.slug:daily-briefing+name:~'a'",
            vec![
                "amal@example.com",
                "basim@example.com",
                "carla@example.org",
                "dana@example.org",
                "emad@example.com",
            ],
        ),
        ("created_at:<now-1d", vec![]),
    ] {
        let path = format!("/members/?order=email%20asc&filter={}", encode(filter));
        let (status, body) = send(site.key(Method::GET, &path)).await;
        assert_eq!(status, 200, "{filter}: {body}");
        assert_eq!(emails(&body), expected, "{filter}");
    }

    // Ghost's search: name or address, any case.
    let (_, body) = send(site.key(Method::GET, "/members/?search=YOUSEF")).await;
    assert_eq!(emails(&body), ["emad@example.com"]);
    let (_, body) = send(site.key(
        Method::GET,
        "/members/?search=example.org&order=name%20desc",
    ))
    .await;
    assert_eq!(emails(&body), ["dana@example.org", "carla@example.org"]);
    // `%` is a character, not a wildcard.
    let (_, body) = send(site.key(Method::GET, "/members/?search=%25")).await;
    assert_eq!(emails(&body), Vec::<&str>::new());

    let (_, body) = send(site.key(Method::GET, "/members/?order=email%20asc&limit=2&page=2")).await;
    assert_eq!(emails(&body), ["carla@example.org", "dana@example.org"]);
    let pagination = &body["meta"]["pagination"];
    assert_eq!(
        (
            &pagination["page"],
            &pagination["pages"],
            &pagination["total"],
            &pagination["next"],
            &pagination["prev"]
        ),
        (&json!(2), &json!(3), &json!(5), &json!(3), &json!(1))
    );

    // A filter on something members do not have is a 400 that names the field.
    let (status, body) = send(site.key(Method::GET, "/members/?filter=password:x")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        error(&body)["context"]
            .as_str()
            .unwrap()
            .contains("`password`"),
        "{body}"
    );
    let (status, _) = send(site.key(Method::GET, "/members/?order=password%20asc")).await;
    assert_eq!(status, 422);
}

async fn members_are_for_administrators(db: TestDb) {
    let site = Site::new(&db).await;
    add(&site, json!({ "email": "reader@example.com" })).await;
    let (_, editor) = site.staff("Night Editor", Role::Editor).await;
    let (status, body) = send(site.session(Method::GET, "/members/", &editor)).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error(&body)["type"], "NoPermissionError");
    let (status, _) = send(
        site.session(Method::POST, "/members/", &editor)
            .json(&json!({ "members": [{ "email": "sneaky@example.com" }] })),
    )
    .await;
    assert_eq!(status, 403);
    let (_, admin) = site.staff("Site Admin", Role::Administrator).await;
    let (status, body) = send(site.session(Method::GET, "/members/", &admin)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(emails(&body), ["reader@example.com"]);
}

/// Percent-encodes a query value (the test client has no query builder).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn members_filter_by_subscribed(db: TestDb) {
    let site = Site::new(&db).await;
    add(&site, json!({ "email": "gets@example.com" })).await;
    add(
        &site,
        json!({ "email": "none@example.com", "newsletters": [] }),
    )
    .await;
    let (status, body) = add(&site, json!({ "email": "later@example.com" })).await;
    assert_eq!(status, 201, "{body}");
    let later = body["members"][0]["id"].as_str().unwrap().to_owned();
    // Unsubscribed from everything afterwards: no longer `subscribed`.
    let (status, _) = send(
        site.key(Method::PUT, &format!("/members/{later}/"))
            .json(&json!({ "members": [{ "subscribed": false }] })),
    )
    .await;
    assert_eq!(status, 200);
    let filtered = |filter: &'static str| {
        let site = &site;
        async move {
            let (status, body) = send(site.key(
                Method::GET,
                &format!("/members/?filter={}&order=email%20asc", encode(filter)),
            ))
            .await;
            assert_eq!(status, 200, "{filter}: {body}");
            emails(&body)
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(filtered("subscribed:true").await, ["gets@example.com"]);
    assert_eq!(
        filtered("subscribed:false").await,
        ["later@example.com", "none@example.com"]
    );
    assert_eq!(
        filtered("-subscribed:true").await,
        ["later@example.com", "none@example.com"]
    );
    assert_eq!(
        filtered("subscribed:true,email:none@example.com").await,
        ["gets@example.com", "none@example.com"]
    );
    let (status, body) = send(site.key(Method::GET, "/members/?filter=subscribed:maybe")).await;
    assert_eq!(status, 400, "{body}");
}

async fn unsubscribe_url_opens_the_members_newsletters(db: TestDb) {
    let site = Site::new(&db).await;
    site.app.newsletters().await.unwrap();
    let (status, body) = send(site.key(Method::POST, "/newsletters/").json(&json!({
        "newsletters": [{ "name": "Breaking News" }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = add(
        &site,
        json!({ "email": "ana@example.com", "newsletters": [{ "slug": "daily-briefing" }, { "slug": "breaking-news" }] }),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let m = &body["members"][0];
    let (id, uuid) = (m["id"].as_str().unwrap(), m["uuid"].as_str().unwrap());
    let url = m["unsubscribe_url"].as_str().unwrap().to_owned();
    let prefix = format!(
        "{}/unsubscribe/newsletters/?uuid={uuid}&key=",
        site.server.url
    );
    assert!(url.starts_with(&prefix), "{url}");
    // The same link in every answer about the member.
    let (_, body) = send(site.key(Method::GET, &format!("/members/{id}/"))).await;
    assert_eq!(body["members"][0]["unsubscribe_url"], url.as_str());
    let (_, body) = send(site.key(Method::GET, "/members/")).await;
    assert_eq!(body["members"][0]["unsubscribe_url"], url.as_str());

    let client = reqwest::Client::new();
    let page = client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("ana@example.com"), "{html}");
    assert!(
        html.contains("Daily Briefing") && html.contains("Breaking News"),
        "{html}"
    );
    // Each newsletter's button posts to its one-click unsubscribe link.
    let action = html
        .split("action=\"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let res = client
        .post(format!("{}{action}", site.server.url))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, body) = send(site.key(Method::GET, &format!("/members/{id}/"))).await;
    let left: Vec<&str> = body["members"][0]["newsletters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["Daily Briefing"]);
    let html = client.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("Breaking News"), "{html}");

    // Another member's uuid with this key, or a forged key: not valid, and nothing shown.
    let (_, other) = add(&site, json!({ "email": "bob@example.com" })).await;
    let other_uuid = other["members"][0]["uuid"].as_str().unwrap();
    let key = url.rsplit("key=").next().unwrap();
    for forged in [
        format!(
            "{}/unsubscribe/newsletters/?uuid={other_uuid}&key={key}",
            site.server.url
        ),
        format!("{prefix}00{}", &key[2..]),
    ] {
        let res = client.get(&forged).send().await.unwrap();
        assert_eq!(res.status(), 404, "{forged}");
        assert!(!res.text().await.unwrap().contains("example.com"));
    }
}
