//! Members: sign-up with double opt-in, sign-in by magic link, member sessions and unsubscribing.
//!
//! A sign-up creates nothing but a magic link: the member exists only once the link is opened,
//! so an address typed by someone else never receives newsletters. Links are single use, expire
//! after a day and are stored hashed; repeated requests for one address are rate-limited, and
//! the address is unique, so signing up twice never creates two members.

pub mod admin;

use dateline_core::id::ObjectId;
use dateline_store::members::{self, MagicLink, Member};
use dateline_store::settings;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::sessions::token_hash;
use crate::webhooks::outbox::Record;
use crate::{App, AppError, Result};

/// Ghost's `emailType`: what the magic link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailType {
    Signup,
    Signin,
    Subscribe,
}

impl EmailType {
    pub fn parse(text: &str) -> Option<EmailType> {
        match text {
            "signup" => Some(EmailType::Signup),
            "signin" => Some(EmailType::Signin),
            "subscribe" => Some(EmailType::Subscribe),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EmailType::Signup => "signup",
            EmailType::Signin => "signin",
            EmailType::Subscribe => "subscribe",
        }
    }
}

/// A request for a magic link (`POST /members/api/send-magic-link/`).
#[derive(Debug, Clone)]
pub struct MagicLinkRequest {
    pub email: String,
    pub name: Option<String>,
    pub email_type: EmailType,
    /// Newsletters asked for (ids, slugs or names); `None` means the sign-up defaults.
    pub newsletters: Option<Vec<String>>,
}

/// A member who has just opened a magic link, and the session token to set as a cookie.
#[derive(Debug)]
pub struct MemberSignIn {
    pub member: Member,
    pub session_token: String,
    pub expires_at: Timestamp,
    pub email_type: EmailType,
}

/// What an unsubscribe link did.
#[derive(Debug)]
pub struct Unsubscribed {
    pub email: String,
    pub newsletter: String,
}

pub const MAGIC_LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(24);
pub const MEMBER_SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(24 * 180);
/// Links one address may be sent per hour: enough for a lost email or two, too few to use the
/// site to flood someone's inbox.
pub const LINKS_PER_HOUR: u64 = 5;

/// The settings key of the secret that signs unsubscribe links (Ghost's name; in the `core`
/// group, which the Admin API never shows).
const SECRET_KEY: &str = "members_email_auth_secret";

