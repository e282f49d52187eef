-- Content: posts and pages, tags, staff, settings, integrations.
-- Times are timestamptz; booleans are booleans.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    profile_image TEXT,
    cover_image TEXT,
    bio TEXT,
    website TEXT,
    location TEXT,
    facebook TEXT,
    twitter TEXT,
    threads TEXT,
    bluesky TEXT,
    mastodon TEXT,
    tiktok TEXT,
    youtube TEXT,
    instagram TEXT,
    linkedin TEXT,
    accessibility TEXT,
    status TEXT NOT NULL,
    locale TEXT,
    visibility TEXT NOT NULL,
    meta_title TEXT,
    meta_description TEXT,
    tour TEXT,
    last_seen TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE tags (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    description TEXT,
    feature_image TEXT,
    parent_id TEXT REFERENCES tags (id) ON DELETE SET NULL,
    visibility TEXT NOT NULL,
    og_image TEXT,
    og_title TEXT,
    og_description TEXT,
    twitter_image TEXT,
    twitter_title TEXT,
    twitter_description TEXT,
    meta_title TEXT,
    meta_description TEXT,
    codeinjection_head TEXT,
    codeinjection_foot TEXT,
    canonical_url TEXT,
    accent_color TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    -- One URL space: Ghost keeps slugs unique across posts and pages.
    slug TEXT NOT NULL UNIQUE,
    markdown TEXT,
    html TEXT,
    plaintext TEXT,
    feature_image TEXT,
    feature_image_alt TEXT,
    feature_image_caption TEXT,
    featured BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL,
    visibility TEXT NOT NULL,
    language TEXT,
    dateline TEXT,
    custom_excerpt TEXT,
    codeinjection_head TEXT,
    codeinjection_foot TEXT,
    custom_template TEXT,
    canonical_url TEXT,
    show_title_and_feature_image BOOLEAN NOT NULL DEFAULT TRUE,
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
    email_only BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX posts_listing ON posts (type, status, published_at DESC);

CREATE TABLE posts_tags (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX posts_tags_tag ON posts_tags (tag_id);

CREATE TABLE posts_authors (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sort_order INTEGER NOT NULL,
    PRIMARY KEY (post_id, author_id)
);
CREATE INDEX posts_authors_author ON posts_authors (author_id);

CREATE TABLE post_corrections (
    id TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    note TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_corrections_post ON post_corrections (post_id, created_at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT,
    "group" TEXT NOT NULL,
    type TEXT NOT NULL,
    flags TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE integrations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    secret TEXT NOT NULL UNIQUE,
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
