//! `/site/` and `/settings/`.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Site, error, send};

backend_tests!(site_is_public, settings_hide_secrets_and_edit_together);

async fn site_is_public(db: TestDb) {
    let site = Site::imported(&db).await;
    let (status, body) = send(site.server.client.get(site.url("/site/"))).await;
    assert_eq!(status, 200, "{body}");
    let info = &body["site"];
    assert_eq!(info["title"], "The New Region");
    assert_eq!(
        info["description"],
        "A news outlet covering Iraq and the Middle East."
    );
    assert_eq!(info["url"], format!("{}/", site.server.url));
    assert_eq!(info["version"], "5.130");
    assert!(info.get("accent_color").is_some());
}

fn setting<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    body["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == key)
        .map(|s| &s["value"])
}

async fn settings_hide_secrets_and_edit_together(db: TestDb) {
    let site = Site::imported(&db).await;
    let (status, body) = send(site.key(Method::GET, "/settings/")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(setting(&body, "title").unwrap(), "The New Region");
    // Ghost's `core` group is internal; the import already dropped the install's secrets.
    for internal in [
        "routes_hash",
        "notifications",
        "admin_session_secret",
        "db_hash",
    ] {
        assert!(
            setting(&body, internal).is_none(),
            "{internal} must never leave the server"
        );
    }

    let (status, body) = send(site.key(Method::PUT, "/settings/").json(&json!({
        "settings": [
            { "key": "title", "value": "The Newer Region" },
            { "key": "description", "value": "News from Erbil." },
        ]
    })))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(setting(&body, "title").unwrap(), "The Newer Region");
    let (_, site_info) = send(site.server.client.get(site.url("/site/"))).await;
    assert_eq!(site_info["site"]["title"], "The Newer Region");

    // All or nothing: one bad key refuses the whole edit.
    let (status, body) = send(site.key(Method::PUT, "/settings/").json(&json!({
        "settings": [
            { "key": "title", "value": "Changed" },
            { "key": "routes_hash", "value": "forged" },
        ]
    })))
    .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = send(site.key(Method::PUT, "/settings/").json(&json!({
        "settings": [{ "key": "no_such_setting", "value": "x" }]
    })))
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(error(&body)["type"], "NotFoundError");
    let (_, site_info) = send(site.server.client.get(site.url("/site/"))).await;
    assert_eq!(site_info["site"]["title"], "The Newer Region");
}
