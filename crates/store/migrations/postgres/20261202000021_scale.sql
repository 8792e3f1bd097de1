-- Reads that do not grow with the ledger (issue 22).
-- The periods a ledger has targets or progress for, kept by the statements that write them, so
-- that every page's period choice reads a few rows instead of every milestone and progress row.
CREATE TABLE ledger_periods (
    ledger_id BIGINT NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    PRIMARY KEY (ledger_id, period)
);
INSERT INTO ledger_periods (ledger_id, period)
    SELECT t.ledger_id, m.period FROM milestones m JOIN tasks t ON t.id = m.task_id
    UNION SELECT t.ledger_id, p.period FROM progress p JOIN tasks t ON t.id = p.task_id;
-- The lead unit of a task without reading its support units' rows (covering: task, role, unit).
CREATE INDEX task_units_role ON task_units (task_id, role, unit_id);
-- A ledger's tasks in the scope of counts (withdrawn ones left out) from the index alone.
CREATE INDEX tasks_ledger_live ON tasks (ledger_id, withdrawn_at, seq);
-- A unit's and a leader's tasks from the index alone (the ledger page's filter choices).
CREATE INDEX task_units_unit_task ON task_units (unit_id, task_id);
CREATE INDEX task_leaders_leader_task ON task_leaders (leader_id, task_id);
