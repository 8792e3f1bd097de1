//! The yearly values of a plan's indicators (规划监测): actuals, and the yearly values the office
//! sets for indicators whose target is an assignment.

use duban_core::DocumentId;
use serde_json::json;

use crate::audit::{self, Actor, Change};
use crate::{Result, Store, StoreError, now_rfc3339};

/// A value to keep.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIndicatorValue {
    /// The indicator's position in the plan's table, from 0.
    pub ord: i64,
    pub year: i32,
    /// actual or assigned.
    pub kind: String,
    pub numbers: Vec<f64>,
    pub note: String,
}

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorEntry {
    /// The indicator's position in the plan's table, from 0.
    pub ord: i64,
    pub year: i32,
    /// actual or assigned.
    pub kind: String,
    /// One number per series.
    pub numbers: Vec<f64>,
    pub note: String,
    pub entered_by: Option<String>,
    pub entered_at: String,
}

impl Store {
    /// Keeps years' values of a plan's indicators (each replacing that year's earlier one), all
    /// in one transaction or none, with the old and new values in the audit log.
    pub async fn set_indicator_values(
        &self,
        actor: &Actor,
        document: DocumentId,
        entries: &[NewIndicatorValue],
    ) -> Result<()> {
        let existing = self.indicator_values(document).await?;
        let mut tx = self.begin_write().await?;
        for e in entries {
            if !matches!(e.kind.as_str(), "actual" | "assigned") {
                return Err(StoreError::Conflict(format!("未知的数值类别：{}", e.kind)));
            }
            let value = e
                .numbers
                .iter()
                .map(f64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let before = existing
                .iter()
                .find(|x| x.ord == e.ord && x.year == e.year && x.kind == e.kind);
            sqlx::query(
                "INSERT INTO indicator_values (document_id, ord, year, kind, value, note, entered_by, entered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (document_id, ord, year, kind) DO UPDATE SET value = excluded.value, \
                 note = excluded.note, entered_by = excluded.entered_by, entered_at = excluded.entered_at",
            )
            .bind(document.0)
            .bind(e.ord)
            .bind(i64::from(e.year))
            .bind(&e.kind)
            .bind(&value)
            .bind(e.note.trim())
            .bind(actor.account)
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                actor,
                Change {
                    action: "set_indicator_value",
                    entity: &format!("indicator:{}:{}", document.0, e.ord),
                    task: None,
                    before: before
                        .map(|b| json!({"year": e.year, "kind": e.kind, "value": b.numbers, "note": b.note}))
                        .as_ref(),
                    after: Some(&json!({"year": e.year, "kind": e.kind, "value": e.numbers, "note": e.note.trim()})),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every stored value of a plan's indicators, by indicator and year.
    pub async fn indicator_values(&self, document: DocumentId) -> Result<Vec<IndicatorEntry>> {
        type Row = (i64, i64, String, String, String, Option<String>, String);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT v.ord, v.year, v.kind, v.value, v.note, a.login, v.entered_at \
             FROM indicator_values v LEFT JOIN accounts a ON a.id = v.entered_by \
             WHERE v.document_id = $1 ORDER BY v.ord, v.year, v.kind",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(ord, year, kind, value, note, entered_by, entered_at)| {
                let numbers = value
                    .split(',')
                    .map(|n| {
                        n.trim().parse::<f64>().map_err(|e| StoreError::Corrupt {
                            what: "指标数值",
                            message: format!("{value}：{e}"),
                        })
                    })
                    .collect::<Result<Vec<f64>>>()?;
                Ok(IndicatorEntry {
                    ord,
                    year: i32::try_from(year).unwrap_or_default(),
                    kind,
                    numbers,
                    note,
                    entered_by,
                    entered_at,
                })
            })
            .collect()
    }
}

/// A ledger's task linked to one of a plan's passages (规划任务): which ledger, its 序号, and
/// the headings over the passage (篇、章、节), for counting tasks by chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanTaskLink {
    pub ledger: String,
    pub year: i32,
    pub seq: u32,
    pub headings: Vec<String>,
}

impl Store {
    /// The tasks of every ledger linked to a passage of the plan (withdrawn ones left out), by
    /// ledger year, ledger and 序号.
    pub async fn plan_task_links(&self, document: DocumentId) -> Result<Vec<PlanTaskLink>> {
        let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
            "SELECT l.name, l.year, t.seq, p.headings FROM tasks t \
             JOIN passages p ON p.id = t.passage_id JOIN ledgers l ON l.id = t.ledger_id \
             WHERE p.document_id = $1 AND t.withdrawn_at IS NULL ORDER BY l.year, l.name, t.seq",
        )
        .bind(document.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(ledger, year, seq, headings)| {
                Ok(PlanTaskLink {
                    ledger,
                    year: year as i32,
                    seq: seq as u32,
                    headings: crate::documents::from_json("段落标题", &headings)?,
                })
            })
            .collect()
    }
}
