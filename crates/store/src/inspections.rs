//! Inspections (督查) and their findings, each finding its unit's rectification item (整改) with
//! the unit's report on it; leaders' ratings (定性评价) and the assessment scheme (考核方案) of a
//! ledger's year.

use duban_core::assessment::{InspectionKind, Rating, Severity};
use duban_core::{AccountRole, Period, ReportAction, ReportState, UnitId, transition};
use serde::Serialize;
use serde_json::json;

use crate::accounts::Account;
use crate::audit::{self, Actor, Change};
use crate::ledgers::parse_period;
use crate::reports::Signature;
use crate::units::find_unit;
use crate::{Result, Store, StoreError, now_rfc3339};

/// A finding to record: the task by its 序号, the unit by name (aliases accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFinding {
    pub seq: u32,
    pub unit: String,
    pub text: String,
    pub severity: Severity,
    /// The period whose verdict it lowers a step.
    pub lowers: Option<Period>,
    /// The rectification's deadline.
    pub due: String,
}

/// An inspection to record with its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    pub ledger: String,
    pub kind: InspectionKind,
    /// YYYY-MM-DD.
    pub day: String,
    pub team: String,
    pub note: String,
    pub findings: Vec<NewFinding>,
    /// Add the findings to this inspection (of the same ledger) instead of recording a new one.
    pub append_to: Option<i64>,
}

/// An inspection as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Inspection {
    pub id: i64,
    pub ledger: String,
    pub kind: InspectionKind,
    pub day: String,
    pub team: String,
    pub note: String,
    pub created_by: Option<String>,
    pub created_at: String,
    pub findings: usize,
}

/// A finding and its rectification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub id: i64,
    pub inspection_id: i64,
    pub ledger: String,
    pub kind: InspectionKind,
    /// The inspection's day.
    pub day: String,
    pub team: String,
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub unit: String,
    pub unit_id: i64,
    pub text: String,
    pub severity: Severity,
    pub lowers: Option<Period>,
    /// The rectification's deadline (YYYY-MM-DD).
    pub due: String,
    /// The rectification report's state; None until the unit first saves it. Accepted is closed
    /// (已销号).
    pub state: Option<ReportState>,
    /// What the unit did (整改情况).
    pub report: String,
    pub version: i64,
    pub comment: Option<String>,
    pub updated_by: Option<String>,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub signature: Option<String>,
    pub signer_key: Option<String>,
    pub submitted_at: Option<String>,
    pub closed_at: Option<String>,
    /// SHA-256 of the unit's files on it (sorted): signed with the rectification report.
    pub files: Vec<String>,
}

/// A file on a finding: the office's photo of what was found, or the unit's evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FindingFile {
    pub id: i64,
    pub finding_id: i64,
    pub name: String,
    pub mime: String,
    pub size: i64,
    pub hash: String,
    /// office (督查取证) or unit (整改佐证).
    pub side: String,
    pub added_by: Option<String>,
    pub added_at: String,
}

impl Finding {
    pub fn is_closed(&self) -> bool {
        self.state == Some(ReportState::Accepted)
    }

    /// Where it stands, in words.
    pub fn state_zh(&self) -> &'static str {
        match self.state {
            None => "待整改",
            Some(ReportState::Accepted) => "已销号",
            Some(ReportState::Returned) => "已退回重新整改",
            Some(state) => state.label_zh(),
        }
    }
}

/// A published assessment (考核结果), as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublishedAssessment {
    pub id: i64,
    pub ledger: String,
    pub title: String,
    pub published_by: String,
    pub published_at: String,
}

/// Which findings to list.
#[derive(Debug, Clone, Default)]
pub struct FindingFilter {
    pub ledger: Option<i64>,
    pub unit: Option<UnitId>,
    pub task: Option<i64>,
    pub inspection: Option<i64>,
}

/// One step on a rectification report.
#[derive(Debug, Clone)]
pub struct RectificationChange {
    pub finding: i64,
    pub action: ReportAction,
    pub body: Option<String>,
    pub seen_version: Option<i64>,
    pub comment: Option<String>,
    pub signature: Option<Signature>,
}

