//! The guards every admin page and form shares (`admin_ui::guard`), on every guarded route in
//! one table, so a handler that lost its guard or checks in another order shows up here:
//! signed out, the login page; a form without this session's token, 403 in the API's envelope
//! (before the role is looked at); a role below the page's, the admin's 403 page.

use dateline_core::role::Role;
use dateline_testkit::{TestDb, backend_tests};
use reqwest::Response;
use reqwest::multipart::Form;

use super::tags::text;
use super::{Admin, Browser, OWNER_EMAIL, PASSWORD, location};

backend_tests!(
    pages_need_a_signed_in_role,
    forms_check_the_token_before_the_role,
    forms_are_read_as_forms_only,
);

/// Pages and the least role that sees them. Integrations are refused by their use case, to
/// the same page.
const PAGES: &[(&str, Role)] = &[
    ("/admin/tags/", Role::Editor),
    ("/admin/tags/new/", Role::Editor),
    ("/admin/emails/", Role::Editor),
    ("/admin/newsletters/", Role::Administrator),
    ("/admin/newsletters/new/", Role::Administrator),
    ("/admin/settings/", Role::Administrator),
    ("/admin/settings/mail/", Role::Administrator),
    ("/admin/members/", Role::Administrator),
    ("/admin/members/new/", Role::Administrator),
    ("/admin/members/labels/", Role::Administrator),
    ("/admin/members/import/", Role::Administrator),
    ("/admin/members/export/", Role::Administrator),
    ("/admin/themes/", Role::Administrator),
    ("/admin/themes/builtin/activate/", Role::Administrator),
    ("/admin/integrations/", Role::Administrator),
];

/// Forms (`application/x-www-form-urlencoded`) and the least role that may post them.
const FORMS: &[(&str, Role)] = &[
    ("/admin/tags/", Role::Editor),
    ("/admin/tags/0123456789abcdef01234567/delete/", Role::Editor),
    ("/admin/newsletters/", Role::Administrator),
    (
        "/admin/newsletters/0123456789abcdef01234567/change/",
        Role::Administrator,
    ),
    ("/admin/settings/", Role::Administrator),
    ("/admin/settings/images/logo/remove/", Role::Administrator),
    ("/admin/settings/mail/", Role::Administrator),
    ("/admin/settings/mail/test/", Role::Administrator),
    ("/admin/members/", Role::Administrator),
    ("/admin/members/labels/", Role::Administrator),
    (
        "/admin/members/0123456789abcdef01234567/delete/",
        Role::Administrator,
    ),
    ("/admin/themes/builtin/activate/", Role::Administrator),
    ("/admin/themes/builtin/settings/", Role::Administrator),
    ("/admin/integrations/", Role::Administrator),
];

/// Upload forms (`multipart/form-data`), whose token is read as the upload streams in.
const UPLOADS: &[(&str, Role)] = &[
    ("/admin/themes/upload/", Role::Administrator),
    ("/admin/settings/images/logo/", Role::Administrator),
    ("/admin/members/import/", Role::Administrator),
];

/// What an answer was, in a word a failed assertion can show next to the answer itself.
async fn outcome(res: Response, path: &str) -> String {
    let status = res.status().as_u16();
    if status == 303 {
        let to = location(&res).to_owned();
        return if to == format!("/admin/login/?next={path}") {
            "sign in".to_owned()
        } else {
            format!("303 to {to}")
        };
    }
    let body = text(res).await;
    match status {
        403 if body.contains("not available to you") => "role".to_owned(),
        403 if body.contains(r#""type":"NoPermissionError""#) && body.contains("has expired") => {
            "token".to_owned()
        }
        _ => format!("{status}: {body}"),
    }
}

/// Signed in as the least role of a row, and as the role just below it.
struct Staff {
    author: Browser,
    editor: Browser,
    administrator: Browser,
}

impl Staff {
    async fn new(admin: &Admin) -> Staff {
        Staff {
            author: admin.sign_in_staff("Lana Author", Role::Author).await,
            editor: admin.sign_in_staff("Sam Editor", Role::Editor).await,
            administrator: admin
                .sign_in_staff("Ada Administrator", Role::Administrator)
                .await,
        }
    }

    /// (just enough, just below)
    fn around(&self, least: Role) -> (&Browser, &Browser) {
        match least {
            Role::Editor => (&self.editor, &self.author),
            Role::Administrator => (&self.administrator, &self.editor),
            other => panic!("no row needs {other}"),
        }
    }
}

async fn pages_need_a_signed_in_role(db: TestDb) {
    let admin = Admin::new(&db).await;
    let staff = Staff::new(&admin).await;
    for &(path, least) in PAGES {
        let (enough, below) = staff.around(least);
        let signed_out = admin.get(path, None).await;
        assert_eq!(outcome(signed_out, path).await, "sign in", "{path}");
        let refused = admin.get(path, Some(&below.cookie)).await;
        assert_eq!(outcome(refused, path).await, "role", "{path}");
        let shown = admin.get(path, Some(&enough.cookie)).await;
        assert_eq!(shown.status(), 200, "{path}");
    }
}

/// Posts a form with nothing but its token (or none), signed in as `browser` (or signed out).
async fn post(
    admin: &Admin,
    path: &str,
    upload: bool,
    browser: Option<&Browser>,
    token: Option<&str>,
) -> Response {
    let req = match browser {
        Some(browser) => admin.post_from(path, browser),
        None => admin
            .client
            .post(admin.url(path))
            .header("Origin", &admin.server.url),
    };
    let req = if upload {
        let fields = Form::new().text("label", "");
        req.multipart(match token {
            Some(t) => fields.text("csrf", t.to_owned()),
            None => fields,
        })
    } else {
        let fields: Vec<(&str, &str)> = token.map(|t| ("csrf", t)).into_iter().collect();
        req.form(&fields)
    };
    req.send().await.unwrap()
}

async fn forms_check_the_token_before_the_role(db: TestDb) {
    let admin = Admin::new(&db).await;
    let staff = Staff::new(&admin).await;
    let owner = admin.sign_in(OWNER_EMAIL, PASSWORD).await;
    let forms = FORMS.iter().map(|&(path, least)| (path, least, false));
    let uploads = UPLOADS.iter().map(|&(path, least)| (path, least, true));
    for (path, least, upload) in forms.chain(uploads) {
        let (enough, below) = staff.around(least);
        let cases = [
            (None, Some(enough.csrf.as_str()), "sign in"),
            (Some(enough), None, "token"),
            (Some(enough), Some(owner.csrf.as_str()), "token"),
            (Some(below), None, "token"),
            (Some(below), Some(below.csrf.as_str()), "role"),
        ];
        for (browser, token, expected) in cases {
            let res = post(&admin, path, upload, browser, token).await;
            assert_eq!(outcome(res, path).await, expected, "{path} {token:?}");
        }
    }
}

/// A form's body is read as `axum::Form` reads it: another content type is refused, even
/// with the right token in it.
async fn forms_are_read_as_forms_only(db: TestDb) {
    let admin = Admin::new(&db).await;
    let editor = admin.sign_in_staff("Sam Editor", Role::Editor).await;
    let res = admin
        .post_from("/admin/tags/", &editor)
        .header("Content-Type", "application/json")
        .body(format!(r#"{{"csrf":"{}","name":"Sport"}}"#, editor.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let res = admin
        .post_from("/admin/tags/", &editor)
        .form(&[("csrf", editor.csrf.as_str()), ("name", "Sport")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/admin/tags/?saved=Sport");
}
