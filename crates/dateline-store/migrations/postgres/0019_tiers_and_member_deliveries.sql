-- Tiers (Ghost's `products`) as a Ghost import brings them. Dateline sells no memberships, so
-- nothing here is offered to readers; the rows are kept so prices and names survive a move
-- from Ghost and back (an export writes them out again).
CREATE TABLE tiers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    description TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- free or paid.
    type TEXT NOT NULL,
    -- public or none.
    visibility TEXT NOT NULL,
    welcome_page_url TEXT,
    trial_days BIGINT NOT NULL DEFAULT 0,
    currency TEXT,
    -- In the currency's smallest unit (cents), as Ghost stores them.
    monthly_price BIGINT,
    yearly_price BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A member's page lists the newsletters sent to them, newest first.
CREATE INDEX email_recipients_member ON email_recipients (member_id);
