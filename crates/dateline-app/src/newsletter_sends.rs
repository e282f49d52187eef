//! Sending a post as a newsletter, as the newsroom does it from the admin: who may send (editors
//! and above; Ghost's authors publish but do not email the list), how many subscribers a
//! segment reaches before anyone confirms, the email as readers will get it, a test copy to one
//! address, and the recent sends with their failures. The send itself is
//! [`App::send_post_to_segment`], the Admin API's.

use dateline_core::role::Role;
use dateline_store::deliveries;
use dateline_store::newsletters::Newsletter;

use crate::admin::Actor;
use crate::mailing::{SentEmail, UNSUBSCRIBE_KEY, UNSUBSCRIBE_UUID, segment_filter};
use crate::{App, AppError, Result};

/// The least role that may send a post to readers' inboxes.
pub const SENDER_ROLE: Role = Role::Editor;

/// A post rendered as a newsletter's email, for a preview.
#[derive(Debug, Clone)]
pub struct EmailPreview {
    pub subject: String,
    pub from: String,
    pub html: String,
    pub text: String,
}

impl App {
    /// [`App::check_send_target`] for a person: refuses anyone below an editor first.
    pub async fn check_send(&self, actor: &Actor, newsletter: &str, segment: &str) -> Result<()> {
        actor.require(SENDER_ROLE)?;
        self.check_send_target(newsletter, segment).await
    }

    /// The newsletter and how many of its subscribers `segment` would reach now (addresses
    /// that bounced are left out, as a send leaves them out).
    pub async fn count_send_recipients(
        &self,
        actor: &Actor,
        newsletter: &str,
        segment: &str,
    ) -> Result<(Newsletter, u64)> {
        actor.require(SENDER_ROLE)?;
        let (_, filter) = segment_filter(segment, 3)?;
        let mut tx = self.store.begin().await?;
        crate::newsletters::ensure_default(&mut tx, dateline_core::time::now()).await?;
        let found = dateline_store::newsletters::find(&mut tx, newsletter).await?;
        tx.commit().await?;
        let newsletter = found
            .filter(|n| n.status == "active")
            .ok_or(AppError::NotFound { noun: "newsletter" })?;
        let mut db = self.store.reader().await?;
        let n =
            deliveries::count_recipients(&mut db, newsletter.id.as_str(), filter.as_ref()).await?;
        Ok((newsletter, n))
    }

    /// Member labels a send can be limited to: (name, slug).
    pub async fn send_labels(&self, actor: &Actor) -> Result<Vec<(String, String)>> {
        actor.require(SENDER_ROLE)?;
        let mut db = self.store.reader().await?;
        Ok(dateline_store::labels::all(&mut db)
            .await?
            .into_iter()
            .map(|l| (l.name, l.slug))
            .collect())
    }

    /// `post_id` as `newsletter`'s subscribers would get it, with the unsubscribe link
    /// inert. Anyone who may open the post in the editor may look.
    pub async fn email_preview(
        &self,
        site_url: &str,
        post_id: &str,
        newsletter: &str,
    ) -> Result<EmailPreview> {
        let (detail, newsletter) = self.post_and_newsletter(post_id, newsletter).await?;
        let send = self
            .newsletter_email(site_url, &detail, &newsletter, "all")
            .await?;
        let inert = |text: &str| inert(&send, text);
        let from = match &send.from_name {
            Some(name) => format!("{name} <{}>", send.from_address),
            None => send.from_address.clone(),
        };
        Ok(EmailPreview {
            subject: send.subject.clone(),
            from,
            html: inert(&send.html),
            text: inert(&send.plaintext),
        })
    }

    /// Sends one copy of `post_id` as `newsletter`'s email to `to`, marked as a test, now
    /// (not through the queue). `Ok(Err(why))` says in plain words why the server refused.
    pub async fn send_test_post(
        &self,
        actor: &Actor,
        site_url: &str,
        post_id: &str,
        newsletter: &str,
        to: &str,
    ) -> Result<std::result::Result<String, String>> {
        actor.require(SENDER_ROLE)?;
        let to = crate::setup::validate_email(to)?;
        let (detail, newsletter) = self.post_and_newsletter(post_id, newsletter).await?;
        let send = self
            .newsletter_email(site_url, &detail, &newsletter, "all")
            .await?;
        let inert = |text: &str| inert(&send, text);
        let mail = dateline_mail::Email {
            from_name: send.from_name.clone(),
            from_address: send.from_address.clone(),
            reply_to: send.reply_to.clone(),
            to,
            subject: format!("[Test] {}", send.subject),
            text: inert(&send.plaintext),
            html: inert(&send.html),
            message_id: None,
            unsubscribe_url: None,
        };
        Ok(self.send_now(&mail).await)
    }

    /// The latest `limit` sends, newest first, with their progress.
    pub async fn recent_emails(&self, actor: &Actor, limit: u32) -> Result<Vec<SentEmail>> {
        actor.require(SENDER_ROLE)?;
        let sends = {
            let mut db = self.store.reader().await?;
            deliveries::recent_sends(&mut db, limit).await?
        };
        let mut out = Vec::with_capacity(sends.len());
        for send in sends {
            if let Some(email) = self.email(send.id.as_str()).await? {
                out.push(email);
            }
        }
        Ok(out)
    }

    /// Up to `limit` recipients of a send that failed, with the server's reply.
    pub async fn email_failures(
        &self,
        send_id: &str,
        limit: u32,
    ) -> Result<Vec<(String, Option<String>)>> {
        let mut db = self.store.reader().await?;
        Ok(deliveries::failed_recipients(&mut db, send_id, limit).await?)
    }
}

/// `text` of `send` with the unsubscribe link made harmless: a preview or a test copy belongs
/// to no subscriber.
fn inert(send: &deliveries::Send, text: &str) -> String {
    text.replace(&send.unsubscribe_url, "#")
        .replace(UNSUBSCRIBE_UUID, "")
        .replace(UNSUBSCRIBE_KEY, "")
}
