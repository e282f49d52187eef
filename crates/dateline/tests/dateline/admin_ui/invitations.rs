//! Staff invitations: the staff page at `/admin/staff/`, the mailed link to
//! `/admin/invitation/{token}/`, revoking, and who may invite whom; against a real SMTP server.

use std::time::Duration;

use dateline_app::invitations::INVITATION_LIFETIME;
use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::{Method, Response};

use super::password_reset::{admin_with_mail, next_link, post_form};
use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, between, location, set_cookie};
use crate::admin_api::add_staff;

backend_tests!(
    an_accepted_invitation_creates_the_account_with_its_role,
    who_may_invite_whom,
    revoked_and_expired_invitations_are_refused,
);

const NEW_PASSWORD: &str = "my own long password";
const INVITE: &str = "/admin/invitation/";

async fn invite(admin: &Admin, by: &Browser, email: &str, role: &str) -> Response {
    admin
        .call(Method::POST, "/admin/staff/invitations/", by)
        .form(&[("csrf", by.csrf.as_str()), ("email", email), ("role", role)])
        .send()
        .await
        .unwrap()
}

async fn staff_page(admin: &Admin, by: &Browser) -> String {
    staff_page_at(admin, by, "/admin/staff/").await
}

/// The staff page at `path` (where a form's answer redirected to, with its notice).
async fn staff_page_at(admin: &Admin, by: &Browser, path: &str) -> String {
    let res = admin.get(path, Some(&by.cookie)).await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn an_accepted_invitation_creates_the_account_with_its_role(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let page = staff_page(&admin, &owner).await;
    assert!(
        page.contains(r#"href="/admin/staff/""#),
        "the nav links the page"
    );
    assert!(page.contains(OWNER_EMAIL) && page.contains("Owner"));

    let res = invite(&admin, &owner, "New.Writer@example.com", "Author").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        location(&res),
        "/admin/staff/?invited=new.writer%40example.com"
    );
    let page = staff_page_at(&admin, &owner, location(&res)).await;
    assert!(page.contains("Invitation sent to new.writer@example.com"));
    assert!(page.contains("Pending, until"), "{page}");

    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails[0].rcpt_to, ["new.writer@example.com"]);
    assert_eq!(
        mails[0].header("subject"),
        Some("Editorial Desk has invited you to join The New Region")
    );
    assert!(mails[0].text.contains("as author"));
    let path = next_link(&admin, &sink, INVITE, &[]).await;

    let res = admin.get(&path, None).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<strong>author</strong>") && html.contains("new.writer@example.com"));

    let res = post_form(
        &admin,
        &path,
        &[("name", "Nia Writer"), ("password", "short")],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("at least 10 characters") && html.contains("Nia Writer"));

    let res = post_form(
        &admin,
        &path,
        &[("name", "Nia Writer"), ("password", NEW_PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/posts/");
    let cookie = set_cookie(&res, "ghost-admin-api-session").expect("signed in");
    let posts = admin.get("/admin/posts/", Some(&cookie)).await;
    assert!(
        posts
            .text()
            .await
            .unwrap()
            .contains("Nia Writer <small>(Author)</small>")
    );
    assert_eq!(
        admin
            .login("new.writer@example.com", NEW_PASSWORD)
            .await
            .status(),
        303
    );

    // Accepted: the invitation is gone from the page, the person is on it, the link is used.
    let page = staff_page(&admin, &owner).await;
    assert!(!page.contains("Pending, until"));
    assert!(page.contains("Nia Writer"));
    assert_eq!(admin.get(&path, None).await.status(), 410);
    let (cookie, csrf) = admin.form("/admin/login/").await;
    let again = admin
        .client
        .post(admin.url(&path))
        .header("Cookie", cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Someone Else"),
            ("password", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 410);

    // An address that already has an account cannot be invited.
    let res = invite(&admin, &owner, "new.writer@example.com", "Editor").await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("already belongs to a staff user")
    );
}

async fn who_may_invite_whom(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    let editor = add_staff(&admin.app, "Sam Editor", Role::Editor).await;
    let author = add_staff(&admin.app, "Ali Author", Role::Author).await;
    let editor = admin.sign_in(&editor.email, PASSWORD).await;
    let author = admin.sign_in(&author.email, PASSWORD).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;

    // Editors invite authors and contributors only, and are offered only those.
    let page = staff_page(&admin, &editor).await;
    assert!(page.contains(r#"<option value="Contributor""#));
    assert!(!page.contains(r#"<option value="Editor""#));
    for role in ["Author", "Contributor"] {
        let res = invite(&admin, &editor, &format!("{role}@example.com"), role).await;
        assert_eq!(res.status(), 303, "{role}");
    }
    for role in ["Editor", "Administrator", "Owner"] {
        let res = invite(&admin, &editor, "climber@example.com", role).await;
        assert_eq!(res.status(), 403, "{role}");
        assert!(res.text().await.unwrap().contains("cannot invite"));
    }

    // Authors invite nobody: no form, no invitations, and a forged post is refused.
    let page = staff_page(&admin, &author).await;
    assert!(!page.contains("Invite someone") && !page.contains("<h2>Invitations</h2>"));
    let res = invite(&admin, &author, "friend@example.com", "Contributor").await;
    assert_eq!(res.status(), 403);

    // Administrators invite any role but owner; editors cannot revoke what they could not send.
    let res = invite(&admin, &owner, "chief@example.com", "Administrator").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        invite(&admin, &owner, "second@example.com", "Owner")
            .await
            .status(),
        403
    );
    let page = staff_page(&admin, &owner).await;
    let chief = &page[page
        .find("chief@example.com")
        .expect("the invitation is listed")..];
    let id = between(chief, "/admin/staff/invitations/", "/revoke/");
    let res = admin
        .call(
            Method::POST,
            &format!("/admin/staff/invitations/{id}/revoke/"),
            &editor,
        )
        .form(&[("csrf", editor.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let page = staff_page(&admin, &owner).await;
    assert!(page.contains("chief@example.com"), "still pending");

    let mails = sink.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 3, "two from the editor, one from the owner");
}

async fn revoked_and_expired_invitations_are_refused(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    assert_eq!(
        invite(&admin, &owner, "temp@example.com", "Contributor")
            .await
            .status(),
        303
    );
    let path = next_link(&admin, &sink, INVITE, &[]).await;
    let token = path.trim_end_matches('/').rsplit('/').next().unwrap();

    // Seven days on, the link has expired.
    let now = dateline_core::time::now();
    let later = now + INVITATION_LIFETIME;
    assert!(admin.app.invitation(token, now).await.unwrap().is_some());
    assert!(admin.app.invitation(token, later).await.unwrap().is_none());
    let expired = admin
        .app
        .accept_invitation(token, "Tem Porary", NEW_PASSWORD, later)
        .await;
    assert!(expired.unwrap().is_none());

    // Inviting the same address again replaces the first link.
    assert_eq!(
        invite(&admin, &owner, "temp@example.com", "Author")
            .await
            .status(),
        303
    );
    let second = next_link(&admin, &sink, INVITE, &[&path]).await;
    assert_eq!(admin.get(&path, None).await.status(), 410);

    let page = staff_page(&admin, &owner).await;
    let id = between(&page, "/admin/staff/invitations/", "/revoke/").to_owned();
    let res = admin
        .call(
            Method::POST,
            &format!("/admin/staff/invitations/{id}/revoke/"),
            &owner,
        )
        .form(&[("csrf", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "no CSRF token");
    let res = admin
        .call(
            Method::POST,
            &format!("/admin/staff/invitations/{id}/revoke/"),
            &owner,
        )
        .form(&[("csrf", owner.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let page = staff_page_at(&admin, &owner, location(&res)).await;
    assert!(page.contains("was revoked") && !page.contains("temp@example.com"));

    let res = admin.get(&second, None).await;
    assert_eq!(res.status(), 410);
    let (cookie, csrf) = admin.form("/admin/login/").await;
    let res = admin
        .client
        .post(admin.url(&second))
        .header("Cookie", cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Tem Porary"),
            ("password", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);
    assert_eq!(
        admin.login("temp@example.com", NEW_PASSWORD).await.status(),
        401
    );
}
