//! Unit reports (报送) on a task for a period, moved through the workflow of
//! `duban_core::workflow`; reminders (催办); published notices and the period locks they set.
//!
//! Every write checks the period lock, the account's unit, the workflow rule and the version the
//! writer last saw, writes, and records the audit entry, all in one transaction. The version is
//! also part of the UPDATE's WHERE clause, so two server processes cannot both win a race.

use std::collections::HashMap;

use duban_core::{
    AccountRole, Ledger, LedgerSheet, Period, ReportAction, ReportKind, ReportState, Role, Status,
    TaskSource, UnitId, transition,
};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;

use crate::accounts::{Account, UnitRef};
use crate::audit::{self, Actor, Change};
use crate::ledgers::parse_period;
use crate::overview::{Bind, bind_all};
use crate::{Result, Store, StoreError, corrupt, now_rfc3339};

/// One unit's report on one task for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReportRecord {
    /// Progress (完成情况) or a target (阶段目标, in a target round).
    pub kind: ReportKind,
    pub id: i64,
    pub task_id: i64,
    pub seq: u32,
    pub period: Period,
    pub unit: UnitRef,
    pub role: Role,
    pub state: ReportState,
    pub body: String,
    pub version: i64,
    pub comment: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub signature: Option<String>,
    pub signer_key: Option<String>,
    pub submitted_at: Option<String>,
    /// SHA-256 of each file attached to the report, sorted: signed with the text.
    pub attachments: Vec<String>,
}

/// A unit head's signature over `duban_core::signed_text`.
#[derive(Debug, Clone)]
pub struct Signature {
    pub signature: String,
    pub public_key: String,
    pub approved_at: String,
}

/// One step asked of the workflow.
#[derive(Debug, Clone)]
pub struct ReportChange {
    pub task: i64,
    pub period: Period,
    pub unit: UnitId,
    pub action: ReportAction,
    /// The text, for a save.
    pub body: Option<String>,
    /// The version the writer saw; None when they saw no report.
    pub seen_version: Option<i64>,
    pub comment: Option<String>,
    pub signature: Option<Signature>,
    /// The office's judgement when accepting.
    pub status: Option<Status>,
}

/// A reminder (催办) sent about a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reminder {
    pub id: i64,
    pub task_id: i64,
    pub period: Period,
    pub unit: Option<String>,
    pub by: String,
    pub at: String,
}

/// Which reminders to list.
#[derive(Debug, Clone, Copy)]
pub enum ReminderScope {
    Task(i64),
    Ledger(i64),
}

/// A notice as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublishedNotice {
    pub id: i64,
    pub ledger: String,
    pub period: Period,
    pub title: String,
    pub published_by: String,
    pub published_at: String,
    /// The date printed under the title (印发日期), YYYY-MM-DD; None for notices published
    /// before it could be chosen (their publishing day is used).
    pub date: Option<String>,
    /// Only the tasks not done or not reported.
    pub only_problems: bool,
    /// The counts in a sentence (共 124 项，完成 …).
    pub summary: Option<String>,
}

/// How a notice is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeSettings {
    pub title: String,
    pub date: String,
    pub only_problems: bool,
    pub summary: String,
    /// What the notice prints beside the sheet (三色督办, evidence), as JSON.
    pub marks: Option<String>,
}

/// A period the office has locked, by publishing its notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodLock {
    pub period: Period,
    pub locked_by: String,
    pub locked_at: String,
}

/// A task with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TaskDetail {
    pub id: i64,
    pub ledger: Ledger,
    pub seq: u32,
    pub goal: String,
    pub leaders: Vec<String>,
    pub units: Vec<(UnitRef, Role)>,
    /// Period → milestone (阶段目标), in period order.
    pub milestones: Vec<(Period, String)>,
    /// Period → (accepted text, status), in period order.
    pub progress: Vec<(Period, String, Option<Status>)>,
    pub source: Option<TaskSource>,
    /// Set when the office withdrew the task or merged it into another (调整).
    pub withdrawn: Option<Withdrawal>,
}

