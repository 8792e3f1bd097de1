-- Reminders that reach people (issue 21): channels (a unit's mailbox or group robot, a person's
-- e-mail), the delivery log (one digest per channel per day, retried on failure), and leases so
-- that of several server processes on one database only one sends.
CREATE TABLE notify_channels (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER REFERENCES units (id) ON DELETE CASCADE,
    account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    -- email, dingtalk or wecom
    kind       TEXT NOT NULL,
    address    TEXT NOT NULL,
    -- The DingTalk robot's signing secret.
    secret     TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE deliveries (
    id         INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
    -- The Beijing day the digest is for (YYYY-MM-DD): one per channel per day.
    day        TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    -- sent or failed
    state      TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    error      TEXT,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    UNIQUE (channel_id, day)
);

CREATE TABLE leases (
    name     TEXT PRIMARY KEY,
    holder   TEXT NOT NULL,
    -- Unix seconds.
    until_at INTEGER NOT NULL
);
