//! What the public APIs and the site read: published posts and pages with their tags and
//! authors, tags and authors with their post counts. Everything here is public content.

use std::collections::HashMap;

use dateline_core::id::ObjectId;
use dateline_core::nql;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_core::tag::Tag;
use dateline_core::user::User;
use dateline_store::filter::{self, Resource};
use dateline_store::posts::{self, Browse, PostSort};
use dateline_store::{Db, tags, users};

use crate::site::PostDetail;
use crate::{App, AppError, Result};

/// A listing request, as the Content API and `{{#get}}` express it.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// NQL, e.g. `tag:news+featured:true`.
    pub filter: Option<String>,
    /// e.g. `published_at desc, title asc`.
    pub order: Option<String>,
    /// `None` for every match (`limit=all`).
    pub limit: Option<u32>,
    /// 1-based.
    pub page: u32,
}

/// One page of results and where it sits among all of them.
#[derive(Debug)]
pub struct Listing<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub limit: Option<u32>,
    pub total: u64,
}

impl<T> Listing<T> {
    pub fn pages(&self) -> u64 {
        match self.limit {
            Some(limit) if limit > 0 => self.total.div_ceil(u64::from(limit)).max(1),
            _ => 1,
        }
    }
}

/// How a single post is asked for.
pub enum PostKey<'a> {
    Id(&'a str),
    Slug(&'a str),
}

impl App {
    pub async fn list_posts(
        &self,
        post_type: PostType,
        query: &ListQuery,
    ) -> Result<Listing<PostDetail>> {
        let compiled = compile_filter(query.filter.as_deref(), Resource::Posts, 3)?;
        let order = parse_order(query.order.as_deref())?;
        let page = query.page.max(1);
        let mut db = self.store.reader().await?;
        let (posts, total) = posts::browse(
            &mut db,
            &Browse {
                post_type,
                status: PostStatus::Published,
                filter: compiled.as_ref(),
                order: &order,
                limit: query.limit,
                offset: query
                    .limit
                    .map_or(0, |l| u64::from(l) * u64::from(page - 1)),
            },
        )
        .await?;
        let items = with_relations(&mut db, posts).await?;
        Ok(Listing {
            items,
            page,
            limit: query.limit,
            total,
        })
    }

    /// A published post or page by id or slug.
    pub async fn read_post(
        &self,
        post_type: PostType,
        key: PostKey<'_>,
    ) -> Result<Option<PostDetail>> {
        let mut db = self.store.reader().await?;
        let post = match key {
            PostKey::Id(id) => match ObjectId::parse(id) {
                Ok(id) => posts::by_id(&mut db, &id).await?,
                Err(_) => None,
            },
            PostKey::Slug(slug) => posts::by_slug(&mut db, slug).await?,
        };
        let Some(post) =
            post.filter(|p| p.post_type == post_type && p.status == PostStatus::Published)
        else {
            return Ok(None);
        };
        Ok(with_relations(&mut db, vec![post]).await?.pop())
    }

    /// Every tag (internal ones too, as Ghost lists them) with its number of published posts.
    pub async fn list_tags(&self, query: &ListQuery) -> Result<Listing<(Tag, u64)>> {
        let mut db = self.store.reader().await?;
        let counts = count_map(posts::published_count_by_tag(&mut db).await?);
        let all = tags::all(&mut db).await?;
        counted_listing(&mut db, all, |t| &t.id, &counts, Resource::Tags, query).await
    }

    /// Staff shown as authors, with their number of published posts.
    pub async fn list_authors(&self, query: &ListQuery) -> Result<Listing<(User, u64)>> {
        let mut db = self.store.reader().await?;
        let counts = count_map(posts::published_count_by_author(&mut db).await?);
        let all = users::public_authors(&mut db).await?;
        counted_listing(&mut db, all, |u| &u.id, &counts, Resource::Authors, query).await
    }

    pub async fn settings(&self) -> Result<dateline_core::settings::Settings> {
        let mut db = self.store.reader().await?;
        Ok(dateline_store::settings::all(&mut db).await?)
    }
}

/// Keeps the records `query.filter` selects (compiled for `resource`, matched in SQL), pairs
/// each with its number of published posts, and returns the requested page. Tags and staff
/// are few, so they are paged here rather than in SQL.
pub(crate) async fn counted_listing<T>(
    db: &mut impl Db,
    mut all: Vec<T>,
    id: impl Fn(&T) -> &ObjectId,
    counts: &HashMap<String, u64>,
    resource: Resource,
    query: &ListQuery,
) -> Result<Listing<(T, u64)>> {
    if let Some(f) = compile_filter(query.filter.as_deref(), resource, 1)? {
        let keep = filter::matching_ids(db, resource, &f).await?;
        all.retain(|item| keep.contains(id(item)));
    }
    let items = all
        .into_iter()
        .map(|item| {
            let n = counts.get(id(&item).as_str()).copied().unwrap_or(0);
            (item, n)
        })
        .collect();
    Ok(paginate(items, query))
}

/// Pages a list already in memory.
pub(crate) fn paginate<T>(items: Vec<T>, query: &ListQuery) -> Listing<T> {
    let total = items.len() as u64;
    let page = query.page.max(1);
    let items = match query.limit {
        Some(limit) => items
            .into_iter()
            .skip(limit as usize * (page as usize - 1))
            .take(limit as usize)
            .collect(),
        None => items,
    };
    Listing {
        items,
        page,
        limit: query.limit,
        total,
    }
}

pub(crate) fn count_map(rows: Vec<(String, i64)>) -> HashMap<String, u64> {
    rows.into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect()
}

pub(crate) fn compile_filter(
    text: Option<&str>,
    resource: Resource,
    first_placeholder: usize,
) -> Result<Option<filter::Filter>> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let expr = nql::parse(text).map_err(|e| AppError::BadFilter(e.to_string()))?;
    filter::compile(
        &expr,
        resource,
        first_placeholder,
        dateline_core::time::now(),
    )
    .map(Some)
    .map_err(|e| AppError::BadFilter(e.to_string()))
}

