//! `dateline import` of a Ghost export with thousands of members, written in batches: members
//! here already (by address under another id, or by id) merge under the same rules as one by
//! one, records of one reader twice (in one batch and across batches) merge into the first, a
//! second run changes nothing, and a record the database refuses in a late batch undoes all.

use std::collections::BTreeMap;

use dateline_core::id::ObjectId;
use dateline_store::members::{self, Member};
use dateline_store::{labels, newsletters};
use dateline_testkit::{TestDb, backend_tests};
use serde_json::{Value, json};

use crate::support::{export_json, ok, run, stderr, write_file};

backend_tests!(
    thousands_of_members_merge_as_one_by_one_and_a_second_run_changes_nothing,
    a_member_refused_in_a_late_batch_undoes_the_whole_import,
);

/// Members in the generated file: more than three batches.
const N: usize = 3500;
/// Here before the import (the file matches it by id) and in the file.
const DAILY: &str = "6b0a71728161d82b79d2f001";
/// New with the import.
const WEEKLY: &str = "6b0a71728161d82b79d2f002";
const VIP: &str = "6b0a71728161d82b79d2f101";
const PRESS: &str = "6b0a71728161d82b79d2f102";

/// The file's id of member `i`, and the id a member with the same address has here.
fn file_id(i: usize) -> String {
    format!("6b0a71728161{i:012x}")
}

fn site_id(i: usize) -> String {
    format!("6b0a71728162{i:012x}")
}

fn email(i: usize) -> String {
    format!("reader{i}@example.com")
}

/// Here already under another id, by address; a twelfth with a name, a twenty-fourth without
/// any newsletter (they left).
fn here_by_email(i: usize) -> bool {
    i.is_multiple_of(6)
}

/// Here already under the file's id, with another address.
fn here_by_id(i: usize) -> bool {
    i % 100 == 1
}

/// What the file says of member `i`.
struct Written {
    name: Option<String>,
    note: Option<String>,
    disabled: bool,
    newsletters: Vec<&'static str>,
    labels: Vec<&'static str>,
}

fn written(i: usize) -> Written {
    let mut newsletters = Vec::new();
    if !i.is_multiple_of(10) {
        newsletters.push(DAILY);
    }
    if i.is_multiple_of(2) {
        newsletters.push(WEEKLY);
    }
    let labels = if i.is_multiple_of(5) {
        vec![VIP, PRESS]
    } else if i.is_multiple_of(7) {
        vec![PRESS]
    } else {
        Vec::new()
    };
    Written {
        name: (i % 7 != 3).then(|| format!("Reader {i}")),
        note: i.is_multiple_of(4).then(|| format!("Note {i}")),
        disabled: i.is_multiple_of(50),
        newsletters,
        labels,
    }
}

/// A second record of reader `i`, under another id: appended to the file after the others.
/// 3403 is added in the last batch, so its twin lands in the same batch; 2 in the first.
const TWINS: [(usize, &[&str], &[&str], bool); 2] =
    [(3403, &[WEEKLY], &[], true), (2, &[WEEKLY], &[VIP], false)];

fn export(members: Vec<Value>, subscriptions: Vec<Value>, links: Vec<Value>) -> Vec<u8> {
    let data = json!({
        "newsletters": [
            { "id": DAILY, "name": "Daily", "slug": "daily", "sort_order": 0,
              "created_at": "2026-01-01 09:00:00" },
            { "id": WEEKLY, "name": "Weekly", "slug": "weekly", "sort_order": 1,
              "created_at": "2026-01-01 09:00:00" }
        ],
        "labels": [
            { "id": VIP, "name": "VIP", "slug": "vip", "created_at": "2026-01-01 09:00:00" },
            { "id": PRESS, "name": "Press", "slug": "press", "created_at": "2026-01-01 09:00:00" }
        ],
        "members": members,
        "members_newsletters": subscriptions,
        "members_labels": links,
    });
    serde_json::to_vec(&json!({ "db": [{ "meta": { "version": "5.130.6" }, "data": data }] }))
        .unwrap()
}

fn record(id: &str, email: &str, w: &Written) -> Value {
    json!({
        "id": id, "email": email, "name": w.name, "note": w.note, "status": "free",
        "email_disabled": u8::from(w.disabled), "created_at": "2026-02-01 10:00:00"
    })
}

