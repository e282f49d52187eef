//! Webhooks: Ghost's events POSTed to an integration's URL.
//!
//! A use case that changes a post, page, tag, member or the settings calls the hooks of
//! [`outbox`] inside its own transaction: they serialise the record as Ghost's Admin API would
//! (through the [`PayloadFormat`] the HTTP layer installs) and queue one delivery row per
//! subscribed webhook. The deliveries commit with the change or not at all, so a crash after
//! the commit never loses one. [`delivery`] is the worker that sends them.

pub mod delivery;
pub mod outbox;

use std::sync::Arc;
use std::time::Duration;

use dateline_core::id::ObjectId;
use dateline_core::routes::SiteRoutes;
use dateline_core::tag::Tag;
use dateline_store::webhooks::{self as store, Delivery, Webhook};
use jiff::SignedDuration;
use serde_json::Value;
use tokio::sync::Notify;

use crate::admin::Actor;
use crate::content::Listing;
use crate::members::admin::MemberDetail;
use crate::site::PostDetail;
use crate::{App, AppError, Result};

/// Every event Ghost 5.130 lets a webhook subscribe to. Dateline sends all of them except the
/// `*.tag.attached`/`detached` ones, which it accepts so that integrations written for Ghost
/// can register them.
pub const EVENTS: &[&str] = &[
    "site.changed",
    "post.added",
    "post.deleted",
    "post.edited",
    "post.published",
    "post.published.edited",
    "post.unpublished",
    "post.scheduled",
    "post.unscheduled",
    "post.rescheduled",
    "page.added",
    "page.deleted",
    "page.edited",
    "page.published",
    "page.published.edited",
    "page.unpublished",
    "page.scheduled",
    "page.unscheduled",
    "page.rescheduled",
    "tag.added",
    "tag.edited",
    "tag.deleted",
    "member.added",
    "member.deleted",
    "member.edited",
    "post.tag.attached",
    "post.tag.detached",
    "page.tag.attached",
    "page.tag.detached",
];

/// Stands for the site's address in a queued payload; the worker, which knows the address,
/// fills it in when it sends. Ghost keeps the same placeholder in its database.
pub const SITE_URL_PLACEHOLDER: &str = "__GHOST_URL__";

/// How records look in a payload: the Admin API's JSON, which lives in the HTTP layer. URLs
/// start with [`SITE_URL_PLACEHOLDER`] and follow the site's `routes` (its `routes.yaml`), as
/// the APIs' do.
pub trait PayloadFormat: Send + Sync {
    /// A post or page with `html`, `plaintext`, tags and authors, as Ghost sends it.
    fn post(&self, detail: &PostDetail, routes: &Arc<SiteRoutes>) -> Value;
    fn tag(&self, tag: &Tag, routes: &Arc<SiteRoutes>) -> Value;
    /// A member with their labels and newsletters, and an `unsubscribe_url` carrying
    /// `unsubscribe_key` (the member's key under the site's unsubscribe secret).
    fn member(&self, member: &MemberDetail, unsubscribe_key: &str) -> Value;
}

/// How deliveries are sent and retried.
#[derive(Debug, Clone)]
pub struct WebhookOptions {
    /// Deliveries claimed at once.
    pub batch_size: u32,
    /// How long one POST may take.
    pub timeout: Duration,
    /// Wait after the first failed attempt; doubles with each further one. Whole seconds.
    pub retry_base: SignedDuration,
    /// Longest wait between attempts.
    pub retry_max: SignedDuration,
    /// Attempts before a delivery is given up as `failed`.
    pub max_attempts: i64,
    /// How often an idle worker looks for work (it is also woken when a delivery is queued).
    pub idle_poll: Duration,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        WebhookOptions {
            batch_size: 10,
            timeout: Duration::from_secs(5),
            retry_base: SignedDuration::from_secs(10),
            retry_max: SignedDuration::from_secs(60 * 60),
            max_attempts: 6,
            idle_poll: Duration::from_secs(5),
        }
    }
}

/// The webhook side of an [`App`]. Without a format (the CLI) no delivery is queued.
#[derive(Clone, Default)]
pub struct WebhookSetup {
    format: Option<Arc<dyn PayloadFormat>>,
    pub delivery: WebhookOptions,
    wake: Arc<Notify>,
}

impl WebhookSetup {
    pub fn new(format: Arc<dyn PayloadFormat>, delivery: WebhookOptions) -> WebhookSetup {
        WebhookSetup {
            format: Some(format),
            delivery,
            wake: Arc::new(Notify::new()),
        }
    }
}

/// What a client sent to add or edit a webhook; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct WebhookInput {
    pub event: Option<String>,
    pub target_url: Option<String>,
    pub name: Option<Option<String>>,
    pub secret: Option<Option<String>>,
    pub api_version: Option<String>,
    pub integration_id: Option<String>,
}

impl App {
    /// The same app queueing webhook deliveries, serialised by `setup`'s format.
    pub fn with_webhooks(mut self, setup: WebhookSetup) -> Self {
        self.webhooks = setup;
        self
    }

