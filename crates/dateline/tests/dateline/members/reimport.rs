//! Importing members who are here already, by CSV (the CLI and the Admin API's
//! `/members/upload/`) and by Ghost JSON (`dateline import`): nobody is subscribed again after
//! leaving, nobody is added twice whatever the case of their address, labels merge, and the
//! file fills only the names and notes the newsroom left blank. And an import killed half-way
//! finishes on the next run with one row per member.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use dateline_store::{labels, members};
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::admin_api::{Site, send};
use crate::cli::import_members::export_with_members;
use crate::support::{dateline, ok, write_file};

backend_tests!(
    reimporting_a_csv_never_resubscribes_and_keeps_what_the_newsroom_wrote,
    a_json_import_never_resubscribes_a_member_who_left,
    an_import_killed_half_way_finishes_on_the_next_run,
);

/// The Admin API's upload form for `csv`.
fn upload(csv: &str) -> Form {
    Form::new().part(
        "membersfile",
        Part::bytes(csv.as_bytes().to_vec())
            .file_name("members.csv")
            .mime_str("text/csv")
            .unwrap(),
    )
}

/// A member as the Admin API shows them, by address.
async fn member(site: &Site, email: &str) -> Value {
    let (status, body) = send(site.key(
        Method::GET,
        &format!("/members/?filter=email:'{email}'&include=labels,newsletters"),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    body["members"][0].clone()
}

fn label_names(member: &Value) -> Vec<&str> {
    member["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect()
}

async fn reimporting_a_csv_never_resubscribes_and_keeps_what_the_newsroom_wrote(db: TestDb) {
    let site = Site::new(&db).await;
    let first = write_file(
        &db,
        "first.csv",
        b"email,name,note,subscribed_to_emails,labels\n\
          ann@example.com,Ann,,true,VIP\n\
          bea@example.com,,,true,\n\
          cal@example.com,Cal,,true,\n\
          dan@example.com,Dan,Met at the fair,true,\n",
    );
    let out = ok(&db, &["members", "import", &first]);
    assert!(out.contains("4 new members, 0 already members"), "{out}");

    // The newsroom renames Ann; Bea unsubscribes; Cal's address bounces.
    let ann = member(&site, "ann@example.com").await;
    let (status, body) = send(
        site.key(
            Method::PUT,
            &format!("/members/{}/", ann["id"].as_str().unwrap()),
        )
        .json(&json!({ "members": [{ "name": "Ann Edited" }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let bea = member(&site, "bea@example.com").await;
    assert_eq!(bea["subscribed"], true);
    let (status, body) = send(
        site.key(
            Method::PUT,
            &format!("/members/{}/", bea["id"].as_str().unwrap()),
        )
        .json(&json!({ "members": [{ "newsletters": [] }] })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mut tx = site.app.store.begin().await.unwrap();
    let cal = members::by_email(&mut tx, "cal@example.com")
        .await
        .unwrap()
        .unwrap();
    members::set_email_disabled(&mut tx, cal.id.as_str(), true, dateline_core::time::now())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // The list comes back from elsewhere, addresses in other cases, everyone "subscribed"
    // except Dan, who left there.
    let (status, body) = send(
        site.key(Method::POST, "/members/upload/").multipart(
            upload(
                "email,name,note,subscribed_to_emails,labels\r\n\
                 ANN@Example.com,Ann From The File,A note,true,\"VIP,Press\"\r\n\
                 Bea@example.com,Bea,,true,Press\r\n\
                 cal@EXAMPLE.com,Cal Other,,true,\r\n\
                 dan@example.com,,Another note,false,\r\n\
                 eve@example.com,Eve,,,Press\r\n\
                 eve@example.com,Eve Twice,,,\r\n",
            )
            .text("labels", "Returning"),
        ),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["meta"]["stats"]["imported"], 1, "{body}");
    assert_eq!(body["meta"]["stats"]["existing"], 5, "{body}");

    let (_, body) = send(site.key(Method::GET, "/members/?limit=1")).await;
    assert_eq!(body["meta"]["pagination"]["total"], 5, "nobody twice");

    let ann = member(&site, "ann@example.com").await;
    assert_eq!(ann["name"], "Ann Edited", "the newsroom's name stays");
    assert_eq!(ann["note"], "A note", "a blank note is filled");
    assert_eq!(ann["subscribed"], true);
    assert_eq!(label_names(&ann), ["VIP", "Press", "Returning"]);

    let bea = member(&site, "bea@example.com").await;
    assert_eq!(bea["name"], "Bea", "a blank name is filled");
    assert_eq!(
        bea["subscribed"], false,
        "who unsubscribed stays unsubscribed"
    );
    assert_eq!(label_names(&bea), ["Press", "Returning"]);

    let cal = member(&site, "cal@example.com").await;
    assert_eq!(cal["name"], "Cal");
    let mut db_conn = site.app.store.reader().await.unwrap();
    let stored = members::by_email(&mut db_conn, "cal@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(stored.email_disabled, "a bounced address stays disabled");

    let dan = member(&site, "dan@example.com").await;
    assert_eq!(dan["subscribed"], false, "the file's `false` ends the mail");
    assert_eq!(dan["note"], "Met at the fair");

    let eve = member(&site, "eve@example.com").await;
    assert_eq!(eve["name"], "Eve", "the first row of an address counts");
    assert_eq!(
        eve["subscribed"], true,
        "a new member without a column is subscribed"
    );

    // A value that is neither true nor false skips the row, by line; the others land.
    let file = write_file(
        &db,
        "odd.csv",
        b"email,subscribed_to_emails\nfay@example.com,maybe\ngus@example.com,0\n",
    );
    let out = run_stderr(&db, &["members", "import", &file]);
    assert!(
        out.contains("skipped line 2 (\"fay@example.com\"): subscribed_to_emails is `maybe`"),
        "{out}"
    );
    assert!(member(&site, "fay@example.com").await.is_null());
    assert_eq!(member(&site, "gus@example.com").await["subscribed"], false);
}

/// Runs the CLI, which must succeed; returns what it wrote on both streams.
fn run_stderr(db: &TestDb, args: &[&str]) -> String {
    let out = crate::support::run(db, args);
    assert!(out.status.success(), "{out:?}");
    format!(
        "{}{}",
        crate::support::stdout(&out),
        crate::support::stderr(&out)
    )
}

async fn a_json_import_never_resubscribes_a_member_who_left(db: TestDb) {
    const NEWSLETTER: &str = "6b0a71728161d82b79d2395e";
    let file = write_file(&db, "ghost.json", &export_with_members(|_| {}));
    ok(&db, &["import", &file]);
    let app = db.app().await;
    let mut tx = app.store.begin().await.unwrap();
    let rana = members::by_email(&mut tx, "rana@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(
        members::unsubscribe(&mut tx, rana.id.as_str(), NEWSLETTER)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();

    // The same export again, and one from another site where Rana is new under another id.
    ok(&db, &["import", &file]);
    let other = export_with_members(|data| {
        data["members"][0]["id"] = json!("6b0a71728161d82b79d23b99");
        data["members_labels"][0]["member_id"] = json!("6b0a71728161d82b79d23b99");
        data["members_labels"][1]["member_id"] = json!("6b0a71728161d82b79d23b99");
        data["members_newsletters"][0]["member_id"] = json!("6b0a71728161d82b79d23b99");
    });
    let other = write_file(&db, "other.json", &other);
    ok(&db, &["import", &other]);

    let mut conn = app.store.reader().await.unwrap();
    assert_eq!(members::count(&mut conn).await.unwrap(), 3);
    let rana = members::by_email(&mut conn, "rana@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(
        members::newsletter_ids(&mut conn, rana.id.as_str())
            .await
            .unwrap()
            .is_empty(),
        "Rana left and stays gone"
    );
    let slugs: Vec<String> = labels::for_members(&mut conn, &[rana.id.as_str()])
        .await
        .unwrap()
        .into_iter()
        .map(|(_, l)| l.slug)
        .collect();
    assert_eq!(slugs, ["vip", "press"]);
}

/// Members of the kill test: enough that a debug build takes a while to write them.
const MANY: usize = 30_000;

async fn an_import_killed_half_way_finishes_on_the_next_run(db: TestDb) {
    let mut csv = String::from("email,name,subscribed_to_emails,labels\n");
    for i in 0..MANY {
        let subscribed = if i.is_multiple_of(10) {
            "false"
        } else {
            "true"
        };
        let labels = if i.is_multiple_of(5) {
            "\"VIP, Press\""
        } else {
            ""
        };
        writeln!(
            csv,
            "reader{i}@example.com,Reader {i},{subscribed},{labels}"
        )
        .unwrap();
    }
    let file = write_file(&db, "many.csv", csv.as_bytes());
    let app = db.app().await;

    let mut child = dateline(&db)
        .args(["members", "import", &file, "--label", "Batch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    // Until the first chunk is in, then SIGKILL: no chance to finish the next one.
    while matches!(app.member_count().await, Ok(0)) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _ = child.kill();
    child.wait().unwrap();
    let at_kill = app.member_count().await.unwrap();
    assert!(
        at_kill > 0 && at_kill < MANY as u64,
        "the kill should land half-way; {at_kill} members were in"
    );

    let out = ok(&db, &["members", "import", &file, "--label", "Batch"]);
    assert!(
        out.contains(&format!(
            "{} new members, {at_kill} already members",
            MANY as u64 - at_kill
        )),
        "{out}"
    );
    let exported = ok(&db, &["members", "export"]);
    // Each row without its id: `email,name,note,subscribed,,,created_at,,labels,`.
    let rows: Vec<&str> = exported
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split_once(',').unwrap().1)
        .collect();
    assert_eq!(rows.len(), MANY, "one row per member");
    let emails: HashSet<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    assert_eq!(emails.len(), MANY);
    for row in &rows {
        let i: usize = row
            .trim_start_matches("reader")
            .split_once('@')
            .unwrap()
            .0
            .parse()
            .unwrap();
        let subscribed = if i.is_multiple_of(10) {
            "false"
        } else {
            "true"
        };
        let labels = if i.is_multiple_of(5) {
            "\"VIP,Press,Batch\""
        } else {
            "Batch"
        };
        assert!(
            row.starts_with(&format!("reader{i}@example.com,Reader {i},,{subscribed},"))
                && row.ends_with(&format!(",{labels},")),
            "{row}"
        );
    }
}
