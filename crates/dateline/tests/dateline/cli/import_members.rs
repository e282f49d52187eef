//! `dateline import` of the readers' side of a Ghost export: newsletters, tiers, themes'
//! custom settings, and (when the file has them) members, labels and subscriptions.

use dateline_store::{custom_theme_settings, labels, members, newsletters, tiers};
use dateline_testkit::{TestDb, backend_tests, ghost_export};
use serde_json::{Value, json};

use crate::support::{export_json, ok, run, stderr, write_file};

backend_tests!(
    newsletters_tiers_and_theme_settings_arrive_with_their_fields,
    members_labels_and_subscriptions_arrive_and_merge_by_email,
    importing_members_twice_changes_nothing,
    a_label_missing_from_the_file_is_skipped_with_a_warning,
);

const NEWSLETTER: &str = "6b0a71728161d82b79d2395e";

/// The Ghost fixture with three members, two labels and their links, as an export of Ghost's
/// `db` endpoint with members has them. `change` edits the data before it is written.
pub(crate) fn export_with_members(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut root: Value = serde_json::from_slice(&ghost_export()).unwrap();
    let data = &mut root["db"][0]["data"];
    data["labels"] = json!([
        { "id": "6b0a71728161d82b79d23a01", "name": "VIP", "slug": "vip",
          "created_at": "2026-11-28 07:00:00", "updated_at": "2026-11-28 07:00:00" },
        { "id": "6b0a71728161d82b79d23a02", "name": "Press", "slug": "press",
          "created_at": "2026-11-28 07:01:00", "updated_at": "2026-11-28 07:01:00" }
    ]);
    data["members"] = json!([
        { "id": "6b0a71728161d82b79d23b01", "uuid": "5b1c1f64-4a4e-4d1e-9d0b-000000000001",
          "email": "Rana@Example.com", "status": "free", "name": "Rana Reader",
          "note": "Met at the book fair", "email_disabled": 0, "geolocation": null,
          "transient_id": "abc", "created_at": "2026-11-28 08:00:00",
          "updated_at": "2026-11-28 08:05:00" },
        { "id": "6b0a71728161d82b79d23b02", "uuid": "5b1c1f64-4a4e-4d1e-9d0b-000000000002",
          "email": "paid@example.com", "status": "paid", "name": null, "note": null,
          "email_disabled": 1, "created_at": "2026-11-28 08:10:00",
          "updated_at": "2026-11-28 08:10:00" },
        { "id": "6b0a71728161d82b79d23b03", "uuid": "5b1c1f64-4a4e-4d1e-9d0b-000000000003",
          "email": "comped@example.com", "status": "comped", "name": "Comped Colleague",
          "created_at": "2026-11-28 08:20:00", "updated_at": "2026-11-28 08:20:00" }
    ]);
    data["members_labels"] = json!([
        { "id": "6b0a71728161d82b79d23c01", "member_id": "6b0a71728161d82b79d23b01",
          "label_id": "6b0a71728161d82b79d23a02", "sort_order": 1 },
        { "id": "6b0a71728161d82b79d23c02", "member_id": "6b0a71728161d82b79d23b01",
          "label_id": "6b0a71728161d82b79d23a01", "sort_order": 0 },
        { "id": "6b0a71728161d82b79d23c03", "member_id": "6b0a71728161d82b79d23b03",
          "label_id": "6b0a71728161d82b79d23a02", "sort_order": 0 }
    ]);
    data["members_newsletters"] = json!([
        { "id": "6b0a71728161d82b79d23d01", "member_id": "6b0a71728161d82b79d23b01",
          "newsletter_id": NEWSLETTER },
        { "id": "6b0a71728161d82b79d23d02", "member_id": "6b0a71728161d82b79d23b02",
          "newsletter_id": NEWSLETTER }
    ]);
    change(data);
    serde_json::to_vec(&root).unwrap()
}

fn fixture_table(table: &str) -> Vec<Value> {
    let root: Value = serde_json::from_slice(&ghost_export()).unwrap();
    root["db"][0]["data"][table].as_array().unwrap().clone()
}

async fn newsletters_tiers_and_theme_settings_arrive_with_their_fields(db: TestDb) {
    let file = write_file(&db, "ghost.json", &ghost_export());
    let out = ok(&db, &["import", &file]);
    assert!(
        out.contains("1 newsletters, 2 tiers, 29 theme settings, 0 labels, 0 members"),
        "{out}"
    );

    let app = db.app().await;
    let mut conn = app.store.reader().await.unwrap();
    let expected = &fixture_table("newsletters")[0];
    let newsletter = newsletters::find(&mut conn, NEWSLETTER)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(newsletter.uuid, expected["uuid"]);
    assert_eq!(newsletter.name, "The New Region");
    assert_eq!(newsletter.slug, "default-newsletter");
    assert_eq!(newsletter.status, "active");
    assert!(newsletter.subscribe_on_signup && newsletter.show_feature_image);
    // Ghost's "newsletter" reply-to is Dateline's none: replies go to the sender.
    assert_eq!(newsletter.sender_reply_to, None);
    assert_eq!(newsletter.created_at.to_string(), "2026-11-28T06:15:14Z");
    assert_eq!(newsletter.updated_at.to_string(), "2026-11-28T06:16:22Z");

    let stored = tiers::stored(&mut conn).await.unwrap();
    let summary: Vec<Value> = stored
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "name": t.name, "slug": t.slug, "type": t.tier_type,
                "visibility": t.visibility, "active": t.active, "trial_days": t.trial_days,
                "prices": t.prices.as_ref().map(|p| json!([p.currency, p.monthly_price, p.yearly_price])),
            })
        })
        .collect();
    insta::assert_json_snapshot!("imported_tiers", summary);

    // Values of both themes the Ghost site had used (Source, active, and Casper).
    let source = custom_theme_settings::of_theme(&mut conn, "source")
        .await
        .unwrap();
    let casper = custom_theme_settings::of_theme(&mut conn, "casper")
        .await
        .unwrap();
    assert_eq!((source.len(), casper.len()), (19, 10));
    for row in fixture_table("custom_theme_settings") {
        let values = if row["theme"] == "source" {
            &source
        } else {
            &casper
        };
        let value = values.iter().find(|v| v.key == row["key"]).unwrap();
        assert_eq!(value.kind, row["type"], "{}", value.key);
        assert_eq!(
            value.value.as_deref(),
            row["value"].as_str(),
            "{}",
            value.key
        );
    }
    // The active theme reads them: the home page's layout is the one chosen in Ghost.
    let navigation = source
        .iter()
        .find(|v| v.key == "navigation_layout")
        .unwrap();
    assert_eq!(navigation.value.as_deref(), Some("Logo in the middle"));
}

