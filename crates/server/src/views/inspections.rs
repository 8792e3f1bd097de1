//! The pages of inspections and assessment (督查考核): the office's inspections with their
//! findings and forms, a unit's rectification list (phone-sized), and the scores with every
//! point's reason.

use askama::Template;
use duban_core::assessment::UnitScore;

use super::*;

/// A finding as listed, with what the viewer may do with it.
#[derive(Debug, Clone)]
pub struct FindingView {
    pub id: i64,
    pub kind: String,
    pub day: String,
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub unit: String,
    pub text: String,
    pub severity: String,
    pub lowers: String,
    pub due: String,
    /// none, draft, approved, submitted, accepted, returned.
    pub state_code: String,
    pub state: String,
    /// 按时整改销号, 逾期未整改 …; `overdue` marks it red.
    pub rectified: String,
    pub overdue: bool,
    pub report: String,
    pub version: i64,
    pub comment: String,
    /// 负责人 and when, and whether the signature holds.
    pub signed: Option<(String, bool)>,
    /// The actions the viewer may take now (code, label).
    pub actions: Vec<(String, String)>,
    /// Files on it: (id, name, 督查取证 or 整改佐证).
    pub files: Vec<(i64, String, String)>,
    /// Whether the viewer may add a file now.
    pub can_attach: bool,
}

/// An inspection as listed.
#[derive(Debug, Clone)]
pub struct InspectionLine {
    pub id: i64,
    pub kind: String,
    pub day: String,
    pub team: String,
    pub findings: usize,
}

#[derive(Template)]
#[template(path = "inspections.html")]
pub struct InspectionsPage {
    pub layout: Layout,
    pub is_office: bool,
    pub ledgers: Vec<Choice>,
    pub ledger: String,
    /// The ledger's name as a query value.
    pub ledger_path: String,
    pub kinds: Vec<Choice>,
    pub severities: Vec<Choice>,
    pub today: String,
    pub inspections: Vec<InspectionLine>,
    pub findings: Vec<FindingView>,
    pub overdue: usize,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "my_rectifications.html")]
pub struct MyRectificationsPage {
    pub layout: Layout,
    pub findings: Vec<FindingView>,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "scores.html")]
pub struct ScoresPage {
    pub layout: Layout,
    pub is_office: bool,
    pub ledgers: Vec<Choice>,
    pub ledger: String,
    /// The ledger's name as a query value.
    pub ledger_path: String,
    pub as_of: String,
    pub periods: String,
    pub own_scheme: bool,
    /// Units grouped by kind: (kind's label, the units ranked).
    pub groups: Vec<(String, Vec<UnitScore>)>,
    pub scheme: String,
    pub ratings: Vec<Choice>,
    pub units: Vec<String>,
    pub message: Option<String>,
}
