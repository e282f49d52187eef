-- Members as the Admin API edits them: a staff note and labels (created on the fly by name, as
-- Ghost does), newsletter fields the Admin API shows, and the segment a send went to.

ALTER TABLE members ADD COLUMN note TEXT;
CREATE INDEX members_created_at ON members (created_at);

CREATE TABLE labels (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE members_labels (
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    label_id TEXT NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    sort_order BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, label_id)
);
CREATE INDEX members_labels_label ON members_labels (label_id);

ALTER TABLE newsletters ADD COLUMN header_image TEXT;
ALTER TABLE newsletters ADD COLUMN show_feature_image BOOLEAN NOT NULL DEFAULT TRUE;

-- Ghost's `email_segment` (`all`, `status:free`, `label:vip`, any member filter).
ALTER TABLE email_sends ADD COLUMN recipient_filter TEXT NOT NULL DEFAULT 'all';
CREATE INDEX email_sends_post ON email_sends (post_id);

-- A post scheduled with a newsletter (Ghost's `?newsletter=` on a scheduled post): the mail
-- worker sends it once the scheduler has published it, then forgets the row.
CREATE TABLE scheduled_newsletters (
    post_id TEXT PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    newsletter TEXT NOT NULL,
    segment TEXT NOT NULL,
    site_url TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
