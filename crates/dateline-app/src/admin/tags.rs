//! Tags through the Admin API. As in Ghost, authors may create tags (they tag their own
//! stories), while renaming and deleting tags, which changes everyone's stories, is for editors.

use dateline_core::id::ObjectId;
use dateline_core::role::Role;
use dateline_core::tag::{Tag, TagVisibility};
use dateline_store::tags;

use super::Actor;
use crate::webhooks::outbox::Record;
use crate::{App, AppError, ContentChanged, Result, unique_slug};

/// The nullable text fields of a tag, by their Admin API names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagField {
    Description,
    FeatureImage,
    OgImage,
    OgTitle,
    OgDescription,
    TwitterImage,
    TwitterTitle,
    TwitterDescription,
    MetaTitle,
    MetaDescription,
    CodeinjectionHead,
    CodeinjectionFoot,
    CanonicalUrl,
    AccentColor,
}

impl TagField {
    pub fn from_key(key: &str) -> Option<TagField> {
        use TagField::*;
        Some(match key {
            "description" => Description,
            "feature_image" => FeatureImage,
            "og_image" => OgImage,
            "og_title" => OgTitle,
            "og_description" => OgDescription,
            "twitter_image" => TwitterImage,
            "twitter_title" => TwitterTitle,
            "twitter_description" => TwitterDescription,
            "meta_title" => MetaTitle,
            "meta_description" => MetaDescription,
            "codeinjection_head" => CodeinjectionHead,
            "codeinjection_foot" => CodeinjectionFoot,
            "canonical_url" => CanonicalUrl,
            "accent_color" => AccentColor,
            _ => return None,
        })
    }

    fn slot(self, tag: &mut Tag) -> &mut Option<String> {
        use TagField::*;
        match self {
            Description => &mut tag.description,
            FeatureImage => &mut tag.feature_image,
            OgImage => &mut tag.og_image,
            OgTitle => &mut tag.og_title,
            OgDescription => &mut tag.og_description,
            TwitterImage => &mut tag.twitter_image,
            TwitterTitle => &mut tag.twitter_title,
            TwitterDescription => &mut tag.twitter_description,
            MetaTitle => &mut tag.meta_title,
            MetaDescription => &mut tag.meta_description,
            CodeinjectionHead => &mut tag.codeinjection_head,
            CodeinjectionFoot => &mut tag.codeinjection_foot,
            CanonicalUrl => &mut tag.canonical_url,
            AccentColor => &mut tag.accent_color,
        }
    }
}

/// The fields a client sent; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TagInput {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub visibility: Option<TagVisibility>,
    pub text: Vec<(TagField, Option<String>)>,
}

impl App {
    pub async fn add_tag(&self, actor: &Actor, input: TagInput) -> Result<Tag> {
        actor.require(Role::Author)?;
        let name = input
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| AppError::invalid("name", "a tag needs a name"))?;
        let now = dateline_core::time::now();
        let mut tag = Tag::named(name, "", now);
        apply(&mut tag, &input);
        let mut tx = self.store.begin().await?;
        let wanted = input
            .slug
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(name);
        tag.slug = unique_slug::tag(&mut tx, wanted).await?;
        tags::insert(&mut tx, &tag).await?;
        self.webhook_changed(&mut tx, Record::Tag(&tag.id), None)
            .await?;
        tx.commit().await?;
        Ok(tag)
    }

    pub async fn edit_tag(&self, actor: &Actor, id: &str, input: TagInput) -> Result<Tag> {
        actor.require(Role::Editor)?;
        let id = ObjectId::parse(id).map_err(|_| AppError::NotFound { noun: "tag" })?;
        let mut tx = self.store.begin().await?;
        let before = tags::by_id(&mut tx, &id)
            .await?
            .ok_or(AppError::NotFound { noun: "tag" })?;
        let before_hook = self.webhook_snapshot(&mut tx, Record::Tag(&id)).await?;
        let mut tag = before.clone();
        if let Some(name) = input.name.as_deref().map(str::trim) {
            if name.is_empty() {
                return Err(AppError::invalid("name", "a tag needs a name"));
            }
            tag.name = name.to_owned();
            tag.visibility = TagVisibility::for_name(name);
        }
        apply(&mut tag, &input);
        if let Some(wanted) = input.slug.as_deref().map(str::trim) {
            let wanted = dateline_core::slug::slugify(wanted);
            if !wanted.is_empty() && wanted != before.slug {
                tag.slug = unique_slug::tag(&mut tx, &wanted).await?;
            }
        }
        tag.updated_at = dateline_core::time::now();
        tags::update(&mut tx, &tag).await?;
        self.webhook_changed(&mut tx, Record::Tag(&id), before_hook)
            .await?;
        tx.commit().await?;
        self.events.emit(ContentChanged::Everything);
        Ok(tag)
    }

    pub async fn delete_tag(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require(Role::Editor)?;
        let id = ObjectId::parse(id).map_err(|_| AppError::NotFound { noun: "tag" })?;
        let mut tx = self.store.begin().await?;
        let before_hook = self.webhook_snapshot(&mut tx, Record::Tag(&id)).await?;
        if !tags::delete(&mut tx, &id).await? {
            return Err(AppError::NotFound { noun: "tag" });
        }
        self.webhook_changed(&mut tx, Record::Tag(&id), before_hook)
            .await?;
        tx.commit().await?;
        self.events.emit(ContentChanged::Everything);
        Ok(())
    }
}

fn apply(tag: &mut Tag, input: &TagInput) {
    if let Some(visibility) = input.visibility {
        tag.visibility = visibility;
    }
    for (field, value) in &input.text {
        *field.slot(tag) = value.clone().filter(|v| !v.is_empty());
    }
}
