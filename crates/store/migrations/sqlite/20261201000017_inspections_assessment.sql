-- Inspections, rectification and the units' assessment (issue 20).
-- An inspection (督查: 实地暗访、联合督查、电视通报) of a ledger's tasks, and its findings per task
-- and unit. Each finding is also its unit's rectification item (整改): the unit's report on it goes
-- through the same cycle as progress reports (draft → the head's signed approval → submitted), and
-- the office closes it (accepted: 销号) or returns it. A finding may lower its task's verdict for a
-- period.
CREATE TABLE inspections (
    id         INTEGER PRIMARY KEY,
    ledger_id  INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    day        TEXT NOT NULL,
    team       TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_by INTEGER REFERENCES accounts (id),
    created_at TEXT NOT NULL
);
CREATE INDEX inspections_ledger ON inspections (ledger_id, day);

CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    task_id       INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    body          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    -- the period whose verdict the finding lowers a step, if any
    lowers_period TEXT,
    -- the rectification's deadline (YYYY-MM-DD), in working days from the inspection
    due           TEXT NOT NULL,
    -- the rectification report: NULL state until the unit first saves it
    state         TEXT,
    report        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    comment       TEXT,
    updated_by    INTEGER REFERENCES accounts (id),
    updated_at    TEXT,
    approved_by   INTEGER REFERENCES accounts (id),
    approved_at   TEXT,
    signature     TEXT,
    signer_key    TEXT,
    submitted_at  TEXT,
    closed_at     TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX findings_task ON findings (task_id);
CREATE INDEX findings_unit ON findings (unit_id, state);

-- Files on a finding, stored once in blobs: the office's (photos of what was found) and the unit's
-- (evidence of the rectification, signed with its report).
CREATE TABLE finding_files (
    id         INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL REFERENCES blobs (hash),
    name       TEXT NOT NULL,
    -- office or unit
    side       TEXT NOT NULL,
    added_by   INTEGER REFERENCES accounts (id),
    added_at   TEXT NOT NULL
);
CREATE INDEX finding_files_finding ON finding_files (finding_id);

-- Leaders' qualitative ratings of units for a ledger's year (定性评价), one per leader and unit.
CREATE TABLE ratings (
    ledger_id  INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    rating     TEXT NOT NULL,
    note       TEXT NOT NULL,
    rated_at   TEXT NOT NULL,
    PRIMARY KEY (ledger_id, unit_id, account_id)
);

-- The assessment scheme of a ledger's year (考核方案), as the office wrote it (JSON).
CREATE TABLE schemes (
    ledger_id  INTEGER PRIMARY KEY REFERENCES ledgers (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_by INTEGER REFERENCES accounts (id),
    updated_at TEXT NOT NULL
);