fn links(id: &str, w: &Written, subscriptions: &mut Vec<Value>, labelled: &mut Vec<Value>) {
    for newsletter in &w.newsletters {
        subscriptions.push(json!({ "member_id": id, "newsletter_id": newsletter }));
    }
    for (order, label) in w.labels.iter().enumerate() {
        labelled.push(json!({ "member_id": id, "label_id": label, "sort_order": order }));
    }
}

/// The generated export: `N` readers, then the twins.
fn many_members() -> Vec<u8> {
    let (mut members, mut subscriptions, mut labelled) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..N {
        let w = written(i);
        members.push(record(&file_id(i), &email(i), &w));
        links(&file_id(i), &w, &mut subscriptions, &mut labelled);
    }
    for (k, (i, newsletters, labels, disabled)) in TWINS.into_iter().enumerate() {
        let w = Written {
            name: Some("Twin".into()),
            note: Some("Second record".into()),
            disabled,
            newsletters: newsletters.to_vec(),
            labels: labels.to_vec(),
        };
        let id = file_id(N + k);
        members.push(record(&id, &email(i), &w));
        links(&id, &w, &mut subscriptions, &mut labelled);
    }
    export(members, subscriptions, labelled)
}

fn member(id: String, email: String, name: Option<String>) -> Member {
    let now = dateline_core::time::now();
    Member {
        id: ObjectId::parse(&id).unwrap(),
        uuid: dateline_core::id::new_uuid(),
        email,
        name,
        note: None,
        status: "free".into(),
        email_disabled: false,
        created_at: now,
        updated_at: now,
    }
}

/// A member as stored: (id, name, note, address disabled, newsletters, labels in order).
type Stored = (
    String,
    Option<String>,
    Option<String>,
    bool,
    Vec<String>,
    Vec<String>,
);

/// Every member by address.
async fn stored(db: &TestDb) -> BTreeMap<String, Stored> {
    let app = db.app().await;
    let mut conn = app.store.reader().await.unwrap();
    let all = members::page_after(&mut conn, "", u32::MAX).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    let mut newsletters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (member, newsletter) in members::newsletter_links(&mut conn, &ids).await.unwrap() {
        newsletters.entry(member).or_default().push(newsletter);
    }
    let mut labelled: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (member, label) in labels::for_members(&mut conn, &ids).await.unwrap() {
        labelled
            .entry(member)
            .or_default()
            .push(label.id.to_string());
    }
    all.into_iter()
        .map(|m| {
            let id = m.id.to_string();
            let mut subscribed = newsletters.remove(&id).unwrap_or_default();
            subscribed.sort();
            let labels = labelled.remove(&id).unwrap_or_default();
            let row = (id, m.name, m.note, m.email_disabled, subscribed, labels);
            (m.email, row)
        })
        .collect()
}

fn owned(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    ids.sort();
    ids
}

