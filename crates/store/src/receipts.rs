//! Receipts (签收): a unit acknowledges a task assigned to it, a target round or a reminder; the
//! office sees, unit by unit, what has not been acknowledged.

use std::collections::{BTreeMap, HashSet};

use duban_core::{LedgerId, UnitId};
use serde::Serialize;
use serde_json::json;

use crate::accounts::Account;
use crate::audit::{self, Change};
use crate::{Result, Store, StoreError, now_rfc3339};

/// What is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    /// A task assigned to the unit (任务签收).
    Task,
    /// A target round opened on a ledger the unit has tasks in.
    Round,
    /// A reminder (催办) sent to the unit.
    Reminder,
}

impl ReceiptKind {
    pub fn code(self) -> &'static str {
        match self {
            ReceiptKind::Task => "task",
            ReceiptKind::Round => "round",
            ReceiptKind::Reminder => "reminder",
        }
    }

    /// The query that finds `$2` among what was given to unit `$1`.
    fn belongs(self) -> &'static str {
        match self {
            ReceiptKind::Task => {
                "SELECT 1 FROM task_units tu JOIN tasks t ON t.id = tu.task_id \
                 WHERE tu.unit_id = $1 AND t.id = $2 AND t.withdrawn_at IS NULL"
            }
            ReceiptKind::Round => {
                "SELECT 1 FROM target_rounds r JOIN tasks t ON t.ledger_id = r.ledger_id \
                 JOIN task_units tu ON tu.task_id = t.id WHERE tu.unit_id = $1 AND r.id = $2"
            }
            ReceiptKind::Reminder => "SELECT 1 FROM reminders m WHERE m.unit_id = $1 AND m.id = $2",
        }
    }
}

/// What one unit has not acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MissingReceipts {
    pub unit: String,
    pub tasks: i64,
    pub rounds: i64,
    pub reminders: i64,
}

/// The unit an account acknowledges for: only a unit's accounts do.
fn receiving_unit(account: &Account) -> Result<UnitId> {
    account
        .unit
        .as_ref()
        .map(|u| u.id)
        .ok_or_else(|| StoreError::Forbidden("只有责任单位可以签收".to_owned()))
}

