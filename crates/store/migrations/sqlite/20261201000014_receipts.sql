-- Receipts (签收, issue 21): a unit acknowledges a task assigned to it, a target round or a
-- reminder (催办); the office sees who has not.
CREATE TABLE receipts (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    -- task, round or reminder
    kind       TEXT NOT NULL,
    -- tasks.id, target_rounds.id or reminders.id
    ref_id     INTEGER NOT NULL,
    account_id INTEGER REFERENCES accounts (id),
    at         TEXT NOT NULL,
    UNIQUE (unit_id, kind, ref_id)
);
