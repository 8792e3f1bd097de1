-- The year's assessment (考核结果) as published: the scores of a ledger's units with every point's
-- reason, frozen as JSON the day the office publishes it, open to everyone like a notice.
CREATE TABLE assessments (
    id           INTEGER PRIMARY KEY,
    ledger_id    INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    published_by INTEGER NOT NULL REFERENCES accounts (id),
    published_at TEXT NOT NULL
);
CREATE INDEX assessments_ledger ON assessments (ledger_id);
