//! Reporting on a plan (规划监测): the units the office names for its indicators (数据来源单位)
//! and its 专栏 projects (责任单位), the project library's stage and investment, and the units'
//! reports — an indicator's value for a year or quarter, a project's monthly dispatch (月调度) —
//! through the same cycle as task reports (`core::transition`, versions, the head's signature).
//! Accepting a report writes what it says where the plan's figures are kept.

use duban_core::{AccountRole, DocumentId, ReportAction, ReportState, UnitId, transition};
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::{Account, Result, Signature, Store, StoreError, now_rfc3339};

/// What a plan report is about: one of the plan's main indicators, or one of its projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlanSubject {
    Indicator,
    Project,
}

impl PlanSubject {
    pub fn code(self) -> &'static str {
        match self {
            PlanSubject::Indicator => "indicator",
            PlanSubject::Project => "project",
        }
    }

    pub fn parse(code: &str) -> Option<PlanSubject> {
        match code {
            "indicator" => Some(PlanSubject::Indicator),
            "project" => Some(PlanSubject::Project),
            _ => None,
        }
    }

    /// What the unit reporting on it is called.
    pub fn unit_role_zh(self) -> &'static str {
        match self {
            PlanSubject::Indicator => "数据来源单位",
            PlanSubject::Project => "责任单位",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            PlanSubject::Indicator => "指标",
            PlanSubject::Project => "项目",
        }
    }
}

/// The unit named for an indicator or a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAssignment {
    pub subject: PlanSubject,
    /// Position in the plan's table or project list, from 0.
    pub ord: i64,
    pub unit_id: i64,
    pub unit: String,
}

/// A project of the library: as the plan lists it, with what the office and the reports added.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRecord {
    pub ord: i64,
    pub box_name: String,
    pub group: Option<String>,
    pub name: String,
    /// preparing, building, completed or operating (前期/在建/竣工/投运); None until known.
    pub stage: Option<String>,
    /// 万元.
    pub planned_investment: Option<f64>,
    /// Completed so far, 万元.
    pub actual_investment: Option<f64>,
}

/// A report on a plan as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanReport {
    pub id: i64,
    pub document_id: i64,
    pub subject: PlanSubject,
    pub ord: i64,
    pub unit_id: i64,
    pub unit: String,
    /// 2023, 2023-Q2 (indicators) or 2023-05 (projects).
    pub period: String,
    pub state: ReportState,
    /// The unit's words: the value's note, or the month's progress (形象进度).
    pub body: String,
    /// An indicator's numbers (two series: two).
    pub value: Option<Vec<f64>>,
    pub stage: Option<String>,
    /// A project's investment completed so far, 万元.
    pub investment: Option<f64>,
    pub version: i64,
    pub comment: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub signature: Option<String>,
    pub signer_key: Option<String>,
    pub submitted_at: Option<String>,
    pub accepted_at: Option<String>,
}

/// One step asked of a plan report.
#[derive(Debug, Clone)]
pub struct PlanReportChange {
    pub document: DocumentId,
    pub subject: PlanSubject,
    pub ord: i64,
    pub unit: UnitId,
    pub period: String,
    pub action: ReportAction,
    pub seen_version: Option<i64>,
    /// For save: the words, the numbers, the stage and the investment.
    pub body: Option<String>,
    pub value: Option<Vec<f64>>,
    pub stage: Option<String>,
    pub investment: Option<f64>,
    pub comment: Option<String>,
    pub signature: Option<Signature>,
}

/// Which plan reports to list.
#[derive(Debug, Clone, Default)]
pub struct PlanReportFilter {
    pub document: Option<i64>,
    pub unit: Option<i64>,
    pub subject: Option<PlanSubject>,
}

const SELECT: &str = "SELECT r.id, r.document_id, r.subject, r.ord, r.unit_id, u.name, r.period, \
     r.state, r.body, r.value, r.stage, r.investment, r.version, r.comment, a.login, r.updated_at, \
     b.login, r.approved_at, r.signature, r.signer_key, r.submitted_at, r.accepted_at \
     FROM plan_reports r JOIN units u ON u.id = r.unit_id \
     LEFT JOIN accounts a ON a.id = r.updated_by LEFT JOIN accounts b ON b.id = r.approved_by";

