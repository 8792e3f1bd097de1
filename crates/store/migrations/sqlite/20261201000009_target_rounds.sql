-- Target rounds (目标分解, issue 17): the office opens a round for some periods of a ledger; each
-- unit of a task drafts its target for each period, the head approves it with a signature and
-- submits it, the office accepts it (the lead unit's text becomes the task's milestone) or
-- returns it. The same cycle and columns as `reports`, kept apart so that the counts of progress
-- never include a target.
CREATE TABLE target_rounds (
    id        INTEGER PRIMARY KEY,
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    -- The last day (Beijing, YYYY-MM-DD) the units have to submit.
    due       TEXT NOT NULL,
    opened_by INTEGER NOT NULL REFERENCES accounts (id),
    opened_at TEXT NOT NULL,
    UNIQUE (ledger_id, period)
);

CREATE TABLE target_reports (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    state        TEXT NOT NULL,
    body         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    comment      TEXT,
    updated_by   INTEGER REFERENCES accounts (id),
    updated_at   TEXT NOT NULL,
    approved_by  INTEGER REFERENCES accounts (id),
    approved_at  TEXT,
    signature    TEXT,
    signer_key   TEXT,
    submitted_at TEXT,
    UNIQUE (task_id, period, unit_id)
);
CREATE INDEX target_reports_unit ON target_reports (unit_id, period);
