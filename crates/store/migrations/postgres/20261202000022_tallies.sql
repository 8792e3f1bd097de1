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
    ledger_id BIGINT NOT NULL REFERENCES ledgers (id) ON DELETE CASCADE,
    period    TEXT NOT NULL,
    status    TEXT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (ledger_id, period, status)
);
INSERT INTO ledger_tallies (ledger_id, period, status, n)
    SELECT ledger_id, '', 'live', COUNT(*) FROM tasks WHERE withdrawn_at IS NULL GROUP BY ledger_id;
INSERT INTO ledger_tallies (ledger_id, period, status, n)
    SELECT t.ledger_id, p.period, COALESCE(p.status, 'pending'), COUNT(*)
    FROM progress p JOIN tasks t ON t.id = p.task_id
    WHERE t.withdrawn_at IS NULL GROUP BY 1, 2, 3;

CREATE FUNCTION tally_add(ledger BIGINT, per TEXT, st TEXT, delta BIGINT) RETURNS void AS $$
BEGIN
    IF ledger IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO ledger_tallies (ledger_id, period, status, n) VALUES (ledger, per, st, delta)
        ON CONFLICT (ledger_id, period, status) DO UPDATE SET n = ledger_tallies.n + delta;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION tallies_on_task() RETURNS trigger AS $$
DECLARE
    sign BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.withdrawn_at IS NULL THEN
            PERFORM tally_add(NEW.ledger_id, '', 'live', 1);
        END IF;
        RETURN NULL;
    END IF;
    -- UPDATE OF withdrawn_at: withdrawn, the task and its progress leave the counts; restored,
    -- they come back.
    IF OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL THEN
        sign := -1;
    ELSIF OLD.withdrawn_at IS NOT NULL AND NEW.withdrawn_at IS NULL THEN
        sign := 1;
    ELSE
        RETURN NULL;
    END IF;
    PERFORM tally_add(NEW.ledger_id, '', 'live', sign);
    PERFORM tally_add(NEW.ledger_id, p.period, COALESCE(p.status, 'pending'), sign)
        FROM progress p WHERE p.task_id = NEW.id;
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
        PERFORM tally_add(
            (SELECT t.ledger_id FROM tasks t WHERE t.id = OLD.task_id AND t.withdrawn_at IS NULL),
            OLD.period, COALESCE(OLD.status, 'pending'), -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM tally_add(
            (SELECT t.ledger_id FROM tasks t WHERE t.id = NEW.task_id AND t.withdrawn_at IS NULL),
            NEW.period, COALESCE(NEW.status, 'pending'), 1);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tallies_progress AFTER INSERT OR DELETE OR UPDATE OF task_id, period, status
    ON progress FOR EACH ROW EXECUTE FUNCTION tallies_on_progress();
