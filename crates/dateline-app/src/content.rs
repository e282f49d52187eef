//! What the public APIs and the site read: published posts and pages with their tags and
//! authors, tags and authors with their post counts. Everything here is public content.

use std::collections::HashMap;

use dateline_core::id::ObjectId;
use dateline_core::nql;
use dateline_core::post::{Post, PostStatus, PostType};
use dateline_core::tag::Tag;
use dateline_core::user::User;
use dateline_store::counted::{CountedBrowse, Sort};
use dateline_store::filter::{self, Resource};
use dateline_store::posts::{self, Browse, PostSort};
use dateline_store::{Db, tags, users};

use crate::listing_counts;
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

impl ListQuery {
    /// The page asked for, the first when none (or 0) was.
    pub fn page(&self) -> u32 {
        self.page.max(1)
    }

    /// How many matches come before the page asked for.
    pub fn offset(&self) -> u64 {
        self.limit
            .map_or(0, |l| u64::from(l) * u64::from(self.page() - 1))
    }

    /// The query as readers ask it (the Content API, a theme's `{{#get}}`): Ghost lists pages
    /// by title unless `order` says otherwise or a `slug:[…]` filter orders them.
    pub fn for_readers(mut self, post_type: PostType) -> Self {
        let slug_list = self.filter.as_deref().is_some_and(|f| f.contains("slug:["));
        if post_type == PostType::Page && self.order.is_none() && !slug_list {
            self.order = Some("title asc".to_owned());
        }
        self
    }
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
        let order = parse_order(query.order.as_deref())?;
        let page = query.page();
        let mut db = self.store.reader().await?;
        let compiled = compile_post_filter(&mut db, query.filter.as_deref()).await?;
        let browse = Browse {
            post_type,
            status: PostStatus::Published,
            filter: compiled.as_ref(),
            order: &order,
            limit: query.limit,
            offset: query.offset(),
        };
        // Read before counting: a change committed meanwhile moves it past what is kept.
        let generation = self.events.generation();
        let key = listing_counts::key(post_type, compiled.as_ref());
        let total = match self.listing_counts.get(&key, generation) {
            Some(total) => total,
            None => {
                let total = posts::published_count(&mut db, &browse).await?;
                self.listing_counts.keep(key, generation, total);
                total
            }
        };
        let posts = posts::published_page(&mut db, &browse, total).await?;
        let items = with_relations(&mut db, posts).await?;
        Ok(Listing {
            items,
            page,
            limit: query.limit,
            total,
        })
    }

    /// The newest `limit` published posts that `filter` (NQL) selects, for blocks without a
    /// pager: nothing counts every match, which a [`Listing`] would.
    pub(crate) async fn first_posts(&self, filter: &str, limit: u32) -> Result<Vec<PostDetail>> {
        let order = parse_order(None)?;
        let mut db = self.store.reader().await?;
        let compiled = compile_post_filter(&mut db, Some(filter)).await?;
        let posts = posts::browse_first_page(
            &mut db,
            &Browse {
                post_type: PostType::Post,
                status: PostStatus::Published,
                filter: compiled.as_ref(),
                order: &order,
                limit: Some(limit),
                offset: 0,
            },
        )
        .await?;
        with_relations(&mut db, posts).await
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

    /// Tags (internal ones too, as Ghost lists them) with their number of published posts,
    /// filtered, ordered (by name unless asked otherwise) and paged in the database.
    pub async fn list_tags(&self, query: &ListQuery) -> Result<Listing<(Tag, u64)>> {
        let compiled = compile_filter(query.filter.as_deref(), Resource::Tags, 1)?;
        let order = counted_order(query, "tags", tags::SORTABLE);
        let mut db = self.store.reader().await?;
        let (items, total) =
            tags::browse_counted(&mut db, &counted_browse(query, compiled.as_ref(), &order))
                .await?;
        Ok(listing(items, query, total))
    }

    /// Staff shown as authors, with their number of published posts, filtered, ordered (by
    /// name unless asked otherwise) and paged in the database.
    pub async fn list_authors(&self, query: &ListQuery) -> Result<Listing<(User, u64)>> {
        let compiled = compile_filter(query.filter.as_deref(), Resource::Authors, 1)?;
        let order = counted_order(query, "users", users::SORTABLE);
        let mut db = self.store.reader().await?;
        let (items, total) =
            users::browse_authors(&mut db, &counted_browse(query, compiled.as_ref(), &order))
                .await?;
        Ok(listing(items, query, total))
    }

    pub async fn settings(&self) -> Result<dateline_core::settings::Settings> {
        let mut db = self.store.reader().await?;
        Ok(dateline_store::settings::all(&mut db).await?)
    }
}

/// The order of a tag or author listing, as Ghost's Content API takes it: `order` when given,
/// even if nothing in it is usable (fields matched as Ghost matches them, by the end of
/// `table.column`); else, for a filter naming a list of slugs, the order of that list; else
/// by name.
fn counted_order(
    query: &ListQuery,
    table: &str,
    sortable: &'static [&'static str],
) -> Vec<(Sort, bool)> {
    match query.order.as_deref() {
        Some(text) => ghost_order(text, |field| {
            if field == "count.posts" {
                return Some(Sort::PostCount);
            }
            sortable
                .iter()
                .find(|column| format!("{table}.{column}").ends_with(field))
                .map(|column| Sort::Column(column))
        }),
        None => match query.filter.as_deref().and_then(slug_list) {
            Some(slugs) => vec![(Sort::Slugs(slugs), false)],
            None => vec![(Sort::Column("name"), false)],
        },
    }
}

