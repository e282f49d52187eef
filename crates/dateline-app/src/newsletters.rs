//! Newsletters: a site has one or more, each with its own sender, reply-to and footer. A site
//! without any gets a default one the first time anything needs a newsletter, so sign-ups work
//! on a fresh site.

use dateline_core::id::ObjectId;
use dateline_store::newsletters::{self, Newsletter};
use dateline_store::{Db, Tx};
use jiff::Timestamp;

use crate::{App, AppError, Result};

/// What an editor fills in for a new newsletter.
#[derive(Debug, Clone, Default)]
pub struct NewsletterInput {
    pub name: String,
    /// Derived from the name when empty.
    pub slug: Option<String>,
    pub description: Option<String>,
    /// Defaults to the site's title.
    pub sender_name: Option<String>,
    /// Defaults to `noreply@` the site's host.
    pub sender_email: Option<String>,
    pub sender_reply_to: Option<String>,
    pub footer_content: Option<String>,
    pub subscribe_on_signup: bool,
}

pub const DEFAULT_NAME: &str = "Daily Briefing";

impl App {
    /// The active newsletters, creating the default one if the site has none.
    pub async fn newsletters(&self) -> Result<Vec<Newsletter>> {
        let mut tx = self.store.begin().await?;
        ensure_default(&mut tx, dateline_core::time::now()).await?;
        let list = newsletters::active(&mut tx).await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn create_newsletter(&self, input: NewsletterInput) -> Result<Newsletter> {
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::invalid("name", "a newsletter needs a name"));
        }
        if let Some(email) = &input.sender_email {
            crate::setup::validate_email(email)?;
        }
        if let Some(email) = &input.sender_reply_to {
            crate::setup::validate_email(email)?;
        }
        let now = dateline_core::time::now();
        let slug = match input.slug.as_deref().map(str::trim) {
            Some(slug) if !slug.is_empty() => dateline_core::slug::slugify(slug),
            _ => dateline_core::slug::slugify(name),
        };
        let mut tx = self.store.begin().await?;
        let sort_order = i64::try_from(newsletters::count(&mut tx).await?).unwrap_or(i64::MAX);
        let newsletter = Newsletter {
            id: ObjectId::generate(),
            uuid: dateline_core::id::new_uuid(),
            name: name.to_owned(),
            slug,
            description: input.description,
            sender_name: input.sender_name,
            sender_email: input.sender_email,
            sender_reply_to: input.sender_reply_to,
            footer_content: input.footer_content,
            subscribe_on_signup: input.subscribe_on_signup,
            status: "active".to_owned(),
            sort_order,
            created_at: now,
            updated_at: now,
        };
        match newsletters::insert(&mut tx, &newsletter).await {
            Err(err) if err.is_unique_violation() => {
                return Err(AppError::Conflict {
                    record: format!("newsletter `{}`", newsletter.slug),
                    reason: "another newsletter has that slug".to_owned(),
                });
            }
            other => other?,
        }
        tx.commit().await?;
        Ok(newsletter)
    }
}

/// Creates the default newsletter when the site has none, inside the caller's transaction.
pub(crate) async fn ensure_default(tx: &mut Tx, now: Timestamp) -> Result<()> {
    if newsletters::count(tx).await? > 0 {
        return Ok(());
    }
    let newsletter = Newsletter {
        id: ObjectId::generate(),
        uuid: dateline_core::id::new_uuid(),
        name: DEFAULT_NAME.to_owned(),
        slug: dateline_core::slug::slugify(DEFAULT_NAME),
        description: Some("The day's main stories, every morning.".to_owned()),
        sender_name: None,
        sender_email: None,
        sender_reply_to: None,
        footer_content: None,
        subscribe_on_signup: true,
        status: "active".to_owned(),
        sort_order: 0,
        created_at: now,
        updated_at: now,
    };
    newsletters::insert(tx, &newsletter).await?;
    Ok(())
}

/// The newsletters a new member gets: those named in `wanted` (by id, uuid, slug or name), or,
/// when nothing was named, every newsletter subscribed on sign-up.
pub(crate) async fn resolve(
    db: &mut impl Db,
    wanted: Option<&[String]>,
) -> Result<Vec<Newsletter>> {
    let active = newsletters::active(db).await?;
    Ok(match wanted {
        None => active
            .into_iter()
            .filter(|n| n.subscribe_on_signup)
            .collect(),
        Some(keys) => active
            .into_iter()
            .filter(|n| {
                keys.iter().any(|k| {
                    k == n.id.as_str()
                        || *k == n.uuid
                        || *k == n.slug
                        || k.eq_ignore_ascii_case(&n.name)
                })
            })
            .collect(),
    })
}