impl Store {
    /// The account's unit acknowledges these; each must have been given to it. Returns how many
    /// were new.
    pub async fn acknowledge(
        &self,
        account: &Account,
        kind: ReceiptKind,
        ids: &[i64],
    ) -> Result<usize> {
        let unit = receiving_unit(account)?;
        let mut tx = self.begin_write().await?;
        let mut new = 0;
        for id in ids {
            // COUNT(*) reads as the same integer type on both databases.
            let (found,): (i64,) =
                sqlx::query_as(&format!("SELECT COUNT(*) FROM ({}) given", kind.belongs()))
                    .bind(unit.0)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if found == 0 {
                return Err(StoreError::Forbidden(format!(
                    "编号 {id} 不是交给本单位的{}",
                    match kind {
                        ReceiptKind::Task => "任务",
                        ReceiptKind::Round => "目标分解",
                        ReceiptKind::Reminder => "催办",
                    }
                )));
            }
            let inserted = sqlx::query(
                "INSERT INTO receipts (unit_id, kind, ref_id, account_id, at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id, kind, ref_id) DO NOTHING",
            )
            .bind(unit.0)
            .bind(kind.code())
            .bind(id)
            .bind(account.id)
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await?;
            new += usize::try_from(inserted.rows_affected()).unwrap_or(0);
        }
        if new > 0 {
            audit::record(
                &mut tx,
                &account.actor(),
                Change {
                    action: "acknowledge",
                    entity: &format!("receipt:{}", kind.code()),
                    task: (kind == ReceiptKind::Task && ids.len() == 1).then(|| ids[0]),
                    before: None,
                    after: Some(&json!({
                        "kind": kind, "ids": ids, "new": new,
                        "unit": account.unit.as_ref().map(|u| u.name.clone()),
                    })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(new)
    }

    /// The account's unit acknowledges every live task of a ledger given to it (全部签收 on a
    /// list shown a page at a time). Returns how many were new.
    pub async fn acknowledge_ledger(&self, account: &Account, ledger: LedgerId) -> Result<usize> {
        let unit = receiving_unit(account)?;
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO receipts (unit_id, kind, ref_id, account_id, at) \
             SELECT tu.unit_id, 'task', t.id, $3, $4 FROM task_units tu \
             CROSS JOIN tasks t WHERE tu.unit_id = $1 AND t.id = tu.task_id \
               AND t.ledger_id = $2 AND t.withdrawn_at IS NULL \
             ON CONFLICT (unit_id, kind, ref_id) DO NOTHING",
        )
        .bind(unit.0)
        .bind(ledger.0)
        .bind(account.id)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        let new = usize::try_from(inserted.rows_affected()).unwrap_or(0);
        if new > 0 {
            audit::record(
                &mut tx,
                &account.actor(),
                Change {
                    action: "acknowledge",
                    entity: "receipt:task",
                    task: None,
                    before: None,
                    after: Some(&json!({
                        "kind": ReceiptKind::Task, "ledger": ledger.0, "new": new,
                        "unit": account.unit.as_ref().map(|u| u.name.clone()),
                    })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(new)
    }

    /// A unit's live tasks in a ledger (any role) and how many of them it has acknowledged,
    /// from the kept counts.
    pub async fn unit_assignments(&self, ledger: LedgerId, unit: UnitId) -> Result<(i64, i64)> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT assigned, received FROM assignment_tallies \
             WHERE ledger_id = $1 AND unit_id = $2",
        )
        .bind(ledger.0)
        .bind(unit.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.unwrap_or((0, 0)))
    }

    /// What a unit has acknowledged, of one kind.
    pub async fn acknowledged(&self, unit: UnitId, kind: ReceiptKind) -> Result<HashSet<i64>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT ref_id FROM receipts WHERE unit_id = $1 AND kind = $2")
                .bind(unit.0)
                .bind(kind.code())
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Unit by unit, what has not been acknowledged; units with nothing missing are left out.
    /// Tasks from the kept counts (`assignment_tallies`: a few rows per ledger, however many tasks);
    /// a round waits for the units with live tasks in its ledger, found in the same counts.
    pub async fn missing_receipts(&self) -> Result<Vec<MissingReceipts>> {
        let not_received = |kind: &str, id: &str| {
            format!(
                "NOT EXISTS (SELECT 1 FROM receipts x WHERE x.unit_id = u.id AND x.kind = '{kind}' \
                 AND x.ref_id = {id})"
            )
        };
        let queries = [
            "SELECT u.name, CAST(SUM(c.assigned - c.received) AS BIGINT) FROM assignment_tallies c \
             JOIN units u ON u.id = c.unit_id GROUP BY u.name \
             HAVING SUM(c.assigned - c.received) > 0"
                .to_owned(),
            format!(
                "SELECT u.name, COUNT(*) FROM target_rounds r JOIN assignment_tallies c \
                 ON c.ledger_id = r.ledger_id AND c.assigned > 0 \
                 JOIN units u ON u.id = c.unit_id WHERE {} GROUP BY u.name",
                not_received("round", "r.id")
            ),
            format!(
                "SELECT u.name, COUNT(*) FROM reminders m JOIN units u ON u.id = m.unit_id \
                 WHERE {} GROUP BY u.name",
                not_received("reminder", "m.id")
            ),
        ];
        let mut by_unit: BTreeMap<String, [i64; 3]> = BTreeMap::new();
        for (i, sql) in queries.iter().enumerate() {
            let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&self.pool).await?;
            for (unit, n) in rows {
                by_unit.entry(unit).or_default()[i] = n;
            }
        }
        Ok(by_unit
            .into_iter()
            .map(|(unit, [tasks, rounds, reminders])| MissingReceipts {
                unit,
                tasks,
                rounds,
                reminders,
            })
            .collect())
    }
}
