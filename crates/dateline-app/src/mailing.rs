//! Sending a post to a newsletter, through a durable queue in the database.
//!
//! Sending creates a send (the post rendered once, with placeholders for each reader's
//! unsubscribe link) and one `email_recipients` row per subscriber, in one transaction. A worker
//! then, in a loop:
//!
//! 1. settles rows left in `sending` by a worker whose lease ran out (see below) and marks
//!    finished sends, then claims a batch of due `queued` rows with a lease (a random claim id
//!    and an expiry);
//! 2. deals the claimed rows into `concurrency` lanes that run at once, each on its own SMTP
//!    connection (a `Session`, kept open from one message and batch to the next), under an
//!    optional rate limit shared by all lanes. A lane, for each of its rows: writes the whole
//!    SMTP transaction (MAIL FROM, RCPT TO, DATA, the message) except the final `.`; moves the
//!    row `queued → sending` ("being handed over") in a committed transaction, only if the
//!    lease is still held and the send was not cancelled (the row's lease is renewed so a slow
//!    batch never looks abandoned); then writes the `.` and records the server's reply: `sent`
//!    (with the reply), `failed` on a 5xx (and the member is marked bounced), back to `queued`
//!    with exponential backoff on a 4xx, or back to `queued` without counting an attempt when
//!    the server cannot be reached (the worker then gives back its batch and waits). A refusal
//!    before the `.` (of the sender, the recipient or DATA) is recorded the same way, for a row
//!    still `queued`. The reply is recorded in the same transaction that moves the lane's next
//!    row to `sending`, and the lanes' steps go through one writer, the batch's *ledger*, which
//!    commits every step waiting in one transaction (a group commit): the bookkeeping costs
//!    about two statements a message instead of two transactions, which was most of a
//!    message's CPU.
//!
//! Exactly once rests on one fact of SMTP: a server keeps a message only when it reads the `.`
//! that ends it, and discards a transaction whose connection drops before. So:
//! - a row still `queued` was never handed over, whatever its lane had written: a crash, a lost
//!   lease or a cancelled send drops the connection without the `.`, and the row is sent later
//!   (by whichever worker claims it next) or never (cancelled);
//! - a row in `sending` was being handed over: the `.` is written right after that commit, and
//!   a `kill -9` does not take back bytes already written to a socket (the kernel still sends
//!   them); but a kill between the commit and the write (microseconds, more on a busy
//!   machine) leaves the server without the `.`. When its lease runs out the row becomes
//!   `unknown` (the admin shows it with the reason) and is never sent again: a crash can cost
//!   a reader this one issue, never a second copy. The `queued → sending` update matches only
//!   `queued` rows, so no row is handed over twice, by one worker or several.
//! - a `.` written whose reply never comes (the connection drops, the server hangs) is a
//!   message handed over too, recorded as `sent` with a note; a server that hung up before the
//!   `.` (seen before writing it) leaves the row to be sent again.
//!
//! What is left: a crash in the microseconds between the commit of `sending` and the write of
//! the `.` loses that message (the server discards it, the row says sent). It never doubles one.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use dateline_core::id::ObjectId;
use dateline_core::post::PostType;
/// The authorities TLS to the SMTP server trusts; the binary builds it from `--smtp-ca-file`.
pub use dateline_mail::Trust;
use dateline_mail::transport::Session;
use dateline_mail::{Email, Mailer, SendError};
use dateline_store::deliveries::{self, Claimed, Send};
use dateline_store::members;
use jiff::SignedDuration;
use serde_json::json;
use tokio::sync::Notify;

use crate::content::PostKey;
use crate::{App, AppError, Result};

/// Where mail goes and how the queue behaves.
///
/// The SMTP server can change while the server runs (the admin's mail settings,
/// [`crate::mail_settings`]): the mailers live behind a lock and are swapped whole, and every
/// send takes the current pair. A server given at start (`--smtp-url`, `DATELINE_SMTP_URL`,
/// `dateline.toml`) is *pinned*: it wins over the stored settings, which are then only shown.
#[derive(Clone)]
pub struct MailSetup {
    live: Arc<std::sync::RwLock<Live>>,
    /// The configured server's URL, redacted, when one was given at start.
    pinned: Option<Arc<str>>,
    pub delivery: DeliveryOptions,
    /// Wakes the worker when a send is created, so it does not wait for its next poll.
    wake: Arc<Notify>,
    /// When the next message may start under the rate limit, shared by every lane.
    next_slot: Arc<tokio::sync::Mutex<tokio::time::Instant>>,
    /// The certificate authorities TLS to an SMTP server trusts (`--smtp-ca-file`), for the
    /// pinned server and for the one the mail settings name.
    trust: Trust,
    /// Open SMTP connections between batches, each with the [`Live::generation`] it was made
    /// for: a lane takes one and gives it back, so a connection carries message after message,
    /// and one to a server that has since been replaced is dropped.
    sessions: Arc<std::sync::Mutex<Vec<(u64, Session)>>>,
}

