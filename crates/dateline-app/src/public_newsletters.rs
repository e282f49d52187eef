//! The newsletters a reader can subscribe to, as the Content API lists them: active ones only,
//! in the site's order (or the `order` asked for), filtered and paged like tags and authors.

use std::cmp::Ordering;

use dateline_store::filter::{self, Resource};
use dateline_store::newsletters::Newsletter;

use crate::content::{ListQuery, Listing, compile_filter, ghost_order, paginate};
use crate::{App, Result};

/// What a newsletter listing may be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NewsletterSort {
    SortOrder,
    Name,
    Slug,
    CreatedAt,
    UpdatedAt,
    Id,
}

impl NewsletterSort {
    fn parse(field: &str) -> Option<NewsletterSort> {
        Some(match field {
            "sort_order" => NewsletterSort::SortOrder,
            "name" => NewsletterSort::Name,
            "slug" => NewsletterSort::Slug,
            "created_at" => NewsletterSort::CreatedAt,
            "updated_at" => NewsletterSort::UpdatedAt,
            "id" => NewsletterSort::Id,
            _ => return None,
        })
    }

    fn compare(self, a: &Newsletter, b: &Newsletter) -> Ordering {
        match self {
            NewsletterSort::SortOrder => a.sort_order.cmp(&b.sort_order),
            NewsletterSort::Name => a.name.cmp(&b.name),
            NewsletterSort::Slug => a.slug.cmp(&b.slug),
            NewsletterSort::CreatedAt => a.created_at.cmp(&b.created_at),
            NewsletterSort::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            NewsletterSort::Id => a.id.cmp(&b.id),
        }
    }
}

impl App {
    pub async fn public_newsletters(&self, query: &ListQuery) -> Result<Listing<Newsletter>> {
        // Checked before anything is written: a bad filter or order must not create the
        // default.
        let compiled = compile_filter(query.filter.as_deref(), Resource::Newsletters, 1)?;
        let order = match query.order.as_deref().filter(|o| !o.trim().is_empty()) {
            Some(text) => ghost_order(text, NewsletterSort::parse),
            None => Vec::new(),
        };
        let mut list = self.newsletters().await?;
        if let Some(f) = compiled {
            let mut db = self.store.reader().await?;
            let keep = filter::matching_ids(&mut db, Resource::Newsletters, &f).await?;
            list.retain(|n| keep.contains(&n.id));
        }
        // Stable, so ties keep the site's order.
        list.sort_by(|a, b| {
            order
                .iter()
                .map(|(sort, desc)| {
                    let o = sort.compare(a, b);
                    if *desc { o.reverse() } else { o }
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        Ok(paginate(list, query))
    }
}
