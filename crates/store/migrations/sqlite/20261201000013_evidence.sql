-- Evidence (证明材料, issue 21): files attached to a unit's report or target — the scanned signed
-- and sealed paper, photos, PDFs, Word files. Each file is stored once by its SHA-256, as base64
-- text so that backups carry it like any other row.
CREATE TABLE blobs (
    hash       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE attachments (
    id       INTEGER PRIMARY KEY,
    -- progress or target: which of the unit's reports it belongs to
    kind     TEXT NOT NULL,
    task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period   TEXT NOT NULL,
    unit_id  INTEGER NOT NULL REFERENCES units (id),
    hash     TEXT NOT NULL REFERENCES blobs (hash),
    name     TEXT NOT NULL,
    added_by INTEGER REFERENCES accounts (id),
    added_at TEXT NOT NULL
);
CREATE INDEX attachments_task ON attachments (task_id, period);
