-- Extensions (延期申请, issue 21): a unit asks for a later deadline for a task and period with a
-- reason; the office grants it (with the day it grants) or refuses it. A granted extension is the
-- unit's deadline for that task and period: timeliness, the overdue lists and the reminders go by
-- it. At most one is granted at a time (an older grant is superseded).
CREATE TABLE extensions (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    reason       TEXT NOT NULL,
    -- The day asked for (YYYY-MM-DD, Beijing).
    asked_due    TEXT NOT NULL,
    -- pending, granted, refused or superseded
    state        TEXT NOT NULL,
    -- The day granted.
    due          TEXT,
    comment      TEXT,
    requested_by INTEGER NOT NULL REFERENCES accounts (id),
    requested_at TEXT NOT NULL,
    decided_by   INTEGER REFERENCES accounts (id),
    decided_at   TEXT
);
CREATE INDEX extensions_task ON extensions (task_id, period);