type FindingRow = (
    (i64, i64, String, String, String, String, i64, i64),
    (String, String, i64, String, String, Option<String>, String),
    (Option<String>, String, i64, Option<String>, Option<String>),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ),
);

const FINDING_SELECT: &str = "SELECT f.id, f.inspection_id, l.name, i.kind, i.day, i.team, f.task_id, t.seq, \
     t.goal, u.name, f.unit_id, f.body, f.severity, f.lowers_period, f.due, \
     f.state, f.report, f.version, f.comment, ua.login, \
     aa.login, f.approved_at, f.signature, f.signer_key, f.submitted_at, f.closed_at, \
     (SELECT string_agg(ff.hash, ',' ORDER BY ff.hash) FROM finding_files ff \
       WHERE ff.finding_id = f.id AND ff.side = 'unit') \
     FROM findings f JOIN inspections i ON i.id = f.inspection_id JOIN ledgers l ON l.id = i.ledger_id \
     JOIN tasks t ON t.id = f.task_id JOIN units u ON u.id = f.unit_id \
     LEFT JOIN accounts ua ON ua.id = f.updated_by LEFT JOIN accounts aa ON aa.id = f.approved_by";

fn finding_from_row(row: FindingRow) -> Result<Finding> {
    let (
        (id, inspection_id, ledger, kind, day, team, task_id, seq),
        (goal, unit, unit_id, text, severity, lowers, due),
        (state, report, version, comment, updated_by),
        (approved_by, approved_at, signature, signer_key, submitted_at, closed_at, files),
    ) = row;
    Ok(Finding {
        id,
        inspection_id,
        ledger,
        kind: kind.parse().map_err(crate::corrupt("督查方式"))?,
        day,
        team,
        task_id,
        seq: u32::try_from(seq).unwrap_or_default(),
        goal,
        unit,
        unit_id,
        text,
        severity: severity.parse().map_err(crate::corrupt("问题等级"))?,
        lowers: lowers.as_deref().map(parse_period).transpose()?,
        due,
        state: state
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(crate::corrupt("整改状态"))?,
        report,
        version,
        comment,
        updated_by,
        approved_by,
        approved_at,
        signature,
        signer_key,
        submitted_at,
        closed_at,
        files: files
            .map(|f| f.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
    })
}

impl Store {
    /// Records an inspection and its findings in one transaction, with its audit entry. Every
    /// finding's task must be in the ledger and its unit one of the task's units.
    pub async fn add_inspection(
        &self,
        actor: &Actor,
        new: &NewInspection,
    ) -> Result<(Inspection, Vec<i64>)> {
        if new.findings.is_empty() {
            return Err(StoreError::Conflict(
                "督查记录至少要有一条发现的问题".to_owned(),
            ));
        }
        let ledger = self.ledger(&new.ledger).await?;
        let mut tx = self.begin_write().await?;
        let now = now_rfc3339();
        let id = match new.append_to {
            Some(id) => {
                let of: Option<(i64,)> =
                    sqlx::query_as("SELECT ledger_id FROM inspections WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                match of {
                    Some((ledger_id,)) if ledger_id == ledger.id.0 => id,
                    Some(_) => {
                        return Err(StoreError::Conflict(format!(
                            "督查记录 {id} 不属于台账 {}",
                            ledger.name
                        )));
                    }
                    None => {
                        return Err(StoreError::NotFound {
                            what: "督查记录",
                            name: id.to_string(),
                            hint: String::new(),
                        });
                    }
                }
            }
            None => {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO inspections (ledger_id, kind, day, team, note, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(ledger.id.0)
                .bind(new.kind.code())
                .bind(&new.day)
                .bind(new.team.trim())
                .bind(new.note.trim())
                .bind(actor.account)
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                id
            }
        };
        let mut ids = Vec::new();
        for (i, finding) in new.findings.iter().enumerate() {
            let place = format!("第 {} 条问题", i + 1);
            let task: Option<(i64, Option<String>)> = sqlx::query_as(
                "SELECT id, withdrawn_reason FROM tasks WHERE ledger_id = $1 AND seq = $2",
            )
            .bind(ledger.id.0)
            .bind(i64::from(finding.seq))
            .fetch_optional(&mut *tx)
            .await?;
            let task = match task {
                Some((task, None)) => task,
                Some((_, Some(_))) => {
                    return Err(StoreError::Conflict(format!(
                        "{place}：序号 {} 的任务已撤销或合并",
                        finding.seq
                    )));
                }
                None => {
                    return Err(StoreError::NotFound {
                        what: "任务",
                        name: format!("序号 {}", finding.seq),
                        hint: format!("（{place}，台账 {}）", ledger.name),
                    });
                }
            };
            let unit =
                find_unit(&mut tx, &finding.unit)
                    .await?
                    .ok_or_else(|| StoreError::NotFound {
                        what: "单位",
                        name: finding.unit.clone(),
                        hint: format!("（{place}）"),
                    })?;
            let part: Option<(String,)> =
                sqlx::query_as("SELECT role FROM task_units WHERE task_id = $1 AND unit_id = $2")
                    .bind(task)
                    .bind(unit.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if part.is_none() {
                return Err(StoreError::Conflict(format!(
                    "{place}：{} 不是序号 {} 的责任单位",
                    finding.unit, finding.seq
                )));
            }
            let text = finding.text.trim();
            if text.is_empty() {
                return Err(StoreError::Conflict(format!("{place}：须写明发现的问题")));
            }
            let (finding_id,): (i64,) = sqlx::query_as(
                "INSERT INTO findings (inspection_id, task_id, unit_id, body, severity, lowers_period, \
                 due, report, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, '', 0, $8) \
                 RETURNING id",
            )
            .bind(id)
            .bind(task)
            .bind(unit.0)
            .bind(text)
            .bind(finding.severity.code())
            .bind(finding.lowers.map(|p| p.to_string()))
            .bind(&finding.due)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "add_finding",
                    entity: &format!("finding:{finding_id}"),
                    task: Some(task),
                    before: None,
                    after: Some(&json!({
                        "inspection": id, "kind": new.kind, "day": new.day, "unit": finding.unit,
                        "text": text, "severity": finding.severity, "due": finding.due,
                        "lowers": finding.lowers,
                    })),
                },
            )
            .await?;
            ids.push(finding_id);
        }
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "add_inspection",
                entity: &format!("inspection:{id}"),
                task: None,
                before: None,
                after: Some(&json!({
                    "ledger": ledger.name, "kind": new.kind, "day": new.day, "team": new.team.trim(),
                    "findings": ids.len(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        let inspection = self
            .inspections(ledger.id.0)
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or_else(|| StoreError::Conflict("督查记录写入后无法读取".to_owned()))?;
        Ok((inspection, ids))
    }

    /// A ledger's inspections, newest first.
    pub async fn inspections(&self, ledger: i64) -> Result<Vec<Inspection>> {
        type Row = (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT i.id, l.name, i.kind, i.day, i.team, i.note, a.login, i.created_at, \
             (SELECT COUNT(*) FROM findings f WHERE f.inspection_id = i.id) \
             FROM inspections i JOIN ledgers l ON l.id = i.ledger_id \
             LEFT JOIN accounts a ON a.id = i.created_by WHERE i.ledger_id = $1 \
             ORDER BY i.day DESC, i.id DESC",
        )
        .bind(ledger)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(id, ledger, kind, day, team, note, created_by, created_at, findings)| {
                    Ok(Inspection {
                        id,
                        ledger,
                        kind: kind.parse().map_err(crate::corrupt("督查方式"))?,
                        day,
                        team,
                        note,
                        created_by,
                        created_at,
                        findings: usize::try_from(findings).unwrap_or_default(),
                    })
                },
            )
            .collect()
    }

    /// Findings, by inspection day (newest first) and id.
    pub async fn findings(&self, filter: &FindingFilter) -> Result<Vec<Finding>> {
        let mut clauses = Vec::new();
        let mut binds = Vec::new();
        for (column, value) in [
            ("i.ledger_id", filter.ledger),
            ("f.unit_id", filter.unit.map(|u| u.0)),
            ("f.task_id", filter.task),
            ("f.inspection_id", filter.inspection),
        ] {
            if let Some(value) = value {
                binds.push(value);
                clauses.push(format!("{column} = ${}", binds.len()));
            }
        }
        let clause = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let sql = format!("{FINDING_SELECT}{clause} ORDER BY i.day DESC, f.id");
        let mut query = sqlx::query(&sql);
        for value in binds {
            query = query.bind(value);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| finding_from_row(read_row(row)?))
            .collect()
    }

    /// One finding.
    pub async fn finding(&self, id: i64) -> Result<Finding> {
        let row = sqlx::query(&format!("{FINDING_SELECT} WHERE f.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "督查发现的问题",
                name: id.to_string(),
                hint: String::new(),
            })?;
        finding_from_row(read_row(&row)?)
    }

    /// One step on a finding's rectification report: the unit drafts what it did, its head
    /// approves (signed) and submits, the office closes it (采纳 = 销号) or returns it with a
    /// comment. Versions guard against two people changing it at once, as for reports.
    pub async fn act_on_rectification(
        &self,
        account: &Account,
        change: &RectificationChange,
    ) -> Result<Finding> {
        let mut tx = self.begin_write().await?;
        let current: Option<(i64, Option<String>, String, i64)> =
            sqlx::query_as("SELECT unit_id, state, report, version FROM findings WHERE id = $1")
                .bind(change.finding)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((unit, state, report, version)) = current else {
            return Err(StoreError::NotFound {
                what: "督查发现的问题",
                name: change.finding.to_string(),
                hint: String::new(),
            });
        };
        if account.role != AccountRole::Office
            && account.unit.as_ref().map(|u| u.id.0) != Some(unit)
        {
            return Err(StoreError::Forbidden("只能整改本单位的问题".to_owned()));
        }
        if account.role != change.action.actor() {
            return Err(duban_core::WorkflowError::WrongRole {
                role: account.role,
                action: change.action,
                actor: change.action.actor(),
            }
            .into());
        }
        if change.seen_version.unwrap_or(0) != version {
            return Err(StoreError::Conflict(format!(
                "此整改报告已被他人修改（当前为第 {version} 版，您看到的是第 {} 版）：您的内容没有保存，请核对最新内容后再提交",
                change.seen_version.unwrap_or(0)
            )));
        }
        let state: Option<ReportState> = state
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(crate::corrupt("整改状态"))?;
        let next = transition(
            state,
            change.action,
            account.role,
            change.comment.as_deref(),
        )?;
        let body = match (change.action, &change.body) {
            (ReportAction::Save, Some(body)) if !body.trim().is_empty() => body.trim().to_owned(),
            (ReportAction::Save, _) => {
                return Err(StoreError::Conflict("保存须填写整改情况".to_owned()));
            }
            _ => report.clone(),
        };
        let signature = match change.action {
            ReportAction::Approve => Some(
                change
                    .signature
                    .clone()
                    .ok_or_else(|| StoreError::Conflict("审核须由单位负责人签名".to_owned()))?,
            ),
            _ => None,
        };
        let now = now_rfc3339();
        // Each column the step changes, with its value: the statement has as many parameters as
        // it binds (PostgreSQL refuses any other count).
        enum Value {
            Text(Option<String>),
            Id(Option<i64>),
        }
        use Value::{Id, Text};
        let mut sets: Vec<(&str, Value)> = vec![
            ("state", Text(Some(next.code().to_owned()))),
            ("report", Text(Some(body.clone()))),
            ("updated_by", Id(Some(account.id))),
            ("updated_at", Text(Some(now.clone()))),
        ];
        let unsigned = [
            ("approved_by", Id(None)),
            ("approved_at", Text(None)),
            ("signature", Text(None)),
            ("signer_key", Text(None)),
            ("submitted_at", Text(None)),
        ];
        match (change.action, &signature) {
            (ReportAction::Save | ReportAction::SendBack, _) => sets.extend(unsigned),
            (ReportAction::Approve, Some(signed)) => sets.extend([
                ("approved_by", Id(Some(account.id))),
                ("approved_at", Text(Some(signed.approved_at.clone()))),
                ("signature", Text(Some(signed.signature.clone()))),
                ("signer_key", Text(Some(signed.public_key.clone()))),
            ]),
            (ReportAction::Submit, _) => sets.push(("submitted_at", Text(Some(now.clone())))),
            (ReportAction::Accept, _) => sets.push(("closed_at", Text(Some(now.clone())))),
            (ReportAction::Return, _) => {
                sets.extend(unsigned);
                sets.push(("closed_at", Text(None)));
            }
            (ReportAction::Approve, None) => {}
        }
        if change.action.needs_comment() || change.action == ReportAction::Accept {
            let comment = change.comment.as_deref().map(str::trim).map(str::to_owned);
            sets.push(("comment", Text(comment)));
        }
        let assignments: Vec<String> = sets
            .iter()
            .enumerate()
            .map(|(i, (column, _))| format!("{column} = ${}", i + 1))
            .collect();
        let sql = format!(
            "UPDATE findings SET version = version + 1, {} WHERE id = ${} AND version = ${}",
            assignments.join(", "),
            sets.len() + 1,
            sets.len() + 2
        );
        let mut query = sqlx::query(&sql);
        for (_, value) in sets {
            query = match value {
                Text(v) => query.bind(v),
                Id(v) => query.bind(v),
            };
        }
        let updated = query
            .bind(change.finding)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict(
                "此整改报告刚被他人修改：您的内容没有保存，请刷新后再提交".to_owned(),
            ));
        }
        let (task,): (i64,) = sqlx::query_as("SELECT task_id FROM findings WHERE id = $1")
            .bind(change.finding)
            .fetch_one(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "rectify",
                entity: &format!("finding:{}", change.finding),
                task: Some(task),
                before: Some(&json!({"state": state, "report": report, "version": version})),
                after: Some(&json!({
                    "state": next, "report": body, "version": version + 1,
                    "action": change.action, "comment": change.comment,
                    "signature": signature.as_ref().map(|s| &s.signature),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.finding(change.finding).await
    }

    /// The office closes a finding by hand (销号) whatever its report says — for work checked on
    /// paper — with the reason in the audit log.
    pub async fn close_finding(&self, actor: &Actor, id: i64, reason: &str) -> Result<Finding> {
        let before = self.finding(id).await?;
        if before.is_closed() {
            return Err(StoreError::Conflict(format!("问题 #{id} 已销号")));
        }
        let mut tx = self.begin_write().await?;
        let now = now_rfc3339();
        sqlx::query(
            "UPDATE findings SET state = 'accepted', closed_at = $1, comment = $2, \
             version = version + 1, updated_by = $3, updated_at = $1 WHERE id = $4",
        )
        .bind(&now)
        .bind(reason.trim())
        .bind(actor.account)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "close_finding",
                entity: &format!("finding:{id}"),
                task: Some(before.task_id),
                before: Some(&json!({"state": before.state})),
                after: Some(&json!({"state": ReportState::Accepted, "reason": reason.trim()})),
            },
        )
        .await?;
        tx.commit().await?;
        self.finding(id).await
    }

    /// A leader rates a unit for a ledger's year (定性评价); a second rating replaces the first.
    pub async fn rate_unit(
        &self,
        account: &Account,
        ledger: &str,
        unit: &str,
        rating: Rating,
        note: &str,
    ) -> Result<()> {
        let ledger = self.ledger(ledger).await?;
        let mut tx = self.begin_write().await?;
        let unit_id = find_unit(&mut tx, unit)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                what: "单位",
                name: unit.to_owned(),
                hint: String::new(),
            })?;
        sqlx::query(
            "INSERT INTO ratings (ledger_id, unit_id, account_id, rating, note, rated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ledger_id, unit_id, account_id) \
             DO UPDATE SET rating = excluded.rating, note = excluded.note, rated_at = excluded.rated_at",
        )
        .bind(ledger.id.0)
        .bind(unit_id.0)
        .bind(account.id)
        .bind(rating.code())
        .bind(note.trim())
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "rate_unit",
                entity: &format!("unit:{}", unit_id.0),
                task: None,
                before: None,
                after: Some(&json!({"ledger": ledger.name, "unit": unit, "rating": rating, "note": note.trim()})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A ledger's ratings: (unit, the rater's name — the leader's, else the account's —, rating).
    pub async fn ratings(&self, ledger: i64) -> Result<Vec<(String, String, Rating)>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT u.name, COALESCE(le.name, a.name), r.rating FROM ratings r \
             JOIN units u ON u.id = r.unit_id JOIN accounts a ON a.id = r.account_id \
             LEFT JOIN leaders le ON le.id = a.leader_id WHERE r.ledger_id = $1 \
             ORDER BY u.name, a.name",
        )
        .bind(ledger)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(unit, leader, rating)| {
                Ok((
                    unit,
                    leader,
                    rating.parse().map_err(crate::corrupt("定性评价"))?,
                ))
            })
            .collect()
    }

    /// The ledger's assessment scheme as the office wrote it, if it did.
    pub async fn scheme(&self, ledger: i64) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT body FROM schemes WHERE ledger_id = $1")
                .bind(ledger)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(b,)| b))
    }

    /// Keeps the ledger's scheme (already checked by the caller), with the old one in the audit
    /// log.
    pub async fn set_scheme(&self, actor: &Actor, ledger: i64, body: &str) -> Result<()> {
        let before = self.scheme(ledger).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO schemes (ledger_id, body, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (ledger_id) DO UPDATE SET body = excluded.body, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(ledger)
        .bind(body)
        .bind(actor.account)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "set_scheme",
                entity: &format!("ledger:{ledger}"),
                task: None,
                before: before.map(|b| json!({"scheme": b})).as_ref(),
                after: Some(&json!({"scheme": body})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Publishes a ledger's assessment (the scores as JSON, frozen), with its audit entry.
    pub async fn publish_assessment(
        &self,
        account: &Account,
        ledger: &str,
        title: &str,
        body: &str,
    ) -> Result<PublishedAssessment> {
        let ledger = self.ledger(ledger).await?;
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO assessments (ledger_id, title, body, published_by, published_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(ledger.id.0)
        .bind(title)
        .bind(body)
        .bind(account.id)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "publish_assessment",
                entity: &format!("assessment:{id}"),
                task: None,
                before: None,
                after: Some(&json!({"ledger": ledger.name, "title": title})),
            },
        )
        .await?;
        tx.commit().await?;
        self.published_assessments()
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| StoreError::Conflict("考核结果写入后无法读取".to_owned()))
    }

    /// Every published assessment, newest first.
    pub async fn published_assessments(&self) -> Result<Vec<PublishedAssessment>> {
        let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT s.id, l.name, s.title, a.login, s.published_at FROM assessments s \
             JOIN ledgers l ON l.id = s.ledger_id JOIN accounts a ON a.id = s.published_by \
             ORDER BY s.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, ledger, title, published_by, published_at)| PublishedAssessment {
                    id,
                    ledger,
                    title,
                    published_by,
                    published_at,
                },
            )
            .collect())
    }

    /// A published assessment's scores (JSON as published).
    pub async fn published_assessment(&self, id: i64) -> Result<(PublishedAssessment, String)> {
        let meta = self
            .published_assessments()
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| StoreError::NotFound {
                what: "考核结果",
                name: id.to_string(),
                hint: String::new(),
            })?;
        let (body,): (String,) = sqlx::query_as("SELECT body FROM assessments WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok((meta, body))
    }
}

