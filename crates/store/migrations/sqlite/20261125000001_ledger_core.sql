-- duban ledger core (SQLite). Times are RFC 3339 TEXT, periods their text form (2023-08, 2020-Q3).
CREATE TABLE duban_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO duban_meta (key, value) VALUES ('application', 'duban');

CREATE TABLE units (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL
);

CREATE TABLE unit_aliases (
    alias   TEXT PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE
);
CREATE INDEX unit_aliases_unit ON unit_aliases (unit_id);

CREATE TABLE leaders (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    date        TEXT,
    source      TEXT NOT NULL,
    body        TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

CREATE TABLE passages (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    headings    TEXT NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    body        TEXT NOT NULL,
    UNIQUE (document_id, ord)
);

CREATE TABLE ledgers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    year          INTEGER NOT NULL,
    cadence       TEXT NOT NULL,
    deadline_days INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE tasks (
    id         INTEGER PRIMARY KEY,
    ledger_id  INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    goal       TEXT NOT NULL,
    passage_id INTEGER REFERENCES passages (id) ON DELETE SET NULL,
    UNIQUE (ledger_id, seq)
);

CREATE TABLE task_leaders (
    task_id   INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    leader_id INTEGER NOT NULL REFERENCES leaders (id),
    ord       INTEGER NOT NULL,
    PRIMARY KEY (task_id, leader_id)
);
CREATE INDEX task_leaders_leader ON task_leaders (leader_id);

CREATE TABLE task_units (
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    role    TEXT NOT NULL,
    ord     INTEGER NOT NULL,
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit ON task_units (unit_id);

CREATE TABLE milestones (
    task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period  TEXT NOT NULL,
    target  TEXT NOT NULL,
    PRIMARY KEY (task_id, period)
);

-- status is NULL while a text has come in that nobody has judged yet.
CREATE TABLE progress (
    task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    period       TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       TEXT,
    submitted_by TEXT,
    submitted_at TEXT,
    PRIMARY KEY (task_id, period)
);
