-- no-transaction
-- The posts table again, with the stories' bodies (markdown, html, plaintext, lexical, mobiledoc)
-- as its last columns. SQLite keeps a row's columns in order and spills what does not fit a
-- page into overflow pages; with the bodies (19 KB a story on average) before `featured`,
-- `status` and `published_at`, reading any of those walked each row's overflow chain, so a
-- filter on a column without an index (`featured:true`, `title:~'Erbil'`) read the whole 3 GB
-- of a 100k-story site: 0.5-3 s. With the bodies last, such a scan reads one page a row.
--
-- SQLite's own recipe for changing a table's shape: foreign keys off (dropping the old table
-- would otherwise delete every tag, author and revision row of every post through their
-- cascades), copy, drop, rename, indexes. The rows keep their ids, so every reference to them
-- holds as before.
-- Outside sqlx's transaction because `foreign_keys` cannot change inside one; the copy itself
-- is one transaction, so a crash leaves the old table whole and the migration runs again.
PRAGMA foreign_keys = OFF;

BEGIN;

CREATE TABLE posts_bodies_last (
    id TEXT PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    -- One URL space: Ghost keeps slugs unique across posts and pages.
    slug TEXT NOT NULL UNIQUE,
    feature_image TEXT,
    feature_image_alt TEXT,
    feature_image_caption TEXT,
    featured INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    language TEXT,
    dateline TEXT,
    custom_excerpt TEXT,
    codeinjection_head TEXT,
    codeinjection_foot TEXT,
    custom_template TEXT,
    canonical_url TEXT,
    show_title_and_feature_image INTEGER NOT NULL DEFAULT 1,
    comment_id TEXT,
    email_recipient_filter TEXT NOT NULL DEFAULT 'all',
    og_image TEXT,
    og_title TEXT,
    og_description TEXT,
    twitter_image TEXT,
    twitter_title TEXT,
    twitter_description TEXT,
    meta_title TEXT,
    meta_description TEXT,
    email_subject TEXT,
    email_only INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT,
    -- The bodies, last: see above.
    html TEXT,
    plaintext TEXT,
    markdown TEXT,
    lexical TEXT,
    mobiledoc TEXT
);

INSERT INTO posts_bodies_last (
    id, uuid, type, title, slug, feature_image, feature_image_alt, feature_image_caption,
    featured, status, visibility, language, dateline, custom_excerpt, codeinjection_head,
    codeinjection_foot, custom_template, canonical_url, show_title_and_feature_image, comment_id,
    email_recipient_filter, og_image, og_title, og_description, twitter_image, twitter_title,
    twitter_description, meta_title, meta_description, email_subject, email_only, created_at,
    updated_at, published_at, html, plaintext, markdown, lexical, mobiledoc
)
SELECT
    id, uuid, type, title, slug, feature_image, feature_image_alt, feature_image_caption,
    featured, status, visibility, language, dateline, custom_excerpt, codeinjection_head,
    codeinjection_foot, custom_template, canonical_url, show_title_and_feature_image, comment_id,
    email_recipient_filter, og_image, og_title, og_description, twitter_image, twitter_title,
    twitter_description, meta_title, meta_description, email_subject, email_only, created_at,
    updated_at, published_at, html, plaintext, markdown, lexical, mobiledoc
FROM posts;

DROP TABLE posts;

ALTER TABLE posts_bodies_last RENAME TO posts;

CREATE INDEX posts_listing ON posts (type, status, published_at DESC, id);
CREATE INDEX posts_due ON posts (status, published_at);
CREATE INDEX posts_id_listing ON posts (id, type, status);
-- Ghost's themes ask for featured stories on most front pages, and the Content API counts them.
CREATE INDEX posts_featured ON posts (type, status, featured, published_at DESC, id);

COMMIT;

PRAGMA foreign_keys = ON;
