//! The ledger's domain values: units, leaders, ledgers, tasks, milestones, progress, documents.
//!
//! Identifiers are newtypes over the database's integer keys so that a task id cannot be passed
//! where a unit id is expected; the values themselves know nothing about storage.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::period::Period;
pub use crate::words::{Cadence, DocumentKind, Role, Status, UnitKind, UnknownWord};

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(UnitId, LeaderId, LedgerId, TaskId, DocumentId, PassageId);

impl UnitKind {
    /// Guesses the kind from the name as Chinese administrations write it; a person can correct
    /// it later. Departments are the default because most 责任单位 are 区直部门.
    pub fn guess(name: &str) -> UnitKind {
        let name = name.trim();
        if name.ends_with('镇')
            || name.ends_with("街道")
            || name.ends_with('乡')
            || name.ends_with("街道办事处")
        {
            UnitKind::Town
        } else if ["开发区", "园区", "高新区", "示范区", "新区", "功能区"]
            .iter()
            .any(|w| name.contains(w))
        {
            UnitKind::Zone
        } else if ["公司", "集团"].iter().any(|w| name.ends_with(w)) {
            UnitKind::Company
        } else {
            UnitKind::Department
        }
    }
}

/// Removes all whitespace inside a name. Tables pad two-character personal names to the width of
/// three (高  晋) and wrap long unit names over lines; the person or unit is the same.
pub fn normalize_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A responsible unit (责任单位), with the other names it goes by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    /// 简称 and former names: 区市场监管局 for 区市场监督管理局.
    pub aliases: Vec<String>,
}

/// A leader in charge (分管领导).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Leader {
    pub id: LeaderId,
    pub name: String,
}

/// "Report within N working days after the period ends" (期满后 N 个工作日内报送).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeadlineRule {
    pub working_days: u32,
}

impl DeadlineRule {
    pub fn due(&self, calendar: &Calendar, period: Period) -> Result<NaiveDate, CalendarError> {
        calendar.deadline(period, self.working_days)
    }
}

impl Default for DeadlineRule {
    /// Three working days is what the seed ledgers' offices ask for after each quarter.
    fn default() -> Self {
        DeadlineRule { working_days: 3 }
    }
}

/// A ledger of key tasks (台账), e.g. 2023年《政府工作报告》重点工作.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ledger {
    pub id: LedgerId,
    pub name: String,
    pub year: i32,
    pub cadence: Cadence,
    pub deadline: DeadlineRule,
}

/// A key task (重点工作任务).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub ledger: LedgerId,
    /// 序号
    pub seq: u32,
    /// 年度目标任务
    pub goal: String,
    /// The report passage the goal was taken from, once linked.
    pub passage: Option<PassageId>,
}

/// The target of a task for one period (阶段目标: 季度目标, 月度目标).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub task: TaskId,
    pub period: Period,
    pub target: String,
}

/// What a unit reported for a task and period (完成情况).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub task: TaskId,
    pub period: Period,
    pub text: String,
    /// `None` while a text has come in that nobody has judged yet (待评定).
    pub status: Option<Status>,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<DateTime<FixedOffset>>,
}

/// An imported text (政府工作报告, 规划纲要, 通知): kept whole so every passage can be traced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: DocumentId,
    pub kind: DocumentKind,
    pub title: String,
    pub date: Option<NaiveDate>,
    /// Where it came from: a file name or an address.
    pub source: String,
}

/// A passage of a document, with where it sits (heading path) and where it is (character span).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    pub id: PassageId,
    pub document: DocumentId,
    /// Position among the document's passages, from 0.
    pub ord: u32,
    /// Headings from the top down: ["三、2021年工作安排", "（一）…"].
    pub headings: Vec<String>,
    /// Character offsets (not bytes) into the document text, end exclusive.
    pub span: (u32, u32),
    /// The text with the PDF's line breaks and layout spaces removed.
    pub text: String,
    /// The bold-style lead sentence that opens the paragraph (加快科创平台建设), if any.
    pub lead: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_reads_codes_and_chinese_words() {
        assert_eq!("partial".parse::<Status>(), Ok(Status::Partial));
        assert_eq!("部分完成".parse::<Status>(), Ok(Status::Partial));
        assert_eq!("未报送".parse::<Status>(), Ok(Status::Unreported));
        let err = "finished".parse::<Status>().expect_err("unknown");
        assert!(err.to_string().contains("finished") && err.to_string().contains("not_done"));
    }

    #[test]
    fn codes_match_the_ledger_json() {
        let json = serde_json::to_string(&[Status::NotDone, Status::Unreported]).expect("json");
        assert_eq!(json, r#"["not_done","unreported"]"#);
        let json = serde_json::to_string(&Role::DataSource).expect("json");
        assert_eq!(json, r#""data_source""#);
        for role in Role::ALL {
            assert_eq!(
                serde_json::to_string(role).expect("json"),
                format!("\"{}\"", role.code())
            );
        }
    }

    #[test]
    fn unit_kinds_from_names() {
        assert_eq!(UnitKind::guess("敬仲镇"), UnitKind::Town);
        assert_eq!(UnitKind::guess("辛店街道"), UnitKind::Town);
        assert_eq!(
            UnitKind::guess("齐鲁化学工业区管委会"),
            UnitKind::Department
        );
        assert_eq!(UnitKind::guess("临淄经济开发区"), UnitKind::Zone);
        assert_eq!(UnitKind::guess("区城市资产运营有限公司"), UnitKind::Company);
        assert_eq!(UnitKind::guess("区市场监督管理局"), UnitKind::Department);
    }

    #[test]
    fn names_lose_padding_and_wraps() {
        assert_eq!(normalize_name("高  晋"), "高晋");
        assert_eq!(normalize_name("临淄规划管理\n办公室"), "临淄规划管理办公室");
    }
}
