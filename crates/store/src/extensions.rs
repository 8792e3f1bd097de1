//! Extensions (延期申请): a unit asks for a later deadline for a task and period, the office
//! grants or refuses it; a granted extension is the unit's deadline for that task and period.

use std::collections::HashMap;

use chrono::NaiveDate;
use duban_core::{AccountRole, Period, UnitId};
use serde::Serialize;
use serde_json::json;

use crate::accounts::Account;
use crate::audit::{self, Change};
use crate::ledgers::parse_period;
use crate::{Result, Store, StoreError, now_rfc3339};

/// A request for a later deadline and what the office decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Extension {
    pub id: i64,
    pub task_id: i64,
    pub ledger: String,
    pub seq: u32,
    pub period: Period,
    pub unit: String,
    pub unit_id: i64,
    pub reason: String,
    /// The day asked for (YYYY-MM-DD).
    pub asked_due: String,
    /// pending (待审批), granted (已批准), refused (未批准) or superseded (已被新的批准取代).
    pub state: String,
    /// The day granted.
    pub due: Option<String>,
    pub comment: Option<String>,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

type Row = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

const SELECT: &str = "SELECT x.id, x.task_id, l.name, t.seq, x.period, u.name, x.unit_id, x.reason, \
     x.asked_due, x.state, x.due, x.comment, COALESCE(ra.login, ''), x.requested_at, da.login, \
     x.decided_at \
     FROM extensions x JOIN tasks t ON t.id = x.task_id JOIN ledgers l ON l.id = t.ledger_id \
     JOIN units u ON u.id = x.unit_id LEFT JOIN accounts ra ON ra.id = x.requested_by \
     LEFT JOIN accounts da ON da.id = x.decided_by";

fn from_row(row: Row) -> Result<Extension> {
    let (
        id,
        task_id,
        ledger,
        seq,
        period,
        unit,
        unit_id,
        reason,
        asked_due,
        state,
        due,
        comment,
        requested_by,
        requested_at,
        decided_by,
        decided_at,
    ) = row;
    Ok(Extension {
        id,
        task_id,
        ledger,
        seq: u32::try_from(seq).unwrap_or_default(),
        period: parse_period(&period)?,
        unit,
        unit_id,
        reason,
        asked_due,
        state,
        due,
        comment,
        requested_by,
        requested_at,
        decided_by,
        decided_at,
    })
}

