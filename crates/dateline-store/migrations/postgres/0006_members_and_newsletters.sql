-- Members (readers who confirmed their address), newsletters and the durable send queue.
-- The sign-ups of `newsletter_signups` (0003) were never confirmed, so they are not members and
-- are not mailed; the table stays so nothing collected is lost.

CREATE TABLE newsletters (
    id TEXT PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    description TEXT,
    sender_name TEXT,
    sender_email TEXT,
    sender_reply_to TEXT,
    footer_content TEXT,
    subscribe_on_signup BOOLEAN NOT NULL DEFAULT TRUE,
    status TEXT NOT NULL DEFAULT 'active',
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE members (
    id TEXT PRIMARY KEY NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    name TEXT,
    status TEXT NOT NULL DEFAULT 'free',
    -- Set when the address bounced (a 5xx reply): no more newsletters go to it.
    email_disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE members_newsletters (
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    newsletter_id TEXT NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, newsletter_id)
);
CREATE INDEX members_newsletters_newsletter ON members_newsletters (newsletter_id);

-- Magic links, by the hash of their token: single use (`used_at`) and expiring.
CREATE TABLE member_magic_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    name TEXT,
    email_type TEXT NOT NULL,
    -- JSON array of newsletter ids asked for; NULL means the ones subscribed on sign-up.
    newsletters TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX member_magic_links_email ON member_magic_links (email, created_at);

CREATE TABLE member_sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- A post sent to a newsletter, rendered once. A post goes to a newsletter at most once.
CREATE TABLE email_sends (
    id TEXT PRIMARY KEY NOT NULL,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    newsletter_id TEXT NOT NULL REFERENCES newsletters (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    subject TEXT NOT NULL,
    html TEXT NOT NULL,
    plaintext TEXT NOT NULL,
    from_name TEXT,
    from_address TEXT NOT NULL,
    reply_to TEXT,
    -- With placeholders for the member's uuid and key, filled per recipient.
    unsubscribe_url TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    UNIQUE (post_id, newsletter_id)
);

-- One row per recipient of a send: the queue. See dateline-app's `mailing` for the states.
CREATE TABLE email_recipients (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    send_id TEXT NOT NULL REFERENCES email_sends (id) ON DELETE CASCADE,
    member_id TEXT NOT NULL,
    member_uuid TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    smtp_reply TEXT,
    sent_at TIMESTAMPTZ,
    UNIQUE (send_id, member_id)
);
CREATE INDEX email_recipients_due ON email_recipients (status, next_attempt_at);
CREATE INDEX email_recipients_lease ON email_recipients (lease_owner);
