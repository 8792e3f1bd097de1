-- Reporting on a plan (规划监测, issue 19): who reports each indicator (the data-source unit,
-- 数据来源单位) and each 专栏 project (the responsible unit, 责任单位), as the office sets it.
CREATE TABLE plan_assignments (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    subject     TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (document_id, subject, ord)
);

-- The project library (项目库): a 专栏 project's stage (前期/在建/竣工/投运) and its planned and
-- completed investment (万元), the latter two from the office and the accepted monthly reports.
ALTER TABLE projects ADD COLUMN stage TEXT;
ALTER TABLE projects ADD COLUMN planned_investment REAL;
ALTER TABLE projects ADD COLUMN actual_investment REAL;

-- Reports on a plan through the same cycle as task reports (draft → head's signed approval →
-- submit → the office accepts or returns): an indicator's value for a year or a quarter (2023,
-- 2023-Q2) from its data-source unit, a project's monthly dispatch (月调度, 2023-05) from its
-- responsible unit. Accepting writes the value into indicator_values, or the stage and the
-- investment into projects.
CREATE TABLE plan_reports (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    subject      TEXT NOT NULL,
    ord          INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    period       TEXT NOT NULL,
    state        TEXT NOT NULL,
    body         TEXT NOT NULL,
    -- an indicator's numbers, comma-separated (two series: two numbers)
    value        TEXT,
    -- a project's stage and its investment completed so far (万元)
    stage        TEXT,
    investment   REAL,
    version      INTEGER NOT NULL,
    comment      TEXT,
    updated_by   INTEGER REFERENCES accounts (id),
    updated_at   TEXT NOT NULL,
    approved_by  INTEGER REFERENCES accounts (id),
    approved_at  TEXT,
    signature    TEXT,
    signer_key   TEXT,
    submitted_at TEXT,
    accepted_at  TEXT,
    UNIQUE (document_id, subject, ord, unit_id, period)
);
CREATE INDEX plan_reports_unit ON plan_reports (unit_id, state);
