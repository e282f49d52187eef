//! `/admin/members/`: administrators list (search, filters, order, pages), add, edit and delete
//! members, manage their labels, import a CSV and export the list as filtered; other roles are
//! refused.

use dateline_app::admin::Actor;
use dateline_app::members::admin::MemberDetail;
use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Response;
use reqwest::multipart::{Form, Part};

use super::tags::{post_form, text};
use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, between, location};
use crate::admin_api::add_staff;

backend_tests!(
    members_list_searches_filters_pages_and_exports,
    members_are_added_edited_and_deleted,
    member_labels_are_added_renamed_and_deleted,
    members_csv_import_reports_skipped_rows,
    members_are_for_administrators_only
);

/// 120 readers from a CSV (every third a VIP, every fourth unsubscribed, one a minute apart
/// from 10:00) and Siobhán O'Brien, the newest.
async fn seed(admin: &Admin) {
    let mut csv = String::from("email,name,subscribed_to_emails,created_at,labels\n");
    for i in 0..120 {
        let label = if i % 3 == 0 { "VIP" } else { "" };
        let subscribed = i % 4 != 0;
        csv.push_str(&format!(
            "reader{i:03}@example.com,Reader {i:03},{subscribed},2025-09-01T{:02}:{:02}:00.000Z,{label}\n",
            10 + i / 60,
            i % 60
        ));
    }
    csv.push_str("siobhan@example.org,Siobhán O'Brien,true,2025-09-02T09:00:00.000Z,Press\n");
    let report = admin
        .app
        .import_members_csv(csv.as_bytes(), &[], &|_, _| {})
        .await
        .unwrap();
    assert_eq!(report.imported, 121);
}

