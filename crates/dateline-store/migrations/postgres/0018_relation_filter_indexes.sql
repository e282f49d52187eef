-- Content API filters on tags and authors compile to `posts.id IN (SELECT post_id FROM
-- posts_tags … WHERE tag_id = …)`. With `post_id` in the link-table index the id list is read
-- from the index alone instead of one table lookup per linked post.
DROP INDEX posts_tags_tag;
CREATE INDEX posts_tags_tag ON posts_tags (tag_id, post_id);
DROP INDEX posts_authors_author;
CREATE INDEX posts_authors_author ON posts_authors (author_id, post_id);

-- Counting a filtered listing (`meta.pagination.total`) then checks each listed id's type and
-- status. With those beside `id` the check never reads the post row, which is wide (rendered
-- HTML, plaintext, source documents) and was most of the cost at 100k posts; it also lets the
-- planner drive the count from the id list rather than scan every published post.
CREATE INDEX posts_id_listing ON posts (id, type, status);
