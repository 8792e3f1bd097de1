//! The dashboard, the ledger table and a unit's own list.

use askama::Template;
use duban_app::history::LogLine;
use duban_store::PeriodLock;

use super::*;

#[derive(Debug, Clone)]
pub struct UnitRank {
    pub rank: usize,
    pub name: String,
    pub total: usize,
    pub done: usize,
    pub rate: String,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
}

#[derive(Debug, Clone)]
pub struct OverdueRow {
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub unit: String,
    pub due: String,
    pub state: String,
    pub reminders: usize,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    /// The leader whose portfolio (分管) a leader's dashboard shows.
    pub portfolio: Option<String>,
    pub ledgers: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub ledger: String,
    pub period: String,
    pub due: String,
    pub counts: Vec<StatusCount>,
    pub total: usize,
    /// The counts as JSON for the chart script: [{"label":…, "count":…}, …].
    pub chart: String,
    pub units: Vec<UnitRank>,
    pub overdue: Vec<OverdueRow>,
    pub overdue_total: usize,
    pub activity: Vec<LogLine>,
    pub locked: Option<PeriodLock>,
    /// The ledger's target rounds (the office's dashboard).
    pub rounds: Vec<RoundSummary>,
    /// How far the missing reports are escalated (三色督办): code and words.
    pub escalation: Option<(String, String)>,
    /// Units that have not acknowledged tasks, rounds or reminders (签收), the office's.
    pub receipts: Vec<duban_store::MissingReceipts>,
    /// Findings of the ledger (the leader's portfolio) not closed and past their rectification
    /// deadline (逾期未整改), and all not closed.
    pub rectifications: (usize, usize),
    /// The plans being monitored (规划监测): id, title, and the last year's judgements as
    /// (on track, behind, missed).
    pub plans: Vec<(i64, String, i32, usize, usize, usize)>,
}

/// A target round on the dashboard.
#[derive(Debug, Clone)]
pub struct RoundSummary {
    /// The office's page of the ledger's rounds.
    pub link: String,
    pub period: String,
    pub due: String,
    pub total: usize,
    pub accepted: usize,
    pub waiting: usize,
    pub missing: usize,
    pub overdue: bool,
}

#[derive(Debug, Clone)]
pub struct LedgerRow {
    /// A missing report past the deadline (三色督办): code and words.
    pub escalation: Option<(String, String)>,
    pub task_id: i64,
    pub seq: u32,
    pub goal: String,
    pub target: String,
    pub progress: String,
    pub status: String,
    pub status_code: String,
    pub leaders: String,
    pub units: String,
    pub report: String,
}

#[derive(Template)]
#[template(path = "ledger.html")]
pub struct LedgerPage {
    pub layout: Layout,
    pub ledgers: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub units: Vec<Choice>,
    pub leaders: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub ledger: String,
    pub query: String,
    pub rows: Vec<LedgerRow>,
    pub total: usize,
    /// Tasks that pass the filters, over all pages.
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
    /// The filters as a query string, for the page links.
    pub page_query: String,
    /// The office may add a task to the ledger (调整).
    pub can_change: bool,
}

/// The results of the ledger page alone (its `results` block): what an htmx request of the
/// filters replaces.
#[derive(Template)]
#[template(path = "ledger.html", block = "results")]
pub struct LedgerResults<'a> {
    pub of: &'a LedgerPage,
}

impl std::ops::Deref for LedgerResults<'_> {
    type Target = LedgerPage;

    fn deref(&self) -> &LedgerPage {
        self.of
    }
}

#[derive(Template)]
#[template(path = "my.html")]
pub struct MyPage {
    pub layout: Layout,
    pub ledgers: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub ledger: String,
    pub period: String,
    /// 2023年9月份
    pub period_label: String,
    pub due: String,
    pub rows: Vec<duban_app::selection::UnitTask>,
    /// Targets of open rounds the unit still has to submit (目标填报).
    pub targets_open: usize,
    /// Tasks of the list the unit has not acknowledged (签收), on every page.
    pub unacknowledged: usize,
    /// The ledger 全部签收 acknowledges.
    pub ledger_id: i64,
    pub page: usize,
    pub pages: usize,
    /// The ledger and period, for the pager's links.
    pub page_query: String,
}
