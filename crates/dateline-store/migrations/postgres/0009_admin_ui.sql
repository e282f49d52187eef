-- Revisions of a story's headline and text, kept by the admin's editor (issue 6). Autosaves by
-- the same person within a few minutes update one revision rather than piling up rows.
CREATE TABLE post_revisions (
    id TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    markdown TEXT NOT NULL,
    -- The story's status when the revision was made: draft, scheduled, published.
    status TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions (post_id, created_at);

-- Drafts a contributor (or author) has handed to the editors: the review step Ghost lacks.
-- A story stays in the queue while it is a draft; publishing it takes it out.
CREATE TABLE post_reviews (
    post_id TEXT PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    submitted_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    submitted_at TIMESTAMPTZ NOT NULL
);
