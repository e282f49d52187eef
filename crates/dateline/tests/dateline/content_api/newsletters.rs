//! `/newsletters/` and `/tiers/`: what a reader can subscribe to, in the fields Ghost 5.130's
//! Content API shows, with `filter`, `limit`, `page`, `fields` (and for newsletters `order`) as
//! for the other resources.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::get;
use crate::admin_api::{Site, send};

backend_tests!(
    newsletters_lists_the_active_ones_in_ghost_shape,
    newsletters_filter_page_and_fields,
    tiers_answer_the_free_tier,
    tiers_filter_as_ghost_does,
    newsletters_order,
);

/// The Content API's newsletter fields, in Ghost's order.
const NEWSLETTER_FIELDS: &[&str] = &[
    "id",
    "uuid",
    "name",
    "description",
    "slug",
    "subscribe_on_signup",
    "visibility",
    "sort_order",
    "created_at",
    "updated_at",
];

/// A fresh site with "Daily Briefing", "Breaking News" and an archived "Weekend Edition", and
/// a content key.
async fn site_with_newsletters(db: &TestDb) -> (Site, String) {
    let site = Site::new(db).await;
    // The default newsletter comes first, as on any site that has had members.
    site.app.newsletters().await.unwrap();
    for (name, sender) in [
        ("Breaking News", "alerts@news.example"),
        ("Weekend Edition", "weekend@news.example"),
    ] {
        let (status, body) = send(site.key(Method::POST, "/newsletters/").json(&json!({
            "newsletters": [{ "name": name, "sender_email": sender, "description": "Now and then" }]
        })))
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let (_, body) =
        send(site.key(Method::GET, "/newsletters/?filter=status:active&limit=all")).await;
    let weekend = body["newsletters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["slug"] == "weekend-edition")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = send(
        site.key(Method::PUT, &format!("/newsletters/{weekend}/"))
            .json(&json!({ "newsletters": [{ "status": "archived" }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let key = site
        .app
        .create_integration("Front end")
        .await
        .unwrap()
        .content_api_key;
    (site, key)
}

fn slugs(body: &Value, resource: &str) -> Vec<String> {
    body[resource]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["slug"].as_str().unwrap().to_owned())
        .collect()
}

async fn newsletters_lists_the_active_ones_in_ghost_shape(db: TestDb) {
    let (site, key) = site_with_newsletters(&db).await;
    let (status, headers, body) = get(&site.server, "/newsletters/", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["content-version"], "v5.130");
    assert_eq!(headers["access-control-allow-origin"], "*");
    // Archived newsletters are not offered; the site's order is kept.
    assert_eq!(
        slugs(&body, "newsletters"),
        ["daily-briefing", "breaking-news"]
    );
    let breaking = &body["newsletters"][1];
    let keys: Vec<&str> = breaking
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // No sender address, footer or layout: those are for staff.
    assert_eq!(keys, NEWSLETTER_FIELDS);
    assert_eq!(breaking["name"], "Breaking News");
    assert_eq!(breaking["description"], "Now and then");
    assert_eq!(breaking["visibility"], "members");
    assert_eq!(breaking["subscribe_on_signup"], true);
    assert_eq!(breaking["sort_order"], 1);
    assert_eq!(breaking["uuid"].as_str().unwrap().len(), 36);
    assert!(
        breaking["created_at"].as_str().unwrap().ends_with(".000Z"),
        "{breaking}"
    );
    assert_eq!(
        body["meta"]["pagination"],
        json!({ "page": 1, "limit": 15, "pages": 1, "total": 2, "next": null, "prev": null })
    );

    // An edit shows on the very next request.
    let id = breaking["id"].as_str().unwrap();
    let (status, _) = send(
        site.key(Method::PUT, &format!("/newsletters/{id}/"))
            .json(&json!({ "newsletters": [{ "name": "Breaking" }] })),
    )
    .await;
    assert_eq!(status, 200);
    let (_, _, body) = get(&site.server, "/newsletters/", &key).await;
    assert_eq!(body["newsletters"][1]["name"], "Breaking");

    // The key is required, as for every Content API resource.
    let res = site.server.get("/ghost/api/content/newsletters/").await;
    assert_eq!(res.status().as_u16(), 403);
}

async fn newsletters_filter_page_and_fields(db: TestDb) {
    let (site, key) = site_with_newsletters(&db).await;
    let (_, _, body) = get(
        &site.server,
        "/newsletters/?filter=slug:breaking-news",
        &key,
    )
    .await;
    assert_eq!(slugs(&body, "newsletters"), ["breaking-news"]);
    // The filter cannot reach archived newsletters.
    let (_, _, body) = get(&site.server, "/newsletters/?filter=status:archived", &key).await;
    assert_eq!(body["newsletters"], json!([]));
    assert_eq!(body["meta"]["pagination"]["total"], 0);
    let (_, _, body) = get(&site.server, "/newsletters/?filter=name:~'daily'", &key).await;
    assert_eq!(slugs(&body, "newsletters"), ["daily-briefing"]);

    let (_, _, body) = get(&site.server, "/newsletters/?limit=1&page=2", &key).await;
    assert_eq!(slugs(&body, "newsletters"), ["breaking-news"]);
    assert_eq!(body["meta"]["pagination"]["pages"], 2);
    assert_eq!(body["meta"]["pagination"]["prev"], 1);
    assert_eq!(body["meta"]["pagination"]["next"], Value::Null);

    let (_, _, body) = get(&site.server, "/newsletters/?fields=name,slug", &key).await;
    assert_eq!(
        body["newsletters"][0],
        json!({ "name": "Daily Briefing", "slug": "daily-briefing" })
    );

    // Fields the Content API does not show cannot be probed through a filter.
    let (status, _, body) = get(
        &site.server,
        "/newsletters/?filter=sender_email:alerts@news.example",
        &key,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["type"], "BadRequestError");
    // `limit=0` is Ghost's default page size; a limit that is not a number is refused.
    let (status, _, body) = get(&site.server, "/newsletters/?limit=0", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["meta"]["pagination"]["limit"], 15);
    let (status, _, _) = get(&site.server, "/newsletters/?limit=none", &key).await;
    assert_eq!(status, 422);
}

async fn tiers_answer_the_free_tier(db: TestDb) {
    let (site, key) = site_with_newsletters(&db).await;
    let (status, _, body) = get(&site.server, "/tiers/", &key).await;
    assert_eq!(status, 200, "{body}");
    let tiers = body["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 1);
    let free = &tiers[0];
    let keys: Vec<&str> = free
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "description",
            "slug",
            "active",
            "type",
            "welcome_page_url",
            "created_at",
            "updated_at",
            "visibility",
            "benefits",
            "trial_days",
        ]
    );
    assert_eq!(free["name"], "Free");
    assert_eq!(free["slug"], "free");
    assert_eq!(free["type"], "free");
    assert_eq!(free["active"], true);
    assert_eq!(free["visibility"], "public");
    assert_eq!(free["benefits"], json!([]));
    assert_eq!(free["id"].as_str().unwrap().len(), 24);
    assert_eq!(body["meta"]["pagination"]["total"], 1);

    let (_, _, body) = get(&site.server, "/tiers/?fields=name,type", &key).await;
    assert_eq!(body["tiers"], json!([{ "name": "Free", "type": "free" }]));
    let (_, _, body) = get(&site.server, "/tiers/?page=2&limit=1", &key).await;
    assert_eq!(body["tiers"], json!([]));
}

async fn tiers_filter_as_ghost_does(db: TestDb) {
    let (site, key) = site_with_newsletters(&db).await;
    let total = |body: &Value| body["meta"]["pagination"]["total"].clone();
    for (filter, found) in [
        ("type:free", 1),
        ("type:paid", 0),
        ("visibility:public", 1),
        ("visibility:none", 0),
        ("active:true", 1),
        ("active:false", 0),
        ("type:paid,slug:free", 1),
        ("type:free%2Bvisibility:public%2Bactive:true", 1),
        ("slug:-free", 0),
        ("welcome_page_url:null", 1),
        ("created_at:>now-1d", 1),
        ("created_at:<now-1d", 0),
        ("name:~'fre'", 1),
    ] {
        let url = format!("/tiers/?filter={filter}");
        let (status, _, body) = get(&site.server, &url, &key).await;
        assert_eq!(status, 200, "{filter}: {body}");
        assert_eq!(total(&body), found, "{filter}: {body}");
        assert_eq!(body["tiers"].as_array().unwrap().len(), found, "{filter}");
    }
    // Fields a tier does not have are refused, as for every resource.
    let (status, _, body) = get(&site.server, "/tiers/?filter=price:5", &key).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["type"], "BadRequestError");
    let (status, _, body) = get(&site.server, "/tiers/?filter=active:maybe", &key).await;
    assert_eq!(status, 400, "{body}");
}

async fn newsletters_order(db: TestDb) {
    let (site, key) = site_with_newsletters(&db).await;
    let (_, _, body) = get(&site.server, "/newsletters/?order=name%20asc", &key).await;
    assert_eq!(
        slugs(&body, "newsletters"),
        ["breaking-news", "daily-briefing"]
    );
    let (_, _, body) = get(&site.server, "/newsletters/?order=sort_order%20desc", &key).await;
    assert_eq!(
        slugs(&body, "newsletters"),
        ["breaking-news", "daily-briefing"]
    );
    let (_, _, body) = get(&site.server, "/newsletters/?order=sort_order", &key).await;
    assert_eq!(
        slugs(&body, "newsletters"),
        ["daily-briefing", "breaking-news"]
    );
    // A rule without a direction is skipped, as Ghost skips it: the site's order stays.
    let (status, _, body) = get(&site.server, "/newsletters/?order=name", &key).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        slugs(&body, "newsletters"),
        ["daily-briefing", "breaking-news"]
    );
}
