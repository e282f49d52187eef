//! Posts and pages through the Admin API: every status, written through
//! [`App::save_post_with`] so that derived fields, permissions and the collision check live in
//! one place.

use std::collections::HashSet;

use dateline_core::id::ObjectId;
use dateline_core::post::{Correction, Post, PostStatus, PostType, SourceDocument, Visibility};
use dateline_core::tag::Tag;
use dateline_core::user::User;
use dateline_core::{lexical, mobiledoc, slug};
use dateline_store::filter::Resource;
use dateline_store::posts::{self, Browse};
use dateline_store::{Db, tags, users};
use jiff::Timestamp;

use super::Actor;
use crate::content::{ListQuery, Listing, PostKey, compile_filter, parse_order, with_relations};
use crate::editorial::SaveOptions;
use crate::site::PostDetail;
use crate::{App, AppError, Result};

/// The body of a post as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyInput {
    /// Dateline's own source format.
    Markdown(String),
    /// `html` with `?source=html`.
    Html(String),
    /// A Ghost 5 Lexical document (what Ghost's editor and clients send by default).
    Lexical(String),
    /// A Mobiledoc document, from clients written for Ghost before 5.0.
    Mobiledoc(String),
}

/// The nullable text fields of a post, by their Admin API names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    FeatureImage,
    FeatureImageAlt,
    FeatureImageCaption,
    CustomExcerpt,
    CodeinjectionHead,
    CodeinjectionFoot,
    CustomTemplate,
    CanonicalUrl,
    OgImage,
    OgTitle,
    OgDescription,
    TwitterImage,
    TwitterTitle,
    TwitterDescription,
    MetaTitle,
    MetaDescription,
    EmailSubject,
    Language,
    Dateline,
}

impl TextField {
    /// The field a JSON key names; `locale` is accepted for `language`.
    pub fn from_key(key: &str) -> Option<TextField> {
        use TextField::*;
        Some(match key {
            "feature_image" => FeatureImage,
            "feature_image_alt" => FeatureImageAlt,
            "feature_image_caption" => FeatureImageCaption,
            "custom_excerpt" => CustomExcerpt,
            "codeinjection_head" => CodeinjectionHead,
            "codeinjection_foot" => CodeinjectionFoot,
            "custom_template" => CustomTemplate,
            "canonical_url" => CanonicalUrl,
            "og_image" => OgImage,
            "og_title" => OgTitle,
            "og_description" => OgDescription,
            "twitter_image" => TwitterImage,
            "twitter_title" => TwitterTitle,
            "twitter_description" => TwitterDescription,
            "meta_title" => MetaTitle,
            "meta_description" => MetaDescription,
            "email_subject" => EmailSubject,
            "language" | "locale" => Language,
            "dateline" => Dateline,
            _ => return None,
        })
    }

    fn slot(self, post: &mut Post) -> &mut Option<String> {
        use TextField::*;
        match self {
            FeatureImage => &mut post.feature_image,
            FeatureImageAlt => &mut post.feature_image_alt,
            FeatureImageCaption => &mut post.feature_image_caption,
            CustomExcerpt => &mut post.custom_excerpt,
            CodeinjectionHead => &mut post.codeinjection_head,
            CodeinjectionFoot => &mut post.codeinjection_foot,
            CustomTemplate => &mut post.custom_template,
            CanonicalUrl => &mut post.canonical_url,
            OgImage => &mut post.og_image,
            OgTitle => &mut post.og_title,
            OgDescription => &mut post.og_description,
            TwitterImage => &mut post.twitter_image,
            TwitterTitle => &mut post.twitter_title,
            TwitterDescription => &mut post.twitter_description,
            MetaTitle => &mut post.meta_title,
            MetaDescription => &mut post.meta_description,
            EmailSubject => &mut post.email_subject,
            Language => &mut post.language,
            Dateline => &mut post.dateline,
        }
    }
}

/// A tag named in a post: by id, slug or name, as Ghost accepts them. A tag named only by a
/// name (or slug) that does not exist is created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagRef {
    pub id: Option<String>,
    pub slug: Option<String>,
    pub name: Option<String>,
}

/// An author named in a post: by id, email or slug; they must exist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorRef {
    pub id: Option<String>,
    pub email: Option<String>,
    pub slug: Option<String>,
}

/// A correction as sent: an existing one keeps its id and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionInput {
    pub id: Option<String>,
    pub note: String,
    pub created_at: Option<Timestamp>,
}

/// The fields a client sent; `None` leaves a field as it is (or at its default for a new post).
#[derive(Debug, Clone, Default)]
pub struct PostInput {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub body: Option<BodyInput>,
    pub status: Option<PostStatus>,
    pub published_at: Option<Option<Timestamp>>,
    /// The `updated_at` the client last read; required to edit.
    pub updated_at: Option<Timestamp>,
    pub featured: Option<bool>,
    pub visibility: Option<Visibility>,
    pub show_title_and_feature_image: Option<bool>,
    pub email_only: Option<bool>,
    pub text: Vec<(TextField, Option<String>)>,
    pub tags: Option<Vec<TagRef>>,
    pub authors: Option<Vec<AuthorRef>>,
    pub corrections: Option<Vec<CorrectionInput>>,
}

