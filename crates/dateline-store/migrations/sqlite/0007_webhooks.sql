-- Webhooks as Ghost has them, and their deliveries: one table that is both the durable queue
-- (a row is written in the transaction of the change it reports, then leased by a worker) and
-- the delivery log, with one row per attempt beside it.

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    event TEXT NOT NULL,
    target_url TEXT NOT NULL,
    name TEXT,
    secret TEXT,
    api_version TEXT NOT NULL DEFAULT 'v5',
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    last_triggered_at TEXT,
    last_triggered_status TEXT,
    last_triggered_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhooks_event ON webhooks (event);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    -- The JSON body, with `__GHOST_URL__` standing for the site's address until it is sent.
    payload TEXT NOT NULL,
    -- `queued` (waiting, or leased by `lease_owner` until `lease_until`), `delivered`, `failed`.
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    response_status INTEGER,
    error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

CREATE TABLE webhook_delivery_attempts (
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    response_status INTEGER,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
