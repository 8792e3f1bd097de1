//! The ledger JSON (see DESIGN.md): the one interchange shape shared by importers, exports and
//! the REST API. A `LedgerSheet` is one ledger's tasks as seen in one period's table.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::model::{Role, Status, normalize_name};
use crate::period::{Period, find_year};

/// One ledger table: `{"ledger", "period", "columns", "tasks"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LedgerSheet {
    pub ledger: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The columns the table had, in its order: goal, target, progress, leaders, units …
    #[serde(default)]
    pub columns: Vec<String>,
    pub tasks: Vec<SheetTask>,
}

/// One row. Fields the table lacks are absent (`None`), not empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SheetTask {
    pub seq: u32,
    pub goal: String,
    /// The target for the sheet's period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Targets of a table with several period columns (第三季度目标, 第四季度目标).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<BTreeMap<Period, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaders: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<SheetUnit>>,
    /// The headings above the task in a division plan (一、扩大有效需求 / （一）稳投资).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// The deadline the plan sets for the task, as written (完成时限：2024年12月底).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Where the goal was taken from, once linked to a report (read from the store, ignored on
    /// import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<TaskSource>,
}

/// The passage of a document a task's goal was taken from (来源).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TaskSource {
    pub document_id: i64,
    /// The document's title, with its date when it has one: 政府工作报告（2021-01-13）.
    pub document: String,
    pub headings: Vec<String>,
    /// The whole passage text.
    pub passage: String,
    /// Character offsets of the goal's text inside the passage, end exclusive.
    pub span: [u32; 2],
    pub score: f64,
    /// Glossary terms of the document that the goal uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<crate::plan::GlossaryEntry>,
}

impl SheetTask {
    /// A row with only its number and goal; the other fields absent.
    pub fn new(seq: u32, goal: impl Into<String>) -> SheetTask {
        SheetTask {
            seq,
            goal: goal.into(),
            target: None,
            targets: None,
            status: None,
            progress: None,
            leaders: None,
            units: None,
            section: None,
            deadline: None,
            source: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SheetUnit {
    pub name: String,
    pub role: Role,
}

/// A sheet that cannot be stored as it is; `task` is the position (from 1) of the offending row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("台账名称为空")]
    EmptyLedgerName,
    #[error("第 {task} 条任务：序号 {seq} 重复")]
    DuplicateSeq { task: usize, seq: u32 },
    #[error("第 {task} 条任务（序号 {seq}）：年度目标任务为空")]
    EmptyGoal { task: usize, seq: u32 },
    #[error(
        "第 {task} 条任务（序号 {seq}）：有 target 或 status/progress，但台账没有期间（period）"
    )]
    NoPeriod { task: usize, seq: u32 },
    #[error("第 {task} 条任务（序号 {seq}）：责任单位名称为空")]
    EmptyUnit { task: usize, seq: u32 },
    #[error("第 {task} 条任务（序号 {seq}）：单位 \"{unit}\" 重复列出")]
    DuplicateUnit { task: usize, seq: u32, unit: String },
}

impl LedgerSheet {
    /// Checks what storage relies on: a name, unique sequence numbers, goals, and a period for
    /// any period-bound field.
    pub fn validate(&self) -> Result<(), SheetError> {
        if self.ledger.trim().is_empty() {
            return Err(SheetError::EmptyLedgerName);
        }
        let mut seen = BTreeSet::new();
        for (index, task) in self.tasks.iter().enumerate() {
            validate_task(self.period, index + 1, task, &mut seen)?;
        }
        Ok(())
    }

    /// The ledger's year: the period's, else the first four-digit year in the name (2023年…).
    pub fn year(&self) -> Option<i32> {
        if let Some(period) = self.period {
            return Some(period.year());
        }
        find_year(&self.ledger)
    }
}