async fn thousands_of_members_merge_as_one_by_one_and_a_second_run_changes_nothing(db: TestDb) {
    // The site has the daily newsletter (moved over earlier) and some of the readers.
    let mut first: Value = serde_json::from_slice(&export(vec![], vec![], vec![])).unwrap();
    let data = &mut first["db"][0]["data"];
    data["newsletters"].as_array_mut().unwrap().truncate(1);
    data["labels"] = json!([]);
    let first = write_file(&db, "daily.json", &serde_json::to_vec(&first).unwrap());
    ok(&db, &["import", &first]);
    let app = db.app().await;
    let mut tx = app.store.begin().await.unwrap();
    let mut seeded = Vec::new();
    let mut subscriptions = Vec::new();
    for i in 0..N {
        if here_by_email(i) {
            let name = i.is_multiple_of(12).then(|| format!("Site {i}"));
            seeded.push(member(site_id(i), email(i), name));
            if !i.is_multiple_of(24) {
                subscriptions.push(site_id(i));
            }
        } else if here_by_id(i) {
            seeded.push(member(file_id(i), format!("old{i}@example.com"), None));
            subscriptions.push(file_id(i));
        }
    }
    assert_eq!(
        members::insert_many(&mut tx, &seeded).await.unwrap().len(),
        seeded.len()
    );
    let pairs: Vec<(&str, &str)> = subscriptions.iter().map(|m| (m.as_str(), DAILY)).collect();
    members::subscribe_many(&mut tx, &pairs).await.unwrap();
    tx.commit().await.unwrap();

    let file = write_file(&db, "many.json", &many_members());
    let out = ok(&db, &["import", &file]);
    let matched = seeded.len() + TWINS.len();
    assert!(
        out.contains(&format!(
            "2 labels, {} members. Already here",
            N - seeded.len()
        )),
        "{out}"
    );
    assert!(out.contains(&format!("{matched} members merged")), "{out}");

    let mut want: BTreeMap<String, Stored> = BTreeMap::new();
    for i in 0..N {
        let w = written(i);
        let labels: Vec<String> = w.labels.iter().map(|l| (*l).to_owned()).collect();
        let (address, row) = if here_by_email(i) {
            let name = if i.is_multiple_of(12) {
                Some(format!("Site {i}"))
            } else {
                w.name.clone()
            };
            // Who left stays gone; who gets mail gains only the newsletter new here.
            let newsletters = if i.is_multiple_of(24) {
                Vec::new()
            } else {
                owned(&[DAILY, WEEKLY])
            };
            let row = (site_id(i), name, w.note, w.disabled, newsletters, labels);
            (email(i), row)
        } else if here_by_id(i) {
            let row = (
                file_id(i),
                w.name,
                w.note,
                w.disabled,
                owned(&[DAILY]),
                labels,
            );
            (format!("old{i}@example.com"), row)
        } else {
            let newsletters = owned(&w.newsletters);
            let row = (file_id(i), w.name, w.note, w.disabled, newsletters, labels);
            (email(i), row)
        };
        want.insert(address, row);
    }
    // The twins fill the note, disable the address, add the new newsletter to a reader who
    // gets mail, and add their label after none.
    let twin = want.get_mut(&email(3403)).unwrap();
    twin.2 = Some("Second record".into());
    twin.3 = true;
    twin.4 = owned(&[DAILY, WEEKLY]);
    let twin = want.get_mut(&email(2)).unwrap();
    twin.2 = Some("Second record".into());
    twin.5 = vec![VIP.to_owned()];

    let got = stored(&db).await;
    assert_eq!(got.len(), N, "nobody twice");
    for (address, row) in &want {
        assert_eq!(got.get(address), Some(row), "{address}");
    }

    let before = export_json(&db);
    let out = ok(&db, &["import", &file]);
    assert!(out.contains("0 labels, 0 members. Already here"), "{out}");
    assert!(
        out.contains(&format!("2 labels; {} members merged", N + TWINS.len())),
        "{out}"
    );
    assert_eq!(export_json(&db), before, "the second run changes nothing");
}

async fn a_member_refused_in_a_late_batch_undoes_the_whole_import(db: TestDb) {
    let app = db.app().await;
    let here = app.add_member("here@example.com", None).await.unwrap();
    let mut members_in_file = Vec::new();
    let (mut subscriptions, mut labelled) = (Vec::new(), Vec::new());
    for i in 0..2600 {
        let w = written(i);
        let mut record = record(&file_id(i), &email(i), &w);
        if i == 2500 {
            // Ghost's uuids are unique; this one is a member's here.
            record["uuid"] = json!(here.uuid);
        }
        members_in_file.push(record);
        links(&file_id(i), &w, &mut subscriptions, &mut labelled);
    }
    let file = write_file(
        &db,
        "clash.json",
        &export(members_in_file, subscriptions, labelled),
    );
    let out = run(&db, &["import", &file]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(
        message.contains(&format!("members[2500] (id {})", file_id(2500))),
        "{message}"
    );
    assert!(message.contains("nothing was changed"), "{message}");

    let mut conn = app.store.reader().await.unwrap();
    assert_eq!(members::count(&mut conn).await.unwrap(), 1);
    assert!(labels::all(&mut conn).await.unwrap().is_empty());
    assert!(
        newsletters::find(&mut conn, WEEKLY)
            .await
            .unwrap()
            .is_none()
    );
}
