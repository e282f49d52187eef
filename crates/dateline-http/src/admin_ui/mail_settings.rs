//! `/admin/settings/mail/`: the SMTP server every node sends through (host, port, security,
//! login, default sender), and a test message to check it, for administrators and the owner.
//! The password is never put back into the page: the field stays empty and an empty field
//! keeps the stored one. When the server was started with an SMTP URL, that URL wins and the
//! page only shows it.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use dateline_app::AppError;
use dateline_app::mail_settings::{
    MAX_CONCURRENCY, MailSettings, MailSettingsInput, parse_security, security_name,
};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::forbidden::PageError;
use super::guard::{Administrators, Allowed, Posted};
use super::pages::{Notice, form_status, plain, refusal};
use super::{Staff, templates};
use crate::AppState;

/// The form as typed (never with the password).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct MailForm {
    #[serde(default)]
    host: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    security: String,
    #[serde(default)]
    user: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    default_sender: String,
    #[serde(default)]
    concurrency: String,
    /// Empty for no limit.
    #[serde(default)]
    rate: String,
}

impl MailForm {
    fn from_settings(s: &MailSettings) -> MailForm {
        MailForm {
            host: s.host.clone(),
            port: s.port.to_string(),
            security: security_name(s.security).to_owned(),
            user: s.user.clone(),
            default_sender: s.default_sender.clone().unwrap_or_default(),
            concurrency: s.concurrency.to_string(),
            rate: s.rate_per_second.map(|r| r.to_string()).unwrap_or_default(),
            ..MailForm::default()
        }
    }

    fn input(&self) -> Result<MailSettingsInput, String> {
        let security = parse_security(&self.security)
            .ok_or_else(|| "Choose STARTTLS, TLS or no encryption.".to_owned())?;
        let port = self
            .port
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                format!(
                    "“{}” is not a port: use a number like 587 (STARTTLS), 465 (TLS) or 25.",
                    self.port.trim()
                )
            })?;
        let concurrency = self
            .concurrency
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
            .ok_or_else(|| {
                format!("Messages in flight must be a number from 1 to {MAX_CONCURRENCY}.")
            })?;
        let rate = match self.rate.trim() {
            "" | "0" => None,
            text => Some(text.parse::<u32>().map_err(|_| {
                format!(
                    "“{text}” is not a number of messages a second; leave it empty for no limit."
                )
            })?),
        };
        Ok(MailSettingsInput {
            host: self.host.clone(),
            port,
            security,
            user: self.user.clone(),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
            default_sender: Some(self.default_sender.clone()),
            concurrency,
            rate_per_second: rate,
        })
    }
}

/// What the test message did, shown in place.
#[derive(Serialize)]
struct TestOutcome {
    ok: bool,
    to: String,
    message: String,
}

struct PageParts<'a> {
    form: &'a MailForm,
    has_password: bool,
    error: Option<String>,
    saved: bool,
    test: Option<TestOutcome>,
}

fn page(staff: &Staff, state: &AppState, parts: PageParts<'_>) -> Result<Response, PageError> {
    let status = form_status(parts.error.is_some());
    let html = templates::render(
        "mail_settings.html",
        context! {
            user => staff.view(),
            csrf => &staff.csrf,
            pinned => state.app.mail.pinned(),
            mail => Value::from(Serde(parts.form)),
            has_password => parts.has_password,
            test_to => &staff.user.email,
            error => parts.error,
            saved => parts.saved,
            test => parts.test.map(|t| Value::from(Serde(t))),
        },
    )?;
    Ok((status, html).into_response())
}

/// The page with the settings as stored (not as typed): after a save, or with a test's outcome.
async fn stored_page(
    staff: &Staff,
    state: &AppState,
    saved: bool,
    test: Option<TestOutcome>,
) -> Result<Response, PageError> {
    let stored = state.app.mail_settings(&staff.actor()).await?;
    let form = MailForm::from_settings(&stored);
    let parts = PageParts {
        form: &form,
        has_password: stored.has_password,
        error: None,
        saved,
        test,
    };
    page(staff, state, parts)
}

/// `GET /admin/settings/mail/`.
pub async fn show(
    Allowed { staff, .. }: Allowed<Administrators>,
    State(state): State<AppState>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    stored_page(&staff, &state, notice.saved.is_some(), None).await
}

/// `POST /admin/settings/mail/`.
pub async fn save(
    State(state): State<AppState>,
    Posted { staff, form, .. }: Posted<Administrators, MailForm>,
) -> Result<Response, PageError> {
    let refused = |error: String, has_password: bool| {
        let parts = PageParts {
            form: &form,
            has_password,
            error: Some(error),
            saved: false,
            test: None,
        };
        page(&staff, &state, parts)
    };
    let stored = state.app.mail_settings(&staff.actor()).await?;
    let input = match form.input() {
        Ok(input) => input,
        Err(error) => return refused(error, stored.has_password),
    };
    match state.app.save_mail_settings(&staff.actor(), input).await {
        Ok(_) => Ok(Redirect::to("/admin/settings/mail/?saved=1").into_response()),
        Err(err) => refused(refusal(err)?, stored.has_password),
    }
}

#[derive(Deserialize)]
pub struct TestForm {
    #[serde(default)]
    to: String,
}

/// `POST /admin/settings/mail/test/`: sends a test message through the server in use and
/// shows the server's reply, or why it failed, on the page.
pub async fn test(
    State(state): State<AppState>,
    Posted {
        staff, form: test, ..
    }: Posted<Administrators, TestForm>,
) -> Result<Response, PageError> {
    let to = test.to.trim().to_owned();
    let outcome = match state
        .app
        .send_test_email(&staff.actor(), &state.site_url, &to)
        .await
    {
        Ok(Ok(reply)) => TestOutcome {
            ok: true,
            message: format!("Sent. The mail server answered: {reply}"),
            to,
        },
        Ok(Err(why)) => TestOutcome {
            ok: false,
            message: why,
            to,
        },
        Err(AppError::Invalid { message, .. }) => TestOutcome {
            ok: false,
            message: plain(&message),
            to,
        },
        Err(other) => return Err(other.into()),
    };
    stored_page(&staff, &state, false, Some(outcome)).await
}