/// The mailers in use, replaced together.
struct Live {
    /// Mail a reader is waiting for (magic links): its own connection pool, so it is never
    /// queued behind a newsletter.
    transactional: Mailer,
    newsletters: Mailer,
    /// The address mail comes from when nothing more specific names one.
    default_sender: Option<String>,
    /// Moves with each replacement.
    generation: u64,
    /// What the stored server settings were when these mailers were built, so a reload that
    /// finds the same server keeps the open connections.
    fingerprint: Option<String>,
    /// Lanes and rate from the mail settings, when they were saved there.
    pace: Option<Pace>,
}

/// How fast newsletters go, as the mail settings set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    pub concurrency: usize,
    pub rate_per_second: Option<u32>,
}

/// The mail settings as stored, ready to put in use ([`MailSetup::replace`]).
pub(crate) struct Stored {
    pub server: Option<(Mailer, Mailer)>,
    pub default_sender: Option<String>,
    pub pace: Option<Pace>,
    /// The server's settings (with a hash of the password), to tell a change.
    pub fingerprint: String,
}

#[derive(Debug, Clone)]
pub struct DeliveryOptions {
    /// Recipients claimed at once.
    pub batch_size: u32,
    /// Messages in flight at once, each on its own SMTP connection (`--mail-concurrency`).
    pub concurrency: usize,
    /// At most this many messages a second across all lanes (`--mail-rate`); `None` for as
    /// fast as the server takes them.
    pub rate_per_second: Option<u32>,
    /// How long a claim holds; a worker that dies is replaced after this.
    pub lease: SignedDuration,
    /// First wait after a 4xx or an unreachable server; doubles with each attempt.
    pub retry_base: SignedDuration,
    /// Longest wait between attempts.
    pub retry_max: SignedDuration,
    /// 4xx replies for one recipient before giving up on them.
    pub max_attempts: i64,
    /// How often an idle worker looks for work (it is also woken when a send is created).
    pub idle_poll: Duration,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        DeliveryOptions {
            batch_size: 50,
            concurrency: 8,
            rate_per_second: None,
            // Short, so a restarted server resumes a crashed one's batch soon; a row's lease is
            // renewed when its message starts, and a lane that outlives the claim of rows it
            // has not reached only loses them to another worker (it checks before sending).
            lease: SignedDuration::from_secs(20),
            retry_base: SignedDuration::from_secs(10),
            retry_max: SignedDuration::from_secs(30 * 60),
            max_attempts: 10,
            idle_poll: Duration::from_secs(5),
        }
    }
}

impl MailSetup {
    /// No SMTP server: mail is logged (until the admin's mail settings name one).
    pub fn log() -> MailSetup {
        MailSetup::with(Mailer::log(), Mailer::log(), None, Trust::default())
    }

    /// Mail goes to the SMTP server at `url`, pinned: the admin's mail settings do not apply.
    pub fn smtp(url: &str) -> Result<MailSetup, SendError> {
        MailSetup::configured(Some(url), Trust::default())
    }

    /// As configured at start: the SMTP server at `url`, pinned, or none (the mail settings
    /// may name one), with TLS trusting `trust`'s authorities either way.
    pub fn configured(url: Option<&str>, trust: Trust) -> Result<MailSetup, SendError> {
        Ok(match url {
            Some(url) => MailSetup::with(
                Mailer::smtp(url, &trust)?,
                Mailer::smtp(url, &trust)?,
                Some(dateline_store::redact(url).into()),
                trust,
            ),
            None => MailSetup::with(Mailer::log(), Mailer::log(), None, trust),
        })
    }

    fn with(
        transactional: Mailer,
        newsletters: Mailer,
        pinned: Option<Arc<str>>,
        trust: Trust,
    ) -> MailSetup {
        MailSetup {
            live: Arc::new(std::sync::RwLock::new(Live {
                transactional,
                newsletters,
                default_sender: None,
                generation: 0,
                fingerprint: None,
                pace: None,
            })),
            pinned,
            trust,
            delivery: DeliveryOptions::default(),
            wake: Arc::new(Notify::new()),
            next_slot: Arc::new(tokio::sync::Mutex::new(tokio::time::Instant::now())),
            sessions: Arc::new(std::sync::Mutex::new(Vec::new())),
        }
    }

    /// Reads the mailers in use without holding the lock past `read`.
    fn with_live<T>(&self, read: impl FnOnce(&Live) -> T) -> T {
        match self.live.read() {
            Ok(live) => read(&live),
            Err(poisoned) => read(&poisoned.into_inner()),
        }
    }

    /// The mailer for mail a reader is waiting for (sign-in links, resets, test messages).
    pub fn transactional(&self) -> Mailer {
        self.with_live(|live| live.transactional.clone())
    }

    /// The authorities TLS to an SMTP server trusts.
    pub(crate) fn trust(&self) -> &Trust {
        &self.trust
    }

    /// The server given at start (redacted), which the stored mail settings cannot change.
    pub fn pinned(&self) -> Option<&str> {
        self.pinned.as_deref()
    }

    /// The sender address for mail that names none: the mail settings' default sender, or
    /// `noreply@` the site's host.
    pub fn sender_address(&self, site_url: &str) -> String {
        self.with_live(|live| live.default_sender.clone())
            .unwrap_or_else(|| noreply_address(site_url))
    }