/// How many members a list page shows, and the first one's name.
fn rows(page: &str) -> (usize, String) {
    let count = page.matches(r#"<li class="story member">"#).count();
    let first = if count > 0 {
        let row = page.split(r#"<li class="story member">"#).nth(1).unwrap();
        between(row, "/\">", "</a>").to_owned()
    } else {
        String::new()
    };
    (count, first)
}

async fn list(admin: &Admin, browser: &Browser, query: &str) -> String {
    let res = admin
        .get(&format!("/admin/members/{query}"), Some(&browser.cookie))
        .await;
    assert_eq!(res.status(), 200, "{query}");
    text(res).await
}

async fn members_list_searches_filters_pages_and_exports(db: TestDb) {
    let admin = Admin::new(&db).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    // An empty list says how members arrive.
    let page = list(&admin, &owner, "").await;
    assert!(
        page.contains("0 members") && page.contains("No members yet"),
        "{page}"
    );

    seed(&admin).await;
    let page = list(&admin, &owner, "").await;
    assert!(page.contains("121 members"), "{page}");
    assert_eq!(rows(&page), (50, "Siobhán O'Brien".to_owned()));
    assert!(page.contains("reader119@example.com") && page.contains("VIP"));
    assert!(page.contains(r#"aria-label="Page 3""#) && !page.contains(r#"aria-label="Page 4""#));
    assert!(page.contains("Signed up <time"), "{page}");

    let last = list(&admin, &owner, "?page=3").await;
    assert_eq!(rows(&last), (21, "Reader 020".to_owned()));
    assert!(
        last.contains(r#"<span aria-current="page">3</span>"#),
        "{last}"
    );

    let oldest = list(&admin, &owner, "?sort=oldest").await;
    assert_eq!(rows(&oldest).1, "Reader 000");
    let by_name = list(&admin, &owner, "?sort=name").await;
    assert_eq!(rows(&by_name).1, "Reader 000");

    // Filters, alone and together, count what they match out of everyone.
    let vip = list(&admin, &owner, "?label=vip").await;
    assert_eq!(rows(&vip).0, 40);
    assert!(vip.contains("40 of 121 members"), "{vip}");
    let unsubscribed = list(&admin, &owner, "?newsletter=unsubscribed").await;
    assert_eq!(rows(&unsubscribed).0, 30);
    let both = list(&admin, &owner, "?label=vip&newsletter=unsubscribed").await;
    assert_eq!(rows(&both).0, 10);
    let newsletter = list(&admin, &owner, "?newsletter=daily-briefing").await;
    assert!(newsletter.contains("91 of 121 members"), "{newsletter}");
    let bounced = list(&admin, &owner, "?email=disabled").await;
    assert!(bounced.contains("No members match"), "{bounced}");

    // Search finds names and addresses, in any case, apostrophes included.
    let found = list(&admin, &owner, "?q=o%27brien").await;
    assert_eq!(rows(&found), (1, "Siobhán O'Brien".to_owned()));
    let found = list(&admin, &owner, "?q=READER11").await;
    assert_eq!(rows(&found).0, 10);

    // Page links keep the filter; the export link does too, and exports just those members.
    let vip_page = list(&admin, &owner, "?label=vip&sort=oldest").await;
    assert!(
        vip_page.contains(r#"href="/admin/members/export/?label=vip&sort=oldest""#),
        "{vip_page}"
    );
    let res = admin
        .get(
            "/admin/members/export/?label=vip&q=reader",
            Some(&owner.cookie),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"members.")
    );
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 41, "{csv}");
    assert!(lines[0].starts_with("id,email,name,note,subscribed_to_emails"));
    assert!(lines[1..].iter().all(|l| l.ends_with(",VIP,")), "{csv}");
    let everyone = admin
        .get("/admin/members/export/", Some(&owner.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(everyone.lines().count(), 122);
}

async fn created_id(res: &Response) -> String {
    let to = location(res);
    assert!(to.ends_with("/?saved=1"), "{to}");
    to.trim_start_matches("/admin/members/")
        .trim_end_matches("/?saved=1")
        .to_owned()
}

async fn read(admin: &Admin, actor: &Actor, id: &str) -> Option<MemberDetail> {
    admin.app.read_member(actor, id).await.unwrap()
}

async fn members_are_added_edited_and_deleted(db: TestDb) {
    let admin = Admin::new(&db).await;
    let chief = add_staff(&admin.app, "Nadia Chief", Role::Administrator).await;
    let actor = Actor::Staff(Box::new(chief.clone()));
    let nadia = admin.sign_in(&chief.email, PASSWORD).await;
    let newsletter = admin.app.newsletters().await.unwrap().remove(0);
    let newsletter_id = newsletter.id.to_string();

    // The form ticks the newsletters readers get on signing up.
    let form = text(admin.get("/admin/members/new/", Some(&nadia.cookie)).await).await;
    assert!(
        form.contains(&format!(
            r#"name="newsletters" value="{newsletter_id}" checked"#
        )),
        "{form}"
    );

    let fields = [("email", "rana@example.com"), ("name", "Rana Reader")];
    let res = post_form(&admin, &nadia, "/admin/members/", &fields).await;
    assert_eq!(res.status(), 403, "no CSRF token");

    // A bad address is explained in place, and what was typed stays.
    let mut fields = vec![
        ("csrf", nadia.csrf.as_str()),
        ("name", "Rana Reader"),
        ("email", "rana@example"),
        ("note", "Met at the book fair"),
        ("new_labels", "Press, VIP"),
        ("newsletters", newsletter_id.as_str()),
    ];
    let res = post_form(&admin, &nadia, "/admin/members/", &fields).await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(
        page.contains("“rana@example” is not an email address"),
        "{page}"
    );
    assert!(page.contains("Met at the book fair") && page.contains(r#"value="Press, VIP""#));

    fields[2] = ("email", "Rana@Example.com");
    let res = post_form(&admin, &nadia, "/admin/members/", &fields).await;
    assert_eq!(res.status(), 303);
    let id = created_id(&res).await;
    let rana = read(&admin, &actor, &id).await.unwrap();
    assert_eq!(rana.member.email, "rana@example.com");
    assert_eq!(rana.member.note.as_deref(), Some("Met at the book fair"));
    let labels: Vec<&str> = rana.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(labels, ["Press", "VIP"]);
    assert_eq!(rana.newsletters.len(), 1);
    let page = text(admin.get(location(&res), Some(&nadia.cookie)).await).await;
    assert!(
        page.contains("Saved.") && page.contains("Signed up"),
        "{page}"
    );

    // The same address again, in another case: refused in place, with the way to the member.
    let again = [
        ("csrf", nadia.csrf.as_str()),
        ("name", "Someone Else"),
        ("email", "RANA@example.com"),
    ];
    let res = post_form(&admin, &nadia, "/admin/members/", &again).await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(
        page.contains("rana@example.com is already a member")
            && page.contains(&format!(r#"href="/admin/members/{id}/">Open their page"#))
            && page.contains("Someone Else"),
        "{page}"
    );

    // Editing: one label kept, one typed, no newsletters.
    let press = rana.labels.iter().find(|l| l.name == "Press").unwrap();
    let path = format!("/admin/members/{id}/");
    let edit = [
        ("csrf", nadia.csrf.as_str()),
        ("name", "Rana Reader-Ali"),
        ("email", "rana@example.com"),
        ("note", ""),
        ("labels", press.id.as_str()),
        ("new_labels", "Donor"),
    ];
    let res = post_form(&admin, &nadia, &path, &edit).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), format!("{path}?saved=1"));
    let rana = read(&admin, &actor, &id).await.unwrap();
    let labels: Vec<&str> = rana.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(labels, ["Press", "Donor"]);
    assert!(rana.newsletters.is_empty());
    assert_eq!(rana.member.name.as_deref(), Some("Rana Reader-Ali"));
    assert_eq!(rana.member.note, None);
    let list = text(admin.get("/admin/members/", Some(&nadia.cookie)).await).await;
    assert!(
        list.contains("Rana Reader-Ali") && list.contains("No newsletters"),
        "{list}"
    );

    // Taking another member's address is refused too.
    let other = [
        ("csrf", nadia.csrf.as_str()),
        ("email", "other@example.com"),
    ];
    let res = post_form(&admin, &nadia, "/admin/members/", &other).await;
    let other_id = created_id(&res).await;
    let steal = [("csrf", nadia.csrf.as_str()), ("email", "rana@example.com")];
    let res = post_form(
        &admin,
        &nadia,
        &format!("/admin/members/{other_id}/"),
        &steal,
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("already a member"));

    // Deleting asks first and needs the token.
    let confirm = admin
        .get(&format!("{path}delete/"), Some(&nadia.cookie))
        .await;
    assert_eq!(confirm.status(), 200);
    assert!(text(confirm).await.contains("Delete Rana Reader-Ali?"));
    let delete = format!("{path}delete/");
    assert_eq!(post_form(&admin, &nadia, &delete, &[]).await.status(), 403);
    let res = post_form(&admin, &nadia, &delete, &[("csrf", nadia.csrf.as_str())]).await;
    assert_eq!(res.status(), 303);
    let list = text(admin.get(location(&res), Some(&nadia.cookie)).await).await;
    assert!(list.contains("Deleted Rana Reader-Ali."), "{list}");
    assert!(read(&admin, &actor, &id).await.is_none());
    assert_eq!(admin.get(&path, Some(&nadia.cookie)).await.status(), 404);
}

async fn member_labels_are_added_renamed_and_deleted(db: TestDb) {
    let admin = Admin::new(&db).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let csrf = owner.csrf.as_str();
    let page = text(
        admin
            .get("/admin/members/labels/", Some(&owner.cookie))
            .await,
    )
    .await;
    assert!(page.contains("No labels yet"), "{page}");

    let path = "/admin/members/labels/";
    assert_eq!(
        post_form(&admin, &owner, path, &[("name", "VIP")])
            .await
            .status(),
        403
    );
    let res = post_form(&admin, &owner, path, &[("csrf", csrf), ("name", "VIP")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/members/labels/?saved=VIP");
    let res = post_form(&admin, &owner, path, &[("csrf", csrf), ("name", "Press")]).await;
    assert_eq!(res.status(), 303);

    // A name in use, in any case, is refused in place.
    let res = post_form(&admin, &owner, path, &[("csrf", csrf), ("name", "vip")]).await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(
        page.contains("There is already a label called “vip”."),
        "{page}"
    );

    let page = text(admin.get(path, Some(&owner.cookie)).await).await;
    let vip_row = page.split("Name of “VIP”").next().unwrap();
    let vip_id = vip_row
        .rsplit(r#"action="/admin/members/labels/"#)
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        page.contains(r#"href="/admin/members/?label=vip""#),
        "{page}"
    );

    let rename = format!("{path}{vip_id}/");
    let res = post_form(
        &admin,
        &owner,
        &rename,
        &[("csrf", csrf), ("name", "Press")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let res = post_form(
        &admin,
        &owner,
        &rename,
        &[("csrf", csrf), ("name", "Very important")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let label = admin
        .app
        .label(
            &Actor::Integration {
                id: ObjectId::generate(),
            },
            dateline_store::labels::LabelKey::Id(&vip_id),
        )
        .await
        .unwrap();
    assert_eq!(
        (label.name.as_str(), label.slug.as_str()),
        ("Very important", "vip")
    );

    let delete = format!("{path}{vip_id}/delete/");
    let confirm = text(admin.get(&delete, Some(&owner.cookie)).await).await;
    assert!(
        confirm.contains("Delete the label “Very important”?"),
        "{confirm}"
    );
    assert_eq!(post_form(&admin, &owner, &delete, &[]).await.status(), 403);
    let res = post_form(&admin, &owner, &delete, &[("csrf", csrf)]).await;
    assert_eq!(res.status(), 303);
    let page = text(admin.get(location(&res), Some(&owner.cookie)).await).await;
    assert!(
        page.contains("Deleted “Very important”") && !page.contains("Name of “Very important”"),
        "{page}"
    );
}

async fn upload(admin: &Admin, browser: &Browser, csrf: &str, csv: &str, label: &str) -> Response {
    let form = Form::new()
        .text("csrf", csrf.to_owned())
        .text("label", label.to_owned())
        .part(
            "membersfile",
            Part::bytes(csv.as_bytes().to_vec())
                .file_name("members.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
    admin
        .post_multipart("/admin/members/import/", browser, form)
        .await
}

async fn members_csv_import_reports_skipped_rows(db: TestDb) {
    let admin = Admin::new(&db).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let page = text(
        admin
            .get("/admin/members/import/", Some(&owner.cookie))
            .await,
    )
    .await;
    assert!(page.contains(r#"enctype="multipart/form-data""#), "{page}");

    let csv = "email,name,labels\nada@example.com,Ada,Press\nnot-an-address,Bad Row,\n\
               ADA@example.com,Ada again,\nben@example.com,Ben,\n";
    let res = upload(&admin, &owner, "", csv, "").await;
    assert_eq!(res.status(), 403, "no CSRF token");

    let res = upload(&admin, &owner, &owner.csrf, csv, "Spring fair").await;
    assert_eq!(res.status(), 200);
    let page = text(res).await;
    assert!(page.contains("Imported 2 members."), "{page}");
    assert!(
        page.contains("Already members, not added again: 1 (they got the label)."),
        "{page}"
    );
    assert!(
        page.contains("Skipped 1 row:")
            && page.contains("Line 3 (not-an-address): “not-an-address” is not an email address."),
        "{page}"
    );
    let fair = list(&admin, &owner, "?label=spring-fair").await;
    assert!(fair.contains("2 of 2 members"), "{fair}");

    // A malformed file changes nothing and says where it broke.
    let broken = "email,name\ncara@example.com,Cara,extra\n";
    let res = upload(&admin, &owner, &owner.csrf, broken, "").await;
    assert_eq!(res.status(), 422);
    let page = text(res).await;
    assert!(
        page.contains("Line 2: 3 fields where the header has 2; nothing was imported."),
        "{page}"
    );
    assert!(list(&admin, &owner, "").await.contains("2 members"));

    // No file: said in place.
    let form = Form::new().text("csrf", owner.csrf.clone());
    let res = admin
        .post_multipart("/admin/members/import/", &owner, form)
        .await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("Choose a CSV file"));
}

async fn members_are_for_administrators_only(db: TestDb) {
    let admin = Admin::new(&db).await;
    let sam = admin.sign_in_staff("Sam Editor", Role::Editor).await;
    let lana = admin.sign_in_staff("Lana Author", Role::Author).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    seed(&admin).await;

    for who in [&sam, &lana] {
        for path in [
            "/admin/members/",
            "/admin/members/new/",
            "/admin/members/labels/",
            "/admin/members/import/",
            "/admin/members/export/",
        ] {
            let res = admin.get(path, Some(&who.cookie)).await;
            assert_eq!(res.status(), 403, "{path}");
            assert!(text(res).await.contains("not available to you"), "{path}");
        }
        let fields = [("csrf", who.csrf.as_str()), ("email", "sneaky@example.com")];
        let res = post_form(&admin, who, "/admin/members/", &fields).await;
        assert_eq!(res.status(), 403);
        let posts = text(admin.get("/admin/posts/", Some(&who.cookie)).await).await;
        assert!(!posts.contains(r#"href="/admin/members/""#), "{posts}");
    }
    let upload_res = upload(&admin, &sam, &sam.csrf, "email\nx@example.com\n", "").await;
    assert_eq!(upload_res.status(), 403);
    assert!(list(&admin, &owner, "").await.contains("121 members"));

    let posts = text(admin.get("/admin/posts/", Some(&owner.cookie)).await).await;
    assert!(
        posts.contains(r#"href="/admin/members/">Members</a>"#),
        "{posts}"
    );

    // Signed out: the login page, and back here afterwards.
    let res = admin.get("/admin/members/?label=vip", None).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/admin/login/?next=/admin/members/"));
}