impl Store {
    /// Adds a file to a finding: the office's at any time; the unit's while its rectification
    /// report may still change (a new file makes the report a new version, since the head signs
    /// the files with it).
    pub async fn attach_to_finding(
        &self,
        account: &Account,
        finding: i64,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<FindingFile> {
        let mut tx = self.begin_write().await?;
        let row: Option<(i64, i64, Option<String>)> =
            sqlx::query_as("SELECT task_id, unit_id, state FROM findings WHERE id = $1")
                .bind(finding)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((task, unit, state)) = row else {
            return Err(StoreError::NotFound {
                what: "督查发现的问题",
                name: finding.to_string(),
                hint: String::new(),
            });
        };
        let side = match account.role {
            AccountRole::Office => "office",
            AccountRole::Reporter | AccountRole::Head
                if account.unit.as_ref().map(|u| u.id.0) == Some(unit) =>
            {
                let state: Option<ReportState> = state
                    .as_deref()
                    .map(str::parse)
                    .transpose()
                    .map_err(crate::corrupt("整改状态"))?;
                if let Some(state) = state.filter(|s| !s.is_editable()) {
                    return Err(StoreError::Conflict(format!(
                        "整改报告为“{}”，不能再添加材料（退回后可以）",
                        state.label_zh()
                    )));
                }
                sqlx::query(
                    "UPDATE findings SET version = version + 1 WHERE id = $1 AND state IS NOT NULL",
                )
                .bind(finding)
                .execute(&mut *tx)
                .await?;
                "unit"
            }
            _ => {
                return Err(StoreError::Forbidden(
                    "只能为本单位的问题上传材料".to_owned(),
                ));
            }
        };
        let hash = crate::evidence::put_blob(&mut tx, bytes, mime).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO finding_files (finding_id, hash, name, side, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(finding)
        .bind(&hash)
        .bind(name)
        .bind(side)
        .bind(account.id)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &account.actor(),
            Change {
                action: "attach_finding",
                entity: &format!("finding:{finding}"),
                task: Some(task),
                before: None,
                after: Some(
                    &json!({"name": name, "hash": hash, "side": side, "size": bytes.len()}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        self.finding_file(id).await
    }

    /// The files on a finding, the office's first.
    pub async fn finding_files(&self, finding: i64) -> Result<Vec<FindingFile>> {
        self.finding_files_where("ff.finding_id = $1", finding)
            .await
    }

    /// One file on a finding.
    pub async fn finding_file(&self, id: i64) -> Result<FindingFile> {
        self.finding_files_where("ff.id = $1", id)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::NotFound {
                what: "材料",
                name: id.to_string(),
                hint: String::new(),
            })
    }

    async fn finding_files_where(&self, clause: &str, value: i64) -> Result<Vec<FindingFile>> {
        type Row = (
            i64,
            i64,
            String,
            String,
            i64,
            String,
            String,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT ff.id, ff.finding_id, ff.name, b.mime, b.size, ff.hash, ff.side, a.login, ff.added_at \
             FROM finding_files ff JOIN blobs b ON b.hash = ff.hash \
             LEFT JOIN accounts a ON a.id = ff.added_by WHERE {clause} ORDER BY ff.side, ff.id"
        ))
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, finding_id, name, mime, size, hash, side, added_by, added_at)| FindingFile {
                    id,
                    finding_id,
                    name,
                    mime,
                    size,
                    hash,
                    side,
                    added_by,
                    added_at,
                },
            )
            .collect())
    }
}

/// sqlx decodes tuples of at most 16 columns: the row is read by position and grouped.
fn read_row(row: &sqlx::any::AnyRow) -> Result<FindingRow> {
    use sqlx::Row;
    Ok((
        (
            row.try_get(0)?,
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
            row.try_get(4)?,
            row.try_get(5)?,
            row.try_get(6)?,
            row.try_get(7)?,
        ),
        (
            row.try_get(8)?,
            row.try_get(9)?,
            row.try_get(10)?,
            row.try_get(11)?,
            row.try_get(12)?,
            row.try_get(13)?,
            row.try_get(14)?,
        ),
        (
            row.try_get(15)?,
            row.try_get(16)?,
            row.try_get(17)?,
            row.try_get(18)?,
            row.try_get(19)?,
        ),
        (
            row.try_get(20)?,
            row.try_get(21)?,
            row.try_get(22)?,
            row.try_get(23)?,
            row.try_get(24)?,
            row.try_get(25)?,
            row.try_get(26)?,
        ),
    ))
}