    /// Puts the stored mail settings in use, unless a server is pinned: the sender, the
    /// lanes and the rate at once, and the server (or the log, with `None`) unless it is the
    /// one already in use. Idle connections to an old server are closed; lanes in flight
    /// finish their message on theirs.
    pub(crate) fn replace(&self, stored: Stored) {
        if self.pinned.is_some() {
            return;
        }
        let Ok(mut live) = self.live.write() else {
            return;
        };
        live.default_sender = stored.default_sender;
        live.pace = stored.pace;
        if live.fingerprint.as_deref() == Some(stored.fingerprint.as_str()) {
            return;
        }
        let (transactional, newsletters) = stored
            .server
            .unwrap_or_else(|| (Mailer::log(), Mailer::log()));
        live.transactional = transactional;
        live.newsletters = newsletters;
        live.generation += 1;
        live.fingerprint = Some(stored.fingerprint);
        drop(live);
        if let Ok(mut idle) = self.sessions.lock() {
            idle.clear();
        }
        // Newsletters waiting for a server that was missing or down may go now.
        self.wake.notify_one();
    }

    /// Newsletter messages in flight at once: the mail settings' number, or `--mail-concurrency`.
    pub fn concurrency(&self) -> usize {
        self.with_live(|live| live.pace)
            .map_or(self.delivery.concurrency, |p| p.concurrency)
            .max(1)
    }

    /// The newsletter rate limit: the mail settings', or `--mail-rate`.
    pub fn rate(&self) -> Option<u32> {
        self.with_live(|live| live.pace)
            .map_or(self.delivery.rate_per_second, |p| p.rate_per_second)
            .filter(|r| *r > 0)
    }

    fn take_session(&self) -> (u64, Session) {
        let (generation, newsletters) =
            self.with_live(|live| (live.generation, live.newsletters.clone()));
        let idle = self.sessions.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some((made_for, session)) if made_for == generation => (generation, session),
            _ => (generation, newsletters.session()),
        }
    }

    fn give_back(&self, generation: u64, session: Session) {
        if generation != self.with_live(|live| live.generation) {
            return;
        }
        if let Ok(mut idle) = self.sessions.lock() {
            idle.push((generation, session));
        }
    }

    /// Waits for this message's slot under `rate` messages a second (no wait without one).
    async fn pace(&self, rate: Option<u32>) {
        let Some(rate) = rate.filter(|r| *r > 0) else {
            return;
        };
        let at = {
            let mut next = self.next_slot.lock().await;
            let at = (*next).max(tokio::time::Instant::now());
            *next = at + Duration::from_secs(1) / rate;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// A send's recipients by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendProgress {
    /// `sending`, `sent` or `cancelled`.
    pub status: String,
    pub queued: u64,
    pub sending: u64,
    pub sent: u64,
    pub failed: u64,
    /// Interrupted mid-transaction by a crash under an older Dateline, which could not tell
    /// whether the server kept the message; not sent again. (Now such a row is `sent`.)
    pub unknown: u64,
    pub cancelled: u64,
}

impl SendProgress {
    pub fn total(&self) -> u64 {
        self.queued + self.sending + self.sent + self.failed + self.unknown + self.cancelled
    }
}

/// What one pass of the worker did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Nothing was due.
    Idle,
    /// Messages were handed to the server (or refused); look again at once.
    Worked,
    /// The server could not be reached; the batch went back to the queue.
    Unavailable,
}

/// A row whose message was handed to the SMTP server, with the server's answer.
type Outcome = (Claimed, Result<String, SendError>);

/// A lane's request to its batch's ledger ([`App::keep_ledger`]): record `done`, then move row
/// `next` to `sending`; `answer` says whether that move happened (the lease was still held and
/// the send not cancelled), so whether the lane may send it.
struct Step {
    done: Option<Outcome>,
    next: Option<i64>,
    answer: tokio::sync::oneshot::Sender<bool>,
}

/// A lane's handle on the ledger.
struct Ledger(tokio::sync::mpsc::UnboundedSender<Step>);

impl Ledger {
    /// Writes one step and waits for its commit; `None` when the ledger has failed.
    async fn step(&self, done: Option<Outcome>, next: Option<i64>) -> Option<bool> {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.0.send(Step { done, next, answer }).ok()?;
        answered.await.ok()
    }
}

pub(crate) const UNSUBSCRIBE_UUID: &str = "%%{uuid}%%";
pub(crate) const UNSUBSCRIBE_KEY: &str = "%%{key}%%";

impl App {
    /// Queues `post` (id) for every subscriber of `newsletter` (id, uuid or slug); returns the
    /// send's id. A post goes out once: a second call is a conflict.
    pub async fn send_post_to_newsletter(
        &self,
        site_url: &str,
        post_id: &str,
        newsletter: &str,
    ) -> Result<ObjectId> {
        self.send_post_to_segment(site_url, post_id, newsletter, "all")
            .await
    }

    /// Checks, before a post is published with a newsletter, that the newsletter exists and
    /// `segment` is `all` or a valid member filter.
    pub async fn check_send_target(&self, newsletter: &str, segment: &str) -> Result<()> {
        segment_filter(segment, 5)?;
        let mut tx = self.store.begin().await?;
        crate::newsletters::ensure_default(&mut tx, dateline_core::time::now()).await?;
        let found = dateline_store::newsletters::find(&mut tx, newsletter).await?;
        tx.commit().await?;
        match found {
            Some(n) if n.status == "active" => Ok(()),
            _ => Err(AppError::invalid(
                "newsletter",
                format!("there is no active newsletter `{newsletter}`"),
            )),
        }
    }