    /// Adds a webhook. An integration's own key makes it that integration's; staff must name
    /// the integration, as in Ghost.
    pub async fn add_webhook(&self, actor: &Actor, input: WebhookInput) -> Result<Webhook> {
        require_administrator(actor)?;
        let integration_id = match actor {
            Actor::Integration { id } => id.as_str().to_owned(),
            Actor::Staff(_) => input.integration_id.clone().ok_or_else(|| {
                AppError::invalid(
                    "integration_id",
                    "a webhook added with a staff session must name its integration",
                )
            })?,
        };
        let now = dateline_core::time::now();
        let mut webhook = Webhook {
            id: ObjectId::generate(),
            event: String::new(),
            target_url: String::new(),
            name: None,
            secret: None,
            api_version: "v5".to_owned(),
            integration_id,
            last_triggered_at: None,
            last_triggered_status: None,
            last_triggered_error: None,
            created_at: now,
            updated_at: now,
        };
        apply(&mut webhook, input)?;
        let mut tx = self.store.begin().await?;
        if !store::integration_exists(&mut tx, &webhook.integration_id).await? {
            return Err(AppError::invalid(
                "integration_id",
                "no integration has this id",
            ));
        }
        check_unique(&mut tx, &webhook).await?;
        store::insert(&mut tx, &webhook).await?;
        tx.commit().await?;
        Ok(webhook)
    }

    pub async fn edit_webhook(
        &self,
        actor: &Actor,
        id: &str,
        input: WebhookInput,
    ) -> Result<Webhook> {
        let mut tx = self.store.begin().await?;
        let mut webhook = owned_webhook(&mut tx, actor, id, "edit").await?;
        apply(&mut webhook, input)?;
        webhook.updated_at = dateline_core::time::now();
        check_unique(&mut tx, &webhook).await?;
        store::update(&mut tx, &webhook).await?;
        tx.commit().await?;
        Ok(webhook)
    }

    /// Deletes a webhook with its queued deliveries and its log.
    pub async fn delete_webhook(&self, actor: &Actor, id: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        owned_webhook(&mut tx, actor, id, "destroy").await?;
        store::delete(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A page of a webhook's delivery log, newest first.
    pub async fn webhook_deliveries(
        &self,
        actor: &Actor,
        id: &str,
        page: u32,
        limit: Option<u32>,
    ) -> Result<Listing<Delivery>> {
        let mut db = self.store.reader().await?;
        owned_webhook(&mut db, actor, id, "read").await?;
        let page = page.max(1);
        let offset = limit.map_or(0, |l| u64::from(l) * u64::from(page - 1));
        let (items, total) = store::deliveries(&mut db, id, limit, offset).await?;
        Ok(Listing {
            items,
            page,
            limit,
            total,
        })
    }
}

/// Webhooks are administrators' business (Ghost gives them to the Administrator role only).
fn require_administrator(actor: &Actor) -> Result<()> {
    actor.require(dateline_core::role::Role::Administrator)
}

/// The webhook `id`, if `actor` may touch it: an integration only its own, as in Ghost.
async fn owned_webhook(
    db: &mut impl dateline_store::Db,
    actor: &Actor,
    id: &str,
    method: &str,
) -> Result<Webhook> {
    require_administrator(actor)?;
    let webhook = store::by_id(db, id)
        .await?
        .ok_or(AppError::NotFound { noun: "webhook" })?;
    if let Actor::Integration { id } = actor
        && webhook.integration_id != id.as_str()
    {
        return Err(AppError::no_permission(format!(
            "You may only {method} webhooks that belong to the authenticated integration. Check \
             the supplied Admin API Key."
        )));
    }
    Ok(webhook)
}

/// Applies and checks what a client sent, with Ghost's rules: a known event (lower-cased), an
/// absolute http(s) URL.
fn apply(webhook: &mut Webhook, input: WebhookInput) -> Result<()> {
    if let Some(event) = input.event {
        webhook.event = event.trim().to_lowercase();
    }
    if let Some(url) = input.target_url {
        webhook.target_url = url.trim().to_owned();
    }
    if let Some(name) = input.name {
        webhook.name = name;
    }
    if let Some(secret) = input.secret {
        webhook.secret = secret.filter(|s| !s.is_empty());
    }
    if let Some(version) = input.api_version {
        webhook.api_version = version;
    }
    if !EVENTS.contains(&webhook.event.as_str()) {
        return Err(AppError::invalid(
            "event",
            format!("`{}` is not an event Ghost sends", webhook.event),
        ));
    }
    if !is_http_url(&webhook.target_url) {
        return Err(AppError::invalid(
            "target_url",
            "must be an absolute http or https URL",
        ));
    }
    Ok(())
}

fn is_http_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
        && !host.is_empty()
        && !host.starts_with(':')
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

async fn check_unique(tx: &mut dateline_store::Tx, webhook: &Webhook) -> Result<()> {
    if store::exists(
        tx,
        &webhook.event,
        &webhook.target_url,
        &webhook.integration_id,
        Some(webhook.id.as_str()),
    )
    .await?
    {
        return Err(AppError::invalid(
            "target_url",
            "Target URL has already been used for this event",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_urls() {
        assert!(is_http_url("https://hooks.example/ghost?x=1"));
        assert!(is_http_url("http://127.0.0.1:9000/"));
        assert!(!is_http_url("ftp://hooks.example/"));
        assert!(!is_http_url("hooks.example/x"));
        assert!(!is_http_url("http:///path"));
        assert!(!is_http_url("http://a b/"));
    }
}