fn numbers_text(numbers: &[f64]) -> String {
    numbers
        .iter()
        .map(f64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn numbers_of(text: &str) -> Result<Vec<f64>> {
    text.split(',')
        .map(|n| {
            n.parse::<f64>().map_err(|e| StoreError::Corrupt {
                what: "指标数值",
                message: e.to_string(),
            })
        })
        .collect()
}

fn report_from_row(row: &sqlx::any::AnyRow) -> Result<PlanReport> {
    use sqlx::Row;
    let subject: String = row.try_get(2)?;
    let state: String = row.try_get(7)?;
    let value: Option<String> = row.try_get(9)?;
    Ok(PlanReport {
        id: row.try_get(0)?,
        document_id: row.try_get(1)?,
        subject: PlanSubject::parse(&subject).ok_or_else(|| StoreError::Corrupt {
            what: "规划报送对象",
            message: subject.clone(),
        })?,
        ord: row.try_get(3)?,
        unit_id: row.try_get(4)?,
        unit: row.try_get(5)?,
        period: row.try_get(6)?,
        state: state.parse().map_err(crate::corrupt("报送状态"))?,
        body: row.try_get(8)?,
        value: value.as_deref().map(numbers_of).transpose()?,
        stage: row.try_get(10)?,
        investment: row.try_get(11)?,
        version: row.try_get(12)?,
        comment: row.try_get(13)?,
        updated_by: row.try_get(14)?,
        updated_at: row.try_get(15)?,
        approved_by: row.try_get(16)?,
        approved_at: row.try_get(17)?,
        signature: row.try_get(18)?,
        signer_key: row.try_get(19)?,
        submitted_at: row.try_get(20)?,
        accepted_at: row.try_get(21)?,
    })
}

/// A number bound as text and cast in the statement. sqlx's `Any` binds a missing f64 as a
/// NULL of another type, and PostgreSQL then fixes the parameter's type in the connection's
/// cached statement, refusing the next real number bound to it; text has one type either way.
fn real(v: Option<f64>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// The row a step leaves behind (every column the cycle changes).
struct Next {
    state: ReportState,
    body: String,
    value: Option<String>,
    stage: Option<String>,
    investment: Option<f64>,
    comment: Option<String>,
    approved_by: Option<i64>,
    approved_at: Option<String>,
    signature: Option<String>,
    signer_key: Option<String>,
    submitted_at: Option<String>,
    accepted_at: Option<String>,
}

impl Store {
    /// Names the unit that reports on some of a plan's indicators or projects (replacing the one
    /// named before), with the change in the audit log. A unit no ledger named yet (a statistics
    /// bureau often is one) is added, as imports add units. Returns the unit's name as kept.
    pub async fn assign_plan_unit(
        &self,
        actor: &Actor,
        document: DocumentId,
        subject: PlanSubject,
        ords: &[i64],
        unit: &str,
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let (unit, _) = crate::units::find_or_create_unit(&mut tx, unit).await?;
        for ord in ords {
            let before: Option<(String,)> = sqlx::query_as(
                "SELECT u.name FROM plan_assignments p JOIN units u ON u.id = p.unit_id \
                 WHERE p.document_id = $1 AND p.subject = $2 AND p.ord = $3",
            )
            .bind(document.0)
            .bind(subject.code())
            .bind(ord)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO plan_assignments (document_id, subject, ord, unit_id) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (document_id, subject, ord) \
                 DO UPDATE SET unit_id = excluded.unit_id",
            )
            .bind(document.0)
            .bind(subject.code())
            .bind(ord)
            .bind(unit.0)
            .execute(&mut *tx)
            .await?;
            let (after,): (String,) = sqlx::query_as("SELECT name FROM units WHERE id = $1")
                .bind(unit.0)
                .fetch_one(&mut *tx)
                .await?;
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "plan_assign",
                    entity: &format!("document:{}:{}:{ord}", document.0, subject.code()),
                    task: None,
                    before: before.map(|(u,)| json!({ "unit": u })).as_ref(),
                    after: Some(&json!({ "unit": after })),
                },
            )
            .await?;
        }
        let (name,): (String,) = sqlx::query_as("SELECT name FROM units WHERE id = $1")
            .bind(unit.0)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(name)
    }

    /// The units named for a plan's indicators and projects.
    pub async fn plan_assignments(&self, document: DocumentId) -> Result<Vec<PlanAssignment>> {
        let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
            "SELECT p.subject, p.ord, p.unit_id, u.name FROM plan_assignments p \
             JOIN units u ON u.id = p.unit_id WHERE p.document_id = $1 ORDER BY p.subject, p.ord",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(subject, ord, unit_id, unit)| {
                Some(PlanAssignment {
                    subject: PlanSubject::parse(&subject)?,
                    ord,
                    unit_id,
                    unit,
                })
            })
            .collect())
    }

    /// The plan's projects with their stage and investments, in the plan's order.
    pub async fn project_library(&self, document: DocumentId) -> Result<Vec<ProjectRecord>> {
        type Row = (
            i64,
            String,
            Option<String>,
            String,
            Option<String>,
            Option<f64>,
            Option<f64>,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT ord, box_name, group_name, name, stage, planned_investment, actual_investment \
             FROM projects WHERE document_id = $1 ORDER BY ord",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(ord, box_name, group, name, stage, planned_investment, actual_investment)| {
                    ProjectRecord {
                        ord,
                        box_name,
                        group,
                        name,
                        stage,
                        planned_investment,
                        actual_investment,
                    }
                },
            )
            .collect())
    }

    /// The office's facts of a project: its planned investment and its stage (either kept when
    /// None), with the change in the audit log.
    pub async fn set_project(
        &self,
        actor: &Actor,
        document: DocumentId,
        ord: i64,
        planned_investment: Option<f64>,
        stage: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let before: Option<(String, Option<String>, Option<f64>)> = sqlx::query_as(
            "SELECT name, stage, planned_investment FROM projects WHERE document_id = $1 AND ord = $2",
        )
        .bind(document.0)
        .bind(ord)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((name, old_stage, old_planned)) = before else {
            return Err(StoreError::NotFound {
                what: "项目",
                name: (ord + 1).to_string(),
                hint: String::new(),
            });
        };
        sqlx::query(
            "UPDATE projects SET planned_investment = COALESCE(CAST($1 AS DOUBLE PRECISION), planned_investment), \
             stage = COALESCE($2, stage) WHERE document_id = $3 AND ord = $4",
        )
        .bind(real(planned_investment))
        .bind(stage)
        .bind(document.0)
        .bind(ord)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "project_set",
                entity: &format!("document:{}:project:{ord}", document.0),
                task: None,
                before: Some(
                    &json!({"name": name, "stage": old_stage, "planned_investment": old_planned}),
                ),
                after: Some(&json!({
                    "name": name,
                    "stage": stage.map(str::to_owned).or(old_stage),
                    "planned_investment": planned_investment.or(old_planned),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Plan reports, by plan, subject, position, period and unit.
    pub async fn plan_reports(&self, filter: &PlanReportFilter) -> Result<Vec<PlanReport>> {
        let mut conditions = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        enum Bind {
            Id(i64),
            Text(&'static str),
        }
        if let Some(d) = filter.document {
            binds.push(Bind::Id(d));
            conditions.push(format!("r.document_id = ${}", binds.len()));
        }
        if let Some(u) = filter.unit {
            binds.push(Bind::Id(u));
            conditions.push(format!("r.unit_id = ${}", binds.len()));
        }
        if let Some(s) = filter.subject {
            binds.push(Bind::Text(s.code()));
            conditions.push(format!("r.subject = ${}", binds.len()));
        }
        let sql = format!(
            "{SELECT}{}{} ORDER BY r.document_id, r.subject, r.ord, r.period, u.name",
            if conditions.is_empty() { "" } else { " WHERE " },
            conditions.join(" AND ")
        );
        let mut query = sqlx::query(&sql);
        for b in binds {
            query = match b {
                Bind::Id(v) => query.bind(v),
                Bind::Text(v) => query.bind(v),
            };
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(report_from_row)
            .collect()
    }

    /// One plan report.
    pub async fn plan_report(&self, id: i64) -> Result<PlanReport> {
        let row = sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "规划报送",
                name: id.to_string(),
                hint: String::new(),
            })?;
        report_from_row(&row)
    }

    /// One step on a plan report. Only the unit named for the indicator or project reports on
    /// it; versions guard against two people changing it at once; accepting an indicator's
    /// value keeps it as the year's (or the quarter's) actual, accepting a project's month keeps
    /// its stage and investment in the library.
    pub async fn act_on_plan_report(
        &self,
        account: &Account,
        change: &PlanReportChange,
    ) -> Result<PlanReport> {
        let mut tx = self.begin_write().await?;
        let named: Option<(i64,)> = sqlx::query_as(
            "SELECT unit_id FROM plan_assignments WHERE document_id = $1 AND subject = $2 AND ord = $3",
        )
        .bind(change.document.0)
        .bind(change.subject.code())
        .bind(change.ord)
        .fetch_optional(&mut *tx)
        .await?;
        if named.map(|(u,)| u) != Some(change.unit.0) {
            return Err(StoreError::Forbidden(format!(
                "该单位不是此{}的{}：请督查室先指定",
                change.subject.label_zh(),
                change.subject.unit_role_zh()
            )));
        }
        if account.role != AccountRole::Office
            && account.unit.as_ref().map(|u| u.id) != Some(change.unit)
        {
            return Err(StoreError::Forbidden("只能处理本单位的报送".to_owned()));
        }
        if account.role != change.action.actor() {
            return Err(duban_core::WorkflowError::WrongRole {
                role: account.role,
                action: change.action,
                actor: change.action.actor(),
            }
            .into());
        }
        let current = match sqlx::query(&format!(
            "{SELECT} WHERE r.document_id = $1 AND r.subject = $2 AND r.ord = $3 \
             AND r.unit_id = $4 AND r.period = $5"
        ))
        .bind(change.document.0)
        .bind(change.subject.code())
        .bind(change.ord)
        .bind(change.unit.0)
        .bind(&change.period)
        .fetch_optional(&mut *tx)
        .await?
        {
            Some(row) => Some(report_from_row(&row)?),
            None => None,
        };
        let version = current.as_ref().map_or(0, |r| r.version);
        if change.seen_version.unwrap_or(0) != version {
            return Err(StoreError::Conflict(format!(
                "此报送已被他人修改（当前为第 {version} 版，您看到的是第 {} 版）：您的内容没有保存，请核对最新内容后再提交",
                change.seen_version.unwrap_or(0)
            )));
        }
        let state = transition(
            current.as_ref().map(|r| r.state),
            change.action,
            account.role,
            change.comment.as_deref(),
        )?;
        let now = now_rfc3339();
        let kept = |f: fn(&PlanReport) -> Option<String>| current.as_ref().and_then(f);
        let mut next = Next {
            state,
            body: current.as_ref().map(|r| r.body.clone()).unwrap_or_default(),
            value: current
                .as_ref()
                .and_then(|r| r.value.as_deref())
                .map(numbers_text),
            stage: kept(|r| r.stage.clone()),
            investment: current.as_ref().and_then(|r| r.investment),
            comment: kept(|r| r.comment.clone()),
            approved_by: None,
            approved_at: kept(|r| r.approved_at.clone()),
            signature: kept(|r| r.signature.clone()),
            signer_key: kept(|r| r.signer_key.clone()),
            submitted_at: kept(|r| r.submitted_at.clone()),
            accepted_at: kept(|r| r.accepted_at.clone()),
        };
        let approved_by: Option<(Option<i64>,)> = match &current {
            Some(r) => {
                sqlx::query_as("SELECT approved_by FROM plan_reports WHERE id = $1")
                    .bind(r.id)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        next.approved_by = approved_by.and_then(|(a,)| a);
        let unsign = |next: &mut Next| {
            next.approved_by = None;
            next.approved_at = None;
            next.signature = None;
            next.signer_key = None;
            next.submitted_at = None;
        };
        match change.action {
            ReportAction::Save => {
                let body = change.body.as_deref().map(str::trim).unwrap_or_default();
                match change.subject {
                    PlanSubject::Indicator if change.value.as_ref().is_none_or(Vec::is_empty) => {
                        return Err(StoreError::Conflict("保存须填写指标数值".to_owned()));
                    }
                    PlanSubject::Project if body.is_empty() => {
                        return Err(StoreError::Conflict("保存须填写本月项目进展".to_owned()));
                    }
                    _ => {}
                }
                next.body = body.to_owned();
                next.value = change.value.as_deref().map(numbers_text);
                next.stage = change.stage.clone();
                next.investment = change.investment;
                unsign(&mut next);
            }
            ReportAction::SendBack => unsign(&mut next),
            ReportAction::Approve => {
                let signed = change
                    .signature
                    .as_ref()
                    .ok_or_else(|| StoreError::Conflict("审核须由单位负责人签名".to_owned()))?;
                next.approved_by = Some(account.id);
                next.approved_at = Some(signed.approved_at.clone());
                next.signature = Some(signed.signature.clone());
                next.signer_key = Some(signed.public_key.clone());
            }
            ReportAction::Submit => next.submitted_at = Some(now.clone()),
            ReportAction::Accept => next.accepted_at = Some(now.clone()),
            ReportAction::Return => {
                unsign(&mut next);
                next.accepted_at = None;
            }
        }
        if change.action.needs_comment() || change.action == ReportAction::Accept {
            next.comment = change
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned);
        }
        let id = match &current {
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO plan_reports (document_id, subject, ord, unit_id, period, state, \
                     body, value, stage, investment, version, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CAST($10 AS DOUBLE PRECISION), 1, $11, $12) RETURNING id",
                )
                .bind(change.document.0)
                .bind(change.subject.code())
                .bind(change.ord)
                .bind(change.unit.0)
                .bind(&change.period)
                .bind(next.state.code())
                .bind(&next.body)
                .bind(&next.value)
                .bind(&next.stage)
                .bind(real(next.investment))
                .bind(account.id)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
            Some(r) => {
                let updated = sqlx::query(
                    "UPDATE plan_reports SET state = $1, body = $2, value = $3, stage = $4, \
                     investment = CAST($5 AS DOUBLE PRECISION), comment = $6, approved_by = $7, approved_at = $8, \
                     signature = $9, signer_key = $10, submitted_at = $11, accepted_at = $12, \
                     updated_by = $13, updated_at = $14, version = version + 1 \
                     WHERE id = $15 AND version = $16",
                )
                .bind(next.state.code())
                .bind(&next.body)
                .bind(&next.value)
                .bind(&next.stage)
                .bind(real(next.investment))
                .bind(&next.comment)
                .bind(next.approved_by)
                .bind(&next.approved_at)
                .bind(&next.signature)
                .bind(&next.signer_key)
                .bind(&next.submitted_at)
                .bind(&next.accepted_at)
                .bind(account.id)
                .bind(&now)
                .bind(r.id)
                .bind(r.version)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict(
                        "此报送刚被他人修改：您的内容没有保存，请刷新后再提交".to_owned(),
                    ));
                }
                r.id
            }
        };
        if change.action == ReportAction::Accept {
            self::apply(&mut tx, change, &next, account.id, &now).await?;
        }
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "plan_report",
                entity: &format!("plan_report:{id}"),
                task: None,
                before: current
                    .as_ref()
                    .map(|r| {
                        json!({"state": r.state, "body": r.body, "value": r.value,
                               "stage": r.stage, "investment": r.investment, "version": r.version})
                    })
                    .as_ref(),
                after: Some(&json!({
                    "subject": change.subject.code(), "ord": change.ord, "period": change.period,
                    "state": next.state, "body": next.body, "value": next.value,
                    "stage": next.stage, "investment": next.investment, "version": version + 1,
                    "action": change.action, "comment": next.comment,
                    "signature": next.signature,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.plan_report(id).await
    }
}

/// What an accepted report changes: an indicator's actual for its year (a Q4 value is the
/// year's; Q1–Q3 are kept as q1–q3), or a project's stage and investment.
async fn apply(
    tx: &mut sqlx::AnyConnection,
    change: &PlanReportChange,
    next: &Next,
    account: i64,
    now: &str,
) -> Result<()> {
    match change.subject {
        PlanSubject::Indicator => {
            let (year, kind) = match change.period.split_once("-Q") {
                Some((year, "4")) => (year, "actual".to_owned()),
                Some((year, q)) => (year, format!("q{q}")),
                None => (change.period.as_str(), "actual".to_owned()),
            };
            let year: i64 = year.parse().map_err(|_| StoreError::Corrupt {
                what: "报送期间",
                message: change.period.clone(),
            })?;
            sqlx::query(
                "INSERT INTO indicator_values (document_id, ord, year, kind, value, note, entered_by, entered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (document_id, ord, year, kind) DO UPDATE SET value = excluded.value, \
                 note = excluded.note, entered_by = excluded.entered_by, entered_at = excluded.entered_at",
            )
            .bind(change.document.0)
            .bind(change.ord)
            .bind(year)
            .bind(kind)
            .bind(next.value.clone().unwrap_or_default())
            .bind(&next.body)
            .bind(account)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        PlanSubject::Project => {
            sqlx::query(
                "UPDATE projects SET stage = COALESCE($1, stage), \
                 actual_investment = COALESCE(CAST($2 AS DOUBLE PRECISION), actual_investment) \
                 WHERE document_id = $3 AND ord = $4",
            )
            .bind(&next.stage)
            .bind(real(next.investment))
            .bind(change.document.0)
            .bind(change.ord)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}