    /// Queues `post` for the subscribers of `newsletter` whom `segment` selects: Ghost's
    /// `email_segment`, `all` or a member filter (`status:free`, `label:vip`, any NQL over
    /// members). A bad segment is refused before anything is stored.
    pub async fn send_post_to_segment(
        &self,
        site_url: &str,
        post_id: &str,
        newsletter: &str,
        segment: &str,
    ) -> Result<ObjectId> {
        let (segment, filter) = segment_filter(segment, 5)?;
        let (detail, newsletter) = self.post_and_newsletter(post_id, newsletter).await?;
        if detail.post.status != dateline_core::post::PostStatus::Published {
            // Only a published post goes out (a scheduled one waits for the scheduler).
            return Err(AppError::NotFound { noun: "post" });
        }
        let send = self
            .newsletter_email(site_url, &detail, &newsletter, segment)
            .await?;
        let post = &detail.post;
        let now = send.created_at;
        let mut tx = self.store.begin().await?;
        let already = deliveries::send_for_post(&mut tx, post.id.as_str()).await?;
        if already.is_some() || !deliveries::insert_send(&mut tx, &send).await? {
            return Err(AppError::Conflict {
                record: format!("post `{}`", post.slug),
                reason: "it was already sent as a newsletter".to_owned(),
            });
        }
        let queued = deliveries::queue_recipients(
            &mut tx,
            send.id.as_str(),
            newsletter.id.as_str(),
            filter.as_ref(),
            now,
        )
        .await?;
        let left_site = deliveries::mark_email_only_sent(&mut tx, post.id.as_str()).await?;
        tx.commit().await?;
        if left_site {
            // Its page, and every listing it was in, must go from the caches.
            self.events.emit(crate::ContentChanged::Everything);
        }
        tracing::info!(send = %send.id, post = %post.slug, newsletter = %newsletter.slug, queued, "newsletter queued");
        self.mail.wake.notify_one();
        Ok(send.id)
    }

    /// A post (any status) and a newsletter (id, uuid or slug), each or a not-found error.
    pub(crate) async fn post_and_newsletter(
        &self,
        post_id: &str,
        newsletter: &str,
    ) -> Result<(
        crate::site::PostDetail,
        dateline_store::newsletters::Newsletter,
    )> {
        let detail = self
            .staff_post(PostType::Post, PostKey::Id(post_id))
            .await?
            .ok_or(AppError::NotFound { noun: "post" })?;
        let mut tx = self.store.begin().await?;
        crate::newsletters::ensure_default(&mut tx, dateline_core::time::now()).await?;
        let found = dateline_store::newsletters::find(&mut tx, newsletter).await?;
        tx.commit().await?;
        let newsletter = found.ok_or(AppError::NotFound { noun: "newsletter" })?;
        Ok((detail, newsletter))
    }

