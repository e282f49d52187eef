//! `/offers/{id}/`: Dateline has no paid tiers and so no offers, and says so in Ghost's words.

use dateline_testkit::{TestDb, backend_tests};
use serde_json::json;

use super::{fixture_server, get};

backend_tests!(every_offer_is_not_found);

async fn every_offer_is_not_found(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (status, headers, mut body) = get(&server, "/offers/0123456789abcdef01234567/", &key).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(headers["access-control-allow-origin"], "*");
    body["errors"][0]["id"] = json!(null);
    assert_eq!(
        body,
        json!({"errors": [{
            "message": "Resource not found error, cannot read offer.",
            "context": "Offer not found.",
            "type": "NotFoundError",
            "details": null,
            "property": null,
            "help": null,
            "code": null,
            "id": null,
            "ghostErrorCode": null,
        }]})
    );
    let (status, _, body) = get(&server, "/offers/nope/", &key).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["errors"][0]["message"],
        "Validation error, cannot read offer."
    );
    // The key is still checked first.
    let (status, _, _) = get(
        &server,
        "/offers/0123456789abcdef01234567/",
        "0123456789abcdef01234567ab",
    )
    .await;
    assert_eq!(status, 401);
    let res = server
        .get("/ghost/api/content/offers/0123456789abcdef01234567/")
        .await;
    assert_eq!(res.status(), 403, "no key at all");
}
