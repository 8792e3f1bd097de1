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
    ledger_id BIGINT NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    unit_id   BIGINT NOT NULL,
    period    TEXT NOT NULL,
    status    TEXT NOT NULL,
    n         BIGINT NOT NULL,
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

-- Adds `delta` to the counts of a task (`task`, live unless `withdrawing`: the task that is
-- being withdrawn or restored counts as it was or will be) under the whole ledger and each of
-- its lead units, or only under `unit` when given: its 'live' entry when `per` is NULL, else
-- its progress's for `per` and status `st`.
CREATE FUNCTION tally_task(task BIGINT, unit BIGINT, per TEXT, st TEXT, delta BIGINT,
                           withdrawing BOOLEAN) RETURNS void AS $$
BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT t.ledger_id, u.unit_id, COALESCE(per, ''), COALESCE(st, 'live'), delta
        FROM tasks t, (
            SELECT unit AS unit_id WHERE unit IS NOT NULL
            UNION ALL SELECT 0 WHERE unit IS NULL
            UNION ALL SELECT tu.unit_id FROM task_units tu
                WHERE unit IS NULL AND tu.task_id = task AND tu.role = 'lead') u
        WHERE t.id = task AND (withdrawing OR t.withdrawn_at IS NULL)
        ON CONFLICT (ledger_id, unit_id, period, status)
        DO UPDATE SET n = ledger_tallies.n + excluded.n;
END;
$$ LANGUAGE plpgsql;

-- Everything a task counts for — its 'live' entry and its progress — under `unit` (NULL: the
-- ledger and its lead units), times `sign`.
CREATE FUNCTION tally_whole_task(task BIGINT, unit BIGINT, sign BIGINT, withdrawing BOOLEAN)
RETURNS void AS $$
DECLARE
    p RECORD;
BEGIN
    PERFORM tally_task(task, unit, NULL, NULL, sign, withdrawing);
    FOR p IN SELECT period, COALESCE(status, 'pending') AS status FROM progress
             WHERE task_id = task LOOP
        PERFORM tally_task(task, unit, p.period, p.status, sign, withdrawing);
    END LOOP;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION tallies_on_task() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.withdrawn_at IS NULL THEN
            INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
                VALUES (NEW.ledger_id, 0, '', 'live', 1)
                ON CONFLICT (ledger_id, unit_id, period, status)
                DO UPDATE SET n = ledger_tallies.n + 1;
        END IF;
    ELSIF OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL THEN
        PERFORM tally_whole_task(NEW.id, NULL, -1, true);
    ELSIF OLD.withdrawn_at IS NOT NULL AND NEW.withdrawn_at IS NULL THEN
        PERFORM tally_whole_task(NEW.id, NULL, 1, true);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tallies_task_added AFTER INSERT ON tasks
    FOR EACH ROW EXECUTE FUNCTION tallies_on_task();
CREATE TRIGGER tallies_task_withdrawn AFTER UPDATE OF withdrawn_at ON tasks
    FOR EACH ROW EXECUTE FUNCTION tallies_on_task();

CREATE FUNCTION tallies_on_progress() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM tally_task(OLD.task_id, NULL, OLD.period, COALESCE(OLD.status, 'pending'), -1, false);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM tally_task(NEW.task_id, NULL, NEW.period, COALESCE(NEW.status, 'pending'), 1, false);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tallies_progress AFTER INSERT OR DELETE OR UPDATE OF task_id, period, status
    ON progress FOR EACH ROW EXECUTE FUNCTION tallies_on_progress();

-- A lead unit named or taken off a live task brings or takes the task and its progress.
CREATE FUNCTION tallies_on_task_unit() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.role = 'lead' THEN
        PERFORM tally_whole_task(OLD.task_id, OLD.unit_id, -1, false);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.role = 'lead' THEN
        PERFORM tally_whole_task(NEW.task_id, NEW.unit_id, 1, false);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tallies_task_units AFTER INSERT OR DELETE OR UPDATE OF task_id, unit_id, role
    ON task_units FOR EACH ROW EXECUTE FUNCTION tallies_on_task_unit();
