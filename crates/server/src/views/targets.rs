//! The target round pages (目标分解): the office's overview of a ledger's rounds, a unit's list
//! of targets to set, and a task's targets with their forms.

use askama::Template;

use super::*;

/// A round as listed: its period, due date, who opened it, how far it is.
#[derive(Debug, Clone)]
pub struct RoundLine {
    pub period: String,
    pub due: String,
    pub opened: String,
    pub accepted: usize,
    pub total: usize,
}

/// A task's target for one round period in the office's table.
#[derive(Debug, Clone)]
pub struct TargetCellView {
    pub state_code: String,
    pub state: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct TargetRowView {
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub cells: Vec<TargetCellView>,
    pub units: String,
}

#[derive(Template)]
#[template(path = "targets.html")]
pub struct TargetsPage {
    pub layout: Layout,
    pub message: Option<String>,
    pub ledgers: Vec<Choice>,
    pub ledger: String,
    /// The ledger's name as a path segment (percent-encoded).
    pub ledger_path: String,
    /// The ledger's periods not yet opened.
    pub openable: Vec<Choice>,
    pub rounds: Vec<RoundLine>,
    pub headers: Vec<String>,
    pub rows: Vec<TargetRowView>,
    /// Submitted targets waiting for the office.
    pub waiting: usize,
}

/// One task of a unit's list of targets to set.
#[derive(Debug, Clone)]
pub struct MyTargetView {
    pub task_id: i64,
    pub ledger: String,
    pub seq: u32,
    pub goal: String,
    pub period: String,
    pub due: String,
    pub role: String,
    pub state_code: String,
    pub state: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "my_targets.html")]
pub struct MyTargetsPage {
    pub layout: Layout,
    pub rows: Vec<MyTargetView>,
    /// Rounds the unit has not acknowledged (签收): id and what they are.
    pub unacknowledged: Vec<(i64, String)>,
}

/// One unit's target on the task page for targets, with what the viewer may do with it.
#[derive(Debug, Clone)]
pub struct TargetEntry {
    pub unit_id: i64,
    pub unit: String,
    pub role: String,
    pub state_code: String,
    pub state: String,
    pub text: String,
    pub version: i64,
    pub comment: Option<String>,
    pub signature: Option<SignatureView>,
    pub can_save: bool,
    pub can_approve: bool,
    pub can_send_back: bool,
    pub can_submit: bool,
    pub can_decide: bool,
    /// Files attached to this target: (id, name).
    pub attachments: Vec<(i64, String)>,
}

impl TargetEntry {
    pub fn can_act(&self) -> bool {
        self.can_save
            || self.can_approve
            || self.can_send_back
            || self.can_submit
            || self.can_decide
    }
}

/// A round period of the task: its milestone and the units' targets.
#[derive(Debug, Clone)]
pub struct TargetSection {
    pub period: String,
    pub period_label: String,
    pub due: String,
    pub milestone: String,
    pub entries: Vec<TargetEntry>,
}

#[derive(Template)]
#[template(path = "task_targets.html")]
pub struct TaskTargetsPage {
    pub layout: Layout,
    pub message: Option<String>,
    pub id: i64,
    pub ledger: String,
    pub seq: u32,
    pub goal: String,
    pub back: String,
    pub sections: Vec<TargetSection>,
}
