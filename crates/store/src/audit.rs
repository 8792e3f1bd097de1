//! The audit log (操作日志): who changed what, when, with the value before and after. Every write
//! of the reporting cycle adds its entry in the same transaction as the change, so a change
//! without its entry cannot exist. The table refuses updates and deletes by trigger.

use serde::Serialize;
use sqlx::AnyConnection;

use crate::{Result, Store, now_rfc3339};

/// Who acts: an account, or the system itself (imports from the command line, the demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account: Option<i64>,
    /// The login (or "系统") as it was at the time: an account may be renamed later.
    pub name: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            account: None,
            name: "系统".to_owned(),
        }
    }
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub task_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What a log entry records besides who and when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub task: Option<i64>,
    pub before: Option<&'a serde_json::Value>,
    pub after: Option<&'a serde_json::Value>,
}

pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    change: Change<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, actor, action, entity, task_id, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now_rfc3339())
    .bind(actor.account)
    .bind(&actor.name)
    .bind(change.action)
    .bind(change.entity)
    .bind(change.task)
    .bind(change.before.map(|v| v.to_string()))
    .bind(change.after.map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

type AuditRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The latest entries, newest first; only those about one task when `task` is given.
    pub async fn audit_log(&self, task: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> =
            match task {
                Some(task) => sqlx::query_as(
                    "SELECT id, at, actor, action, entity, task_id, before, after FROM audit_log \
                     WHERE task_id = $1 ORDER BY id DESC LIMIT $2",
                )
                .bind(task)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
                None => sqlx::query_as(
                    "SELECT id, at, actor, action, entity, task_id, before, after FROM audit_log \
                     ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(&self.pool)
                .await?,
            };
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Ok(rows
            .into_iter()
            .map(
                |(id, at, actor, action, entity, task_id, before, after)| AuditEntry {
                    id,
                    at,
                    actor,
                    action,
                    entity,
                    task_id,
                    before: json(before),
                    after: json(after),
                },
            )
            .collect())
    }
}
