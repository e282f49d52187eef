-- Single-use links mailed to staff: password resets and invitations. Only the SHA-256 of the
-- token in the link is stored, so a copy of the database cannot be used to take an account.

CREATE TABLE staff_tokens (
    -- The id an invitation is revoked by; the token itself never leaves the mail.
    id TEXT PRIMARY KEY NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- 'reset' (user_id names the account) or 'invite' (role is what accepting grants).
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    role TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX staff_tokens_kind_email ON staff_tokens (kind, email);
