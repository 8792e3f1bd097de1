-- A fast import (issue 22): every index is written by every row an import adds. These two are
-- the leading columns of task_units_unit_task and task_leaders_leader_task, which serve every
-- read they served.
DROP INDEX task_units_unit;
DROP INDEX task_leaders_leader;

-- How a ledger's live tasks stand, kept by the statements that change them (triggers, so every
-- writer — import, an accepted report, a withdrawal, a reassignment, a restore — keeps them):
-- for the whole ledger (unit_id 0, each task once) and for each lead unit, the live tasks
-- (period '', status 'live') and, per period, those with progress by status ('pending' for a
-- text not judged yet). 未报送 is the live tasks less those with progress. Tasks are never
-- deleted (they are withdrawn); a ledger's deletion takes its tallies with it.
CREATE TABLE ledger_tallies (
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    unit_id   INTEGER NOT NULL,
    period    TEXT NOT NULL,
    status    TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (ledger_id, unit_id, period, status)
);
INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
    SELECT ledger_id, 0, '', 'live', COUNT(*) FROM tasks WHERE withdrawn_at IS NULL GROUP BY ledger_id;
INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
    SELECT t.ledger_id, 0, p.period, COALESCE(p.status, 'pending'), COUNT(*)
    FROM progress p JOIN tasks t ON t.id = p.task_id
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2, 3, 4;
INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
    SELECT t.ledger_id, tu.unit_id, '', 'live', COUNT(*)
    FROM task_units tu JOIN tasks t ON t.id = tu.task_id
    WHERE tu.role = 'lead' AND t.withdrawn_at IS NULL GROUP BY 1, 2;
INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
    SELECT t.ledger_id, tu.unit_id, p.period, COALESCE(p.status, 'pending'), COUNT(*)
    FROM progress p JOIN tasks t ON t.id = p.task_id
    JOIN task_units tu ON tu.task_id = t.id AND tu.role = 'lead'
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2, 3, 4;
-- The submitted reports of a period, for the dashboard's on time / late columns.
CREATE INDEX reports_period ON reports (period, submitted_at);

CREATE TRIGGER tallies_task_added AFTER INSERT ON tasks WHEN new.withdrawn_at IS NULL BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        VALUES (new.ledger_id, 0, '', 'live', 1)
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;

-- Withdrawn, the task and its progress leave the counts of the ledger and of its lead units;
-- restored, they come back.
CREATE TRIGGER tallies_task_withdrawn AFTER UPDATE OF withdrawn_at ON tasks
WHEN (old.withdrawn_at IS NULL) <> (new.withdrawn_at IS NULL) BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT new.ledger_id, u.unit_id, '', 'live',
               CASE WHEN new.withdrawn_at IS NULL THEN 1 ELSE -1 END
        FROM (SELECT 0 AS unit_id UNION ALL
              SELECT unit_id FROM task_units WHERE task_id = new.id AND role = 'lead') u
        WHERE true
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT new.ledger_id, u.unit_id, p.period, COALESCE(p.status, 'pending'),
               CASE WHEN new.withdrawn_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
        FROM (SELECT 0 AS unit_id UNION ALL
              SELECT unit_id FROM task_units WHERE task_id = new.id AND role = 'lead') u,
             progress p
        WHERE p.task_id = new.id GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER tallies_progress_added AFTER INSERT ON progress BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, u.unit_id, new.period, COALESCE(new.status, 'pending'), 1
        FROM tasks t, (SELECT 0 AS unit_id UNION ALL
              SELECT unit_id FROM task_units WHERE task_id = new.task_id AND role = 'lead') u
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tallies_progress_removed AFTER DELETE ON progress BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, u.unit_id, old.period, COALESCE(old.status, 'pending'), -1
        FROM tasks t, (SELECT 0 AS unit_id UNION ALL
              SELECT unit_id FROM task_units WHERE task_id = old.task_id AND role = 'lead') u
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tallies_progress_changed AFTER UPDATE OF task_id, period, status ON progress BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, u.unit_id, old.period, COALESCE(old.status, 'pending'), -1
        FROM tasks t, (SELECT 0 AS unit_id UNION ALL
              SELECT unit_id FROM task_units WHERE task_id = old.task_id AND role = 'lead') u
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, u.unit_id, new.period, COALESCE(new.status, 'pending'), 1
        FROM tasks t, (SELECT 0 AS unit_id UNION ALL
              SELECT unit_id FROM task_units WHERE task_id = new.task_id AND role = 'lead') u
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;

-- A lead unit named or taken off a live task brings or takes the task and its progress.
CREATE TRIGGER tallies_lead_added AFTER INSERT ON task_units WHEN new.role = 'lead' BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, new.unit_id, '', 'live', 1 FROM tasks t
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, new.unit_id, p.period, COALESCE(p.status, 'pending'), COUNT(*)
        FROM tasks t, progress p
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL AND p.task_id = t.id
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tallies_lead_removed AFTER DELETE ON task_units WHEN old.role = 'lead' BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, old.unit_id, '', 'live', -1 FROM tasks t
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, old.unit_id, p.period, COALESCE(p.status, 'pending'), -COUNT(*)
        FROM tasks t, progress p
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL AND p.task_id = t.id
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tallies_lead_left AFTER UPDATE OF task_id, unit_id, role ON task_units
WHEN old.role = 'lead' BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, old.unit_id, '', 'live', -1 FROM tasks t
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, old.unit_id, p.period, COALESCE(p.status, 'pending'), -COUNT(*)
        FROM tasks t, progress p
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL AND p.task_id = t.id
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tallies_lead_joined AFTER UPDATE OF task_id, unit_id, role ON task_units
WHEN new.role = 'lead' BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, new.unit_id, '', 'live', 1 FROM tasks t
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, new.unit_id, p.period, COALESCE(p.status, 'pending'), COUNT(*)
        FROM tasks t, progress p
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL AND p.task_id = t.id
        GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, unit_id, period, status) DO UPDATE SET n = n + excluded.n;
END;
