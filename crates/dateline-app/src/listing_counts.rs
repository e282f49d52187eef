//! The number of matches of public post listings, kept until content changes.
//!
//! Counting is the costly half of a listing: a section of 47k stories among 100k takes 30 ms
//! to count on SQLite and 130 ms on PostgreSQL, the page of 15 under 1 ms. The count is the
//! same for every page, `limit`, `include` and `fields` of one filter, which the page cache
//! (keyed by the whole address) cannot share; this can. An entry is good for the content
//! generation it was counted in (see [`crate::Events::generation`]), so a publish here, on
//! another node, or by the scheduler makes the next listing count again.

use std::collections::HashMap;
use std::sync::Mutex;

use dateline_core::post::PostType;
use dateline_store::filter::Filter;

/// Filters kept at most. Past it, entries of older generations go; if every entry is current
/// (a crawler walking thousands of distinct filters), all go: a count is cheap to redo.
const MAX_KEPT: usize = 4096;

#[derive(Default)]
pub struct ListingCounts {
    kept: Mutex<HashMap<String, Counted>>,
}

#[derive(Clone, Copy)]
struct Counted {
    generation: u64,
    total: u64,
}

impl ListingCounts {
    /// What the listing of `post_type` under `filter` counted in `generation`, if it did.
    pub(crate) fn get(&self, key: &str, generation: u64) -> Option<u64> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(key)
            .filter(|c| c.generation == generation)
            .map(|c| c.total)
    }

    /// Keeps `total`, counted in `generation`, which the caller read before it counted: a
    /// change that commits meanwhile moves the generation, so a stale count is never served.
    pub(crate) fn keep(&self, key: String, generation: u64, total: u64) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX_KEPT && !kept.contains_key(&key) {
            kept.retain(|_, c| c.generation == generation);
            if kept.len() >= MAX_KEPT {
                kept.clear();
            }
        }
        kept.insert(key, Counted { generation, total });
    }
}

/// What tells two listings' counts apart: the type and the compiled filter with its values
/// (a relative date such as `now-30d` is a value, so its count is kept for that second only).
pub(crate) fn key(post_type: PostType, filter: Option<&Filter>) -> String {
    match filter {
        Some(f) => format!("{}\n{}\n{:?}", post_type.as_str(), f.sql, f.binds),
        None => post_type.as_str().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_serves_only_its_own_generation() {
        let counts = ListingCounts::default();
        counts.keep("post\ntag".into(), 4, 120);
        assert_eq!(counts.get("post\ntag", 4), Some(120));
        assert_eq!(counts.get("post\ntag", 5), None, "content changed since");
        assert_eq!(counts.get("page\ntag", 4), None);
    }

    #[test]
    fn a_full_table_drops_older_generations_first_then_everything() {
        let counts = ListingCounts::default();
        for i in 0..MAX_KEPT - 1 {
            counts.keep(format!("old {i}"), 1, 1);
        }
        counts.keep("current".into(), 2, 7);
        counts.keep("next".into(), 2, 8);
        assert_eq!(counts.get("current", 2), Some(7));
        assert_eq!(counts.get("next", 2), Some(8));
        assert_eq!(
            counts.kept.lock().unwrap().len(),
            2,
            "the old generation went"
        );
        for i in 0..MAX_KEPT {
            counts.keep(format!("new {i}"), 2, 1);
        }
        assert!(counts.kept.lock().unwrap().len() < MAX_KEPT);
        assert_eq!(counts.get(&format!("new {}", MAX_KEPT - 1), 2), Some(1));
    }
}