impl App {
    /// Sends a magic link to confirm a sign-up or to sign in. The mail goes out before this
    /// returns (or is logged when no SMTP server is configured), on its own connection, never
    /// behind a newsletter.
    pub async fn send_magic_link(&self, site_url: &str, request: MagicLinkRequest) -> Result<()> {
        let email = crate::setup::validate_email(&request.email)?.to_lowercase();
        let name = request
            .name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        let now = dateline_core::time::now();
        let token = dateline_core::id::random_hex(32);
        let newsletters = request
            .newsletters
            .map(|keys| serde_json::to_string(&keys).unwrap_or_else(|_| "[]".to_owned()));

        let mut tx = self.store.begin().await?;
        let since = now
            .checked_sub(SignedDuration::from_hours(1))
            .unwrap_or(now);
        if members::magic_links_since(&mut tx, &email, since).await? >= LINKS_PER_HOUR {
            return Err(AppError::RateLimited {
                message: "Too many sign-up attempts, try again in an hour".to_owned(),
            });
        }
        members::insert_magic_link(
            &mut tx,
            &MagicLink {
                token_hash: token_hash(&token),
                email: email.clone(),
                name,
                email_type: request.email_type.as_str().to_owned(),
                newsletters,
                created_at: now,
                expires_at: now.checked_add(MAGIC_LINK_LIFETIME).unwrap_or(now),
            },
        )
        .await?;
        let is_member = members::by_email(&mut tx, &email).await?.is_some();
        tx.commit().await?;

        let site = self.settings().await?;
        let link = format!(
            "{site_url}/members/?token={token}&action={}",
            request.email_type.as_str()
        );
        let rendered = dateline_mail::render(
            "magic_link",
            &json!({
                "site_title": site.title(),
                "site_url": site_url,
                "link": link,
                "signup": !is_member,
            }),
        )
        .map_err(|e| AppError::Mail(e.to_string()))?;
        let mail = dateline_mail::Email {
            from_name: Some(site.title().to_owned()),
            from_address: self.mail.sender_address(site_url),
            reply_to: None,
            to: email,
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

    /// Opens a magic link: confirms the sign-up (creating the member and their subscriptions)
    /// or signs an existing member in, and starts a session. `None` when the link is unknown,
    /// used or expired.
    pub async fn redeem_magic_link(&self, token: &str) -> Result<Option<MemberSignIn>> {
        let now = dateline_core::time::now();
        let mut tx = self.store.begin().await?;
        let Some(link) = members::take_magic_link(&mut tx, &token_hash(token), now).await? else {
            return Ok(None);
        };
        crate::newsletters::ensure_default(&mut tx, now).await?;
        let wanted: Option<Vec<String>> = link
            .newsletters
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok());
        let member = match members::by_email(&mut tx, &link.email).await? {
            Some(member) => {
                // Asking to subscribe while already a member adds the newsletters asked for.
                if link.email_type == EmailType::Subscribe.as_str() {
                    for n in crate::newsletters::resolve(&mut tx, wanted.as_deref()).await? {
                        members::subscribe(&mut tx, member.id.as_str(), n.id.as_str()).await?;
                    }
                }
                member
            }
            None => {
                let member = new_member(
                    &mut tx,
                    &link.email,
                    link.name.clone(),
                    wanted.as_deref(),
                    now,
                )
                .await?;
                self.webhook_changed(&mut tx, Record::Member(member.id.as_str()), None)
                    .await?;
                member
            }
        };
        let session_token = dateline_core::id::random_hex(32);
        let expires_at = now.checked_add(MEMBER_SESSION_LIFETIME).unwrap_or(now);
        members::insert_session(
            &mut tx,
            &token_hash(&session_token),
            member.id.as_str(),
            now,
            expires_at,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(MemberSignIn {
            member,
            session_token,
            expires_at,
            email_type: EmailType::parse(&link.email_type).unwrap_or(EmailType::Signin),
        }))
    }

    /// The member a session cookie signs in, if it is live.
    pub async fn member_for_session(&self, token: &str) -> Result<Option<Member>> {
        let mut db = self.store.reader().await?;
        Ok(members::by_session(&mut db, &token_hash(token), dateline_core::time::now()).await?)
    }

    /// Adds a member whose address is already confirmed (an import, or staff adding a reader),
    /// subscribed to the sign-up newsletters. Adding an existing address returns that member.
    pub async fn add_member(&self, email: &str, name: Option<&str>) -> Result<Member> {
        let email = crate::setup::validate_email(email)?.to_lowercase();
        let now = dateline_core::time::now();
        let mut tx = self.store.begin().await?;
        crate::newsletters::ensure_default(&mut tx, now).await?;
        let member = match members::by_email(&mut tx, &email).await? {
            Some(member) => member,
            None => {
                let member =
                    new_member(&mut tx, &email, name.map(str::to_owned), None, now).await?;
                self.webhook_changed(&mut tx, Record::Member(member.id.as_str()), None)
                    .await?;
                member
            }
        };
        tx.commit().await?;
        Ok(member)
    }

    /// The newsletters (ids) a member gets.
    pub async fn member_newsletters(&self, member: &Member) -> Result<Vec<String>> {
        let mut db = self.store.reader().await?;
        Ok(members::newsletter_ids(&mut db, member.id.as_str()).await?)
    }

    pub async fn member_count(&self) -> Result<u64> {
        let mut db = self.store.reader().await?;
        Ok(members::count(&mut db).await?)
    }

    /// Follows an unsubscribe link: `key` must be the one the link was made with. `None` when
    /// the link is not valid (unknown member or newsletter, or a forged key).
    pub async fn unsubscribe(
        &self,
        member_uuid: &str,
        newsletter_uuid: &str,
        key: &str,
    ) -> Result<Option<Unsubscribed>> {
        let secret = self.mail_secret().await?;
        if !dateline_mail::unsubscribe::verify(&secret, member_uuid, key) {
            return Ok(None);
        }
        let mut tx = self.store.begin().await?;
        let Some(member) = members::by_uuid(&mut tx, member_uuid).await? else {
            return Ok(None);
        };
        let Some(newsletter) = dateline_store::newsletters::find(&mut tx, newsletter_uuid).await?
        else {
            return Ok(None);
        };
        members::unsubscribe(&mut tx, member.id.as_str(), newsletter.id.as_str()).await?;
        tx.commit().await?;
        Ok(Some(Unsubscribed {
            email: member.email,
            newsletter: newsletter.name,
        }))
    }

    /// The site's secret for unsubscribe keys, made on first use.
    pub(crate) async fn mail_secret(&self) -> Result<String> {
        if let Some(secret) = self.settings().await?.get(SECRET_KEY) {
            return Ok(secret.to_owned());
        }
        let mut tx = self.store.begin().await?;
        let secret = mail_secret_in(&mut tx).await?;
        tx.commit().await?;
        Ok(secret)
    }
}

/// [`App::mail_secret`] for a use case that holds the write transaction already (a webhook
/// payload with a member's unsubscribe link): read, or made, inside `tx`.
pub(crate) async fn mail_secret_in(tx: &mut dateline_store::Tx) -> Result<String> {
    if let Some(secret) = settings::all(tx).await?.get(SECRET_KEY) {
        return Ok(secret.to_owned());
    }
    settings::insert_missing(
        tx,
        &dateline_core::settings::Setting {
            key: SECRET_KEY.to_owned(),
            value: Some(dateline_core::id::random_hex(32)),
            group: "core".to_owned(),
            value_type: "string".to_owned(),
            flags: None,
        },
        dateline_core::time::now(),
    )
    .await?;
    // Read back: another node may have written its secret first, and that one counts.
    settings::all(tx)
        .await?
        .get(SECRET_KEY)
        .map(str::to_owned)
        .ok_or_else(|| AppError::Mail("the unsubscribe secret was not stored".to_owned()))
}

async fn new_member(
    tx: &mut dateline_store::Tx,
    email: &str,
    name: Option<String>,
    wanted: Option<&[String]>,
    now: Timestamp,
) -> Result<Member> {
    let member = Member {
        id: ObjectId::generate(),
        uuid: dateline_core::id::new_uuid(),
        email: email.to_owned(),
        name,
        note: None,
        status: "free".to_owned(),
        email_disabled: false,
        created_at: now,
        updated_at: now,
    };
    if !members::insert(tx, &member).await? {
        // Someone confirmed the same address a moment ago: theirs is the member.
        if let Some(existing) = members::by_email(tx, email).await? {
            return Ok(existing);
        }
    }
    for n in crate::newsletters::resolve(tx, wanted).await? {
        members::subscribe(tx, member.id.as_str(), n.id.as_str()).await?;
    }
    Ok(member)
}
