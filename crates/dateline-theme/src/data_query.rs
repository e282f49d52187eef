//! What `{{#get}}` asks for, and how a page with `{{#get}}` blocks is rendered without the
//! theme doing I/O.
//!
//! Rendering stays synchronous and pure: a render that meets a `{{#get}}` whose results it
//! was not given notes the query and renders the block empty. The caller fetches what was
//! noted (through the app, as for any page) and renders again with the results, until nothing
//! is missing. Themes without `{{#get}}` render once.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value as Json;

/// One `{{#get "posts" filter="…" limit="3"}}`, with `{{…}}` in its filter already replaced
/// by values from the template data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataQuery {
    /// `posts`, `pages`, `tags`, `authors`, `tiers` or `newsletters`.
    pub resource: String,
    /// NQL.
    pub filter: Option<String>,
    /// A number, or `all`; Ghost's default is 15.
    pub limit: Option<String>,
    pub order: Option<String>,
    pub page: Option<String>,
    /// Ghost's `include`: relations (`tags`, `authors`) the results carry; without it posts
    /// come bare, and themes rely on that (no `tag-…` classes on such cards).
    pub include: Option<String>,
}

impl DataQuery {
    /// The key its results are found under.
    pub(crate) fn key(&self) -> String {
        let part = |o: &Option<String>| o.as_deref().unwrap_or("").to_owned();
        format!(
            "{}?filter={}&limit={}&order={}&page={}",
            self.resource,
            part(&self.filter),
            part(&self.limit),
            part(&self.order),
            part(&self.page)
        ) + "&include="
            + &part(&self.include)
    }

    /// Drops the relations the query did not `include` from `items` (each a post's JSON).
    pub fn strip_relations(&self, items: &mut [Json]) {
        let included = |name: &str| {
            self.include
                .as_deref()
                .is_some_and(|i| i.split(',').any(|part| part.trim() == name))
        };
        let mut dropped = Vec::new();
        if !included("tags") {
            dropped.extend(["tags", "primary_tag"]);
        }
        if !included("authors") {
            dropped.extend(["authors", "primary_author"]);
        }
        for item in items.iter_mut().filter_map(Json::as_object_mut) {
            for field in &dropped {
                item.remove(*field);
            }
        }
    }
}

/// Results of the queries a page asked for: each is Ghost's response shape,
/// `{"posts": [...], "meta": {"pagination": {...}}}`, built from view models.
#[derive(Debug, Default, Clone)]
pub struct DataResults(pub(crate) HashMap<String, Json>);

impl DataResults {
    pub fn insert(&mut self, query: &DataQuery, result: Json) {
        self.0.insert(query.key(), result);
    }

    pub(crate) fn to_json(&self) -> Json {
        Json::Object(self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }
}

/// A render's outcome: the page, or the data it still needs.
#[derive(Debug)]
pub enum Rendered {
    Page(String),
    NeedsData(Vec<DataQuery>),
}

thread_local! {
    /// Queries the render on this thread met without results. A render runs on one thread
    /// from start to end, so this is per render.
    static MISSING: RefCell<Option<Vec<DataQuery>>> = const { RefCell::new(None) };
}

/// Runs `render` noting the queries it cannot answer.
pub(crate) fn collecting<T>(render: impl FnOnce() -> T) -> (T, Vec<DataQuery>) {
    MISSING.with(|m| *m.borrow_mut() = Some(Vec::new()));
    let result = render();
    let missing = MISSING.with(|m| m.borrow_mut().take()).unwrap_or_default();
    (result, missing)
}

/// Called by `{{#get}}` for a query without results.
pub(crate) fn note_missing(query: DataQuery) {
    MISSING.with(|m| {
        if let Some(missing) = m.borrow_mut().as_mut()
            && !missing.contains(&query)
        {
            missing.push(query);
        }
    });
}
