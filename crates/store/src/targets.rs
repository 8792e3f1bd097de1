//! Target rounds (目标分解): the office opens a round for some periods of a ledger, the units of
//! each task draft their targets through the reporting cycle (`reports::act`, kind `Target`), and
//! an accepted lead unit's target becomes the task's milestone for the period.

use duban_core::{LedgerId, Period, ReportKind, Role, UnitId};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;

use crate::accounts::Account;
use crate::audit::{self, Change};
use crate::ledgers::parse_period;
use crate::overview::Bind;
use crate::reports::{ReportChange, ReportRecord};
use crate::{Result, Store, StoreError, corrupt, now_rfc3339};

/// A period of a ledger the office opened for targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TargetRound {
    pub ledger: String,
    pub period: Period,
    /// The last day (Beijing, YYYY-MM-DD) for the units to submit.
    pub due: String,
    pub opened_by: String,
    pub opened_at: String,
}

/// A task a unit has to set a target for, in an open round, with where its target stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UnitTarget {
    /// The round (for its receipt, 签收).
    pub round_id: i64,
    pub task_id: i64,
    pub ledger: String,
    pub seq: u32,
    pub goal: String,
    pub period: Period,
    pub due: String,
    pub role: Role,
    /// The unit's target as it stands; None before the first save.
    pub target: Option<ReportRecord>,
    /// The task's milestone for the period as now recorded (an imported one, or an accepted
    /// target).
    pub milestone: Option<String>,
}