/// Checks one row of a sheet whose period is `period`: `position` counts from 1, `seen` holds
/// the numbers of the rows before it (a sheet read task by task is checked as it is read).
pub fn validate_task(
    period: Option<Period>,
    position: usize,
    task: &SheetTask,
    seen: &mut BTreeSet<u32>,
) -> Result<(), SheetError> {
    let seq = task.seq;
    if !seen.insert(seq) {
        return Err(SheetError::DuplicateSeq {
            task: position,
            seq,
        });
    }
    if task.goal.trim().is_empty() {
        return Err(SheetError::EmptyGoal {
            task: position,
            seq,
        });
    }
    let period_bound = task.target.is_some() || task.status.is_some() || task.progress.is_some();
    if period_bound && period.is_none() {
        return Err(SheetError::NoPeriod {
            task: position,
            seq,
        });
    }
    let mut names = BTreeSet::new();
    for unit in task.units.iter().flatten() {
        let name = normalize_name(&unit.name);
        if name.is_empty() {
            return Err(SheetError::EmptyUnit {
                task: position,
                seq,
            });
        }
        if !names.insert(name.clone()) {
            return Err(SheetError::DuplicateUnit {
                task: position,
                seq,
                unit: name,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{ "ledger": "2023年《政府工作报告》重点工作", "period": "2023-08",
      "columns": ["goal", "target", "progress", "leaders", "units"],
      "tasks": [ { "seq": 1, "goal": "地区生产总值增长5.5%以上", "target": "稳中有进", "status": "partial",
                   "progress": "上半年增长4.9%", "leaders": ["郭克华"],
                   "units": [{"name": "区发改局", "role": "lead"}, {"name": "区统计局", "role": "data_source"}] } ] }"#;

    #[test]
    fn reads_the_design_example() {
        let sheet: LedgerSheet = serde_json::from_str(EXAMPLE).expect("valid example");
        assert_eq!(sheet.period, Some(Period::Month(2023, 8)));
        assert_eq!(sheet.tasks[0].status, Some(Status::Partial));
        let units = sheet.tasks[0].units.as_ref().expect("units");
        assert_eq!(units[1].role, Role::DataSource);
        assert_eq!(sheet.validate(), Ok(()));
        assert_eq!(sheet.year(), Some(2023));
    }

    #[test]
    fn absent_fields_stay_absent() {
        let sheet = LedgerSheet {
            ledger: "台账".into(),
            period: None,
            columns: vec!["goal".into()],
            tasks: vec![SheetTask::new(1, "目标")],
        };
        let json = serde_json::to_value(&sheet).expect("json");
        assert_eq!(
            json["tasks"][0].as_object().map(|o| o.len()),
            Some(2),
            "{json}"
        );
        assert!(json.get("period").is_none());
    }

    #[test]
    fn two_period_columns_become_a_targets_map() {
        let text = r#"{"ledger": "2020年重点工作", "columns": ["goal", "targets"],
            "tasks": [{"seq": 1, "goal": "g", "targets": {"2020-Q3": "三季度", "2020-Q4": "四季度"}}]}"#;
        let sheet: LedgerSheet = serde_json::from_str(text).expect("valid");
        let targets = sheet.tasks[0].targets.as_ref().expect("targets");
        assert_eq!(
            targets.get(&Period::Quarter(2020, 4)).map(String::as_str),
            Some("四季度")
        );
        let back = serde_json::to_string(&sheet).expect("json");
        assert!(back.contains(r#""2020-Q3":"三季度""#), "{back}");
        assert_eq!(sheet.year(), Some(2020));
    }

    #[test]
    fn validation_names_the_row() {
        let mut sheet: LedgerSheet = serde_json::from_str(EXAMPLE).expect("valid example");
        let mut second = sheet.tasks[0].clone();
        second.goal = "  ".into();
        second.seq = 2;
        sheet.tasks.push(second.clone());
        assert_eq!(
            sheet.validate(),
            Err(SheetError::EmptyGoal { task: 2, seq: 2 })
        );
        sheet.tasks[1].goal = "g".into();
        sheet.tasks[1].seq = 1;
        assert_eq!(
            sheet.validate(),
            Err(SheetError::DuplicateSeq { task: 2, seq: 1 })
        );
        sheet.tasks[1].seq = 2;
        sheet.period = None;
        assert_eq!(
            sheet.validate(),
            Err(SheetError::NoPeriod { task: 1, seq: 1 })
        );
    }
}
