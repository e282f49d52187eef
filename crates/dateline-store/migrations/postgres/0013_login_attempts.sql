-- Failed password sign-ins and password reset requests, so the limits on them hold across every
-- node that shares the database (an attacker behind a load balancer gets one budget, not one
-- per node). Rows older than the window are pruned whenever a failure is recorded.
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    -- 'login' (wrong passwords) or 'reset' (reset links asked for): each has its own budget.
    purpose TEXT NOT NULL,
    -- The lowercased email typed; NULL once that account signed in (its budget is cleared, the
    -- address's is not).
    account TEXT,
    -- The client's IP address.
    address TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (purpose, account, failed_at);
CREATE INDEX login_failures_address ON login_failures (purpose, address, failed_at);
CREATE INDEX login_failures_failed_at ON login_failures (failed_at);