/// `published_at desc, title asc` → columns; Ghost's default is newest first.
pub(crate) fn parse_order(text: Option<&str>) -> Result<Vec<(PostSort, bool)>> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(vec![(PostSort::PublishedAt, true)]);
    };
    parse_sorts(text, PostSort::parse)
}

/// `field asc, other desc` → `(sort, descending)` pairs, each field read by `parse`.
pub(crate) fn parse_sorts<S>(
    text: &str,
    parse: impl Fn(&str) -> Option<S>,
) -> Result<Vec<(S, bool)>> {
    text.split(',')
        .map(|part| {
            let mut words = part.split_whitespace();
            let field = words.next().unwrap_or_default();
            let sort = parse(field)
                .ok_or_else(|| AppError::invalid("order", format!("cannot order by `{field}`")))?;
            let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
                None | Some("asc") => false,
                Some("desc") => true,
                Some(other) => {
                    return Err(AppError::invalid(
                        "order",
                        format!("`{other}` is not asc or desc"),
                    ));
                }
            };
            Ok((sort, desc))
        })
        .collect()
}

/// Loads the tags and authors of a batch of posts, each once.
pub(crate) async fn with_relations(db: &mut impl Db, posts: Vec<Post>) -> Result<Vec<PostDetail>> {
    let mut tag_cache: HashMap<ObjectId, Option<Tag>> = HashMap::new();
    let mut user_cache: HashMap<ObjectId, Option<User>> = HashMap::new();
    let mut out = Vec::with_capacity(posts.len());
    for post in posts {
        let mut post_tags = Vec::with_capacity(post.tag_ids.len());
        for id in &post.tag_ids {
            if !tag_cache.contains_key(id) {
                let tag = tags::by_id(db, id).await?;
                tag_cache.insert(id.clone(), tag);
            }
            post_tags.extend(tag_cache.get(id).cloned().flatten());
        }
        let mut authors = Vec::with_capacity(post.author_ids.len());
        for id in &post.author_ids {
            if !user_cache.contains_key(id) {
                let user = users::by_id(db, id).await?;
                user_cache.insert(id.clone(), user);
            }
            authors.extend(user_cache.get(id).cloned().flatten());
        }
        out.push(PostDetail {
            post,
            tags: post_tags,
            authors,
        });
    }
    Ok(out)
}
