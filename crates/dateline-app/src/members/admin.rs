//! Members as staff manage them through the Admin API: list (filter, search, order, page),
//! read, add, edit and delete, with labels and newsletter subscriptions. As in Ghost, only
//! administrators (and integrations) see or change members: their addresses are personal data.
//!
//! Staff adding a member vouch for the address, so it needs no magic link; it must still be an
//! address, and unique.

use std::collections::HashMap;

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_store::filter::Resource;
use dateline_store::labels::{self, Label};
use dateline_store::members::{self, Browse, Member, MemberSort};
use dateline_store::newsletters::{self, Newsletter};
use dateline_store::{Db, Tx};
use jiff::Timestamp;

use crate::admin::Actor;
use crate::content::{ListQuery, Listing, compile_filter, parse_sorts};
use crate::webhooks::outbox::Record;
use crate::{App, AppError, Result};

/// A member with what the Admin API shows alongside: labels, and active newsletters (in the
/// site's order) they get.
#[derive(Debug, Clone)]
pub struct MemberDetail {
    pub member: Member,
    pub labels: Vec<Label>,
    pub newsletters: Vec<Newsletter>,
}

/// A label as a client names it: Ghost accepts a bare name or an object with any of these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelRef {
    pub id: Option<String>,
    pub name: Option<String>,
    pub slug: Option<String>,
}

/// What an add or edit sets; `None` leaves a field as it is (or at its default when adding).
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub email: Option<String>,
    pub name: Option<Option<String>>,
    pub note: Option<Option<String>>,
    pub labels: Option<Vec<LabelRef>>,
    /// Newsletters by id, uuid or slug: exactly the ones the member gets afterwards.
    pub newsletters: Option<Vec<String>>,
    /// Ghost's older switch: `false` unsubscribes from everything, `true` subscribes to the
    /// sign-up newsletters. `newsletters` wins when both are given.
    pub subscribed: Option<bool>,
}

/// Ghost's message for an address that is already a member.
const DUPLICATE: &str =
    "Member already exists. Attempting to add member with existing email address";

