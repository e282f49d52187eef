use serde::Serialize;

/// Ghost's `pagination` object of a listing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaginationView {
    /// 1-based number of this page.
    pub page: u32,
    pub limit: u32,
    /// At least 1, so "Page 1 of 1" reads right on an empty listing.
    pub pages: u32,
    pub total: u64,
    pub next: Option<u32>,
    pub prev: Option<u32>,
}

impl PaginationView {
    /// Page `page` of `total` items shown `limit` at a time.
    pub fn new(page: u32, limit: u32, total: u64) -> Self {
        let limit = limit.max(1);
        let pages = u32::try_from(total.div_ceil(u64::from(limit)))
            .unwrap_or(u32::MAX)
            .max(1);
        let page = page.max(1);
        PaginationView {
            page,
            limit,
            pages,
            total,
            next: (page < pages).then(|| page + 1),
            prev: (page > 1).then(|| page - 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PaginationView;

    #[test]
    fn pages_and_neighbours() {
        let first = PaginationView::new(1, 3, 7);
        assert_eq!((first.pages, first.prev, first.next), (3, None, Some(2)));
        let last = PaginationView::new(3, 3, 7);
        assert_eq!((last.prev, last.next), (Some(2), None));
        let empty = PaginationView::new(1, 15, 0);
        assert_eq!((empty.pages, empty.next), (1, None));
    }
}