/// Why and when a task stopped counting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Withdrawal {
    /// UTC, RFC 3339.
    pub at: String,
    pub reason: String,
    /// The 序号 of the task it was merged into, for a merge.
    pub merged_into: Option<u32>,
}

impl TaskDetail {
    pub fn role_of(&self, unit: UnitId) -> Option<Role> {
        self.units
            .iter()
            .find(|(u, _)| u.id == unit)
            .map(|(_, r)| *r)
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    id: i64,
    task_id: i64,
    seq: i64,
    period: String,
    unit_id: i64,
    unit: String,
    role: String,
    state: String,
    body: String,
    version: i64,
    comment: Option<String>,
    updated_by: Option<String>,
    updated_at: String,
    approved_by: Option<String>,
    approved_at: Option<String>,
    signature: Option<String>,
    signer_key: Option<String>,
    submitted_at: Option<String>,
    attachments: Option<String>,
}

/// The table a kind of report is kept in.
pub(crate) fn report_table(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Progress => "reports",
        ReportKind::Target => "target_reports",
    }
}

/// The SELECT of a report of `kind` (alias `r`) with its task, unit and people, to which a
/// WHERE clause is added.
pub(crate) fn report_select(kind: ReportKind) -> String {
    format!(
        "SELECT r.id, r.task_id, t.seq, r.period, r.unit_id, u.name AS unit, \
       COALESCE(tu.role, 'support') AS role, r.state, r.body, r.version, r.comment, \
       ua.login AS updated_by, r.updated_at, aa.login AS approved_by, r.approved_at, r.signature, \
       r.signer_key, r.submitted_at, \
       (SELECT string_agg(a.hash, ',' ORDER BY a.hash) FROM attachments a WHERE a.kind = '{}' \
         AND a.task_id = r.task_id AND a.period = r.period AND a.unit_id = r.unit_id) AS attachments \
     FROM {} r JOIN tasks t ON t.id = r.task_id JOIN units u ON u.id = r.unit_id \
     LEFT JOIN task_units tu ON tu.task_id = r.task_id AND tu.unit_id = r.unit_id \
     LEFT JOIN accounts ua ON ua.id = r.updated_by LEFT JOIN accounts aa ON aa.id = r.approved_by",
        kind.code(),
        report_table(kind)
    )
}

pub(crate) fn report_from_row(kind: ReportKind, row: ReportRow) -> Result<ReportRecord> {
    Ok(ReportRecord {
        kind,
        id: row.id,
        task_id: row.task_id,
        seq: u32::try_from(row.seq).map_err(|_| StoreError::Corrupt {
            what: "序号",
            message: row.seq.to_string(),
        })?,
        period: parse_period(&row.period)?,
        unit: UnitRef {
            id: UnitId(row.unit_id),
            name: row.unit,
        },
        role: row.role.parse().map_err(corrupt("责任分工"))?,
        state: row.state.parse().map_err(corrupt("报送状态"))?,
        body: row.body,
        version: row.version,
        comment: row.comment,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
        approved_by: row.approved_by,
        approved_at: row.approved_at,
        signature: row.signature,
        signer_key: row.signer_key,
        submitted_at: row.submitted_at,
        attachments: row
            .attachments
            .map(|list| list.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
    })
}

fn report_json(report: Option<&ReportRecord>) -> Option<serde_json::Value> {
    report.map(|r| {
        json!({
            "state": r.state, "body": r.body, "version": r.version, "comment": r.comment,
            "signature": r.signature, "signer_key": r.signer_key,
        })
    })
}

pub(crate) async fn find_report(
    conn: &mut AnyConnection,
    kind: ReportKind,
    task: i64,
    period: Period,
    unit: UnitId,
) -> Result<Option<ReportRecord>> {
    let row: Option<ReportRow> = sqlx::query_as(&format!(
        "{} WHERE r.task_id = $1 AND r.period = $2 AND r.unit_id = $3",
        report_select(kind)
    ))
    .bind(task)
    .bind(period.to_string())
    .bind(unit.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| report_from_row(kind, r)).transpose()
}

async fn ledger_of_task(conn: &mut AnyConnection, task: i64) -> Result<i64> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT ledger_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(l,)| l).ok_or_else(|| StoreError::NotFound {
        what: "任务",
        name: task.to_string(),
        hint: String::new(),
    })
}

