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

-- The triggers are per statement, over the rows each statement changed (transition tables):
-- an import's statement of a thousand rows changes each count once. Per row, a count updated a
-- hundred thousand times in one transaction leaves as many row versions for each next update
-- to walk (an import of 100,000 tasks ran at 171 a second).

-- Tasks added live count for the ledger (their lead units are counted as they are named).
CREATE FUNCTION tallies_tasks_added() RETURNS trigger AS $$
BEGIN
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT ledger_id, 0, '', 'live', COUNT(*) FROM added WHERE withdrawn_at IS NULL
        GROUP BY ledger_id
        ON CONFLICT (ledger_id, unit_id, period, status)
        DO UPDATE SET n = ledger_tallies.n + excluded.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tallies_tasks_added AFTER INSERT ON tasks REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_tasks_added();

-- Withdrawn, a task and its progress leave the counts of the ledger and of its lead units;
-- restored, they come back.
CREATE FUNCTION tallies_tasks_changed() RETURNS trigger AS $$
BEGIN
    WITH moved AS (
        SELECT n.id, n.ledger_id, CASE WHEN n.withdrawn_at IS NULL THEN 1 ELSE -1 END AS sign
        FROM after_rows n JOIN before_rows o ON o.id = n.id
        WHERE (o.withdrawn_at IS NULL) <> (n.withdrawn_at IS NULL)
    ), units AS (
        SELECT m.id, m.ledger_id, m.sign, 0::BIGINT AS unit_id FROM moved m
        UNION ALL
        SELECT m.id, m.ledger_id, m.sign, tu.unit_id FROM moved m
        JOIN task_units tu ON tu.task_id = m.id AND tu.role = 'lead'
    ), deltas AS (
        SELECT ledger_id, unit_id, '' AS period, 'live' AS status, sign AS n FROM units
        UNION ALL
        SELECT u.ledger_id, u.unit_id, p.period, COALESCE(p.status, 'pending'), u.sign
        FROM units u JOIN progress p ON p.task_id = u.id
    )
    INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
        SELECT ledger_id, unit_id, period, status, SUM(n) FROM deltas GROUP BY 1, 2, 3, 4
        ON CONFLICT (ledger_id, unit_id, period, status)
        DO UPDATE SET n = ledger_tallies.n + excluded.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tallies_tasks_changed AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_tasks_changed();

-- The statement that counts progress rows (the transition table named `rows_name`) of live
-- tasks (sign 1) or counts them out (-1) under the ledger and the task's lead units. A transition
-- table is seen only by the trigger function's own statements: each runs what this returns.
CREATE FUNCTION tally_progress(rows_name TEXT, sign INTEGER) RETURNS TEXT AS $$
BEGIN
    RETURN format(
        $q$INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
         SELECT t.ledger_id, u.unit_id, p.period, COALESCE(p.status, 'pending'), %s * COUNT(*)
         FROM %I p JOIN tasks t ON t.id = p.task_id AND t.withdrawn_at IS NULL
         CROSS JOIN LATERAL (SELECT 0::BIGINT AS unit_id UNION ALL
             SELECT tu.unit_id FROM task_units tu
             WHERE tu.task_id = p.task_id AND tu.role = 'lead') u
         GROUP BY 1, 2, 3, 4
         ON CONFLICT (ledger_id, unit_id, period, status)
         DO UPDATE SET n = ledger_tallies.n + excluded.n$q$, sign, rows_name);
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION tallies_progress_added() RETURNS trigger AS $$
BEGIN
    EXECUTE tally_progress('added', 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION tallies_progress_removed() RETURNS trigger AS $$
BEGIN
    EXECUTE tally_progress('removed', -1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION tallies_progress_changed() RETURNS trigger AS $$
BEGIN
    EXECUTE tally_progress('before_rows', -1);
    EXECUTE tally_progress('after_rows', 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tallies_progress_added AFTER INSERT ON progress REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_progress_added();
CREATE TRIGGER tallies_progress_removed AFTER DELETE ON progress
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_progress_removed();
CREATE TRIGGER tallies_progress_changed AFTER UPDATE ON progress
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_progress_changed();

-- The statement by which lead units (the transition table `rows_name`) named on (1) or taken
-- off (-1) live tasks bring or take the task and its progress.
CREATE FUNCTION tally_leads(rows_name TEXT, sign INTEGER) RETURNS TEXT AS $$
BEGIN
    RETURN format(
        $q$INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n)
         SELECT ledger_id, unit_id, period, status, %s * SUM(n) FROM (
             SELECT t.ledger_id, l.unit_id, '' AS period, 'live' AS status, 1 AS n
             FROM %I l JOIN tasks t ON t.id = l.task_id AND t.withdrawn_at IS NULL
             WHERE l.role = 'lead'
             UNION ALL
             SELECT t.ledger_id, l.unit_id, p.period, COALESCE(p.status, 'pending'), 1
             FROM %I l JOIN tasks t ON t.id = l.task_id AND t.withdrawn_at IS NULL
             JOIN progress p ON p.task_id = l.task_id
             WHERE l.role = 'lead') d
         GROUP BY 1, 2, 3, 4
         ON CONFLICT (ledger_id, unit_id, period, status)
         DO UPDATE SET n = ledger_tallies.n + excluded.n$q$, sign, rows_name, rows_name);
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION tallies_leads_added() RETURNS trigger AS $$
BEGIN
    EXECUTE tally_leads('added', 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION tallies_leads_removed() RETURNS trigger AS $$
BEGIN
    EXECUTE tally_leads('removed', -1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION tallies_leads_changed() RETURNS trigger AS $$
BEGIN
    EXECUTE tally_leads('before_rows', -1);
    EXECUTE tally_leads('after_rows', 1);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER tallies_leads_added AFTER INSERT ON task_units REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_leads_added();
CREATE TRIGGER tallies_leads_removed AFTER DELETE ON task_units
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_leads_removed();
CREATE TRIGGER tallies_leads_changed AFTER UPDATE ON task_units
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tallies_leads_changed();
