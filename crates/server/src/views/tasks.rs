//! The task page, the report form, the office's review (one report and the queue).

use askama::Template;
use duban_app::history::LogLine;
use duban_store::Reminder;

use super::*;

/// A report as a task page shows it, with its signature checked.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub period: String,
    pub unit: String,
    pub role: String,
    pub state: String,
    pub state_code: String,
    pub body: String,
    pub comment: Option<String>,
    pub updated: String,
    pub signature: Option<SignatureView>,
}

#[derive(Debug, Clone)]
pub struct SignatureView {
    pub valid: bool,
    pub signer: String,
    pub at: String,
    pub key: String,
}

#[derive(Debug, Clone)]
pub struct PeriodRow {
    pub period: String,
    pub milestone: String,
    pub progress: String,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct EvidenceRow {
    pub target: String,
    pub reported: String,
    pub verdict: String,
}

/// The submission form as the account may use it now.
#[derive(Debug, Clone)]
pub struct ReportForm {
    pub period: String,
    /// 2023年9月份
    pub period_label: String,
    pub unit_id: i64,
    pub unit: String,
    pub body: String,
    pub version: i64,
    pub state: String,
    pub comment: Option<String>,
    /// Texts the support units have submitted, for the lead unit to draw on.
    pub parts: Vec<(String, String)>,
    pub can_save: bool,
    pub can_approve: bool,
    pub can_submit: bool,
    pub can_send_back: bool,
    pub conflict: Option<String>,
}

/// The office's accept/return form for a submitted report.
#[derive(Debug, Clone)]
pub struct ReviewForm {
    pub period: String,
    pub unit_id: i64,
    pub unit: String,
    pub version: i64,
    /// The report being judged, shown above the decision.
    pub body: String,
    pub signature: Option<SignatureView>,
    /// What the figures and words suggest (完成 / 部分完成 / 未完成 / 无法判断).
    pub suggestion: String,
    /// The judgements, the suggested one selected.
    pub statuses: Vec<Choice>,
    pub evidence: Vec<EvidenceRow>,
}

#[derive(Template)]
#[template(path = "task.html")]
pub struct TaskPage {
    pub layout: Layout,
    pub id: i64,
    pub ledger: String,
    /// The ledger link: the unit's own list for unit accounts, the ledger table for the others.
    pub back: String,
    /// When the unit's report for the period is due.
    pub deadline: String,
    pub seq: u32,
    pub goal: String,
    pub leaders: String,
    pub units: Vec<(String, String)>,
    pub source: Option<(String, String)>,
    pub periods: Vec<PeriodRow>,
    pub evidence_period: String,
    pub suggestion: String,
    pub evidence: Vec<EvidenceRow>,
    pub reports: Vec<ReportView>,
    pub form: Option<ReportForm>,
    pub review: Option<ReviewForm>,
    pub remind_period: Option<String>,
    pub reminders: Vec<Reminder>,
    pub history: Vec<LogLine>,
    pub message: Option<String>,
    /// Why the task no longer counts (撤销 or 合并), in a sentence.
    pub withdrawn: Option<String>,
    /// The office may change the task (撤销、合并、改派): its current lead, support and leaders.
    pub change: Option<ChangeForm>,
    /// The ledger has target rounds: link to the task's targets.
    pub has_rounds: bool,
    /// The lead unit's report for the period is missing past its deadline (三色督办).
    pub escalation: Option<(String, String)>,
    /// Requests for a later deadline the viewer may see (延期申请).
    pub extensions: Vec<ExtensionView>,
    /// A unit may ask for a later deadline for the period shown: (period, its deadline now).
    pub extension_form: Option<(String, String)>,
    /// The office decides pending requests here.
    pub decides: bool,
    /// Evidence the viewer may see (证明材料).
    pub attachments: Vec<AttachmentView>,
    /// Reminders to the viewer's unit it has not acknowledged (签收).
    pub reminders_to_acknowledge: Vec<i64>,
    /// What inspections found on the task (the viewer's unit's only, for a unit): (编号, 督查,
    /// unit, problem, where its rectification stands, overdue).
    pub findings: Vec<(i64, String, String, String, String, bool)>,
}

/// A file attached to a report, as listed on the task page.
#[derive(Debug, Clone)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub size: String,
    /// Period, unit and what it belongs to.
    pub what: String,
}

/// A request for a later deadline as the task page shows it.
#[derive(Debug, Clone)]
pub struct ExtensionView {
    pub id: i64,
    pub period: String,
    pub unit: String,
    pub asked_due: String,
    pub reason: String,
    pub state_code: String,
    pub state: String,
    pub due: String,
    pub comment: String,
    pub requested: String,
}

/// The office's forms to change a task, prefilled with its units and leaders.
#[derive(Debug, Clone)]
pub struct ChangeForm {
    pub lead: String,
    pub support: String,
    pub leaders: String,
}

#[derive(Debug, Clone)]
pub struct QueueRow {
    pub task_id: i64,
    pub ledger: String,
    pub seq: u32,
    pub goal: String,
    pub period: String,
    pub unit: String,
    pub unit_id: i64,
    pub version: i64,
    pub body: String,
    pub submitted_at: String,
    pub signed: String,
    /// What the figures and words suggest.
    pub suggestion: String,
    /// The judgements, the suggested one selected.
    pub statuses: Vec<Choice>,
}

impl QueueRow {
    /// The name of this row's fields in the batch form.
    pub fn key(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.task_id, self.period, self.unit_id, self.version
        )
    }
}

#[derive(Template)]
#[template(path = "review.html")]
pub struct ReviewPage {
    pub layout: Layout,
    pub rows: Vec<QueueRow>,
    /// What the last batch did.
    pub message: Option<String>,
}
