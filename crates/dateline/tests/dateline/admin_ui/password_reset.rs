//! "Forgot password?": `/admin/forgot/` and the link it mails to `/admin/reset/{token}/`,
//! against a real SMTP server.

use std::time::Duration;

use dateline_app::login_throttle::ACCOUNT_LIMIT;
use dateline_app::mailing::MailSetup;
use dateline_app::password_reset::RESET_LIFETIME;
use dateline_testkit::{Received, SmtpSink, TestDb, backend_tests};
use reqwest::Response;
use serde_json::json;

use super::{Admin, OWNER_EMAIL, PASSWORD, location, set_cookie};
use crate::admin_api::{error, send};

backend_tests!(
    a_mailed_link_sets_a_new_password_and_ends_every_other_session,
    unknown_addresses_get_the_same_answer_and_no_mail,
    used_and_expired_links_are_refused,
    reset_requests_are_rate_limited,
    ghosts_admin_api_endpoints_use_the_same_links,
);

const NEW_PASSWORD: &str = "a much better passphrase";

/// A site with its owner whose mail goes to a real SMTP server.
pub async fn admin_with_mail(db: &TestDb) -> (Admin, SmtpSink) {
    let sink = SmtpSink::start().await;
    let admin = Admin::with_mail(db, MailSetup::smtp(&sink.url()).unwrap()).await;
    (admin, sink)
}

/// Posts a pre-session form (`/admin/forgot/`, a reset or invitation link) as a browser would:
/// first the page, for its CSRF cookie and token, then the fields.
pub async fn post_form(admin: &Admin, path: &str, fields: &[(&str, &str)]) -> Response {
    let (cookie, csrf) = admin.form(path).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    admin
        .client
        .post(admin.url(path))
        .header("Cookie", cookie)
        .header("Origin", &admin.server.url)
        .form(&all)
        .send()
        .await
        .unwrap()
}

/// The site-relative path of the link in `mail` that contains `needle`.
pub fn link_path(admin: &Admin, mail: &Received, needle: &str) -> String {
    let link = mail.link_containing(needle).expect("a link in the mail");
    link.strip_prefix(&admin.server.url)
        .unwrap_or_else(|| panic!("{link} is on the site"))
        .to_owned()
}

/// The path of the link (containing `needle`) in the one mail that arrived after those whose
/// links are `seen`; the sink does not keep the order of arrival.
pub async fn next_link(admin: &Admin, sink: &SmtpSink, needle: &str, seen: &[&str]) -> String {
    let mails = sink.wait_for(seen.len() + 1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), seen.len() + 1);
    let mut new = mails
        .iter()
        .map(|m| link_path(admin, m, needle))
        .filter(|l| !seen.contains(&l.as_str()));
    let link = new.next().expect("a new mail");
    assert!(new.next().is_none());
    link
}

/// Asks for a reset link for the owner and reads it out of the new mail.
async fn reset_link(admin: &Admin, sink: &SmtpSink, seen: &[&str]) -> String {
    let res = post_form(admin, "/admin/forgot/", &[("email", OWNER_EMAIL)]).await;
    assert_eq!(res.status(), 200);
    next_link(admin, sink, "/admin/reset/", seen).await
}

async fn a_mailed_link_sets_a_new_password_and_ends_every_other_session(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    let laptop = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let login = admin.get("/admin/login/", None).await.text().await.unwrap();
    assert!(login.contains(r#"href="/admin/forgot/""#), "{login}");

    let res = post_form(&admin, "/admin/forgot/", &[("email", " Desk@Example.com ")]).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("a link to choose a new password")
    );
    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, [OWNER_EMAIL]);
    assert_eq!(
        mail.header("subject"),
        Some("Reset your password for The New Region")
    );
    assert!(
        mail.html.contains("style=\""),
        "the HTML part has inlined CSS"
    );
    let path = link_path(&admin, mail, "/admin/reset/");

    let page = admin.get(&path, None).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(OWNER_EMAIL));

    // The two fields must agree, and the password follow setup's rule.
    let res = post_form(
        &admin,
        &path,
        &[("password", NEW_PASSWORD), ("confirm", "other")],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("not the same"));
    let res = post_form(
        &admin,
        &path,
        &[("password", "short"), ("confirm", "short")],
    )
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("at least 10 characters"));

    let res = post_form(
        &admin,
        &path,
        &[("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/admin/posts/");
    let fresh = set_cookie(&res, "ghost-admin-api-session").expect("signed in");
    assert_eq!(admin.get("/admin/posts/", Some(&fresh)).await.status(), 200);

    // The session opened with the old password is over.
    let res = admin.get("/admin/posts/", Some(&laptop.cookie)).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("/admin/login/"));
    assert_eq!(admin.login(OWNER_EMAIL, PASSWORD).await.status(), 401);
    assert_eq!(admin.login(OWNER_EMAIL, NEW_PASSWORD).await.status(), 303);
}

