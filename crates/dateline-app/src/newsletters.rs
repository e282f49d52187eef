//! Newsletters: a site has one or more, each with its own sender, reply-to and footer. A site
//! without any gets a default one the first time anything needs a newsletter, so sign-ups work
//! on a fresh site.

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_store::newsletters::{self, Newsletter};
use dateline_store::{Db, Tx};
use jiff::Timestamp;

use crate::admin::Actor;
use crate::content::{ListQuery, Listing};
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
    pub header_image: Option<String>,
    /// Whether a post's feature image heads its email; `None` means yes, as in Ghost.
    pub show_feature_image: Option<bool>,
}

/// What an edit changes; `None` keeps a field, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct NewsletterEdit {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<Option<String>>,
    pub sender_name: Option<Option<String>>,
    pub sender_email: Option<Option<String>>,
    pub sender_reply_to: Option<Option<String>>,
    pub footer_content: Option<Option<String>>,
    pub header_image: Option<Option<String>>,
    pub subscribe_on_signup: Option<bool>,
    pub show_feature_image: Option<bool>,
    /// `active` or `archived`.
    pub status: Option<String>,
    pub sort_order: Option<i64>,
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
            header_image: input.header_image,
            show_feature_image: input.show_feature_image.unwrap_or(true),
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

    /// Newsletters, archived ones too, each with its number of subscribers, a page at a time
    /// (the Admin API). The one filter Ghost's clients send is `status:active` or
    /// `status:archived`.
    pub async fn all_newsletters(
        &self,
        actor: &Actor,
        query: &ListQuery,
    ) -> Result<Listing<(Newsletter, u64)>> {
        actor.require(Role::Administrator)?;
        let status = match query.filter.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("status:active") => Some("active"),
            Some("status:archived") => Some("archived"),
            Some(other) => {
                return Err(AppError::BadFilter(format!(
                    "newsletters can be filtered by status:active or status:archived, not \
                     `{other}`"
                )));
            }
        };
        let mut tx = self.store.begin().await?;
        ensure_default(&mut tx, dateline_core::time::now()).await?;
        let list = newsletters::all(&mut tx).await?;
        let counts = crate::content::count_map(newsletters::member_counts(&mut tx).await?);
        tx.commit().await?;
        let items = list
            .into_iter()
            .filter(|n| status.is_none_or(|s| n.status == s))
            .map(|n| {
                let count = counts.get(n.id.as_str()).copied().unwrap_or(0);
                (n, count)
            })
            .collect();
        Ok(crate::content::paginate(items, query))
    }

    /// [`App::create_newsletter`] for a caller of the Admin API (administrators only).
    pub async fn add_newsletter(
        &self,
        actor: &Actor,
        input: NewsletterInput,
    ) -> Result<Newsletter> {
        actor.require(Role::Administrator)?;
        self.create_newsletter(input).await
    }

    pub async fn edit_newsletter(
        &self,
        actor: &Actor,
        id: &str,
        edit: NewsletterEdit,
    ) -> Result<Newsletter> {
        actor.require(Role::Administrator)?;
        let mut tx = self.store.begin().await?;
        let Some(mut n) = newsletters::find(&mut tx, id).await? else {
            return Err(AppError::NotFound { noun: "newsletter" });
        };
        if let Some(name) = edit.name {
            let name = name.trim();
            if name.is_empty() {
                return Err(AppError::invalid("name", "a newsletter needs a name"));
            }
            name.clone_into(&mut n.name);
        }
        if let Some(slug) = edit
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            n.slug = dateline_core::slug::slugify(slug);
        }
        for (value, slot) in [
            (edit.sender_email, &mut n.sender_email),
            (edit.sender_reply_to, &mut n.sender_reply_to),
        ] {
            if let Some(value) = value {
                *slot = match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                    Some(email) => Some(crate::setup::validate_email(email)?),
                    None => None,
                };
            }
        }
        for (value, slot) in [
            (edit.description, &mut n.description),
            (edit.sender_name, &mut n.sender_name),
            (edit.footer_content, &mut n.footer_content),
            (edit.header_image, &mut n.header_image),
        ] {
            if let Some(value) = value {
                *slot = value.filter(|v| !v.trim().is_empty());
            }
        }
        if let Some(status) = edit.status {
            if status != "active" && status != "archived" {
                return Err(AppError::invalid("status", "must be active or archived"));
            }
            n.status = status;
        }
        n.subscribe_on_signup = edit.subscribe_on_signup.unwrap_or(n.subscribe_on_signup);
        n.show_feature_image = edit.show_feature_image.unwrap_or(n.show_feature_image);
        n.sort_order = edit.sort_order.unwrap_or(n.sort_order);
        n.updated_at = dateline_core::time::now();
        match newsletters::update(&mut tx, &n).await {
            Err(err) if err.is_unique_violation() => {
                return Err(AppError::Conflict {
                    record: format!("newsletter `{}`", n.slug),
                    reason: "another newsletter has that slug".to_owned(),
                });
            }
            other => other?,
        };
        tx.commit().await?;
        Ok(n)
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
        header_image: None,
        show_feature_image: true,
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
