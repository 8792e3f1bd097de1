-- The reporting cycle (issue 7): accounts and their sessions, unit reports with their workflow
-- state and signatures, reminders (催办), published notices with period locks, and the audit log.
-- Session expiry and login failures are unix seconds so that they compare as numbers.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_id       INTEGER REFERENCES units (id),
    leader_id     INTEGER REFERENCES leaders (id),
    password_hash TEXT NOT NULL,
    -- ed25519 public key (base64) of a unit head; the secret key is derived from the password
    -- when signing and never stored.
    public_key    TEXT,
    key_salt      TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_failures (
    id     INTEGER PRIMARY KEY,
    login  TEXT NOT NULL,
    client TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period      TEXT NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    state       TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- Raised on every write: a save that names an older version is a conflict.
    version     INTEGER NOT NULL,
    comment     TEXT,
    updated_by  INTEGER REFERENCES accounts (id),
    updated_at  TEXT NOT NULL,
    approved_by INTEGER REFERENCES accounts (id),
    approved_at TEXT,
    signature   TEXT,
    signer_key  TEXT,
    submitted_at TEXT,
    UNIQUE (task_id, period, unit_id)
);
CREATE INDEX reports_unit ON reports (unit_id, period);

CREATE TABLE reminders (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period     TEXT NOT NULL,
    unit_id    INTEGER REFERENCES units (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    at         TEXT NOT NULL
);
CREATE INDEX reminders_task ON reminders (task_id, period);

CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    ledger_id    INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    title        TEXT NOT NULL,
    -- The ledger JSON as published: a published notice never changes with later edits.
    sheet        TEXT NOT NULL,
    published_by INTEGER NOT NULL REFERENCES accounts (id),
    published_at TEXT NOT NULL
);
CREATE INDEX notices_ledger ON notices (ledger_id, period);

CREATE TABLE period_locks (
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    locked_by INTEGER NOT NULL REFERENCES accounts (id),
    locked_at TEXT NOT NULL,
    PRIMARY KEY (ledger_id, period)
);

-- Append-only: the triggers refuse any change or removal, whoever asks.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    account_id INTEGER,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    task_id    INTEGER,
    before     TEXT,
    after      TEXT
);
CREATE INDEX audit_log_task ON audit_log (task_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
