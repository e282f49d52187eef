-- Listings filter posts by type and status, order them by publication time, and then test or
-- join `posts.id` (sections and archives are `posts.id IN (…)`). With `id` in the index those
-- checks never read the wide row, which was most of the cost of an uncached home page at 10k
-- stories (and of the SQLite page cache it filled).
DROP INDEX posts_listing;
CREATE INDEX posts_listing ON posts (type, status, published_at DESC, id);

-- The scheduler asks what fell due every few seconds, across both posts and pages.
CREATE INDEX posts_due ON posts (status, published_at);