async fn lock_of(conn: &mut AnyConnection, ledger: i64, period: Period) -> Result<Option<String>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT COALESCE(a.login, ''), l.locked_at FROM period_locks l \
         LEFT JOIN accounts a ON a.id = l.locked_by WHERE l.ledger_id = $1 AND l.period = $2",
    )
    .bind(ledger)
    .bind(period.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(by, at)| format!("{by} 于 {at}")))
}

impl Store {
    /// One step of the workflow on a progress report; returns the report as it now stands.
    pub async fn act_on_report(
        &self,
        account: &Account,
        change: &ReportChange,
    ) -> Result<ReportRecord> {
        self.act(ReportKind::Progress, account, change).await
    }

    /// One step of the workflow on a unit's target in a target round (目标分解); accepting the
    /// lead unit's target makes it the task's milestone for the period.
    pub async fn act_on_target(
        &self,
        account: &Account,
        change: &ReportChange,
    ) -> Result<ReportRecord> {
        self.act(ReportKind::Target, account, change).await
    }

    async fn act(
        &self,
        kind: ReportKind,
        account: &Account,
        change: &ReportChange,
    ) -> Result<ReportRecord> {
        let table = report_table(kind);
        let mut tx = self.begin_write().await?;
        let ledger = ledger_of_task(&mut tx, change.task).await?;
        let (withdrawn,): (Option<String>,) =
            sqlx::query_as("SELECT withdrawn_reason FROM tasks WHERE id = $1")
                .bind(change.task)
                .fetch_one(&mut *tx)
                .await?;
        if let Some(reason) = withdrawn {
            return Err(StoreError::Conflict(format!(
                "该任务已由督查室撤销或合并（理由：{reason}），不再报送"
            )));
        }
        match kind {
            ReportKind::Progress => {
                // Only the ledger's own periods, once begun (a day in China begins eight hours
                // before UTC's).
                let (year, cadence): (i64, String) =
                    sqlx::query_as("SELECT year, cadence FROM ledgers WHERE id = $1")
                        .bind(ledger)
                        .fetch_one(&mut *tx)
                        .await?;
                let today = duban_core::beijing::today();
                duban_core::check_reporting_period(
                    i32::try_from(year).unwrap_or_default(),
                    cadence.parse().map_err(crate::corrupt("报送频次"))?,
                    change.period,
                    today,
                )?;
                if let Some(by) = lock_of(&mut tx, ledger, change.period).await? {
                    return Err(StoreError::Conflict(format!(
                        "{} 的通报已发布，该期间已锁定（{by}）：如需修改，请督查室先解锁",
                        change.period.label_zh()
                    )));
                }
            }
            ReportKind::Target => {
                // Targets are set before their period begins, but only in a round the office
                // opened for that period.
                if !crate::targets::round_is_open(&mut tx, ledger, change.period).await? {
                    return Err(StoreError::Conflict(format!(
                        "{} 没有开启目标分解：请督查室先开启该期间的目标分解",
                        change.period.label_zh()
                    )));
                }
            }
        }
        if account.role != AccountRole::Office
            && account.unit.as_ref().map(|u| u.id) != Some(change.unit)
        {
            return Err(StoreError::Forbidden("只能处理本单位的报送".to_owned()));
        }
        let assigned: Option<(String,)> =
            sqlx::query_as("SELECT role FROM task_units WHERE task_id = $1 AND unit_id = $2")
                .bind(change.task)
                .bind(change.unit.0)
                .fetch_optional(&mut *tx)
                .await?;
        if assigned.is_none() {
            return Err(StoreError::Forbidden(
                "该单位不是此任务的责任单位".to_owned(),
            ));
        }
        // Rights before state: an action of another role is refused whatever the report says.
        if account.role != change.action.actor() {
            return Err(duban_core::WorkflowError::WrongRole {
                role: account.role,
                action: change.action,
                actor: change.action.actor(),
            }
            .into());
        }
        let current = find_report(&mut tx, kind, change.task, change.period, change.unit).await?;
        let current_version = current.as_ref().map(|r| r.version);
        if current_version != change.seen_version {
            let who = current
                .as_ref()
                .map(|r| {
                    format!(
                        "{} 于 {}（北京时间）",
                        r.updated_by.as_deref().unwrap_or("他人"),
                        duban_core::beijing::beijing(&r.updated_at)
                    )
                })
                .unwrap_or_default();
            return Err(StoreError::Conflict(format!(
                "此报送已被{who}修改（当前为第 {} 版，您看到的是第 {} 版）：您的内容没有保存，请核对最新内容后再提交",
                current_version.unwrap_or(0),
                change.seen_version.unwrap_or(0)
            )));
        }
        let next = transition(
            current.as_ref().map(|r| r.state),
            change.action,
            account.role,
            change.comment.as_deref(),
        )?;
        let now = now_rfc3339();
        let body = match (change.action, &change.body) {
            (ReportAction::Save, Some(body)) => body.trim().to_owned(),
            (ReportAction::Save, None) => {
                return Err(StoreError::Conflict(format!(
                    "保存须填写{}",
                    kind.label_zh()
                )));
            }
            _ => current.as_ref().map(|r| r.body.clone()).unwrap_or_default(),
        };
        if change.action == ReportAction::Save && body.is_empty() {
            return Err(StoreError::Conflict(format!("{}不能为空", kind.label_zh())));
        }
        if change.action == ReportAction::Approve && change.signature.is_none() {
            return Err(StoreError::Conflict("审核须由单位负责人签名".to_owned()));
        }
        let status = match change.action {
            ReportAction::Accept if kind == ReportKind::Progress => Some(
                change
                    .status
                    .filter(|s| *s != Status::Unreported)
                    .ok_or_else(|| {
                        StoreError::Conflict(
                            "采纳须评定完成状态（完成、部分完成或未完成）".to_owned(),
                        )
                    })?,
            ),
            _ => None,
        };
        match &current {
            None => {
                sqlx::query(
                    &format!("INSERT INTO {table} (task_id, period, unit_id, state, body, version, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $7)"),
                )
                .bind(change.task)
                .bind(change.period.to_string())
                .bind(change.unit.0)
                .bind(next.code())
                .bind(&body)
                .bind(account.id)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(|e| match &e {
                    // Two first saves at the same moment (PostgreSQL lets both read "no report"):
                    // the second is an edit conflict like any other, not a server error.
                    sqlx::Error::Database(db) if db.is_unique_violation() => {
                        StoreError::Conflict(
                            "此报送刚被他人同时创建：您的内容没有保存，请刷新后核对最新内容再提交"
                                .to_owned(),
                        )
                    }
                    _ => StoreError::from(e),
                })?;
            }
            Some(old) => {
                let comment = match change.action {
                    ReportAction::SendBack | ReportAction::Return => change.comment.clone(),
                    ReportAction::Accept => change.comment.clone().or(old.comment.clone()),
                    _ => old.comment.clone(),
                };
                // Approval belongs to one text: saving a new text drops the old signature.
                let signature = match change.action {
                    ReportAction::Approve => change.signature.clone(),
                    ReportAction::Save | ReportAction::SendBack | ReportAction::Return => None,
                    _ => old.signature.clone().map(|signature| Signature {
                        signature,
                        public_key: old.signer_key.clone().unwrap_or_default(),
                        approved_at: old.approved_at.clone().unwrap_or_default(),
                    }),
                };
                let approved_by: Option<i64> = match change.action {
                    ReportAction::Approve => Some(account.id),
                    _ if signature.is_some() => {
                        let row: (Option<i64>,) = sqlx::query_as(&format!(
                            "SELECT approved_by FROM {table} WHERE id = $1"
                        ))
                        .bind(old.id)
                        .fetch_one(&mut *tx)
                        .await?;
                        row.0
                    }
                    _ => None,
                };
                let submitted_at = match change.action {
                    ReportAction::Submit => Some(now.clone()),
                    ReportAction::Save | ReportAction::SendBack => None,
                    _ => old.submitted_at.clone(),
                };
                let updated = sqlx::query(&format!(
                    "UPDATE {table} SET state = $1, body = $2, version = version + 1, comment = $3, \
                     updated_by = $4, updated_at = $5, approved_by = $6, approved_at = $7, signature = $8, \
                     signer_key = $9, submitted_at = $10 WHERE id = $11 AND version = $12"
                ))
                .bind(next.code())
                .bind(&body)
                .bind(comment)
                .bind(account.id)
                .bind(&now)
                .bind(approved_by)
                .bind(signature.as_ref().map(|s| s.approved_at.clone()))
                .bind(signature.as_ref().map(|s| s.signature.clone()))
                .bind(signature.as_ref().map(|s| s.public_key.clone()))
                .bind(submitted_at)
                .bind(old.id)
                .bind(old.version)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict(
                        "此报送刚被他人修改：您的内容没有保存，请核对最新内容后再提交".to_owned(),
                    ));
                }
            }
        }
        if let Some(status) = status {
            crate::ledgers::note_task_period(&mut tx, change.task, &change.period.to_string())
                .await?;
            let unit: (String,) = sqlx::query_as("SELECT name FROM units WHERE id = $1")
                .bind(change.unit.0)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO progress (task_id, period, body, status, submitted_by, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (task_id, period) DO UPDATE SET \
                 body = excluded.body, status = excluded.status, submitted_by = excluded.submitted_by, \
                 submitted_at = excluded.submitted_at",
            )
            .bind(change.task)
            .bind(change.period.to_string())
            .bind(&body)
            .bind(status.code())
            .bind(unit.0)
            .bind(current.as_ref().and_then(|r| r.submitted_at.clone()))
            .execute(&mut *tx)
            .await?;
        }
        if kind == ReportKind::Target && change.action == ReportAction::Accept {
            crate::targets::accept_as_milestone(&mut tx, account, change, &body).await?;
        }
        let after = find_report(&mut tx, kind, change.task, change.period, change.unit)
            .await?
            .ok_or_else(|| StoreError::Conflict("报送写入后无法读取".to_owned()))?;
        let mut after_json = report_json(Some(&after)).unwrap_or_default();
        if let Some(status) = status {
            after_json["status"] = json!(status);
        }
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: change.action.code(),
                entity: &format!(
                    "{}:{}:{}:{}",
                    match kind {
                        ReportKind::Progress => "report",
                        ReportKind::Target => "target",
                    },
                    change.task,
                    change.period,
                    after.unit.name
                ),
                task: Some(change.task),
                before: report_json(current.as_ref()).as_ref(),
                after: Some(&after_json),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn report(
        &self,
        task: i64,
        period: Period,
        unit: UnitId,
    ) -> Result<Option<ReportRecord>> {
        let mut conn = self.pool.acquire().await?;
        find_report(&mut conn, ReportKind::Progress, task, period, unit).await
    }

    /// The reports (or targets) of `kind` matching `clause` — a WHERE clause and its ORDER BY,
    /// with `$1`, `$2` … bound to `binds` in order.
    pub(crate) async fn reports_where(
        &self,
        kind: ReportKind,
        clause: &str,
        binds: &[Bind],
    ) -> Result<Vec<ReportRecord>> {
        let sql = format!("{} WHERE {clause}", report_select(kind));
        let rows: Vec<ReportRow> = bind_all(sqlx::query_as(&sql), binds)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(|r| report_from_row(kind, r)).collect()
    }

    /// Every report on a task, by period and then lead unit first.
    pub async fn task_reports(&self, task: i64) -> Result<Vec<ReportRecord>> {
        self.reports_where(
            ReportKind::Progress,
            "r.task_id = $1 ORDER BY r.period, tu.ord",
            &[Bind::Int(task)],
        )
        .await
    }

    /// The reports of a ledger's period, for overviews and the review queue.
    pub async fn period_reports(&self, ledger: i64, period: Period) -> Result<Vec<ReportRecord>> {
        self.reports_where(
            ReportKind::Progress,
            "t.ledger_id = $1 AND r.period = $2 ORDER BY t.seq, tu.ord",
            &[Bind::Int(ledger), Bind::Text(period.to_string())],
        )
        .await
    }

    /// The reports of a period on the given tasks (a page of the ledger table, a unit's list):
    /// read task by task, not the whole period, a few thousand tasks a statement.
    pub async fn tasks_reports(&self, tasks: &[i64], period: Period) -> Result<Vec<ReportRecord>> {
        let mut reports = Vec::new();
        for chunk in tasks.chunks(5_000) {
            let list: Vec<String> = (2..=chunk.len() + 1).map(|n| format!("${n}")).collect();
            let mut binds = vec![Bind::Text(period.to_string())];
            binds.extend(chunk.iter().map(|id| Bind::Int(*id)));
            reports.extend(
                self.reports_where(
                    ReportKind::Progress,
                    &format!(
                        "r.period = $1 AND r.task_id IN ({}) ORDER BY t.seq, tu.ord",
                        list.join(", ")
                    ),
                    &binds,
                )
                .await?,
            );
        }
        Ok(reports)
    }

    /// Submitted reports of lead units waiting for the office, oldest first.
    pub async fn review_queue(&self) -> Result<Vec<ReportRecord>> {
        self.reports_where(
            ReportKind::Progress,
            "r.state = 'submitted' AND tu.role = 'lead' AND t.withdrawn_at IS NULL \
             ORDER BY r.submitted_at, r.id",
            &[],
        )
        .await
    }

    /// A task's id by ledger and 序号.
    pub async fn task_ids(&self, ledger: i64) -> Result<HashMap<u32, i64>> {
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT seq, id FROM tasks WHERE ledger_id = $1")
                .bind(ledger)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(seq, id)| Some((u32::try_from(seq).ok()?, id)))
            .collect())
    }

    /// A task with its assignments, milestones, accepted progress and source.
    pub async fn task_detail(&self, id: i64) -> Result<TaskDetail> {
        type Row = (
            i64,
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT t.ledger_id, t.seq, t.goal, l.name, t.withdrawn_at, t.withdrawn_reason, m.seq \
             FROM tasks t JOIN ledgers l ON l.id = t.ledger_id \
             LEFT JOIN tasks m ON m.id = t.merged_into WHERE t.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((ledger_id, seq, goal, ledger_name, withdrawn_at, withdrawn_reason, merged_seq)) =
            row
        else {
            return Err(StoreError::NotFound {
                what: "任务",
                name: id.to_string(),
                hint: String::new(),
            });
        };
        let ledger = self.ledger(&ledger_name).await?;
        let leaders: Vec<(String,)> = sqlx::query_as(
            "SELECT l.name FROM task_leaders tl JOIN leaders l ON l.id = tl.leader_id \
             WHERE tl.task_id = $1 ORDER BY tl.ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let units: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT u.id, u.name, tu.role FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             WHERE tu.task_id = $1 ORDER BY tu.ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let milestones: Vec<(String, String)> =
            sqlx::query_as("SELECT period, target FROM milestones WHERE task_id = $1")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let progress: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT period, body, status FROM progress WHERE task_id = $1")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let mut milestones = milestones
            .into_iter()
            .map(|(p, t)| Ok((parse_period(&p)?, t)))
            .collect::<Result<Vec<_>>>()?;
        milestones.sort_by_key(|(p, _)| *p);
        let mut progress = progress
            .into_iter()
            .map(|(p, body, status)| {
                let status = status
                    .map(|s| s.parse::<Status>())
                    .transpose()
                    .map_err(corrupt("完成状态"))?;
                Ok((parse_period(&p)?, body, status))
            })
            .collect::<Result<Vec<_>>>()?;
        progress.sort_by_key(|(p, _, _)| *p);
        let source = self.sources(ledger_id).await?.remove(&id);
        let withdrawn = withdrawn_at.map(|at| Withdrawal {
            at,
            reason: withdrawn_reason.unwrap_or_default(),
            merged_into: merged_seq.and_then(|s| u32::try_from(s).ok()),
        });
        Ok(TaskDetail {
            withdrawn,
            id,
            ledger,
            seq: u32::try_from(seq).unwrap_or_default(),
            goal,
            leaders: leaders.into_iter().map(|(n,)| n).collect(),
            units: units
                .into_iter()
                .map(|(uid, name, role)| {
                    Ok((
                        UnitRef {
                            id: UnitId(uid),
                            name,
                        },
                        role.parse().map_err(corrupt("责任分工"))?,
                    ))
                })
                .collect::<Result<Vec<_>>>()?,
            milestones,
            progress,
            source,
        })
    }

    /// Records a reminder (催办) to a unit, or to all of the task's units.
    pub async fn remind(
        &self,
        account: &Account,
        task: i64,
        period: Period,
        unit: Option<UnitId>,
    ) -> Result<Reminder> {
        let mut tx = self.begin_write().await?;
        ledger_of_task(&mut tx, task).await?;
        let at = now_rfc3339();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO reminders (task_id, period, unit_id, account_id, at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(task)
        .bind(period.to_string())
        .bind(unit.map(|u| u.0))
        .bind(account.id)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        let unit_name = match unit {
            Some(u) => {
                let row: Option<(String,)> = sqlx::query_as("SELECT name FROM units WHERE id = $1")
                    .bind(u.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                row.map(|(n,)| n)
            }
            None => None,
        };
        let after = json!({ "period": period, "unit": unit_name });
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "remind",
                entity: &format!("task:{task}"),
                task: Some(task),
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Reminder {
            id,
            task_id: task,
            period,
            unit: unit_name,
            by: account.login.clone(),
            at,
        })
    }

    /// Reminders about one task, or about every task of a ledger.
    pub async fn reminders(&self, scope: ReminderScope) -> Result<Vec<Reminder>> {
        let (filter, id) = match scope {
            ReminderScope::Task(id) => ("r.task_id = $1", id),
            ReminderScope::Ledger(id) => ("t.ledger_id = $1", id),
        };
        // The reminders first (CROSS JOIN fixes SQLite's order): a ledger has far more tasks
        // than reminders, and probing each task for its reminders reads the whole ledger.
        let rows: Vec<(i64, i64, String, Option<String>, String, String)> =
            sqlx::query_as(&format!(
                "SELECT r.id, r.task_id, r.period, u.name, a.login, r.at FROM reminders r \
             CROSS JOIN tasks t JOIN accounts a ON a.id = r.account_id \
             LEFT JOIN units u ON u.id = r.unit_id WHERE t.id = r.task_id AND {filter} \
             ORDER BY r.id"
            ))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|(id, task_id, period, unit, by, at)| {
                Ok(Reminder {
                    id,
                    task_id,
                    period: parse_period(&period)?,
                    unit,
                    by,
                    at,
                })
            })
            .collect()
    }

    /// Publishes a notice: stores the sheet as it is now and locks the period, in one step.
    pub async fn publish_notice(
        &self,
        account: &Account,
        sheet: &LedgerSheet,
        settings: &NoticeSettings,
    ) -> Result<PublishedNotice> {
        let title = settings.title.as_str();
        let period = sheet
            .period
            .ok_or_else(|| StoreError::Conflict("通报须针对某一期间".to_owned()))?;
        let ledger = self.ledger(&sheet.ledger).await?;
        let mut tx = self.begin_write().await?;
        let at = now_rfc3339();
        let text = serde_json::to_string(sheet).map_err(|e| StoreError::Corrupt {
            what: "通报",
            message: e.to_string(),
        })?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO notices (ledger_id, period, title, sheet, published_by, published_at, \
             notice_date, only_problems, summary, marks) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(ledger.id.0)
        .bind(period.to_string())
        .bind(title)
        .bind(&text)
        .bind(account.id)
        .bind(&at)
        .bind(&settings.date)
        .bind(i64::from(settings.only_problems))
        .bind(&settings.summary)
        .bind(&settings.marks)
        .fetch_one(&mut *tx)
        .await?;
        if lock_of(&mut tx, ledger.id.0, period).await?.is_none() {
            sqlx::query(
                "INSERT INTO period_locks (ledger_id, period, locked_by, locked_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(ledger.id.0)
            .bind(period.to_string())
            .bind(account.id)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        let after = json!({
            "ledger": ledger.name, "period": period, "title": title, "tasks": sheet.tasks.len(),
            "date": settings.date, "only_problems": settings.only_problems,
        });
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "publish",
                entity: &format!("notice:{id}"),
                task: None,
                before: None,
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(PublishedNotice {
            id,
            ledger: ledger.name,
            period,
            title: title.to_owned(),
            published_by: account.login.clone(),
            published_at: at,
            date: Some(settings.date.clone()),
            only_problems: settings.only_problems,
            summary: Some(settings.summary.clone()),
        })
    }

    /// Every published notice, newest first.
    pub async fn published_notices(&self) -> Result<Vec<PublishedNotice>> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            i64,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT n.id, l.name, n.period, n.title, a.login, n.published_at, n.notice_date, \
             n.only_problems, n.summary FROM notices n \
             JOIN ledgers l ON l.id = n.ledger_id JOIN accounts a ON a.id = n.published_by \
             ORDER BY n.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, ledger, period, title, by, at, date, only, summary)| {
                Ok(PublishedNotice {
                    id,
                    ledger,
                    period: parse_period(&period)?,
                    title,
                    published_by: by,
                    published_at: at,
                    date,
                    only_problems: only != 0,
                    summary,
                })
            })
            .collect()
    }

    /// A published notice with the sheet it was published from.
    pub async fn published_notice(&self, id: i64) -> Result<(PublishedNotice, LedgerSheet)> {
        let notice = self
            .published_notices()
            .await?
            .into_iter()
            .find(|n| n.id == id)
            .ok_or_else(|| StoreError::NotFound {
                what: "通报",
                name: id.to_string(),
                hint: String::new(),
            })?;
        let (text,): (String,) = sqlx::query_as("SELECT sheet FROM notices WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let sheet = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            what: "通报",
            message: e.to_string(),
        })?;
        Ok((notice, sheet))
    }

    /// What a published notice prints beside its sheet (JSON), if anything was fixed with it.
    pub async fn notice_marks(&self, id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT marks FROM notices WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(m,)| m))
    }

    /// The locked periods of a ledger.
    pub async fn period_locks(&self, ledger: i64) -> Result<Vec<PeriodLock>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT l.period, a.login, l.locked_at FROM period_locks l \
             JOIN accounts a ON a.id = l.locked_by WHERE l.ledger_id = $1 ORDER BY l.period",
        )
        .bind(ledger)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(period, by, at)| {
                Ok(PeriodLock {
                    period: parse_period(&period)?,
                    locked_by: by,
                    locked_at: at,
                })
            })
            .collect()
    }

    /// Unlocks a period so units can change their reports again; the reason is recorded.
    pub async fn unlock_period(
        &self,
        account: &Account,
        ledger: i64,
        period: Period,
        reason: &str,
    ) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(StoreError::Conflict("解锁须说明原因".to_owned()));
        }
        let mut tx = self.begin_write().await?;
        let before = lock_of(&mut tx, ledger, period).await?;
        let Some(before) = before else {
            return Err(StoreError::Conflict(format!(
                "{} 没有锁定",
                period.label_zh()
            )));
        };
        sqlx::query("DELETE FROM period_locks WHERE ledger_id = $1 AND period = $2")
            .bind(ledger)
            .bind(period.to_string())
            .execute(&mut *tx)
            .await?;
        let before = json!({ "period": period, "locked": before });
        let after = json!({ "period": period, "locked": null, "reason": reason.trim() });
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "unlock",
                entity: &format!("ledger:{ledger}:{period}"),
                task: None,
                before: Some(&before),
                after: Some(&after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Records a system action in the audit log (imports, the demo's setup).
impl Store {
    pub async fn record_system_action(
        &self,
        actor: &Actor,
        action: &str,
        what: &serde_json::Value,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action,
                entity: "system",
                task: None,
                before: None,
                after: Some(what),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
