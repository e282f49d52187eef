//! Member labels as staff manage them through the Admin API (`/labels/`): read, add, rename
//! and delete. Labels are also made on the fly when a member is given a new name
//! ([`crate::members::admin`]); both ways keep names unique, regardless of case, as Ghost does.
//! Administrators only, like members themselves.

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_core::slug::{self, SlugKind};
use dateline_store::labels::{self, Label, LabelKey};
use dateline_store::{Db, Tx};

use crate::admin::Actor;
use crate::{App, AppError, Result};

/// What an add or edit sets; `None` keeps the current value (an added label needs a name).
#[derive(Debug, Clone, Default)]
pub struct LabelInput {
    pub name: Option<String>,
    pub slug: Option<String>,
}

/// Ghost's refusal of a second label with a name already in use.
const DUPLICATE: &str = "Label already exists";

impl App {
    pub async fn label(&self, actor: &Actor, key: LabelKey<'_>) -> Result<Label> {
        actor.require(Role::Administrator)?;
        let mut db = self.store.reader().await?;
        labels::find(&mut db, key)
            .await?
            .ok_or(AppError::NotFound { noun: "label" })
    }

    pub async fn add_label(&self, actor: &Actor, input: LabelInput) -> Result<Label> {
        actor.require(Role::Administrator)?;
        let name = input
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| AppError::invalid("name", "a label needs a name"))?
            .to_owned();
        let now = dateline_core::time::now();
        let mut label = Label {
            id: ObjectId::generate(),
            name,
            slug: String::new(),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.store.begin().await?;
        refuse_duplicate(&mut tx, &label).await?;
        label.slug = free_slug(&mut tx, input.slug.as_deref(), &label).await?;
        labels::insert(&mut tx, &label).await?;
        tx.commit().await?;
        Ok(label)
    }

    pub async fn edit_label(&self, actor: &Actor, id: &str, input: LabelInput) -> Result<Label> {
        actor.require(Role::Administrator)?;
        let mut tx = self.store.begin().await?;
        let mut label = labels::find(&mut tx, LabelKey::Id(id))
            .await?
            .ok_or(AppError::NotFound { noun: "label" })?;
        if let Some(name) = input.name.as_deref().map(str::trim) {
            if name.is_empty() {
                return Err(AppError::invalid("name", "a label needs a name"));
            }
            label.name = name.to_owned();
            refuse_duplicate(&mut tx, &label).await?;
        }
        if input.slug.is_some() {
            label.slug = free_slug(&mut tx, input.slug.as_deref(), &label).await?;
        }
        label.updated_at = dateline_core::time::now();
        labels::update(&mut tx, &label).await?;
        tx.commit().await?;
        Ok(label)
    }

    /// Deletes a label; every member that had it loses it.
    pub async fn delete_label(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require(Role::Administrator)?;
        let mut tx = self.store.begin().await?;
        if !labels::delete(&mut tx, id).await? {
            return Err(AppError::NotFound { noun: "label" });
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Refuses `label`'s name when another label has it in any case.
async fn refuse_duplicate(tx: &mut Tx, label: &Label) -> Result<()> {
    let wanted = label.name.to_lowercase();
    let taken = labels::all(tx)
        .await?
        .iter()
        .any(|l| l.id != label.id && l.name.to_lowercase() == wanted);
    if taken {
        return Err(AppError::Conflict {
            record: format!("label `{}`", label.name),
            reason: DUPLICATE.to_owned(),
        });
    }
    Ok(())
}

/// The slug asked for (or made from the name), with Ghost's `-2`, `-3`… when another label
/// has it.
async fn free_slug(db: &mut impl Db, asked: Option<&str>, label: &Label) -> Result<String> {
    let base = asked
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(&label.name);
    for candidate in slug::candidates(base, SlugKind::Tag) {
        if !labels::slug_taken(db, &candidate, label.id.as_str()).await? {
            return Ok(candidate);
        }
    }
    Err(AppError::invalid("slug", "no free slug for this label"))
}
