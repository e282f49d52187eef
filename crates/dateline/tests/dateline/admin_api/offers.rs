//! Offers: a site without paid tiers has none, and the Admin API says so in Ghost's envelopes
//! (browse finds none, read and edit are 404, add is refused), behind the usual key.

use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use serde_json::json;

use super::{Site, send};

backend_tests!(offers_are_none_in_ghosts_envelopes);

async fn offers_are_none_in_ghosts_envelopes(db: TestDb) {
    let site = Site::new(&db).await;
    let (status, body) = send(site.key(Method::GET, "/offers/")).await;
    assert_eq!((status, body), (200, json!({ "offers": [] })));

    let id = "0123456789abcdef01234567";
    for (method, verb) in [(Method::GET, "read"), (Method::PUT, "edit")] {
        let req = site
            .key(method, &format!("/offers/{id}/"))
            .json(&json!({ "offers": [{ "name": "Half off" }] }));
        let (status, body) = send(req).await;
        assert_eq!(status, 404, "{body}");
        let error = &body["errors"][0];
        assert_eq!(error["type"], "NotFoundError");
        assert_eq!(
            error["message"],
            format!("Resource not found error, cannot {verb} offer.")
        );
        assert_eq!(error["context"], "Offer not found.");
    }

    let offer = json!({ "offers": [{
        "name": "Black Friday",
        "code": "black-friday",
        "display_title": "Black Friday",
        "type": "percent",
        "amount": 20,
        "cadence": "year",
        "duration": "once",
        "tier": { "id": "000000000000000000000001" }
    }]});
    let (status, body) = send(site.key(Method::POST, "/offers/").json(&offer)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["type"], "ValidationError");
    assert_eq!(
        body["errors"][0]["message"],
        "Validation error, cannot save offer."
    );
    let (status, body) = send(site.key(Method::GET, "/offers/")).await;
    assert_eq!(
        (status, body),
        (200, json!({ "offers": [] })),
        "nothing was kept"
    );

    // Without credentials, Ghost's 403 rather than an empty list.
    let res = reqwest::Client::new()
        .get(site.url("/offers/"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}
