-- A fast import (issue 22): every index is written by every row an import adds. These two are
-- the leading columns of task_units_unit_task and task_leaders_leader_task, which serve every
-- read they served.
DROP INDEX task_units_unit;
DROP INDEX task_leaders_leader;

-- How a ledger's live tasks stand, kept by the statements that change them (triggers, so every
-- writer — import, an accepted report, a withdrawal, a restore — keeps them): the live tasks
-- (period '', status 'live') and, per period, those with progress by status ('pending' for a
-- text not judged yet). 未报送 is the live tasks less those with progress. Tasks are never
-- deleted (they are withdrawn); a ledger's deletion takes its tallies with it.
CREATE TABLE ledger_tallies (
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    status    TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (ledger_id, period, status)
);
INSERT INTO ledger_tallies (ledger_id, period, status, n)
    SELECT ledger_id, '', 'live', COUNT(*) FROM tasks WHERE withdrawn_at IS NULL GROUP BY ledger_id;
INSERT INTO ledger_tallies (ledger_id, period, status, n)
    SELECT t.ledger_id, p.period, COALESCE(p.status, 'pending'), COUNT(*)
    FROM progress p JOIN tasks t ON t.id = p.task_id
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2, 3;

CREATE TRIGGER tallies_task_added AFTER INSERT ON tasks WHEN new.withdrawn_at IS NULL BEGIN
    INSERT INTO ledger_tallies (ledger_id, period, status, n) VALUES (new.ledger_id, '', 'live', 1)
        ON CONFLICT (ledger_id, period, status) DO UPDATE SET n = n + 1;
END;

-- Withdrawn: the task and its progress leave the counts; restored: they come back.
CREATE TRIGGER tallies_task_withdrawn AFTER UPDATE OF withdrawn_at ON tasks
WHEN old.withdrawn_at IS NULL AND new.withdrawn_at IS NOT NULL BEGIN
    UPDATE ledger_tallies SET n = n - 1
        WHERE ledger_id = old.ledger_id AND period = '' AND status = 'live';
    UPDATE ledger_tallies SET n = n - (SELECT COUNT(*) FROM progress p WHERE p.task_id = old.id
            AND p.period = ledger_tallies.period AND COALESCE(p.status, 'pending') = ledger_tallies.status)
        WHERE ledger_id = old.ledger_id AND period <> '';
END;
CREATE TRIGGER tallies_task_restored AFTER UPDATE OF withdrawn_at ON tasks
WHEN old.withdrawn_at IS NOT NULL AND new.withdrawn_at IS NULL BEGIN
    INSERT INTO ledger_tallies (ledger_id, period, status, n) VALUES (new.ledger_id, '', 'live', 1)
        ON CONFLICT (ledger_id, period, status) DO UPDATE SET n = n + 1;
    INSERT INTO ledger_tallies (ledger_id, period, status, n)
        SELECT new.ledger_id, p.period, COALESCE(p.status, 'pending'), 1 FROM progress p
        WHERE p.task_id = new.id AND true
        ON CONFLICT (ledger_id, period, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tallies_progress_added AFTER INSERT ON progress BEGIN
    INSERT INTO ledger_tallies (ledger_id, period, status, n)
        SELECT t.ledger_id, new.period, COALESCE(new.status, 'pending'), 1 FROM tasks t
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, period, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER tallies_progress_removed AFTER DELETE ON progress BEGIN
    UPDATE ledger_tallies SET n = n - 1
        WHERE ledger_id = (SELECT t.ledger_id FROM tasks t WHERE t.id = old.task_id AND t.withdrawn_at IS NULL)
          AND period = old.period AND status = COALESCE(old.status, 'pending');
END;
CREATE TRIGGER tallies_progress_changed AFTER UPDATE OF task_id, period, status ON progress BEGIN
    UPDATE ledger_tallies SET n = n - 1
        WHERE ledger_id = (SELECT t.ledger_id FROM tasks t WHERE t.id = old.task_id AND t.withdrawn_at IS NULL)
          AND period = old.period AND status = COALESCE(old.status, 'pending');
    INSERT INTO ledger_tallies (ledger_id, period, status, n)
        SELECT t.ledger_id, new.period, COALESCE(new.status, 'pending'), 1 FROM tasks t
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, period, status) DO UPDATE SET n = n + 1;
END;
