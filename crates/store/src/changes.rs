//! Changes to a ledger's tasks during the year (调整): adding a task, withdrawing one (撤销),
//! merging one into another, reassigning its units and leaders — each with a reason, in one
//! transaction with its audit entry. A withdrawn or merged task stays in the database (its
//! history, its reports, the notices already published) but no longer counts.

use std::collections::HashMap;

use duban_core::{LedgerId, Role, SheetUnit};
use serde_json::{Value, json};
use sqlx::AnyConnection;

use crate::audit::{self, Actor, Change};
use crate::ledgers::{replace_leaders, replace_units};
use crate::{Result, Store, StoreError, now_rfc3339};

/// What the office changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskChange {
    /// A new task at the end of the ledger (the next 序号).
    Add {
        goal: String,
        units: Vec<SheetUnit>,
        leaders: Vec<String>,
    },
    /// The task no longer counts (撤销).
    Withdraw { task: i64 },
    /// `task` becomes part of `into`: it is withdrawn, its units join `into` as support units.
    Merge { task: i64, into: i64 },
    /// The task's units (and leaders, when given) are replaced.
    Reassign {
        task: i64,
        units: Vec<SheetUnit>,
        leaders: Option<Vec<String>>,
    },
}

impl TaskChange {
    fn code(&self) -> &'static str {
        match self {
            TaskChange::Add { .. } => "add_task",
            TaskChange::Withdraw { .. } => "withdraw_task",
            TaskChange::Merge { .. } => "merge_task",
            TaskChange::Reassign { .. } => "reassign_task",
        }
    }
}

/// A task as the audit entry records it.
async fn task_json(conn: &mut AnyConnection, task: i64) -> Result<Value> {
    let row: Option<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT seq, goal, withdrawn_at FROM tasks WHERE id = $1")
            .bind(task)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((seq, goal, withdrawn)) = row else {
        return Err(StoreError::NotFound {
            what: "任务",
            name: task.to_string(),
            hint: String::new(),
        });
    };
    let units: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.name, tu.role FROM task_units tu JOIN units u ON u.id = tu.unit_id \
         WHERE tu.task_id = $1 ORDER BY tu.ord",
    )
    .bind(task)
    .fetch_all(&mut *conn)
    .await?;
    let leaders: Vec<(String,)> = sqlx::query_as(
        "SELECT l.name FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
         WHERE tl.task_id = $1 ORDER BY tl.ord",
    )
    .bind(task)
    .fetch_all(&mut *conn)
    .await?;
    Ok(json!({
        "seq": seq,
        "goal": goal,
        "units": units.iter().map(|(name, role)| json!({"name": name, "role": role})).collect::<Vec<_>>(),
        "leaders": leaders.into_iter().map(|(l,)| l).collect::<Vec<_>>(),
        "withdrawn": withdrawn.is_some(),
    }))
}

/// The task, checked to belong to the ledger and still to count.
async fn live_task(conn: &mut AnyConnection, ledger: LedgerId, task: i64) -> Result<()> {
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT ledger_id, withdrawn_at FROM tasks WHERE id = $1")
            .bind(task)
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        Some((l, None)) if l == ledger.0 => Ok(()),
        Some((l, Some(_))) if l == ledger.0 => Err(StoreError::Conflict(format!(
            "任务 {task} 已撤销或已合并，不能再调整"
        ))),
        _ => Err(StoreError::NotFound {
            what: "本台账的任务",
            name: task.to_string(),
            hint: String::new(),
        }),
    }
}

