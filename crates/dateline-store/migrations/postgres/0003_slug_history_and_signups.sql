-- Old slugs of posts, so a renamed story keeps answering at its old address (301).
CREATE TABLE post_slug_history (
    slug TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);

-- Newsletter sign-ups from the site's form, kept until members and newsletters take them over.
CREATE TABLE newsletter_signups (
    email TEXT PRIMARY KEY NOT NULL,
    source TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