impl App {
    /// A page of members, newest first unless `query.order` says otherwise.
    pub async fn browse_members(
        &self,
        actor: &Actor,
        query: &ListQuery,
        search: Option<&str>,
    ) -> Result<Listing<MemberDetail>> {
        actor.require(Role::Administrator)?;
        let filter = compile_filter(query.filter.as_deref(), Resource::Members, 1)?;
        let order = match query.order.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(text) => parse_sorts(text, MemberSort::parse)?,
            None => vec![(MemberSort::CreatedAt, true)],
        };
        let page = query.page();
        let mut db = self.store.reader().await?;
        let (found, total) = members::browse(
            &mut db,
            &Browse {
                filter: filter.as_ref(),
                search: search.map(str::trim).filter(|s| !s.is_empty()),
                order: &order,
                limit: query.limit,
                offset: query.offset(),
            },
        )
        .await?;
        Ok(Listing {
            items: details(&mut db, found).await?,
            page,
            limit: query.limit,
            total,
        })
    }

    pub async fn read_member(&self, actor: &Actor, id: &str) -> Result<Option<MemberDetail>> {
        actor.require(Role::Administrator)?;
        let mut db = self.store.reader().await?;
        let Some(member) = members::by_id(&mut db, id).await? else {
            return Ok(None);
        };
        Ok(details(&mut db, vec![member]).await?.pop())
    }

    /// Adds a member. Without `newsletters` (or `subscribed: false`) they get the newsletters
    /// subscribed on sign-up, as in Ghost.
    pub async fn create_member(&self, actor: &Actor, input: MemberInput) -> Result<MemberDetail> {
        actor.require(Role::Administrator)?;
        let email = match input.email.as_deref() {
            Some(email) => crate::setup::validate_email(email)?.to_lowercase(),
            None => {
                return Err(AppError::invalid(
                    "email",
                    "a member needs an email address",
                ));
            }
        };
        let now = dateline_core::time::now();
        let member = Member {
            id: ObjectId::generate(),
            uuid: dateline_core::id::new_uuid(),
            email,
            name: input.name.clone().flatten().and_then(non_blank),
            note: input.note.clone().flatten().and_then(non_blank),
            status: "free".to_owned(),
            email_disabled: false,
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        crate::newsletters::ensure_default(&mut tx, now).await?;
        if !members::insert(&mut tx, &member).await? {
            return Err(duplicate(&member.email));
        }
        let wanted = match (&input.newsletters, input.subscribed) {
            (Some(keys), _) => Some(keys.clone()),
            (None, Some(false)) => Some(Vec::new()),
            (None, _) => None,
        };
        let chosen = crate::newsletters::resolve(&mut tx, wanted.as_deref()).await?;
        let ids: Vec<&str> = chosen.iter().map(|n| n.id.as_str()).collect();
        members::set_newsletters(&mut tx, member.id.as_str(), &ids).await?;
        if let Some(refs) = &input.labels {
            set_labels(&mut tx, member.id.as_str(), refs, now).await?;
        }
        self.webhook_changed(&mut tx, Record::Member(member.id.as_str()), None)
            .await?;
        let detail = details(&mut tx, vec![member]).await?.pop();
        tx.commit().await?;
        detail.ok_or(AppError::NotFound { noun: "member" })
    }

    pub async fn edit_member(
        &self,
        actor: &Actor,
        id: &str,
        input: MemberInput,
    ) -> Result<MemberDetail> {
        actor.require(Role::Administrator)?;
        let now = dateline_core::time::now();
        let mut tx = self.store.begin().await?;
        let Some(mut member) = members::by_id(&mut tx, id).await? else {
            return Err(AppError::NotFound { noun: "member" });
        };
        let before_hook = self.webhook_snapshot(&mut tx, Record::Member(id)).await?;
        if let Some(email) = &input.email {
            member.email = crate::setup::validate_email(email)?.to_lowercase();
        }
        if let Some(name) = input.name {
            member.name = name.and_then(non_blank);
        }
        if let Some(note) = input.note {
            member.note = note.and_then(non_blank);
        }
        member.updated_at = now;
        match members::update(&mut tx, &member).await {
            Err(err) if err.is_unique_violation() => return Err(duplicate(&member.email)),
            other => other?,
        };
        let wanted = match (&input.newsletters, input.subscribed) {
            (Some(keys), _) => Some(Some(keys.clone())),
            (None, Some(false)) => Some(Some(Vec::new())),
            (None, Some(true)) => Some(None),
            (None, None) => None,
        };
        if let Some(wanted) = wanted {
            let chosen = crate::newsletters::resolve(&mut tx, wanted.as_deref()).await?;
            let ids: Vec<&str> = chosen.iter().map(|n| n.id.as_str()).collect();
            members::set_newsletters(&mut tx, member.id.as_str(), &ids).await?;
        }
        if let Some(refs) = &input.labels {
            set_labels(&mut tx, member.id.as_str(), refs, now).await?;
        }
        self.webhook_changed(&mut tx, Record::Member(id), before_hook)
            .await?;
        let detail = details(&mut tx, vec![member]).await?.pop();
        tx.commit().await?;
        detail.ok_or(AppError::NotFound { noun: "member" })
    }

    pub async fn delete_member(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require(Role::Administrator)?;
        let mut tx = self.store.begin().await?;
        let before_hook = self.webhook_snapshot(&mut tx, Record::Member(id)).await?;
        if !members::delete(&mut tx, id).await? {
            return Err(AppError::NotFound { noun: "member" });
        }
        self.webhook_changed(&mut tx, Record::Member(id), before_hook)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Member labels by name, a page at a time (labels are few, so they are paged here).
    pub async fn member_labels(&self, actor: &Actor, query: &ListQuery) -> Result<Listing<Label>> {
        actor.require(Role::Administrator)?;
        let mut db = self.store.reader().await?;
        Ok(crate::content::paginate(labels::all(&mut db).await?, query))
    }
}

fn duplicate(email: &str) -> AppError {
    AppError::Conflict {
        record: format!("member `{email}`"),
        reason: DUPLICATE.to_owned(),
    }
}

fn non_blank(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Finds each label a client named, creating those named for the first time.
pub(crate) async fn resolve_labels(
    tx: &mut Tx,
    refs: &[LabelRef],
    now: Timestamp,
) -> Result<Vec<Label>> {
    let existing = labels::all(tx).await?;
    let mut out: Vec<Label> = Vec::with_capacity(refs.len());
    for r in refs {
        let found = existing.iter().find(|l| {
            r.id.as_deref() == Some(l.id.as_str())
                || r.slug.as_deref() == Some(l.slug.as_str())
                || r.name.as_deref().map(str::trim) == Some(l.name.as_str())
        });
        let label = match (found, r.name.as_deref().map(str::trim)) {
            (Some(label), _) => label.clone(),
            (None, Some(name)) if !name.is_empty() => {
                let slug = match r.slug.as_deref().map(str::trim) {
                    Some(slug) if !slug.is_empty() => dateline_core::slug::slugify(slug),
                    _ => dateline_core::slug::slugify(name),
                };
                labels::find_or_insert(
                    tx,
                    &Label {
                        id: ObjectId::generate(),
                        name: name.to_owned(),
                        slug,
                        created_at: now,
                        updated_at: now,
                    },
                )
                .await?
            }
            _ => return Err(AppError::invalid("labels", "a label needs a name")),
        };
        if !out.iter().any(|l| l.id == label.id) {
            out.push(label);
        }
    }
    Ok(out)
}

async fn set_labels(tx: &mut Tx, member_id: &str, refs: &[LabelRef], now: Timestamp) -> Result<()> {
    let chosen = resolve_labels(tx, refs, now).await?;
    let ids: Vec<&str> = chosen.iter().map(|l| l.id.as_str()).collect();
    labels::set_for_member(tx, member_id, &ids).await?;
    Ok(())
}

/// Loads the labels and newsletters of a batch of members in two queries.
pub(crate) async fn details(db: &mut impl Db, found: Vec<Member>) -> Result<Vec<MemberDetail>> {
    let ids: Vec<&str> = found.iter().map(|m| m.id.as_str()).collect();
    let mut labels_of: HashMap<String, Vec<Label>> = HashMap::new();
    for (member_id, label) in labels::for_members(db, &ids).await? {
        labels_of.entry(member_id).or_default().push(label);
    }
    let mut newsletters_of: HashMap<String, Vec<String>> = HashMap::new();
    for (member_id, newsletter_id) in members::newsletter_links(db, &ids).await? {
        newsletters_of
            .entry(member_id)
            .or_default()
            .push(newsletter_id);
    }
    let active = newsletters::active(db).await?;
    Ok(found
        .into_iter()
        .map(|member| {
            let mine = newsletters_of
                .remove(member.id.as_str())
                .unwrap_or_default();
            MemberDetail {
                labels: labels_of.remove(member.id.as_str()).unwrap_or_default(),
                newsletters: active
                    .iter()
                    .filter(|n| mine.iter().any(|id| id == n.id.as_str()))
                    .cloned()
                    .collect(),
                member,
            }
        })
        .collect())
}