async fn unknown_addresses_get_the_same_answer_and_no_mail(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    let (cookie, csrf) = admin.form("/admin/forgot/").await;
    let ask = async |email: &str| {
        let res = admin
            .client
            .post(admin.url("/admin/forgot/"))
            .header("Cookie", &cookie)
            .form(&[("csrf", csrf.as_str()), ("email", email)])
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    };
    let unknown = ask("nobody@example.com").await;
    let malformed = ask("not an address").await;
    let known = ask(OWNER_EMAIL).await;
    assert_eq!(known.0, 200);
    assert_eq!(
        unknown, known,
        "the answer does not tell who has an account"
    );
    assert_eq!(malformed, known);
    // Mail is handed to the server before the answer, so the owner's is the only one.
    let mails = sink.wait_for(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(mails[0].rcpt_to, [OWNER_EMAIL]);
}

async fn used_and_expired_links_are_refused(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    let path = reset_link(&admin, &sink, &[]).await;
    let token = path.trim_end_matches('/').rsplit('/').next().unwrap();

    // An hour later the link has expired.
    let now = dateline_core::time::now();
    let later = now + RESET_LIFETIME;
    assert!(
        admin
            .app
            .password_reset_user(token, now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        admin
            .app
            .password_reset_user(token, later)
            .await
            .unwrap()
            .is_none()
    );
    let expired = admin.app.reset_password(token, NEW_PASSWORD, later).await;
    assert!(expired.unwrap().is_none());

    let res = post_form(
        &admin,
        &path,
        &[("password", NEW_PASSWORD), ("confirm", NEW_PASSWORD)],
    )
    .await;
    assert_eq!(res.status(), 303);
    // Once used, the link is gone: the page and the form both say so.
    let res = admin.get(&path, None).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.unwrap().contains("no longer works"));
    let (cookie, csrf) = admin.form("/admin/forgot/").await;
    let res = admin
        .client
        .post(admin.url(&path))
        .header("Cookie", cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("password", "yet another passphrase"),
            ("confirm", "yet another passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);
    assert!(set_cookie(&res, "ghost-admin-api-session").is_none());
    assert_eq!(admin.login(OWNER_EMAIL, NEW_PASSWORD).await.status(), 303);

    // A form without its CSRF token changes nothing.
    let fresh = reset_link(&admin, &sink, &[&path]).await;
    let res = admin
        .client
        .post(admin.url(&fresh))
        .form(&[("password", PASSWORD), ("confirm", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(admin.get(&fresh, None).await.status(), 200, "still usable");
}

async fn reset_requests_are_rate_limited(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    for _ in 0..ACCOUNT_LIMIT {
        let res = post_form(&admin, "/admin/forgot/", &[("email", OWNER_EMAIL)]).await;
        assert_eq!(res.status(), 200);
    }
    let res = post_form(&admin, "/admin/forgot/", &[("email", OWNER_EMAIL)]).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("Try again in"));
    sink.wait_for(ACCOUNT_LIMIT, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), ACCOUNT_LIMIT);
    // Asking for links is a budget of its own: signing in still works.
    assert_eq!(admin.login(OWNER_EMAIL, PASSWORD).await.status(), 303);
}

/// `POST` and `PUT /ghost/api/admin/authentication/password_reset/`, Ghost's pair, run the
/// same use cases: same neutral answer, same mailed link, used once.
async fn ghosts_admin_api_endpoints_use_the_same_links(db: TestDb) {
    let (admin, sink) = admin_with_mail(&db).await;
    let url = admin.url("/ghost/api/admin/authentication/password_reset/");
    let ask = |email: &str| {
        admin
            .client
            .post(&url)
            .json(&json!({ "password_reset": [{ "email": email }] }))
    };
    let (status, unknown) = send(ask("nobody@example.com")).await;
    assert_eq!(status, 200);
    let (status, known) = send(ask(OWNER_EMAIL)).await;
    assert_eq!(status, 200);
    assert_eq!(unknown, known);
    assert_eq!(
        known["password_reset"][0]["message"],
        "Check your email for further instructions."
    );
    let (status, body) = send(
        admin
            .client
            .post(&url)
            .json(&json!({ "email": OWNER_EMAIL })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(error(&body)["type"], "ValidationError");

    let path = next_link(&admin, &sink, "/admin/reset/", &[]).await;
    let token = path.trim_end_matches('/').rsplit('/').next().unwrap();
    let put = |new: &str, again: &str| {
        admin.client.put(&url).json(&json!({ "password_reset": [{
            "token": token, "newPassword": new, "ne2Password": again
        }] }))
    };
    let (status, body) = send(put(NEW_PASSWORD, "something else")).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = send(put("short", "short")).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = send(put(NEW_PASSWORD, NEW_PASSWORD)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["password_reset"][0]["message"], "Password updated");
    assert_eq!(admin.login(OWNER_EMAIL, NEW_PASSWORD).await.status(), 303);

    let (status, body) = send(put("yet another passphrase", "yet another passphrase")).await;
    assert_eq!(status, 400, "used: {body}");
    assert_eq!(error(&body)["type"], "BadRequestError");
    assert_eq!(admin.get(&path, None).await.status(), 410);
}
