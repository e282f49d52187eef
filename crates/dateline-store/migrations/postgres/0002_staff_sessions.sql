-- Staff sessions for the Admin API's cookie sign-in. The cookie holds a random token; only its
-- SHA-256 is stored, so a copy of the database cannot be used to sign in.

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The Origin the session was created from; later requests must come from the same one.
    origin TEXT NOT NULL,
    user_agent TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);
