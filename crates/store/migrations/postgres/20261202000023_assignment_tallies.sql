-- Assignments kept counted (issue 22): per ledger and unit (any role), its live tasks and how
-- many of them the unit has acknowledged (签收). The office's dashboard shows, unit by unit, the
-- assignments not acknowledged (the difference), and the ledger table filtered by a unit counts
-- its tasks, from a few rows per ledger instead of every assignment read. Kept by triggers on
-- task_units (an assignment made, removed or moved), tasks (withdrawn, restored) and receipts (a
-- task receipt given or taken back), per statement over the rows it changed, as the ledger
-- tallies are.
CREATE TABLE assignment_tallies (
    ledger_id BIGINT NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    unit_id   BIGINT NOT NULL,
    assigned  BIGINT NOT NULL,
    received  BIGINT NOT NULL,
    PRIMARY KEY (ledger_id, unit_id)
);
INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
    SELECT t.ledger_id, tu.unit_id, COUNT(*), COUNT(x.id)
    FROM task_units tu JOIN tasks t ON t.id = tu.task_id
    LEFT JOIN receipts x ON x.unit_id = tu.unit_id AND x.kind = 'task' AND x.ref_id = tu.task_id
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2;

-- The statement by which assignments (the transition table `rows_name`) made on (1) or taken off
-- (-1) live tasks are counted, with the unit's receipt where it has one.
CREATE FUNCTION tally_assignments(rows_name TEXT, sign INTEGER) RETURNS TEXT AS $$
BEGIN
    RETURN format(
        $q$INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
         SELECT t.ledger_id, a.unit_id, %s * COUNT(*), %s * COUNT(x.id)
         FROM %I a JOIN tasks t ON t.id = a.task_id AND t.withdrawn_at IS NULL
         LEFT JOIN receipts x ON x.unit_id = a.unit_id AND x.kind = 'task' AND x.ref_id = a.task_id
         GROUP BY 1, 2
         ON CONFLICT (ledger_id, unit_id) DO UPDATE
         SET assigned = assignment_tallies.assigned + excluded.assigned,
             received = assignment_tallies.received + excluded.received$q$, sign, sign, rows_name);
END;
$$ LANGUAGE plpgsql;