/// The slugs of the first `slug:[a,b,c]` in a filter, which Ghost uses as the order when no
/// `order` was asked for.
fn slug_list(filter: &str) -> Option<Vec<String>> {
    let start = filter.find("slug:")? + "slug:".len();
    let rest = filter[start..]
        .strip_prefix(' ')
        .unwrap_or(&filter[start..]);
    let inner = rest.strip_prefix('[')?;
    // Ghost's pattern is greedy: the list runs to the last `]` of the filter.
    let inner = &inner[..inner.rfind(']')?];
    Some(inner.split(',').map(|s| s.trim().to_owned()).collect())
}

fn counted_browse<'a>(
    query: &ListQuery,
    filter: Option<&'a filter::Filter>,
    order: &'a [(Sort, bool)],
) -> CountedBrowse<'a> {
    CountedBrowse {
        filter,
        order,
        limit: query.limit,
        offset: query.offset(),
    }
}

fn listing<T>(items: Vec<T>, query: &ListQuery, total: u64) -> Listing<T> {
    Listing {
        items,
        page: query.page(),
        limit: query.limit,
        total,
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
    let page = query.page();
    let items = match query.limit {
        Some(limit) => items
            .into_iter()
            .skip(usize::try_from(query.offset()).unwrap_or(usize::MAX))
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

/// A post listing's filter (placeholders from `$3`, after the type and status), comparing tags
/// and authors by the ids of the slugs it names ([`filter::Keys`]): a lookup in two small
/// tables that lets PostgreSQL plan from how many stories each tag really has.
async fn compile_post_filter(
    db: &mut impl Db,
    text: Option<&str>,
) -> Result<Option<filter::Filter>> {
    let Some(expr) = parse_filter(text)? else {
        return Ok(None);
    };
    let keys = filter::Keys::resolve(db, &expr, Resource::Posts).await?;
    let now = dateline_core::time::now();
    let compiled = filter::compile_keyed(&expr, Resource::Posts, 3, now, &keys);
    compiled.map(Some).map_err(bad_filter)
}

pub(crate) fn compile_filter(
    text: Option<&str>,
    resource: Resource,
    first_placeholder: usize,
) -> Result<Option<filter::Filter>> {
    let Some(expr) = parse_filter(text)? else {
        return Ok(None);
    };
    let compiled = filter::compile(
        &expr,
        resource,
        first_placeholder,
        dateline_core::time::now(),
    );
    compiled.map(Some).map_err(bad_filter)
}

/// NQL as typed; none for an absent or blank filter.
fn parse_filter(text: Option<&str>) -> Result<Option<nql::Expr>> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    nql::parse(text).map(Some).map_err(bad_filter)
}

fn bad_filter(error: impl std::fmt::Display) -> AppError {
    AppError::BadFilter(error.to_string())
}

/// `published_at desc, title asc` → columns, read as Ghost reads them ([`ghost_order`]);
/// Ghost's default is newest first.
pub(crate) fn parse_order(text: Option<&str>) -> Result<Vec<(PostSort, bool)>> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(vec![(PostSort::PublishedAt, true)]);
    };
    Ok(ghost_order(text, |field| {
        PostSort::parse(field.strip_prefix("posts.").unwrap_or(field))
    }))
}

/// `order` as Ghost 5's order plugin reads it: comma-separated `field asc|desc` rules, the
/// field case-folded and looked up by `field`. A rule without a direction, or with a field
/// `field` does not know, is skipped rather than refused (so `order=nonsense` lists in the
/// store's own order); a field given twice keeps its first place and its last direction.
/// Characters outside Ghost's set are refused before this, by the API.
pub(crate) fn ghost_order<S: PartialEq>(
    text: &str,
    field: impl Fn(&str) -> Option<S>,
) -> Vec<(S, bool)> {
    let mut order: Vec<(S, bool)> = Vec::new();
    for rule in text.split(',') {
        let mut words = rule.split_whitespace();
        let (Some(name), Some(direction), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let desc = if direction.eq_ignore_ascii_case("desc") {
            true
        } else if direction.eq_ignore_ascii_case("asc") {
            false
        } else {
            continue;
        };
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            continue;
        }
        let Some(sort) = field(&name.to_ascii_lowercase()) else {
            continue;
        };
        match order.iter_mut().find(|(s, _)| *s == sort) {
            Some(existing) => existing.1 = desc,
            None => order.push((sort, desc)),
        }
    }
    order
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
    // One query for the tags and one for the authors of the whole batch, however many posts.
    let mut tag_ids: Vec<&str> = posts
        .iter()
        .flat_map(|p| p.tag_ids.iter().map(ObjectId::as_str))
        .collect();
    tag_ids.sort_unstable();
    tag_ids.dedup();
    let mut author_ids: Vec<&str> = posts
        .iter()
        .flat_map(|p| p.author_ids.iter().map(ObjectId::as_str))
        .collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let tags: HashMap<ObjectId, Tag> = tags::by_ids(db, &tag_ids)
        .await?
        .into_iter()
        .map(|t| (t.id.clone(), t))
        .collect();
    let users: HashMap<ObjectId, User> = users::by_ids(db, &author_ids)
        .await?
        .into_iter()
        .map(|u| (u.id.clone(), u))
        .collect();
    Ok(posts
        .into_iter()
        .map(|post| PostDetail {
            tags: post
                .tag_ids
                .iter()
                .filter_map(|id| tags.get(id).cloned())
                .collect(),
            authors: post
                .author_ids
                .iter()
                .filter_map(|id| users.get(id).cloned())
                .collect(),
            post,
        })
        .collect())
}
