//! `/tiers/` on a site moved from Ghost: the tiers of the export, the paid one with its prices,
//! in Ghost 5.130's shape.

use dateline_testkit::{TestDb, backend_tests};

use super::{fixture_server, get};

backend_tests!(imported_tiers_are_listed, imported_tiers_filter);

async fn imported_tiers_are_listed(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    let (status, _, body) = get(&server, "/tiers/", &key).await;
    assert_eq!(status, 200, "{body}");
    let tiers = body["tiers"].as_array().unwrap();
    // The export's own free tier stands in for Dateline's: one free tier, as in Ghost.
    assert_eq!(tiers.len(), 2, "{body}");
    let keys =
        |i: usize| -> Vec<String> { tiers[i].as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(1),
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
            "currency",
            "monthly_price",
            "yearly_price",
            "trial_days",
        ]
    );
    assert!(!keys(0).contains(&"currency".to_owned()));
    insta::assert_json_snapshot!("imported_tiers", body);
}

async fn imported_tiers_filter(db: TestDb) {
    let (server, key) = fixture_server(&db).await;
    for (filter, slugs) in [
        ("type:paid", vec!["default-product"]),
        ("type:free", vec!["free"]),
        ("slug:-free", vec!["default-product"]),
        ("name:~'Region'", vec!["default-product"]),
        (
            "visibility:public%2Bactive:true",
            vec!["free", "default-product"],
        ),
    ] {
        let (status, _, body) = get(&server, &format!("/tiers/?filter={filter}"), &key).await;
        assert_eq!(status, 200, "{filter}: {body}");
        let found: Vec<&str> = body["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["slug"].as_str().unwrap())
            .collect();
        assert_eq!(found, slugs, "{filter}");
        assert_eq!(body["meta"]["pagination"]["total"], slugs.len(), "{filter}");
    }
    let (_, _, body) = get(
        &server,
        "/tiers/?fields=name,monthly_price&limit=1&page=2",
        &key,
    )
    .await;
    assert_eq!(
        body["tiers"],
        serde_json::json!([{ "name": "The New Region", "monthly_price": 500 }])
    );
}