-- One function for the three triggers: each names its transition tables for what it sees.
CREATE FUNCTION assignment_tallies_assignments() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE tally_assignments(CASE TG_OP WHEN 'DELETE' THEN 'removed' ELSE 'before_rows' END, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE tally_assignments(CASE TG_OP WHEN 'INSERT' THEN 'added' ELSE 'after_rows' END, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assignment_tallies_assigned AFTER INSERT ON task_units
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION assignment_tallies_assignments();
CREATE TRIGGER assignment_tallies_unassigned AFTER DELETE ON task_units
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION assignment_tallies_assignments();
CREATE TRIGGER assignment_tallies_moved AFTER UPDATE ON task_units
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION assignment_tallies_assignments();

-- A withdrawn task's assignments are no longer waited for; restored, they are again.
CREATE FUNCTION assignment_tallies_tasks_changed() RETURNS trigger AS $$
BEGIN
    WITH moved AS (
        SELECT n.id, n.ledger_id, CASE WHEN n.withdrawn_at IS NULL THEN 1 ELSE -1 END AS sign
        FROM after_rows n JOIN before_rows o ON o.id = n.id
        WHERE (o.withdrawn_at IS NULL) <> (n.withdrawn_at IS NULL)
    )
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT m.ledger_id, tu.unit_id, SUM(m.sign),
               SUM(CASE WHEN x.id IS NULL THEN 0 ELSE m.sign END)
        FROM moved m JOIN task_units tu ON tu.task_id = m.id
        LEFT JOIN receipts x ON x.unit_id = tu.unit_id AND x.kind = 'task' AND x.ref_id = m.id
        GROUP BY 1, 2
        ON CONFLICT (ledger_id, unit_id) DO UPDATE
        SET assigned = assignment_tallies.assigned + excluded.assigned,
            received = assignment_tallies.received + excluded.received;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assignment_tallies_tasks_changed AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION assignment_tallies_tasks_changed();

-- Task receipts given (1) or taken back (-1) on live assignments.
CREATE FUNCTION tally_receipts(rows_name TEXT, sign INTEGER) RETURNS TEXT AS $$
BEGIN
    RETURN format(
        $q$INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
         SELECT t.ledger_id, r.unit_id, 0, %s * COUNT(*)
         FROM %I r JOIN task_units tu ON tu.task_id = r.ref_id AND tu.unit_id = r.unit_id
         JOIN tasks t ON t.id = tu.task_id AND t.withdrawn_at IS NULL
         WHERE r.kind = 'task'
         GROUP BY 1, 2
         ON CONFLICT (ledger_id, unit_id) DO UPDATE
         SET received = assignment_tallies.received + excluded.received$q$, sign, rows_name);
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION assignment_tallies_receipts() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE tally_receipts('added', 1);
    ELSE
        EXECUTE tally_receipts('removed', -1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assignment_tallies_received AFTER INSERT ON receipts
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION assignment_tallies_receipts();
CREATE TRIGGER assignment_tallies_unreceived AFTER DELETE ON receipts
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION assignment_tallies_receipts();

-- An import that adds thousands of tasks defers the counts (SET LOCAL duban.defer_tallies) and
-- counts its ledger afresh before it commits: per statement, each count of the ledger changes
-- once a batch, and in one transaction every change leaves a row version the next one walks —
-- the thousandth batch of a million-task import walked a thousand. The ledger tallies' triggers
-- (migration 22) are made to wait on the same setting.
DROP TRIGGER tallies_tasks_added ON tasks;
CREATE TRIGGER tallies_tasks_added AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_tasks_added();
DROP TRIGGER tallies_tasks_changed ON tasks;
CREATE TRIGGER tallies_tasks_changed AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_tasks_changed();
DROP TRIGGER tallies_progress_added ON progress;
CREATE TRIGGER tallies_progress_added AFTER INSERT ON progress
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_progress_added();
DROP TRIGGER tallies_progress_removed ON progress;
CREATE TRIGGER tallies_progress_removed AFTER DELETE ON progress
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_progress_removed();
DROP TRIGGER tallies_progress_changed ON progress;
CREATE TRIGGER tallies_progress_changed AFTER UPDATE ON progress
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_progress_changed();
DROP TRIGGER tallies_leads_added ON task_units;
CREATE TRIGGER tallies_leads_added AFTER INSERT ON task_units
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_leads_added();
DROP TRIGGER tallies_leads_removed ON task_units;
CREATE TRIGGER tallies_leads_removed AFTER DELETE ON task_units
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_leads_removed();
DROP TRIGGER tallies_leads_changed ON task_units;
CREATE TRIGGER tallies_leads_changed AFTER UPDATE ON task_units
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION tallies_leads_changed();

-- Per ledger and leader, the live tasks the leader is named on: the ledger page's choice of
-- leaders from a few rows instead of every assignment of the ledger.
CREATE TABLE leader_tallies (
    ledger_id BIGINT NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    leader_id BIGINT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (ledger_id, leader_id)
);
INSERT INTO leader_tallies (ledger_id, leader_id, n)
    SELECT t.ledger_id, tl.leader_id, COUNT(*)
    FROM task_leaders tl JOIN tasks t ON t.id = tl.task_id
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2;
CREATE FUNCTION tally_named_leaders(rows_name TEXT, sign INTEGER) RETURNS TEXT AS $$
BEGIN
    RETURN format(
        $q$INSERT INTO leader_tallies (ledger_id, leader_id, n)
         SELECT t.ledger_id, a.leader_id, %s * COUNT(*)
         FROM %I a JOIN tasks t ON t.id = a.task_id AND t.withdrawn_at IS NULL
         GROUP BY 1, 2
         ON CONFLICT (ledger_id, leader_id) DO UPDATE
         SET n = leader_tallies.n + excluded.n$q$, sign, rows_name);
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION leader_tallies_named() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE tally_named_leaders(CASE TG_OP WHEN 'DELETE' THEN 'removed' ELSE 'before_rows' END, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE tally_named_leaders(CASE TG_OP WHEN 'INSERT' THEN 'added' ELSE 'after_rows' END, 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER leader_tallies_named AFTER INSERT ON task_leaders
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION leader_tallies_named();
CREATE TRIGGER leader_tallies_unnamed AFTER DELETE ON task_leaders
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION leader_tallies_named();
CREATE TRIGGER leader_tallies_moved AFTER UPDATE ON task_leaders
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION leader_tallies_named();
CREATE FUNCTION leader_tallies_tasks_changed() RETURNS trigger AS $$
BEGIN
    WITH moved AS (
        SELECT n.id, n.ledger_id, CASE WHEN n.withdrawn_at IS NULL THEN 1 ELSE -1 END AS sign
        FROM after_rows n JOIN before_rows o ON o.id = n.id
        WHERE (o.withdrawn_at IS NULL) <> (n.withdrawn_at IS NULL)
    )
    INSERT INTO leader_tallies (ledger_id, leader_id, n)
        SELECT m.ledger_id, tl.leader_id, SUM(m.sign)
        FROM moved m JOIN task_leaders tl ON tl.task_id = m.id
        GROUP BY 1, 2
        ON CONFLICT (ledger_id, leader_id) DO UPDATE SET n = leader_tallies.n + excluded.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER leader_tallies_tasks_changed AFTER UPDATE ON tasks
    REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
    FOR EACH STATEMENT WHEN (current_setting('duban.defer_tallies', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION leader_tallies_tasks_changed();
