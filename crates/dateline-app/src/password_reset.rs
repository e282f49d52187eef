//! Resetting a forgotten staff password by a link in an email.
//!
//! Asking for a link always gets the same answer, whether or not the address has an account,
//! so the form cannot be used to find out who works here; only an account that may sign in
//! gets a mail. Requests are held to budgets per typed address and per client address (the
//! login limiter's type, with a budget of its own so asking for links never locks anyone out
//! of signing in). The link works once, for [`RESET_LIFETIME`], and only its hash is stored.
//! Choosing the new password voids the account's other links and ends every session it had,
//! so whoever knew the old password is out.

use dateline_core::role::Role;
use dateline_core::user::User;
use dateline_store::Db;
use dateline_store::staff_tokens::{self, StaffToken, TokenKind};
use dateline_store::users;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::login_throttle::SignInRefusal;
use crate::sessions::token_hash;
use crate::{App, AppError, Result, password};

/// How long a reset link works.
pub const RESET_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

impl App {
    /// Mails a reset link to `email` if it names a staff account that may sign in. The caller
    /// answers the same either way. Refused only when `email` or `address` (the client's IP
    /// address) asked too often.
    pub async fn request_password_reset(
        &self,
        site_url: &str,
        email: &str,
        address: &str,
    ) -> Result<(), SignInRefusal> {
        let now = dateline_core::time::now();
        if let Some(retry_after) = self.reset_throttle.retry_after(email, address, now).await? {
            return Err(SignInRefusal::TooManyAttempts { retry_after });
        }
        self.reset_throttle
            .record_failure(email, address, now)
            .await?;
        let Ok(email) = crate::setup::validate_email(email) else {
            return Ok(());
        };
        let mut db = self.store.reader().await.map_err(AppError::from)?;
        let user = users::by_email(&mut db, &email)
            .await
            .map_err(AppError::from)?;
        drop(db);
        let Some(user) = user.filter(crate::auth::may_sign_in) else {
            return Ok(());
        };
        let link = NewLink {
            kind: TokenKind::Reset,
            email: &user.email,
            user: Some(&user),
            role: None,
            created_by: None,
            lifetime: RESET_LIFETIME,
        };
        let mut tx = self.store.begin().await.map_err(AppError::from)?;
        let token = issue(&mut tx, &link).await?;
        tx.commit().await.map_err(AppError::from)?;
        let hours = RESET_LIFETIME.as_hours();
        let link = format!("{site_url}/admin/reset/{token}/");
        let data = json!({ "email": user.email, "link": link, "hours": hours });
        self.send_staff_mail(site_url, &user.email, "password_reset", data)
            .await?;
        Ok(())
    }

    /// The account a reset link is for, while the link is unused and unexpired at `now`.
    pub async fn password_reset_user(&self, token: &str, now: Timestamp) -> Result<Option<User>> {
        let mut db = self.store.reader().await?;
        let Some(link) =
            staff_tokens::live(&mut db, TokenKind::Reset, &token_hash(token), now).await?
        else {
            return Ok(None);
        };
        link_user(&mut db, &link).await
    }

    /// Sets a new password through a reset link, using the link up; ends every session of the
    /// account and voids its other reset links. `None` when the link is unknown, used or
    /// expired at `now`.
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        now: Timestamp,
    ) -> Result<Option<User>> {
        password::check_strength(new_password)?;
        let hash = password::hash(new_password)?;
        let mut tx = self.store.begin().await?;
        let Some(link) =
            staff_tokens::take(&mut tx, TokenKind::Reset, &token_hash(token), now).await?
        else {
            return Ok(None);
        };
        let Some(mut user) = link_user(&mut tx, &link).await? else {
            return Ok(None);
        };
        users::set_password_hash(&mut tx, &user.id, &hash, now).await?;
        staff_tokens::delete_unused(&mut tx, TokenKind::Reset, &link.email).await?;
        dateline_store::sessions::delete_all_of(&mut tx, user.id.as_str()).await?;
        tx.commit().await?;
        self.login_throttle.clear_account(&user.email).await?;
        user.password_hash = hash;
        Ok(Some(user))
    }

    /// Sends one of the staff mails (`template`) to `to`, with the site's title and address
    /// added to `data`: through SMTP when configured, logged otherwise.
    pub(crate) async fn send_staff_mail(
        &self,
        site_url: &str,
        to: &str,
        template: &str,
        mut data: serde_json::Value,
    ) -> Result<()> {
        let site = self.settings().await?;
        data["site_title"] = json!(site.title());
        data["site_url"] = json!(site_url);
        let rendered =
            dateline_mail::render(template, &data).map_err(|e| AppError::Mail(e.to_string()))?;
        let mail = dateline_mail::Email {
            from_name: Some(site.title().to_owned()),
            from_address: self.mail.sender_address(site_url),
            reply_to: None,
            to: to.to_owned(),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            message_id: None,
            unsubscribe_url: None,
        };
        self.mail
            .transactional()
            .send(&mail)
            .await
            .map_err(|e| AppError::Mail(e.to_string()))?;
        Ok(())
    }
}

/// A single-use link to store.
pub(crate) struct NewLink<'a> {
    pub kind: TokenKind,
    pub email: &'a str,
    /// The account a reset link is for.
    pub user: Option<&'a User>,
    /// The role an invitation grants.
    pub role: Option<Role>,
    pub created_by: Option<&'a User>,
    pub lifetime: SignedDuration,
}

/// Stores `link` and returns its token, the one thing that goes into the mail.
pub(crate) async fn issue(db: &mut impl Db, link: &NewLink<'_>) -> Result<String> {
    let token = dateline_core::id::random_hex(32);
    let now = dateline_core::time::now();
    staff_tokens::insert(
        db,
        link.kind,
        &StaffToken {
            id: dateline_core::id::ObjectId::generate().to_string(),
            token_hash: token_hash(&token),
            email: link.email.to_owned(),
            user_id: link.user.map(|u| u.id.to_string()),
            role: link.role.map(|r| r.as_str().to_owned()),
            created_by: link.created_by.map(|u| u.id.to_string()),
            created_at: now,
            expires_at: now.checked_add(link.lifetime).unwrap_or(now),
        },
    )
    .await?;
    Ok(token)
}

/// The account a reset link names, if it may still sign in.
async fn link_user(db: &mut impl Db, link: &StaffToken) -> Result<Option<User>> {
    let Some(id) = link.user_id.as_deref() else {
        return Ok(None);
    };
    let Ok(id) = dateline_core::id::ObjectId::parse(id) else {
        return Ok(None);
    };
    Ok(users::by_id(db, &id)
        .await?
        .filter(crate::auth::may_sign_in))
}
