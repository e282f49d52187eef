//! Member CSV import and export, Ghost's columns, through the CLI (`dateline members …`) and the
//! Admin API (`/members/upload/`): 10,000 rows import, bad addresses are skipped and counted,
//! a malformed file changes nothing, and importing again never duplicates anyone.

use std::fmt::Write as _;

use dateline_app::webhooks::WebhookOptions;
use dateline_http::admin_api::webhooks::setup;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::admin_api::{Site, error, send};
use crate::support::{ok, run, stderr, write_file};

backend_tests!(
    the_cli_imports_ten_thousand_rows_once_and_exports_them,
    the_admin_api_imports_and_exports_member_csv,
    each_member_a_csv_adds_fires_member_added,
    each_member_a_csv_changes_fires_member_edited_with_what_changed
);

const HEADER: &str = "id,email,name,note,subscribed_to_emails,complimentary_plan,\
                      stripe_customer_id,created_at,deleted_at,labels,tiers";

/// `n` members in Ghost's export format; every tenth is unsubscribed, every fifth labelled.
fn ghost_csv(n: usize) -> String {
    let mut csv = format!("{HEADER}\r\n");
    for i in 0..n {
        let subscribed = if i % 10 == 0 { "false" } else { "true" };
        let labels = if i % 5 == 0 { "\"VIP, Press\"" } else { "" };
        writeln!(
            csv,
            "64f0c0ffee{i:014},reader{i}@example.com,Reader {i},,{subscribed},,,\
             2025-01-0{}T10:00:00.000Z,,{labels},",
            i % 9 + 1
        )
        .unwrap();
    }
    csv
}

async fn the_cli_imports_ten_thousand_rows_once_and_exports_them(db: TestDb) {
    let app = db.app().await;
    let mut csv = ghost_csv(10_000);
    csv.push_str(",not-an-address,Nobody,,true,,,,,,\n");
    csv.push_str(",READER7@example.com,Twice,,true,,,,,,\n");
    let file = write_file(&db, "members.csv", csv.as_bytes());

    let started = std::time::Instant::now();
    let out = ok(
        &db,
        &["members", "import", &file, "--label", "Imported 2026"],
    );
    eprintln!("10,000-row import took {:?}", started.elapsed());
    assert!(
        out.contains("10000 new members, 1 already members, 1 skipped"),
        "{out}"
    );
    assert_eq!(app.member_count().await.unwrap(), 10_000);

    // Again: nobody is added twice.
    let out = ok(&db, &["members", "import", &file]);
    assert!(
        out.contains("0 new members, 10001 already members"),
        "{out}"
    );
    assert_eq!(app.member_count().await.unwrap(), 10_000);

    // A malformed file is refused with its line, and nothing of it is imported.
    let bad = write_file(
        &db,
        "bad.csv",
        b"email,name\nfresh1@example.com,One\nfresh2@example.com,Two,extra\n",
    );
    let out = run(&db, &["members", "import", &bad]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("line 3"), "{}", stderr(&out));
    assert_eq!(app.member_count().await.unwrap(), 10_000);
    let headless = write_file(&db, "headless.csv", b"name\nOne\n");
    let out = run(&db, &["members", "import", &headless]);
    assert!(
        stderr(&out).contains("no `email` column"),
        "{}",
        stderr(&out)
    );

    let exported = ok(&db, &["members", "export"]);
    let mut lines = exported.split("\r\n");
    assert_eq!(lines.next(), Some(HEADER));
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 10_000);
    let reader5 = rows
        .iter()
        .find(|r| r.contains(",reader5@example.com,"))
        .unwrap();
    assert!(
        reader5
            .contains(",Reader 5,,true,,,2025-01-06T10:00:00.000Z,,\"VIP,Press,Imported 2026\","),
        "{reader5}"
    );
    let reader10 = rows
        .iter()
        .find(|r| r.contains(",reader10@example.com,"))
        .unwrap();
    assert!(reader10.contains(",false,"), "unsubscribed: {reader10}");

    // The export imports back into an empty site as the same members.
    let other = TestDb::new(db.backend).await;
    if let Some(other) = other {
        let file = write_file(&other, "export.csv", exported.as_bytes());
        let out = ok(&other, &["members", "import", &file]);
        assert!(out.contains("10000 new members"), "{out}");
        let again = ok(&other, &["members", "export", "-"]);
        let strip_ids = |text: &str| -> Vec<String> {
            let mut rows: Vec<String> = text
                .split("\r\n")
                .skip(1)
                .filter(|l| !l.is_empty())
                .map(|l| l.split_once(',').unwrap().1.to_owned())
                .collect();
            rows.sort();
            rows
        };
        assert_eq!(strip_ids(&again), strip_ids(&exported));
    }
}