impl Store {
    /// A unit asks for `asked_due` as its deadline for a task and period, with a reason.
    pub async fn request_extension(
        &self,
        account: &Account,
        task: i64,
        period: Period,
        asked_due: NaiveDate,
        reason: &str,
    ) -> Result<Extension> {
        let unit = account
            .unit
            .as_ref()
            .map(|u| u.id)
            .ok_or_else(|| StoreError::Forbidden("只有责任单位可以申请延期".to_owned()))?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Conflict("申请延期须写明理由".to_owned()));
        }
        let mut tx = self.begin_write().await?;
        let role: Option<(String,)> =
            sqlx::query_as("SELECT role FROM task_units WHERE task_id = $1 AND unit_id = $2")
                .bind(task)
                .bind(unit.0)
                .fetch_optional(&mut *tx)
                .await?;
        if role.is_none() {
            return Err(StoreError::Forbidden(
                "该单位不是此任务的责任单位".to_owned(),
            ));
        }
        let pending: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM extensions WHERE task_id = $1 AND period = $2 AND unit_id = $3 \
             AND state = 'pending'",
        )
        .bind(task)
        .bind(period.to_string())
        .bind(unit.0)
        .fetch_optional(&mut *tx)
        .await?;
        if pending.is_some() {
            return Err(StoreError::Conflict(
                "该任务本期已有待审批的延期申请，请等督查室审批".to_owned(),
            ));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO extensions (task_id, period, unit_id, reason, asked_due, state, \
             requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) RETURNING id",
        )
        .bind(task)
        .bind(period.to_string())
        .bind(unit.0)
        .bind(reason)
        .bind(asked_due.to_string())
        .bind(account.id)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "request_extension",
                entity: &format!("extension:{id}"),
                task: Some(task),
                before: None,
                after: Some(&json!({
                    "period": period, "asked_due": asked_due.to_string(), "reason": reason,
                    "unit": account.unit.as_ref().map(|u| u.name.clone()),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.extension(id).await
    }

    /// The office grants (with the day it grants) or refuses a pending request.
    pub async fn decide_extension(
        &self,
        account: &Account,
        id: i64,
        grant: Option<NaiveDate>,
        comment: Option<&str>,
    ) -> Result<Extension> {
        if account.role != AccountRole::Office {
            return Err(StoreError::Forbidden("只有督查室可以审批延期".to_owned()));
        }
        let before = self.extension(id).await?;
        if before.state != "pending" {
            return Err(StoreError::Conflict("此延期申请已审批".to_owned()));
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if grant.is_none() && comment.is_none() {
            return Err(StoreError::Conflict("不批准延期须写明意见".to_owned()));
        }
        let mut tx = self.begin_write().await?;
        if grant.is_some() {
            sqlx::query(
                "UPDATE extensions SET state = 'superseded' WHERE task_id = $1 AND period = $2 \
                 AND unit_id = $3 AND state = 'granted'",
            )
            .bind(before.task_id)
            .bind(before.period.to_string())
            .bind(before.unit_id)
            .execute(&mut *tx)
            .await?;
        }
        let updated = sqlx::query(
            "UPDATE extensions SET state = $1, due = $2, comment = $3, decided_by = $4, \
             decided_at = $5 WHERE id = $6 AND state = 'pending'",
        )
        .bind(if grant.is_some() {
            "granted"
        } else {
            "refused"
        })
        .bind(grant.map(|d| d.to_string()))
        .bind(comment)
        .bind(account.id)
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict("此延期申请刚被审批".to_owned()));
        }
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: if grant.is_some() {
                    "grant_extension"
                } else {
                    "refuse_extension"
                },
                entity: &format!("extension:{id}"),
                task: Some(before.task_id),
                before: Some(&json!({"state": "pending", "asked_due": before.asked_due})),
                after: Some(&json!({
                    "period": before.period, "unit": before.unit,
                    "due": grant.map(|d| d.to_string()), "comment": comment,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.extension(id).await
    }

    pub async fn extension(&self, id: i64) -> Result<Extension> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE x.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        from_row(row.ok_or_else(|| StoreError::NotFound {
            what: "延期申请",
            name: id.to_string(),
            hint: String::new(),
        })?)
    }

    /// A task's requests, newest first.
    pub async fn task_extensions(&self, task: i64) -> Result<Vec<Extension>> {
        let rows: Vec<Row> =
            sqlx::query_as(&format!("{SELECT} WHERE x.task_id = $1 ORDER BY x.id DESC"))
                .bind(task)
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// The requests waiting for the office, oldest first.
    pub async fn pending_extensions(&self) -> Result<Vec<Extension>> {
        let rows: Vec<Row> =
            sqlx::query_as(&format!("{SELECT} WHERE x.state = 'pending' ORDER BY x.id"))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// The granted deadlines of a ledger's period, by (task, unit).
    pub async fn granted_deadlines(
        &self,
        ledger: i64,
        period: Period,
    ) -> Result<HashMap<(i64, UnitId), NaiveDate>> {
        // The extensions first (CROSS JOIN fixes SQLite's order): a ledger has far more tasks
        // than extensions.
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT x.task_id, x.unit_id, x.due FROM extensions x CROSS JOIN tasks t \
             WHERE t.id = x.task_id AND t.ledger_id = $1 AND x.period = $2 AND x.state = 'granted'",
        )
        .bind(ledger)
        .bind(period.to_string())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(task, unit, due)| Some(((task, UnitId(unit)), due.parse().ok()?)))
            .collect())
    }
}