async fn withdraw(
    conn: &mut AnyConnection,
    task: i64,
    reason: &str,
    into: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "UPDATE tasks SET withdrawn_at = $1, withdrawn_reason = $2, merged_into = $3 WHERE id = $4",
    )
    .bind(now_rfc3339())
    .bind(reason)
    .bind(into)
    .bind(task)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Makes one change to a ledger's tasks with its reason; returns the task changed (the new
    /// one for an addition, the one kept for a merge).
    pub async fn change_task(
        &self,
        actor: &Actor,
        ledger: LedgerId,
        change: &TaskChange,
        reason: &str,
    ) -> Result<i64> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Conflict("调整任务须写明理由".to_owned()));
        }
        let mut tx = self.begin_write().await?;
        let mut created = Vec::new();
        let (task, before, extra) = match change {
            TaskChange::Add {
                goal,
                units,
                leaders,
            } => {
                let goal = goal.trim();
                if goal.is_empty() {
                    return Err(StoreError::Conflict("新增任务须填写任务内容".to_owned()));
                }
                let (next,): (i64,) = sqlx::query_as(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM tasks WHERE ledger_id = $1",
                )
                .bind(ledger.0)
                .fetch_one(&mut *tx)
                .await?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO tasks (ledger_id, seq, goal) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(ledger.0)
                .bind(next)
                .bind(goal)
                .fetch_one(&mut *tx)
                .await?;
                replace_units(&mut tx, id, units, &mut created).await?;
                replace_leaders(&mut tx, id, leaders, &mut HashMap::new()).await?;
                (id, None, json!({}))
            }
            TaskChange::Withdraw { task } => {
                live_task(&mut tx, ledger, *task).await?;
                let before = task_json(&mut tx, *task).await?;
                withdraw(&mut tx, *task, reason, None).await?;
                (*task, Some(before), json!({}))
            }
            TaskChange::Merge { task, into } => {
                if task == into {
                    return Err(StoreError::Conflict("不能把任务合并到它自己".to_owned()));
                }
                live_task(&mut tx, ledger, *task).await?;
                live_task(&mut tx, ledger, *into).await?;
                let merged = task_json(&mut tx, *task).await?;
                let before = task_json(&mut tx, *into).await?;
                // The merged task's units join the one kept, as support where they are new.
                let mut units: Vec<SheetUnit> = serde_json::from_value(before["units"].clone())
                    .map_err(|e| StoreError::Conflict(e.to_string()))?;
                let theirs: Vec<SheetUnit> = serde_json::from_value(merged["units"].clone())
                    .map_err(|e| StoreError::Conflict(e.to_string()))?;
                for unit in theirs {
                    if !units.iter().any(|u| u.name == unit.name) {
                        units.push(SheetUnit {
                            name: unit.name,
                            role: Role::Support,
                        });
                    }
                }
                replace_units(&mut tx, *into, &units, &mut created).await?;
                withdraw(&mut tx, *task, reason, Some(*into)).await?;
                (*into, Some(before), json!({ "merged": merged }))
            }
            TaskChange::Reassign {
                task,
                units,
                leaders,
            } => {
                live_task(&mut tx, ledger, *task).await?;
                let before = task_json(&mut tx, *task).await?;
                replace_units(&mut tx, *task, units, &mut created).await?;
                if let Some(leaders) = leaders {
                    replace_leaders(&mut tx, *task, leaders, &mut HashMap::new()).await?;
                }
                (*task, Some(before), json!({}))
            }
        };
        let mut after = task_json(&mut tx, task).await?;
        after["reason"] = json!(reason);
        if let Some(merged) = extra.get("merged") {
            after["merged"] = merged.clone();
        }
        if !created.is_empty() {
            after["new_units"] = json!(created);
        }
        audit::record(
            &mut tx,
            actor,
            Change {
                action: change.code(),
                entity: &format!("task:{task}"),
                task: Some(task),
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
        // The merged task's history also says where it went.
        if let TaskChange::Merge { task: merged, into } = change {
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "merged_away",
                    entity: &format!("task:{merged}"),
                    task: Some(*merged),
                    before: None,
                    after: Some(
                        &json!({ "into": into, "into_seq": after["seq"], "reason": reason }),
                    ),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(task)
    }
}
