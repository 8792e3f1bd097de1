-- Assignments kept counted (issue 22): per ledger and unit (any role), its live tasks and how
-- many of them the unit has acknowledged (签收). The office's dashboard shows, unit by unit, the
-- assignments not acknowledged (the difference), and the ledger table filtered by a unit counts
-- its tasks, from a few rows per ledger instead of every assignment read. Kept by triggers on
-- task_units (an assignment made, removed or moved), tasks (withdrawn, restored) and receipts (a
-- task receipt given or taken back), so every writer keeps them.
CREATE TABLE assignment_tallies (
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    unit_id   INTEGER NOT NULL,
    assigned  INTEGER NOT NULL,
    received  INTEGER NOT NULL,
    PRIMARY KEY (ledger_id, unit_id)
);
INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
    SELECT t.ledger_id, tu.unit_id, COUNT(*), COUNT(x.id)
    FROM task_units tu JOIN tasks t ON t.id = tu.task_id
    LEFT JOIN receipts x ON x.unit_id = tu.unit_id AND x.kind = 'task' AND x.ref_id = tu.task_id
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2;

CREATE TRIGGER assignment_tallies_assigned AFTER INSERT ON task_units BEGIN
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT t.ledger_id, new.unit_id, 1, EXISTS (SELECT 1 FROM receipts x
            WHERE x.unit_id = new.unit_id AND x.kind = 'task' AND x.ref_id = new.task_id)
        FROM tasks t WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id) DO UPDATE
        SET assigned = assigned + excluded.assigned, received = received + excluded.received;
END;
CREATE TRIGGER assignment_tallies_unassigned AFTER DELETE ON task_units BEGIN
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT t.ledger_id, old.unit_id, -1, -EXISTS (SELECT 1 FROM receipts x
            WHERE x.unit_id = old.unit_id AND x.kind = 'task' AND x.ref_id = old.task_id)
        FROM tasks t WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id) DO UPDATE
        SET assigned = assigned + excluded.assigned, received = received + excluded.received;
END;
-- A unit merged into another moves its assignments.
CREATE TRIGGER assignment_tallies_moved AFTER UPDATE OF task_id, unit_id ON task_units BEGIN
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT t.ledger_id, old.unit_id, -1, -EXISTS (SELECT 1 FROM receipts x
            WHERE x.unit_id = old.unit_id AND x.kind = 'task' AND x.ref_id = old.task_id)
        FROM tasks t WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id) DO UPDATE
        SET assigned = assigned + excluded.assigned, received = received + excluded.received;
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT t.ledger_id, new.unit_id, 1, EXISTS (SELECT 1 FROM receipts x
            WHERE x.unit_id = new.unit_id AND x.kind = 'task' AND x.ref_id = new.task_id)
        FROM tasks t WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id) DO UPDATE
        SET assigned = assigned + excluded.assigned, received = received + excluded.received;
END;

-- A withdrawn task's assignments are no longer waited for; restored, they are again.
CREATE TRIGGER assignment_tallies_task_withdrawn AFTER UPDATE OF withdrawn_at ON tasks
WHEN (old.withdrawn_at IS NULL) <> (new.withdrawn_at IS NULL) BEGIN
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT new.ledger_id, tu.unit_id, s.sign, s.sign * EXISTS (SELECT 1 FROM receipts x
            WHERE x.unit_id = tu.unit_id AND x.kind = 'task' AND x.ref_id = new.id)
        FROM task_units tu,
             (SELECT CASE WHEN new.withdrawn_at IS NULL THEN 1 ELSE -1 END AS sign) s
        WHERE tu.task_id = new.id
        ON CONFLICT (ledger_id, unit_id) DO UPDATE
        SET assigned = assigned + excluded.assigned, received = received + excluded.received;
END;

CREATE TRIGGER assignment_tallies_received AFTER INSERT ON receipts WHEN new.kind = 'task' BEGIN
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT t.ledger_id, new.unit_id, 0, 1
        FROM task_units tu JOIN tasks t ON t.id = tu.task_id
        WHERE tu.task_id = new.ref_id AND tu.unit_id = new.unit_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id) DO UPDATE SET received = received + excluded.received;
END;
CREATE TRIGGER assignment_tallies_unreceived AFTER DELETE ON receipts WHEN old.kind = 'task' BEGIN
    INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received)
        SELECT t.ledger_id, old.unit_id, 0, -1
        FROM task_units tu JOIN tasks t ON t.id = tu.task_id
        WHERE tu.task_id = old.ref_id AND tu.unit_id = old.unit_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, unit_id) DO UPDATE SET received = received + excluded.received;
END;

-- Per ledger and leader, the live tasks the leader is named on: the ledger page's choice of
-- leaders from a few rows instead of every assignment of the ledger.
CREATE TABLE leader_tallies (
    ledger_id INTEGER NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    leader_id INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (ledger_id, leader_id)
);
INSERT INTO leader_tallies (ledger_id, leader_id, n)
    SELECT t.ledger_id, tl.leader_id, COUNT(*)
    FROM task_leaders tl JOIN tasks t ON t.id = tl.task_id
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2;
CREATE TRIGGER leader_tallies_named AFTER INSERT ON task_leaders BEGIN
    INSERT INTO leader_tallies (ledger_id, leader_id, n)
        SELECT t.ledger_id, new.leader_id, 1 FROM tasks t
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, leader_id) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER leader_tallies_unnamed AFTER DELETE ON task_leaders BEGIN
    INSERT INTO leader_tallies (ledger_id, leader_id, n)
        SELECT t.ledger_id, old.leader_id, -1 FROM tasks t
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, leader_id) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER leader_tallies_moved AFTER UPDATE OF task_id, leader_id ON task_leaders BEGIN
    INSERT INTO leader_tallies (ledger_id, leader_id, n)
        SELECT t.ledger_id, old.leader_id, -1 FROM tasks t
        WHERE t.id = old.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, leader_id) DO UPDATE SET n = n + excluded.n;
    INSERT INTO leader_tallies (ledger_id, leader_id, n)
        SELECT t.ledger_id, new.leader_id, 1 FROM tasks t
        WHERE t.id = new.task_id AND t.withdrawn_at IS NULL
        ON CONFLICT (ledger_id, leader_id) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER leader_tallies_task_withdrawn AFTER UPDATE OF withdrawn_at ON tasks
WHEN (old.withdrawn_at IS NULL) <> (new.withdrawn_at IS NULL) BEGIN
    INSERT INTO leader_tallies (ledger_id, leader_id, n)
        SELECT new.ledger_id, tl.leader_id, CASE WHEN new.withdrawn_at IS NULL THEN 1 ELSE -1 END
        FROM task_leaders tl WHERE tl.task_id = new.id
        ON CONFLICT (ledger_id, leader_id) DO UPDATE SET n = n + excluded.n;
END;