fn noun(post_type: PostType) -> &'static str {
    match post_type {
        PostType::Post => "post",
        PostType::Page => "page",
    }
}

impl App {
    /// Posts or pages of every status. Without an `order`, the most recently edited come first.
    pub async fn staff_posts(
        &self,
        post_type: PostType,
        query: &ListQuery,
    ) -> Result<Listing<PostDetail>> {
        let compiled = compile_filter(query.filter.as_deref(), Resource::Posts, 3)?;
        let order = parse_order(Some(query.order.as_deref().unwrap_or("updated_at desc")))?;
        let page = query.page();
        let mut db = self.store.reader().await?;
        let (found, total) = posts::browse_every_status(
            &mut db,
            &Browse {
                post_type,
                status: PostStatus::Draft,
                filter: compiled.as_ref(),
                order: &order,
                limit: query.limit,
                offset: query.offset(),
            },
        )
        .await?;
        Ok(Listing {
            items: with_relations(&mut db, found).await?,
            page,
            limit: query.limit,
            total,
        })
    }

    /// A post or page of any status by id or slug.
    pub async fn staff_post(
        &self,
        post_type: PostType,
        key: PostKey<'_>,
    ) -> Result<Option<PostDetail>> {
        let mut db = self.store.reader().await?;
        let found = match key {
            PostKey::Id(id) => match ObjectId::parse(id) {
                Ok(id) => posts::by_id(&mut db, &id).await?,
                Err(_) => None,
            },
            PostKey::Slug(slug) => posts::by_slug(&mut db, slug).await?,
        };
        let Some(post) = found.filter(|p| p.post_type == post_type) else {
            return Ok(None);
        };
        Ok(with_relations(&mut db, vec![post]).await?.pop())
    }

    pub async fn add_post(
        &self,
        actor: &Actor,
        post_type: PostType,
        input: PostInput,
    ) -> Result<PostDetail> {
        let writer = self.writer(actor).await?;
        let now = dateline_core::time::now();
        let post = Post::draft(post_type, "", "", now);
        self.write_post(post, &writer, input, None).await
    }

    /// Edits a post or page; `input.updated_at` must be the value the client last read.
    pub async fn edit_post(
        &self,
        actor: &Actor,
        post_type: PostType,
        id: &str,
        input: PostInput,
    ) -> Result<PostDetail> {
        let writer = self.writer(actor).await?;
        let before =
            self.staff_post(post_type, PostKey::Id(id))
                .await?
                .ok_or(AppError::NotFound {
                    noun: noun(post_type),
                })?;
        let Some(seen) = input.updated_at else {
            return Err(AppError::invalid(
                "updated_at",
                "is required to edit; send the value you last read",
            ));
        };
        self.write_post(before.post, &writer, input, Some(seen))
            .await
    }

    pub async fn remove_post(&self, actor: &Actor, post_type: PostType, id: &str) -> Result<()> {
        let writer = self.writer(actor).await?;
        let before =
            self.staff_post(post_type, PostKey::Id(id))
                .await?
                .ok_or(AppError::NotFound {
                    noun: noun(post_type),
                })?;
        self.delete_post(&before.post.id, &writer).await?;
        Ok(())
    }

    async fn write_post(
        &self,
        mut post: Post,
        writer: &User,
        input: PostInput,
        unchanged_since: Option<Timestamp>,
    ) -> Result<PostDetail> {
        let html = apply(&mut post, &input)?;
        let mut new_tags = Vec::new();
        {
            let mut db = self.store.reader().await?;
            if let Some(refs) = &input.tags {
                let (ids, created) = resolve_tags(&mut db, refs).await?;
                post.tag_ids = ids;
                new_tags = created;
            }
            if let Some(refs) = &input.authors {
                post.author_ids = resolve_authors(&mut db, refs).await?;
            }
        }
        let options = SaveOptions {
            html,
            unchanged_since,
            new_tags,
        };
        let saved = self.save_post_with(post, writer, options).await?;
        let mut db = self.store.reader().await?;
        with_relations(&mut db, vec![saved])
            .await?
            .pop()
            .ok_or(AppError::NotFound { noun: "post" })
    }
}