async fn the_admin_api_imports_and_exports_member_csv(db: TestDb) {
    let site = Site::new(&db).await;
    let csv = format!(
        "{}{}",
        ghost_csv(50),
        "x,=cmd|' /C calc'!A0@evil.example,=HYPERLINK(\"http://evil\"),,true,,,,,,\r\n\
         y,,Nameless,,true,,,,,,\r\n"
    );
    let upload = |bytes: Vec<u8>| {
        Form::new()
            .part(
                "membersfile",
                Part::bytes(bytes)
                    .file_name("members.csv")
                    .mime_str("text/csv")
                    .unwrap(),
            )
            .text("labels", "Spring import")
    };
    let (status, body) = send(
        site.key(Method::POST, "/members/upload/")
            .multipart(upload(csv.clone().into_bytes())),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let stats = &body["meta"]["stats"];
    assert_eq!(stats["imported"], 50);
    assert_eq!(stats["existing"], 0);
    let invalid = stats["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 2, "{body}");
    assert_eq!(invalid[0]["line"], 52);
    assert!(
        invalid[0]["error"]
            .as_str()
            .unwrap()
            .contains("is not an email address")
    );

    let (_, body) =
        send(site.key(Method::GET, "/members/?filter=label:spring-import&limit=1")).await;
    assert_eq!(body["meta"]["pagination"]["total"], 50);
    let (_, body) = send(site.key(Method::GET, "/members/?filter=label:vip&limit=1")).await;
    assert_eq!(body["meta"]["pagination"]["total"], 10);

    // Again: all already members.
    let (status, body) = send(
        site.key(Method::POST, "/members/upload/")
            .multipart(upload(csv.into_bytes())),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["meta"]["stats"]["imported"], 0);
    assert_eq!(body["meta"]["stats"]["existing"], 50);

    // Malformed: 422 naming the line; nothing imported.
    let (status, body) = send(site.key(Method::POST, "/members/upload/").multipart(upload(
        b"email\nok@example.com\n\xff\xfe@example.com\n".to_vec(),
    )))
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        error(&body)["message"].as_str().unwrap().contains("line"),
        "{body}"
    );
    let (status, body) = send(
        site.key(Method::POST, "/members/upload/")
            .multipart(Form::new().text("labels", "x")),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (_, body) = send(site.key(Method::GET, "/members/?limit=1")).await;
    assert_eq!(body["meta"]["pagination"]["total"], 50);

    // A note that looks like a formula leaves as text.
    let (status, body) = send(site.key(Method::POST, "/members/").json(&json!({
        "members": [{ "email": "sheet@example.com", "name": "=1+1", "note": "@SUM(A1)" }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");

    let res = site
        .key(Method::GET, "/members/upload/")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"members.")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let text = res.text().await.unwrap();
    assert!(text.starts_with(HEADER), "{text}");
    assert_eq!(text.split("\r\n").filter(|l| !l.is_empty()).count(), 52);
    let sheet = text
        .split("\r\n")
        .find(|l| l.contains("sheet@example.com"))
        .unwrap();
    assert!(sheet.contains(",'=1+1,'@SUM(A1),"), "{sheet}");
}

/// The Admin API's upload form for `csv`.
fn members_file(csv: &[u8]) -> Form {
    Form::new().part(
        "membersfile",
        Part::bytes(csv.to_vec())
            .file_name("members.csv")
            .mime_str("text/csv")
            .unwrap(),
    )
}

async fn each_member_a_csv_adds_fires_member_added(db: TestDb) {
    let app = db
        .app()
        .await
        .with_webhooks(setup(WebhookOptions::default()));
    let site = Site::on(app).await;
    let hook = hook(&site, "member.added").await;
    let deliveries = || deliveries(&site, &hook);
    // One member added by hand first: the import must not announce them again.
    let (status, _) = send(site.key(Method::POST, "/members/").json(&json!({
        "members": [{ "email": "reader3@example.com" }]
    })))
    .await;
    assert_eq!(status, 201);

    let (status, body) = send(
        site.key(Method::POST, "/members/upload/")
            .multipart(members_file(ghost_csv(12).as_bytes())),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["meta"]["stats"]["imported"], 11);
    let queued = deliveries().await;
    assert_eq!(
        queued.len(),
        12,
        "the hand-added member and eleven imported"
    );
    assert!(queued.iter().all(|d| d["event"] == "member.added"));
    let mut emails: Vec<String> = queued
        .iter()
        .map(|d| {
            let member = &d["payload"]["member"];
            assert_eq!(member["previous"], json!({}));
            member["current"]["email"].as_str().unwrap().to_owned()
        })
        .collect();
    emails.sort();
    let mut expected: Vec<String> = (0..12).map(|i| format!("reader{i}@example.com")).collect();
    expected.sort();
    assert_eq!(emails, expected, "each member once");
    // The payload is the member as the Admin API shows them, labels and all.
    let reader5 = queued
        .iter()
        .map(|d| &d["payload"]["member"]["current"])
        .find(|m| m["email"] == "reader5@example.com")
        .unwrap();
    assert_eq!(reader5["name"], "Reader 5");
    assert_eq!(reader5["labels"][0]["name"], "VIP");
    assert_eq!(reader5["subscribed"], true);

    // Importing again adds nobody and announces nobody; a malformed file neither.
    let (status, _) = send(
        site.key(Method::POST, "/members/upload/")
            .multipart(members_file(ghost_csv(12).as_bytes())),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = send(
        site.key(Method::POST, "/members/upload/")
            .multipart(members_file(
                b"email,name\nfresh@example.com,One\nx@example.com,Two,3\n",
            )),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(deliveries().await.len(), 12);

    // The CLI's import is a change like any other: its new members are announced too.
    let file = write_file(
        &db,
        "more.csv",
        b"email,name
reader0@example.com,Again
cli@example.com,From the CLI
",
    );
    ok(&db, &["members", "import", &file]);
    let queued = deliveries().await;
    assert_eq!(queued.len(), 13, "only the one new member");
    assert!(
        queued
            .iter()
            .any(|d| d["payload"]["member"]["current"]["email"] == "cli@example.com")
    );
}

/// A webhook for `event` (no worker runs in these tests, so every queued delivery stays in the
/// hook's log to be counted); its id.
async fn hook(site: &Site, event: &str) -> String {
    let (status, body) = send(site.key(Method::POST, "/webhooks/").json(&json!({
        "webhooks": [{ "event": event, "target_url": "http://127.0.0.1:9/hook" }]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    body["webhooks"][0]["id"].as_str().unwrap().to_owned()
}

async fn deliveries(site: &Site, hook: &str) -> Vec<serde_json::Value> {
    let (status, body) = send(site.key(
        Method::GET,
        &format!("/webhooks/{hook}/deliveries/?limit=all"),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    body["deliveries"].as_array().unwrap().clone()
}

/// A blank name filled, a label added, a subscription ended; one row changes nothing, one
/// member is new (added, not edited).
const CHANGES: &[u8] = b"email,name,subscribed_to_emails,labels\n\
    nameless@example.com,Now Named,,\n\
    named@example.com,Other Name,,Press\n\
    leaving@example.com,,false,\n\
    new@example.com,New,,\n";

async fn each_member_a_csv_changes_fires_member_edited_with_what_changed(db: TestDb) {
    let app = db
        .app()
        .await
        .with_webhooks(setup(WebhookOptions::default()));
    let site = Site::on(app).await;
    let upload = |csv: &'static [u8]| {
        let site = &site;
        async move {
            let (status, body) = send(
                site.key(Method::POST, "/members/upload/")
                    .multipart(members_file(csv)),
            )
            .await;
            assert_eq!(status, 201, "{body}");
        }
    };
    upload(b"email,name\nnameless@example.com,\nnamed@example.com,Named\nleaving@example.com,Leaving\n").await;
    let edited = hook(&site, "member.edited").await;

    upload(CHANGES).await;
    let queued = deliveries(&site, &edited).await;
    let mut changes: Vec<(String, serde_json::Value)> = queued
        .iter()
        .map(|d| {
            assert_eq!(d["event"], "member.edited");
            let member = &d["payload"]["member"];
            (
                member["current"]["email"].as_str().unwrap().to_owned(),
                member["previous"].clone(),
            )
        })
        .collect();
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    let emails: Vec<&str> = changes.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(
        emails,
        [
            "leaving@example.com",
            "named@example.com",
            "nameless@example.com"
        ]
    );
    assert_eq!(changes[0].1["subscribed"], true, "{:?}", changes[0]);
    assert_eq!(changes[1].1["labels"], json!([]), "{:?}", changes[1]);
    assert!(
        changes[1].1.get("name").is_none(),
        "a name is kept, not replaced"
    );
    assert_eq!(
        changes[2].1["name"],
        serde_json::Value::Null,
        "{:?}",
        changes[2]
    );

    // The same file again changes nobody, and says so by silence.
    upload(CHANGES).await;
    assert_eq!(deliveries(&site, &edited).await.len(), 3);
}