async fn members_labels_and_subscriptions_arrive_and_merge_by_email(db: TestDb) {
    let app = db.app().await;
    // Rana signed up here before the move, under another id.
    let here = app.add_member("rana@example.com", None).await.unwrap();
    let file = write_file(&db, "ghost.json", &export_with_members(|_| {}));
    let out = ok(&db, &["import", &file]);
    assert!(out.contains("2 labels, 2 members."), "{out}");
    assert!(out.contains("1 members merged"), "{out}");

    let mut conn = app.store.reader().await.unwrap();
    assert_eq!(members::count(&mut conn).await.unwrap(), 3, "no duplicate");
    let rana = members::by_email(&mut conn, "rana@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rana.id, here.id, "merged into the member here");
    assert_eq!(rana.name.as_deref(), Some("Rana Reader"));
    assert_eq!(rana.note.as_deref(), Some("Met at the book fair"));
    let paid = members::by_email(&mut conn, "paid@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(paid.id.as_str(), "6b0a71728161d82b79d23b02", "ids kept");
    assert_eq!(paid.uuid, "5b1c1f64-4a4e-4d1e-9d0b-000000000002");
    assert_eq!(paid.status, "paid");
    assert!(paid.email_disabled);
    assert_eq!(paid.created_at.to_string(), "2026-11-28T08:10:00Z");
    let comped = members::by_email(&mut conn, "comped@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(comped.status, "comped");

    let ids = [rana.id.as_str(), paid.id.as_str(), comped.id.as_str()];
    let labelled: Vec<(String, String)> = labels::for_members(&mut conn, &ids)
        .await
        .unwrap()
        .into_iter()
        .map(|(member, label)| (member, label.slug))
        .collect();
    let mut want = vec![
        (rana.id.to_string(), "vip".to_owned()),
        (rana.id.to_string(), "press".to_owned()),
        (comped.id.to_string(), "press".to_owned()),
    ];
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(labelled, want, "labels in their order");
    for (member, subscribed) in [(&rana, true), (&paid, true), (&comped, false)] {
        let got = members::newsletter_ids(&mut conn, member.id.as_str())
            .await
            .unwrap();
        assert_eq!(
            got.contains(&NEWSLETTER.to_owned()),
            subscribed,
            "{}",
            member.email
        );
    }
}

async fn importing_members_twice_changes_nothing(db: TestDb) {
    let file = write_file(&db, "ghost.json", &export_with_members(|_| {}));
    ok(&db, &["import", &file]);
    let before = export_json(&db);
    let out = ok(&db, &["import", &file]);
    assert!(
        out.contains("0 newsletters, 0 tiers, 0 theme settings, 0 labels, 0 members. Already here"),
        "{out}"
    );
    assert!(
        out.contains("1 newsletters, 2 tiers, 2 labels; 3 members merged"),
        "{out}"
    );
    assert_eq!(export_json(&db), before);

    // The export writes them back in Ghost's tables.
    let data = &before["db"][0]["data"];
    insta::assert_json_snapshot!(
        "exported_members",
        json!({
            "labels": data["labels"],
            "members": data["members"],
            "members_labels": data["members_labels"],
            "members_newsletters": data["members_newsletters"],
        })
    );
}

async fn a_label_missing_from_the_file_is_skipped_with_a_warning(db: TestDb) {
    let file = write_file(
        &db,
        "ghost.json",
        &export_with_members(|data| {
            data["members_labels"][2]["label_id"] = json!("aaaaaaaaaaaaaaaaaaaaaaaa");
        }),
    );
    let out = run(&db, &["import", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warnings = stderr(&out);
    assert!(
        warnings.contains(
            "warning: members_labels[2]: label_id `aaaaaaaaaaaaaaaaaaaaaaaa` is not in the file; \
             link skipped"
        ),
        "{warnings}"
    );
    let app = db.app().await;
    let mut conn = app.store.reader().await.unwrap();
    let comped = members::by_email(&mut conn, "comped@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(
        labels::for_members(&mut conn, &[comped.id.as_str()])
            .await
            .unwrap()
            .is_empty(),
        "the member came, without the label"
    );

    // A bad field names its table, record and field.
    let bad = write_file(
        &db,
        "bad.json",
        &export_with_members(|data| data["members"][1]["status"] = json!("gold")),
    );
    let out = run(&db, &["import", &bad]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains(
            "members[1] (id 6b0a71728161d82b79d23b02): field `status` has an unknown value `gold`"
        ),
        "{message}"
    );
}
