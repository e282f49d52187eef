//! The admin in the browser (`/admin/`) over HTTP: access (setup, login, logout, CSRF, login
//! rate limits), the stories list and the editor's calls. The browser itself is exercised by
//! `clients/admin-ui.browser.test.mjs`.

mod access;
mod brand_images;
mod editor;
mod guards;
mod history;
mod in_review;
mod integrations;
mod invitations;
mod member_deliveries;
mod members;
mod newsletters;
mod nodes;
mod password_reset;
mod review;
mod settings;
mod stories;
mod tags;
mod themes;

use dateline_app::App;
use dateline_app::mailing::MailSetup;
use dateline_core::role::Role;
use dateline_testkit::{TestDb, TestServer};
use reqwest::multipart::Form;
use reqwest::{Client, RequestBuilder, Response};

pub use crate::admin_api::{OWNER_EMAIL, PASSWORD};
use crate::admin_api::{add_owner, add_staff};

/// A served site and a client that does not follow redirects, so tests see where they go.
pub struct Admin {
    pub app: App,
    pub server: TestServer,
    pub client: Client,
}

/// A signed-in browser: its cookie and the CSRF token its pages carry.
pub struct Browser {
    pub cookie: String,
    pub csrf: String,
}

impl Admin {
    /// A site with no owner yet.
    pub async fn empty(db: &TestDb) -> Admin {
        Admin::serve(db.app().await).await
    }

    /// A site with its owner.
    pub async fn new(db: &TestDb) -> Admin {
        Admin::on(db.app().await).await
    }

    /// A site with its owner whose mail goes to `mail`.
    pub async fn with_mail(db: &TestDb, mail: MailSetup) -> Admin {
        Admin::on(db.app().await.with_mail(mail)).await
    }

    /// A site with its owner on `app`.
    pub async fn on(app: App) -> Admin {
        add_owner(&app).await;
        Admin::serve(app).await
    }

    async fn serve(app: App) -> Admin {
        let server = TestServer::start(app.clone()).await;
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Admin {
            app,
            server,
            client,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url)
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        let mut req = self.client.get(self.url(path));
        if let Some(cookie) = cookie {
            req = req.header("Cookie", cookie);
        }
        req.send().await.unwrap()
    }

    /// A form page shown before signing in: the pre-session cookie and the form's token.
    pub async fn form(&self, path: &str) -> (String, String) {
        let res = self.get(path, None).await;
        assert_eq!(res.status(), 200, "{path}");
        let cookie = set_cookie(&res, "dateline-admin-csrf").expect("a CSRF cookie");
        let html = res.text().await.unwrap();
        (cookie, hidden_csrf(&html))
    }

    /// Posts the login form as a browser would, from the site's own page.
    pub async fn login(&self, email: &str, password: &str) -> Response {
        let (cookie, csrf) = self.form("/admin/login/").await;
        self.client
            .post(self.url("/admin/login/"))
            .header("Cookie", cookie)
            .header("Origin", &self.server.url)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Signs in and reads the CSRF token from the stories list.
    pub async fn sign_in(&self, email: &str, password: &str) -> Browser {
        let res = self.login(email, password).await;
        assert_eq!(res.status(), 303, "sign in as {email}");
        let cookie = set_cookie(&res, "ghost-admin-api-session").expect("a session cookie");
        let page = self.get("/admin/posts/", Some(&cookie)).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let csrf = between(&html, r#"<meta name="csrf-token" content=""#, "\"").to_owned();
        Browser { cookie, csrf }
    }

    /// A form post from an admin page, as a browser sends it: the session cookie and the
    /// site's origin; the caller adds the fields.
    pub fn post_from(&self, path: &str, browser: &Browser) -> RequestBuilder {
        self.client
            .post(self.url(path))
            .header("Cookie", &browser.cookie)
            .header("Origin", &self.server.url)
    }

    /// Posts a form with files (`multipart/form-data`) from an admin page.
    pub async fn post_multipart(&self, path: &str, browser: &Browser, form: Form) -> Response {
        self.post_from(path, browser)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Adds a staff user (see [`add_staff`]) and signs them in.
    pub async fn sign_in_staff(&self, name: &str, role: Role) -> Browser {
        let user = add_staff(&self.app, name, role).await;
        self.sign_in(&user.email, PASSWORD).await
    }

    /// A script call from an admin page: the session cookie, the CSRF header, the site's origin.
    pub fn call(&self, method: reqwest::Method, path: &str, browser: &Browser) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .header("Cookie", &browser.cookie)
            .header("Origin", &self.server.url)
            .header("X-CSRF-Token", &browser.csrf)
    }
}

/// `name=value` of a `Set-Cookie` header, ready to send back.
pub fn set_cookie(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// The whole `Set-Cookie` header for `name`.
pub fn set_cookie_header(res: &Response, name: &str) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

pub fn hidden_csrf(html: &str) -> String {
    between(html, r#"name="csrf" value=""#, "\"").to_owned()
}

pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` in the page"))
        + start.len();
    let len = text[from..].find(end).unwrap();
    &text[from..from + len]
}

pub fn location(res: &Response) -> &str {
    res.headers()["location"].to_str().unwrap()
}