/// Applies the plain fields of `input` to `post`; returns the body as HTML when it was sent as
/// HTML, Lexical or Mobiledoc.
fn apply(post: &mut Post, input: &PostInput) -> Result<Option<String>> {
    if let Some(title) = &input.title {
        post.title = title.clone();
    }
    if let Some(slug) = &input.slug {
        post.slug = slug.clone();
    }
    if let Some(status) = input.status {
        post.status = status;
    }
    if let Some(published_at) = input.published_at {
        post.published_at = published_at;
    }
    if let Some(featured) = input.featured {
        post.featured = featured;
    }
    if let Some(visibility) = input.visibility {
        post.visibility = visibility;
    }
    if let Some(show) = input.show_title_and_feature_image {
        post.show_title_and_feature_image = show;
    }
    if let Some(email_only) = input.email_only {
        post.email_only = email_only;
    }
    for (field, value) in &input.text {
        *field.slot(post) = value.clone().filter(|v| !v.is_empty());
    }
    if let Some(corrections) = &input.corrections {
        post.corrections = merge_corrections(&post.corrections, corrections)?;
    }
    let Some(body) = &input.body else {
        return Ok(None);
    };
    // A body sent in a form of its own replaces the kept document, or sets it.
    post.source = None;
    Ok(match body {
        BodyInput::Markdown(source) => {
            post.markdown = Some(source.clone());
            None
        }
        BodyInput::Html(html) => Some(html.clone()),
        BodyInput::Lexical(doc) => {
            let html =
                lexical::to_html(doc).map_err(|e| AppError::invalid("lexical", e.to_string()))?;
            post.source = Some(SourceDocument::Lexical(doc.clone()));
            Some(html)
        }
        BodyInput::Mobiledoc(doc) => {
            let html = mobiledoc::to_html(doc)
                .map_err(|e| AppError::invalid("mobiledoc", e.to_string()))?;
            post.source = Some(SourceDocument::Mobiledoc(doc.clone()));
            Some(html)
        }
    })
}

fn merge_corrections(existing: &[Correction], sent: &[CorrectionInput]) -> Result<Vec<Correction>> {
    let now = dateline_core::time::now();
    sent.iter()
        .map(|c| {
            let known =
                c.id.as_deref()
                    .and_then(|id| existing.iter().find(|e| e.id.as_str() == id));
            let note = c.note.trim();
            if note.is_empty() {
                return Err(AppError::invalid(
                    "corrections",
                    "a correction needs a note",
                ));
            }
            Ok(Correction {
                id: known.map_or_else(ObjectId::generate, |k| k.id.clone()),
                note: note.to_owned(),
                created_at: c.created_at.or(known.map(|k| k.created_at)).unwrap_or(now),
            })
        })
        .collect()
}

/// Tag ids in the order given, and the tags to create for names that do not exist yet.
async fn resolve_tags(db: &mut impl Db, refs: &[TagRef]) -> Result<(Vec<ObjectId>, Vec<Tag>)> {
    let mut ids: Vec<ObjectId> = Vec::new();
    let mut created: Vec<Tag> = Vec::new();
    let mut seen = HashSet::new();
    for r in refs {
        let found =
            if let Some(id) = r.id.as_deref() {
                let id = ObjectId::parse(id)
                    .map_err(|_| AppError::invalid("tags", format!("`{id}` is not a tag id")))?;
                Some(tags::by_id(db, &id).await?.ok_or_else(|| {
                    AppError::invalid("tags", format!("no tag has the id `{id}`"))
                })?)
            } else if let Some(slug) = r.slug.as_deref() {
                tags::by_slug(db, slug).await?
            } else if let Some(name) = r.name.as_deref() {
                match tags::by_name(db, name).await? {
                    Some(tag) => Some(tag),
                    None => tags::by_slug(db, &slug::slugify(name)).await?,
                }
            } else {
                return Err(AppError::invalid(
                    "tags",
                    "each tag needs an id, a slug or a name",
                ));
            };
        let id = match found {
            Some(tag) => tag.id,
            None => {
                let tag = new_tag(r)?;
                // The same new name twice in one post makes one tag.
                if let Some(twin) = created.iter().find(|t| t.name == tag.name) {
                    twin.id.clone()
                } else {
                    let id = tag.id.clone();
                    created.push(tag);
                    id
                }
            }
        };
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    Ok((ids, created))
}

fn new_tag(r: &TagRef) -> Result<Tag> {
    let name = r
        .name
        .as_deref()
        .or(r.slug.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| AppError::invalid("tags", "a new tag needs a name"))?;
    let now = dateline_core::time::now();
    Ok(dateline_core::tag::Tag::named(
        name,
        r.slug.as_deref().unwrap_or(""),
        now,
    ))
}

async fn resolve_authors(db: &mut impl Db, refs: &[AuthorRef]) -> Result<Vec<ObjectId>> {
    let mut ids = Vec::new();
    for r in refs {
        let (found, asked) = if let Some(id) = r.id.as_deref() {
            let user = match ObjectId::parse(id) {
                Ok(id) => users::by_id(db, &id).await?,
                Err(_) => None,
            };
            (user, id)
        } else if let Some(email) = r.email.as_deref() {
            (users::by_email(db, email).await?, email)
        } else if let Some(slug) = r.slug.as_deref() {
            (users::by_slug(db, slug).await?, slug)
        } else {
            return Err(AppError::invalid(
                "authors",
                "each author needs an id, an email or a slug",
            ));
        };
        let user = found.ok_or_else(|| {
            AppError::invalid("authors", format!("no staff user matches `{asked}`"))
        })?;
        if !ids.contains(&user.id) {
            ids.push(user.id);
        }
    }
    if ids.is_empty() {
        return Err(AppError::invalid(
            "authors",
            "a post needs at least one author",
        ));
    }
    Ok(ids)
}