pub(crate) async fn round_is_open(
    conn: &mut AnyConnection,
    ledger: i64,
    period: Period,
) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM target_rounds WHERE ledger_id = $1 AND period = $2")
            .bind(ledger)
            .bind(period.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// Makes an accepted target of the task's lead unit its milestone for the period (the support
/// units' parts stay beside it as accepted targets), with its own audit entry.
pub(crate) async fn accept_as_milestone(
    conn: &mut AnyConnection,
    account: &Account,
    change: &ReportChange,
    body: &str,
) -> Result<()> {
    let role: Option<(String,)> =
        sqlx::query_as("SELECT role FROM task_units WHERE task_id = $1 AND unit_id = $2")
            .bind(change.task)
            .bind(change.unit.0)
            .fetch_optional(&mut *conn)
            .await?;
    if role.map(|(r,)| r) != Some(Role::Lead.code().to_owned()) {
        return Ok(());
    }
    let period = change.period.to_string();
    let before: Option<(String,)> =
        sqlx::query_as("SELECT target FROM milestones WHERE task_id = $1 AND period = $2")
            .bind(change.task)
            .bind(&period)
            .fetch_optional(&mut *conn)
            .await?;
    crate::ledgers::note_task_period(&mut *conn, change.task, &period).await?;
    sqlx::query(
        "INSERT INTO milestones (task_id, period, target) VALUES ($1, $2, $3) \
         ON CONFLICT (task_id, period) DO UPDATE SET target = excluded.target",
    )
    .bind(change.task)
    .bind(&period)
    .bind(body)
    .execute(&mut *conn)
    .await?;
    let before = before.map(|(t,)| json!({ "target": t }));
    audit::record(
        conn,
        &account.actor(),
        Change {
            action: "set_milestone",
            entity: &format!("milestone:{}:{period}", change.task),
            task: Some(change.task),
            before: before.as_ref(),
            after: Some(&json!({ "target": body })),
        },
    )
    .await
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    ledger: String,
    period: String,
    due: String,
    opened_by: String,
    opened_at: String,
}

fn round_from_row(row: RoundRow) -> Result<TargetRound> {
    Ok(TargetRound {
        ledger: row.ledger,
        period: parse_period(&row.period)?,
        due: row.due,
        opened_by: row.opened_by,
        opened_at: row.opened_at,
    })
}

const ROUND_SELECT: &str = "SELECT l.name AS ledger, r.period, r.due, \
     COALESCE(a.login, '') AS opened_by, r.opened_at \
     FROM target_rounds r JOIN ledgers l ON l.id = r.ledger_id \
     LEFT JOIN accounts a ON a.id = r.opened_by";

impl Store {
    /// Opens a target round for `periods` of a ledger, all due on `due`. A period already
    /// opened is refused, naming it, and nothing is opened.
    pub async fn open_target_round(
        &self,
        account: &Account,
        ledger: LedgerId,
        periods: &[Period],
        due: chrono::NaiveDate,
    ) -> Result<Vec<TargetRound>> {
        let mut tx = self.begin_write().await?;
        let now = now_rfc3339();
        for period in periods {
            if round_is_open(&mut tx, ledger.0, *period).await? {
                return Err(StoreError::Conflict(format!(
                    "{} 的目标分解已经开启，不能重复开启",
                    period.label_zh()
                )));
            }
            sqlx::query(
                "INSERT INTO target_rounds (ledger_id, period, due, opened_by, opened_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(ledger.0)
            .bind(period.to_string())
            .bind(due.to_string())
            .bind(account.id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                &account.actor(),
                Change {
                    action: "open_round",
                    entity: &format!("round:{}:{period}", ledger.0),
                    task: None,
                    before: None,
                    after: Some(&json!({ "period": period, "due": due.to_string() })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        let opened: Vec<String> = periods.iter().map(Period::to_string).collect();
        Ok(self
            .target_rounds(ledger)
            .await?
            .into_iter()
            .filter(|r| opened.contains(&r.period.to_string()))
            .collect())
    }

    /// The rounds of a ledger, in period order.
    pub async fn target_rounds(&self, ledger: LedgerId) -> Result<Vec<TargetRound>> {
        let rows: Vec<RoundRow> = sqlx::query_as(&format!(
            "{ROUND_SELECT} WHERE r.ledger_id = $1 ORDER BY r.period"
        ))
        .bind(ledger.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(round_from_row).collect()
    }

    /// Every target on a task, by period and then lead unit first.
    pub async fn task_targets(&self, task: i64) -> Result<Vec<ReportRecord>> {
        self.reports_where(
            ReportKind::Target,
            "r.task_id = $1 ORDER BY r.period, tu.ord",
            &[Bind::Int(task)],
        )
        .await
    }

    /// Every target of a ledger, by task, period and unit.
    pub async fn ledger_targets(&self, ledger: LedgerId) -> Result<Vec<ReportRecord>> {
        self.reports_where(
            ReportKind::Target,
            "t.ledger_id = $1 ORDER BY t.seq, r.period, tu.ord",
            &[Bind::Int(ledger.0)],
        )
        .await
    }

    /// The submitted targets waiting for the office, oldest first.
    pub async fn target_queue(&self) -> Result<Vec<ReportRecord>> {
        self.reports_where(
            ReportKind::Target,
            "r.state = 'submitted' AND t.withdrawn_at IS NULL ORDER BY r.submitted_at, r.id",
            &[],
        )
        .await
    }

    /// What a unit has to set targets for: each of its tasks in each open round, with its target
    /// as it stands, by ledger, period and task.
    pub async fn unit_targets(&self, unit: UnitId) -> Result<Vec<UnitTarget>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            round_id: i64,
            task_id: i64,
            ledger: String,
            seq: i64,
            goal: String,
            period: String,
            due: String,
            role: String,
            milestone: Option<String>,
        }
        // Most installations have no target rounds (目标分解) open: then nothing is read, rather
        // than every task of the unit tried against none.
        let (rounds,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM target_rounds")
            .fetch_one(&self.pool)
            .await?;
        if rounds == 0 {
            return Ok(Vec::new());
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT r.id AS round_id, t.id AS task_id, l.name AS ledger, t.seq, t.goal, r.period, r.due, tu.role, \
                    m.target AS milestone \
             FROM task_units tu JOIN tasks t ON t.id = tu.task_id \
             JOIN ledgers l ON l.id = t.ledger_id \
             JOIN target_rounds r ON r.ledger_id = t.ledger_id \
             LEFT JOIN milestones m ON m.task_id = t.id AND m.period = r.period \
             WHERE tu.unit_id = $1 AND t.withdrawn_at IS NULL ORDER BY l.name, r.period, t.seq",
        )
        .bind(unit.0)
        .fetch_all(&self.pool)
        .await?;
        let mine = self
            .reports_where(ReportKind::Target, "r.unit_id = $1", &[Bind::Int(unit.0)])
            .await?;
        let mut targets = std::collections::HashMap::new();
        for record in mine {
            targets.insert((record.task_id, record.period.to_string()), record);
        }
        rows.into_iter()
            .map(|row| {
                Ok(UnitTarget {
                    target: targets.remove(&(row.task_id, row.period.clone())),
                    round_id: row.round_id,
                    task_id: row.task_id,
                    ledger: row.ledger,
                    seq: u32::try_from(row.seq).map_err(|_| StoreError::Corrupt {
                        what: "序号",
                        message: row.seq.to_string(),
                    })?,
                    goal: row.goal,
                    period: parse_period(&row.period)?,
                    due: row.due,
                    role: row.role.parse().map_err(corrupt("责任分工"))?,
                    milestone: row.milestone,
                })
            })
            .collect()
    }

    /// A unit's target on a task for a period, if it has one.
    pub async fn target_report(
        &self,
        task: i64,
        period: Period,
        unit: UnitId,
    ) -> Result<Option<ReportRecord>> {
        let mut conn = self.pool.acquire().await?;
        crate::reports::find_report(&mut conn, ReportKind::Target, task, period, unit).await
    }
}