    /// The post rendered as `newsletter`'s email through the `newsletter` mail template, with
    /// placeholders for each reader's unsubscribe link: what a send stores and every
    /// recipient gets (the previews and test messages use it too).
    pub(crate) async fn newsletter_email(
        &self,
        site_url: &str,
        detail: &crate::site::PostDetail,
        newsletter: &dateline_store::newsletters::Newsletter,
        segment: &str,
    ) -> Result<Send> {
        let site = self.settings().await?;
        let post = &detail.post;
        let web_url = format!(
            "{site_url}{}",
            dateline_core::routes::SiteRoutes::of(&site)
                .post_path(&detail.record())
                .as_deref()
                .unwrap_or("/404/")
        );
        let unsubscribe_url = format!(
            "{site_url}/unsubscribe/?uuid={UNSUBSCRIBE_UUID}&newsletter={}&key={UNSUBSCRIBE_KEY}",
            newsletter.uuid
        );
        let byline = detail
            .authors
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let preheader = post
            .custom_excerpt
            .clone()
            .or_else(|| {
                post.plaintext
                    .as_deref()
                    .map(|t| t.chars().take(140).collect())
            })
            .unwrap_or_default();
        let rendered = dateline_mail::render(
            "newsletter",
            &json!({
                "lang": site.locale(),
                "site_title": site.title(),
                "site_url": site_url,
                "newsletter_name": newsletter.name,
                "header_image": newsletter.header_image.as_deref().map(|u| absolute(u, site_url)),
                "title": post.email_subject.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| post.title.clone()),
                "preheader": preheader,
                "byline": byline,
                "feature_image": post.feature_image.as_deref().filter(|_| newsletter.show_feature_image).map(|u| absolute(u, site_url)),
                "feature_image_alt": post.feature_image_alt.clone().unwrap_or_default(),
                "content": absolute_links(post.html.as_deref().unwrap_or_default(), site_url),
                "text": post.plaintext.clone().unwrap_or_default(),
                "web_url": web_url,
                "footer": newsletter.footer_content,
                "unsubscribe_url": unsubscribe_url,
            }),
        )
        .map_err(|e| AppError::Mail(e.to_string()))?;
        let now = dateline_core::time::now();
        let send = Send {
            id: ObjectId::generate(),
            post_id: post.id.clone(),
            newsletter_id: newsletter.id.clone(),
            status: "sending".to_owned(),
            subject: rendered.subject,
            html: rendered.html,
            plaintext: rendered.text,
            from_name: Some(
                newsletter
                    .sender_name
                    .clone()
                    .unwrap_or_else(|| site.title().to_owned()),
            ),
            from_address: newsletter
                .sender_email
                .clone()
                .unwrap_or_else(|| self.mail.sender_address(site_url)),
            reply_to: newsletter.sender_reply_to.clone(),
            unsubscribe_url,
            recipient_filter: segment.to_owned(),
            created_at: now,
            finished_at: None,
        };
        Ok(send)
    }

    pub async fn send_progress(&self, send_id: &str) -> Result<SendProgress> {
        let mut db = self.store.reader().await?;
        let send = deliveries::send_by_id(&mut db, send_id)
            .await?
            .ok_or(AppError::NotFound { noun: "send" })?;
        progress(&mut db, send).await
    }

    /// Remembers to send `post_id` as `newsletter` to `segment` once it is published (a post
    /// scheduled with a newsletter); the mail worker sends it then. Checked like a send now.
    pub async fn schedule_newsletter(
        &self,
        site_url: &str,
        post_id: &str,
        newsletter: &str,
        segment: &str,
    ) -> Result<()> {
        self.check_send_target(newsletter, segment).await?;
        let entry = deliveries::ScheduledNewsletter {
            post_id: post_id.to_owned(),
            newsletter: newsletter.to_owned(),
            segment: segment.trim().to_owned(),
            site_url: site_url.to_owned(),
        };
        let mut tx = self.store.begin().await?;
        deliveries::schedule_newsletter(&mut tx, &entry, dateline_core::time::now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drops a scheduled post's newsletter (it went back to draft).
    pub async fn forget_scheduled_newsletter(&self, post_id: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        deliveries::forget_scheduled_newsletter(&mut tx, post_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends the scheduled newsletters whose posts the scheduler has published. A send that
    /// exists already (a crash after sending, before forgetting) counts as done.
    pub async fn send_scheduled_newsletters(&self) -> Result<u64> {
        let due = {
            let mut db = self.store.reader().await?;
            deliveries::due_scheduled_newsletters(&mut db).await?
        };
        let mut sent = 0;
        for entry in due {
            match self
                .send_post_to_segment(
                    &entry.site_url,
                    &entry.post_id,
                    &entry.newsletter,
                    &entry.segment,
                )
                .await
            {
                Ok(_) => sent += 1,
                Err(AppError::Conflict { .. }) => {}
                Err(err) => {
                    tracing::error!(post = %entry.post_id, error = %err, "a scheduled newsletter could not be sent");
                }
            }
            self.forget_scheduled_newsletter(&entry.post_id).await?;
        }
        Ok(sent)
    }

    /// A send (Ghost's `email`) by its id, with its progress and newsletter.
    pub async fn email(&self, send_id: &str) -> Result<Option<SentEmail>> {
        let mut db = self.store.reader().await?;
        let Some(send) = deliveries::send_by_id(&mut db, send_id).await? else {
            return Ok(None);
        };
        email(&mut db, send).await.map(Some)
    }

    /// The email a post went out as, if it did.
    pub async fn email_for_post(&self, post_id: &str) -> Result<Option<SentEmail>> {
        let mut db = self.store.reader().await?;
        let Some(send) = deliveries::send_for_post(&mut db, post_id).await? else {
            return Ok(None);
        };
        email(&mut db, send).await.map(Some)
    }

    /// Each recipient's address, state and the SMTP server's last reply.
    pub async fn send_recipients(
        &self,
        send_id: &str,
    ) -> Result<Vec<(String, String, Option<String>)>> {
        let mut db = self.store.reader().await?;
        Ok(deliveries::recipient_replies(&mut db, send_id).await?)
    }

    /// Stops a send: nobody still queued gets it. Returns false when it had already finished.
    pub async fn cancel_send(&self, send_id: &str) -> Result<bool> {
        let mut tx = self.store.begin().await?;
        let cancelled = deliveries::cancel(&mut tx, send_id, dateline_core::time::now()).await?;
        tx.commit().await?;
        Ok(cancelled)
    }

    /// [`App::cancel_send`] through the Admin API: stopping a send to readers is an editor's
    /// call, as publishing is. Cancelling a finished send changes nothing. Returns the email.
    pub async fn cancel_email(
        &self,
        actor: &crate::admin::Actor,
        send_id: &str,
    ) -> Result<SentEmail> {
        actor.require(dateline_core::role::Role::Editor)?;
        self.cancel_send(send_id).await?;
        self.email(send_id)
            .await?
            .ok_or(AppError::NotFound { noun: "email" })
    }

    /// One pass of the worker: claims a batch and sends it, one recipient at a time.
    pub async fn deliver_batch(&self) -> Result<Pass> {
        let options = &self.mail.delivery;
        let now = dateline_core::time::now();
        let claim = dateline_core::id::random_hex(12);
        self.send_scheduled_newsletters().await?;
        let mut tx = self.store.begin().await?;
        let interrupted = deliveries::settle_interrupted(&mut tx, now).await?;
        if interrupted > 0 {
            tracing::warn!(
                interrupted,
                "newsletter messages being handed over when a crash came: delivery unknown, \
                 not sent again"
            );
        }
        deliveries::finish_sends(&mut tx, now).await?;
        let lease_until = now.checked_add(options.lease).unwrap_or(now);
        let batch =
            deliveries::claim(&mut tx, &claim, now, lease_until, options.batch_size).await?;
        tx.commit().await?;
        if batch.is_empty() {
            return Ok(Pass::Idle);
        }
        let secret: Arc<str> = self.mail_secret().await?.into();
        let mut sends: HashMap<String, Arc<Send>> = HashMap::new();
        {
            let mut db = self.store.reader().await?;
            for row in &batch {
                if !sends.contains_key(&row.send_id)
                    && let Some(send) = deliveries::send_by_id(&mut db, &row.send_id).await?
                {
                    sends.insert(row.send_id.clone(), Arc::new(send));
                }
            }
        }
        // The batch is dealt round-robin into `concurrency` lanes; each lane sends its rows one
        // at a time over its own pooled SMTP connection, and writes down its progress through
        // the batch's ledger.
        let lanes = self.mail.concurrency();
        let mut rows: Vec<Vec<Claimed>> = (0..lanes).map(|_| Vec::new()).collect();
        for (i, row) in batch.into_iter().enumerate() {
            rows[i % lanes].push(row);
        }
        let claim: Arc<str> = claim.into();
        let (ledger, steps) = tokio::sync::mpsc::unbounded_channel();
        let mut running = tokio::task::JoinSet::new();
        for lane in rows.into_iter().filter(|l| !l.is_empty()) {
            let app = self.clone();
            let sends = sends.clone();
            let secret = secret.clone();
            let ledger = Ledger(ledger.clone());
            running.spawn(async move { app.deliver_lane(lane, &sends, &secret, &ledger).await });
        }
        // The ledger ends when the last lane drops its handle.
        drop(ledger);
        let mut pass = Pass::Worked;
        let mut failure = None;
        let (kept, ()) = tokio::join!(self.keep_ledger(steps, &claim), async {
            while let Some(joined) = running.join_next().await {
                match joined {
                    Ok(Pass::Unavailable) => pass = Pass::Unavailable,
                    Ok(_) => {}
                    Err(err) => {
                        failure = Some(AppError::Mail(format!("a delivery lane died: {err}")));
                    }
                }
            }
        });
        if let Err(err) = kept {
            failure = Some(err);
        }
        if pass == Pass::Unavailable || failure.is_some() {
            // Whatever the lanes did not reach goes back to the queue at once.
            let retry = dateline_core::time::now()
                .checked_add(options.retry_base)
                .unwrap_or(now);
            let mut tx = self.store.begin().await?;
            deliveries::release(&mut tx, &claim, retry).await?;
            tx.commit().await?;
        }
        match failure {
            Some(err) => Err(err),
            None => Ok(pass),
        }
    }

    /// Sends one lane of a claimed batch, one recipient at a time; stops at the first sign
    /// that the SMTP server is unavailable.
    async fn deliver_lane(
        &self,
        rows: Vec<Claimed>,
        sends: &HashMap<String, Arc<Send>>,
        secret: &str,
        ledger: &Ledger,
    ) -> Pass {
        let (generation, mut session) = self.mail.take_session();
        let pass = self
            .deliver_rows(&mut session, rows, sends, secret, ledger)
            .await;
        self.mail.give_back(generation, session);
        pass
    }

    /// A lane's loop. For each row: stage the message (all of it but the final `.`), then one
    /// ledger step records the server's reply for the previous row and marks this one as being
    /// handed over; only once that is committed does the lane write the `.`. A lane so never
    /// has more than one row in `sending`, and a message costs one shared transaction.
    async fn deliver_rows(
        &self,
        session: &mut Session,
        rows: Vec<Claimed>,
        sends: &HashMap<String, Arc<Send>>,
        secret: &str,
        ledger: &Ledger,
    ) -> Pass {
        let mut rows = rows.into_iter();
        let mut done: Option<Outcome> = None;
        // Sends whose rows the ledger refused (cancelled, or the lease lost): the lane's other
        // rows of those sends would be refused too, after writing each message for nothing.
        let mut given_up: Vec<&str> = Vec::new();
        loop {
            let next = rows.find_map(|row| {
                let send = sends.get(&row.send_id)?;
                (!given_up.contains(&row.send_id.as_str())).then_some((row, send))
            });
            let rate = self.mail.rate();
            if next.is_none() || rate.is_some() {
                // The previous row is recorded before waiting for a slot, not left in `sending`.
                if let Some(outcome) = done.take()
                    && ledger.step(Some(outcome), None).await.is_none()
                {
                    return Pass::Worked;
                }
            }
            let Some((row, send)) = next else {
                return Pass::Worked;
            };
            self.mail.pace(rate).await;
            let email = personalise(send, &row, secret);
            if let Err(refused) = session.stage(&email).await {
                // The server has nothing of this message: record why, with the previous row.
                let unavailable = matches!(refused, SendError::Unavailable(_));
                if let Some(outcome) = done.take()
                    && ledger.step(Some(outcome), None).await.is_none()
                {
                    return Pass::Worked;
                }
                if ledger.step(Some((row, Err(refused))), None).await.is_none() || unavailable {
                    return if unavailable {
                        Pass::Unavailable
                    } else {
                        Pass::Worked
                    };
                }
                continue;
            }
            let Some(started) = ledger.step(done.take(), Some(row.id)).await else {
                // The ledger failed; `deliver_batch` reports why.
                session.abandon();
                return Pass::Worked;
            };
            if !started {
                // The lease was lost or the send cancelled: this message must not go.
                session.abandon();
                given_up.push(send.id.as_str());
                continue;
            }
            let reply = session.hand_over().await;
            if matches!(reply, Err(SendError::Unavailable(_))) {
                ledger.step(Some((row, reply)), None).await;
                return Pass::Unavailable;
            }
            done = Some((row, reply));
        }
    }

    /// Writes the lanes' steps as they come: each transaction takes every step waiting (a
    /// group commit), so the queue's bookkeeping costs a few statements a message, not a few
    /// transactions. A step's lane waits for the commit before it writes the message's final
    /// `.`, which keeps "moved to `sending` before the server can keep the message" true.
    /// Ends when every lane is done, or at the first error, which drops the waiting steps:
    /// their lanes stop.
    async fn keep_ledger(
        &self,
        mut steps: tokio::sync::mpsc::UnboundedReceiver<Step>,
        claim: &str,
    ) -> Result<()> {
        let mut group = Vec::new();
        while steps.recv_many(&mut group, usize::MAX).await > 0 {
            let started = self.write_steps(&mut group, claim).await?;
            for (step, started) in group.drain(..).zip(started) {
                // A lane that is gone has nothing left to do with the answer.
                let _ = step.answer.send(started);
            }
        }
        Ok(())
    }

    /// One transaction for a group of steps; whether each step's next row may be sent.
    async fn write_steps(&self, group: &mut [Step], claim: &str) -> Result<Vec<bool>> {
        let options = &self.mail.delivery;
        let now = dateline_core::time::now();
        let renewed = now.checked_add(options.lease).unwrap_or(now);
        let mut tx = self.store.begin().await?;
        let mut started = Vec::with_capacity(group.len());
        for step in group.iter_mut() {
            if let Some((row, reply)) = step.done.take() {
                self.record(&mut tx, &row, claim, reply, now).await?;
            }
            started.push(match step.next {
                Some(id) => deliveries::start_sending(&mut tx, id, claim, now, renewed).await?,
                None => false,
            });
        }
        tx.commit().await?;
        Ok(started)
    }

    /// Records what the SMTP server said about one recipient.
    async fn record(
        &self,
        tx: &mut dateline_store::Tx,
        row: &Claimed,
        claim: &str,
        outcome: Result<String, SendError>,
        now: jiff::Timestamp,
    ) -> Result<()> {
        let options = &self.mail.delivery;
        match outcome {
            Ok(reply) => deliveries::mark_sent(tx, row.id, &reply, now).await?,
            Err(SendError::Permanent(reply)) => {
                deliveries::mark_failed(tx, row.id, claim, &reply).await?;
                members::set_email_disabled(tx, &row.member_id, true, now).await?;
                tracing::warn!(to = %row.email, %reply, "address bounced; no more newsletters to it");
            }
            Err(SendError::Invalid(reply)) => {
                deliveries::mark_failed(tx, row.id, claim, &reply).await?
            }
            Err(SendError::Temporary(reply)) if row.attempts + 1 >= options.max_attempts => {
                deliveries::mark_failed(tx, row.id, claim, &reply).await?;
            }
            Err(SendError::Temporary(reply)) => {
                let next = now
                    .checked_add(backoff(options, row.attempts))
                    .unwrap_or(now);
                deliveries::retry_later(tx, row.id, claim, &reply, next, true).await?;
            }
            Err(SendError::Unavailable(reply)) => {
                let next = now.checked_add(options.retry_base).unwrap_or(now);
                deliveries::retry_later(tx, row.id, claim, &reply, next, false).await?;
                tracing::warn!(%reply, "SMTP server unavailable; newsletters wait");
            }
        }
        Ok(())
    }

    /// Runs [`App::deliver_batch`] until `shutdown` resolves: at once while there is work, on a
    /// poll (or a wake-up from a new send) when idle, and with growing pauses while the SMTP
    /// server is unreachable. A batch in progress is finished before stopping, so shutting
    /// down never leaves a row in `sending`.
    pub async fn run_mail_worker(&self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let options = self.mail.delivery.clone();
        let mut outages: i64 = 0;
        loop {
            let pause = match self.deliver_batch().await {
                Ok(Pass::Worked) => {
                    outages = 0;
                    Duration::ZERO
                }
                Ok(Pass::Idle) => {
                    outages = 0;
                    options.idle_poll
                }
                Ok(Pass::Unavailable) => {
                    outages += 1;
                    Duration::try_from(backoff(&options, outages - 1)).unwrap_or(options.idle_poll)
                }
                Err(err) => {
                    tracing::error!(error = %err, "newsletter delivery failed; will retry");
                    options.idle_poll
                }
            };
            tokio::select! {
                biased;
                _ = &mut shutdown => return,
                _ = self.mail.wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }
}

/// A segment as stored (`all` when blank) and its filter over members, its first placeholder
/// `first` (5 to follow the four parameters of [`deliveries::queue_recipients`]).
pub(crate) fn segment_filter(
    segment: &str,
    first: usize,
) -> Result<(&str, Option<dateline_store::filter::Filter>)> {
    let segment = segment.trim();
    match segment {
        "" | "all" => Ok(("all", None)),
        nql => {
            let filter = crate::content::compile_filter(
                Some(nql),
                dateline_store::filter::Resource::Members,
                first,
            )
            .map_err(|e| AppError::invalid("email_segment", e.to_string()))?;
            Ok((nql, filter))
        }
    }
}

/// A send as the Admin API shows it (Ghost's `email`): the send, its newsletter and counts.
#[derive(Debug, Clone)]
pub struct SentEmail {
    pub send: Send,
    pub newsletter: Option<dateline_store::newsletters::Newsletter>,
    pub progress: SendProgress,
}

async fn email(db: &mut impl dateline_store::Db, send: Send) -> Result<SentEmail> {
    let newsletter = dateline_store::newsletters::find(db, send.newsletter_id.as_str()).await?;
    let progress = progress(db, send.clone()).await?;
    Ok(SentEmail {
        send,
        newsletter,
        progress,
    })
}

async fn progress(db: &mut impl dateline_store::Db, send: Send) -> Result<SendProgress> {
    let mut progress = SendProgress {
        status: send.status,
        ..SendProgress::default()
    };
    for (status, n) in deliveries::recipient_counts(db, send.id.as_str()).await? {
        match status.as_str() {
            "queued" => progress.queued = n,
            "sending" => progress.sending = n,
            "sent" => progress.sent = n,
            "failed" => progress.failed = n,
            "unknown" => progress.unknown = n,
            _ => progress.cancelled = n,
        }
    }
    Ok(progress)
}

/// `retry_base · 2^attempts`, at most `retry_max`.
fn backoff(options: &DeliveryOptions, attempts: i64) -> SignedDuration {
    let factor = 1_i32 << attempts.clamp(0, 20);
    options
        .retry_base
        .checked_mul(factor)
        .unwrap_or(options.retry_max)
        .min(options.retry_max)
}

/// The send's message for one recipient, with their unsubscribe link filled in.
fn personalise(send: &Send, row: &Claimed, secret: &str) -> Email {
    let key = dateline_mail::unsubscribe::key(secret, &row.member_uuid);
    let fill = |text: &str| {
        text.replace(UNSUBSCRIBE_UUID, &row.member_uuid)
            .replace(UNSUBSCRIBE_KEY, &key)
    };
    let host = send
        .from_address
        .rsplit_once('@')
        .map_or("dateline.invalid", |(_, host)| host);
    Email {
        from_name: send.from_name.clone(),
        from_address: send.from_address.clone(),
        reply_to: send.reply_to.clone(),
        to: row.email.clone(),
        subject: send.subject.clone(),
        text: fill(&send.plaintext),
        html: fill(&send.html),
        message_id: Some(format!("<{}.{}@{host}>", send.id, row.member_id)),
        unsubscribe_url: Some(fill(&send.unsubscribe_url)),
    }
}

/// `noreply@` the site's host; a site on an IP address (a test or a first run) uses
/// `localhost`, because an address cannot end in a bare IP.
pub(crate) fn noreply_address(site_url: &str) -> String {
    let host = site_url
        .split_once("://")
        .map_or(site_url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() {
        "noreply@localhost".to_owned()
    } else {
        format!("noreply@{host}")
    }
}

/// Makes a stored URL absolute: Ghost's `__GHOST_URL__` and root-relative paths get the site.
fn absolute(url: &str, site_url: &str) -> String {
    if let Some(rest) = url.strip_prefix("__GHOST_URL__") {
        format!("{site_url}{rest}")
    } else if url.starts_with('/') && !url.starts_with("//") {
        format!("{site_url}{url}")
    } else {
        url.to_owned()
    }
}

/// Mail clients have no base URL: every image and link in the post must be absolute.
fn absolute_links(html: &str, site_url: &str) -> String {
    html.replace("__GHOST_URL__", site_url)
        .replace("src=\"/content/", &format!("src=\"{site_url}/content/"))
        .replace("href=\"/", &format!("href=\"{site_url}/"))
        .replace(&format!("href=\"{site_url}//"), "href=\"//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_absolute() {
        let html = r#"<img src="/content/images/a.jpg"><a href="/story/">x</a><img src="__GHOST_URL__/content/b.png"><a href="//cdn.example/x">y</a>"#;
        assert_eq!(
            absolute_links(html, "https://news.example"),
            r#"<img src="https://news.example/content/images/a.jpg"><a href="https://news.example/story/">x</a><img src="https://news.example/content/b.png"><a href="//cdn.example/x">y</a>"#
        );
        assert_eq!(
            noreply_address("http://127.0.0.1:8080"),
            "noreply@localhost"
        );
        assert_eq!(
            noreply_address("https://news.example/"),
            "noreply@news.example"
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let options = DeliveryOptions::default();
        assert_eq!(backoff(&options, 0), SignedDuration::from_secs(10));
        assert_eq!(backoff(&options, 2), SignedDuration::from_secs(40));
        assert_eq!(backoff(&options, 30), options.retry_max);
    }
}
