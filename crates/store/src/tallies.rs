//! The kept counts of a ledger (`ledger_tallies`, `assignment_tallies`, `leader_tallies`) counted afresh from its
//! tasks — what their triggers keep, row by row or statement by statement, in one pass. An
//! import that adds thousands of tasks on PostgreSQL defers the triggers and calls this before
//! it commits (see migration 23).

use sqlx::AnyConnection;

use crate::Result;

/// The statements that count one ledger (`$1`) afresh, in order: the same aggregates the
/// migrations backfilled the counts with, for one ledger.
const RECOUNT: [&str; 9] = [
    "DELETE FROM ledger_tallies WHERE ledger_id = $1",
    "INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n) \
     SELECT ledger_id, 0, '', 'live', COUNT(*) FROM tasks \
     WHERE ledger_id = $1 AND withdrawn_at IS NULL GROUP BY ledger_id",
    "INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n) \
     SELECT t.ledger_id, 0, p.period, COALESCE(p.status, 'pending'), COUNT(*) \
     FROM progress p JOIN tasks t ON t.id = p.task_id \
     WHERE t.ledger_id = $1 AND t.withdrawn_at IS NULL GROUP BY 1, 2, 3, 4",
    "INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n) \
     SELECT t.ledger_id, tu.unit_id, '', 'live', COUNT(*) \
     FROM task_units tu JOIN tasks t ON t.id = tu.task_id \
     WHERE t.ledger_id = $1 AND tu.role = 'lead' AND t.withdrawn_at IS NULL GROUP BY 1, 2",
    "INSERT INTO ledger_tallies (ledger_id, unit_id, period, status, n) \
     SELECT t.ledger_id, tu.unit_id, p.period, COALESCE(p.status, 'pending'), COUNT(*) \
     FROM progress p JOIN tasks t ON t.id = p.task_id \
     JOIN task_units tu ON tu.task_id = t.id AND tu.role = 'lead' \
     WHERE t.ledger_id = $1 AND t.withdrawn_at IS NULL GROUP BY 1, 2, 3, 4",
    "DELETE FROM assignment_tallies WHERE ledger_id = $1",
    "INSERT INTO assignment_tallies (ledger_id, unit_id, assigned, received) \
     SELECT t.ledger_id, tu.unit_id, COUNT(*), COUNT(x.id) \
     FROM task_units tu JOIN tasks t ON t.id = tu.task_id \
     LEFT JOIN receipts x ON x.unit_id = tu.unit_id AND x.kind = 'task' AND x.ref_id = tu.task_id \
     WHERE t.ledger_id = $1 AND t.withdrawn_at IS NULL GROUP BY 1, 2",
    "DELETE FROM leader_tallies WHERE ledger_id = $1",
    "INSERT INTO leader_tallies (ledger_id, leader_id, n) \
     SELECT t.ledger_id, tl.leader_id, COUNT(*) \
     FROM task_leaders tl JOIN tasks t ON t.id = tl.task_id \
     WHERE t.ledger_id = $1 AND t.withdrawn_at IS NULL GROUP BY 1, 2",
];

/// Counts the ledger afresh, inside the caller's transaction.
pub(crate) async fn recount(conn: &mut AnyConnection, ledger: i64) -> Result<()> {
    for sql in RECOUNT {
        sqlx::query(sql).bind(ledger).execute(&mut *conn).await?;
    }
    Ok(())
}
