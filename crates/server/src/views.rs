//! The pages' data, one askama template each (`templates/`). Templates escape everything they
//! print; nothing here builds HTML by hand.

use askama::Template;
use duban_app::history::LogLine;
use duban_app::selection::Selection;
use duban_core::AccountRole;
use duban_store::{Account, PeriodLock, PublishedNotice, Reminder};

use crate::viewer::Viewer;

/// The frame around every page: title, who is logged in, the menu for their role.
#[derive(Debug, Clone)]
pub struct Layout {
    pub title: String,
    pub account: Option<Account>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

impl Layout {
    pub fn new(viewer: &Viewer, title: impl Into<String>, current: &str) -> Layout {
        use AccountRole::*;
        let items: &[(&'static str, &'static str)] = match viewer.role() {
            Office => &[
                ("/", "总览"),
                ("/ledger", "台账"),
                ("/review", "审核"),
                ("/notices", "通报"),
                ("/import", "导入"),
                ("/documents", "文件"),
                ("/accounts", "账号"),
                ("/units", "单位"),
                ("/audit", "日志"),
                ("/help", "使用说明"),
            ],
            Leader => &[
                ("/", "总览"),
                ("/ledger", "台账"),
                ("/documents", "文件"),
                ("/notices", "通报"),
                ("/help", "使用说明"),
            ],
            Reporter | Head => &[
                ("/my", "我的任务"),
                ("/notices", "通报"),
                ("/help", "使用说明"),
            ],
            Public => &[("/notices", "通报"), ("/help", "使用说明")],
        };
        Layout {
            title: title.into(),
            account: viewer.account.clone(),
            csrf: viewer.csrf.clone(),
            nav: items
                .iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    active: *href == current,
                })
                .collect(),
        }
    }

    pub fn who(&self) -> String {
        match &self.account {
            Some(a) => {
                let unit = a
                    .unit
                    .as_ref()
                    .map(|u| format!(" · {}", u.name))
                    .unwrap_or_default();
                format!("{}（{}{}）", a.name, a.role.label_zh(), unit)
            }
            None => String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub message: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub layout: Layout,
    pub next: String,
    pub login: String,
    pub error: Option<String>,
    /// No account exists yet: say how to make the first one.
    pub first_run: bool,
}

/// A choice in a filter or select: value, label, selected.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// The ledgers to choose from, the selection's marked.
    pub fn ledgers(selection: &Selection) -> Vec<Choice> {
        Choice::list(
            selection
                .summaries
                .iter()
                .map(|s| (s.ledger.name.clone(), s.ledger.name.clone())),
            &selection.ledger_name(),
        )
    }

    /// The periods to choose from, newest first, the selection's marked.
    pub fn periods(selection: &Selection) -> Vec<Choice> {
        let current = selection.period.map(|p| p.to_string()).unwrap_or_default();
        Choice::list(
            selection
                .periods()
                .into_iter()
                .map(|p| (p.to_string(), p.label_zh())),
            &current,
        )
    }

    pub fn list(values: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
        values
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == current,
                value,
                label,
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct StatusCount {
    pub code: &'static str,
    pub label: &'static str,
    pub count: usize,
}

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
}

#[derive(Debug, Clone)]
pub struct LedgerRow {
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
}

#[derive(Template)]
#[template(path = "my.html")]
pub struct MyPage {
    pub layout: Layout,
    pub ledgers: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub ledger: String,
    pub period: String,
    pub due: String,
    pub rows: Vec<duban_app::selection::UnitTask>,
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

#[derive(Template)]
#[template(path = "notices.html")]
pub struct NoticesPage {
    /// Said after publishing.
    pub message: Option<String>,
    pub layout: Layout,
    pub published: Vec<NoticeItem>,
    pub ledgers: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub locks: Vec<(String, PeriodLock)>,
    pub is_office: bool,
}

#[derive(Template)]
#[template(path = "notice_preview.html")]
pub struct NoticePreviewPage {
    pub layout: Layout,
    pub ledger: String,
    pub period: String,
    /// The period as people read it.
    pub period_label: String,
    /// 印发日期 (YYYY-MM-DD), today unless chosen.
    pub date: String,
    pub only_problems: bool,
    pub title: String,
    pub summary: String,
    /// The counts the office confirms before publishing.
    pub counts: Vec<StatusCount>,
    pub total: usize,
    /// What the office should know before locking the period (tasks not reported, not judged).
    pub warnings: Vec<String>,
    /// The query of this preview, for switching to the other kind of notice.
    pub query: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    pub layout: Layout,
    pub accounts: Vec<Account>,
    pub roles: Vec<Choice>,
    pub units: Vec<Choice>,
    pub leaders: Vec<Choice>,
    pub message: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UnitRow {
    pub name: String,
    pub kind: String,
    pub aliases: String,
    pub led: i64,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "units.html")]
pub struct UnitsPage {
    pub layout: Layout,
    pub units: Vec<UnitRow>,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub entries: Vec<LogLine>,
}

#[derive(Debug, Clone)]
pub struct PreviewRow {
    pub seq: u32,
    pub goal: String,
    pub target: String,
    pub status: String,
    pub units: String,
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub file: String,
    pub ledger: String,
    pub period: String,
    pub rows: Vec<PreviewRow>,
    pub total: usize,
    pub warnings: Vec<String>,
    /// The ledger JSON read from the upload, posted back on confirm.
    /// The id the previewed table is kept under on the server, for the confirmation.
    pub preview: String,
    pub message: Option<String>,
    /// Why the upload could not be read.
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    /// A unit head: the signing key follows the password.
    pub head: bool,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "help.html")]
pub struct HelpPage {
    pub layout: Layout,
    /// The role's code (office, leader, reporter, head, public).
    pub role: &'static str,
    pub role_label: String,
}

/// A published notice in the list, with its figures for the bar (the latest ones).
#[derive(Debug, Clone)]
pub struct NoticeItem {
    pub notice: PublishedNotice,
    pub tally: Option<duban_notice::Tally>,
}

/// A stored document in the list.
#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub date: String,
    pub number: String,
    pub passages: i64,
    pub indicators: i64,
    pub projects: i64,
    pub glossary: i64,
}

#[derive(Template)]
#[template(path = "documents.html")]
pub struct DocumentsPage {
    pub layout: Layout,
    pub documents: Vec<DocumentRow>,
    pub is_office: bool,
    pub error: Option<String>,
}

/// A passage as the document page shows it, with the tasks linked to it.
#[derive(Debug, Clone)]
pub struct PassageView {
    pub ord: usize,
    /// The heading path when it changes from the passage before (shown above it).
    pub heading: Option<String>,
    pub text: String,
    pub tasks: Vec<duban_store::LinkedTask>,
}

/// A row of the plan's indicator table.
#[derive(Debug, Clone)]
pub struct IndicatorRow {
    pub category: String,
    pub name: String,
    pub uom: String,
    pub baseline: String,
    pub target: String,
    pub growth: String,
    pub attribute: String,
}

#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub layout: Layout,
    pub id: i64,
    pub title: String,
    /// 政府工作报告 / 规划纲要, the 文号 and the date, as one line.
    pub meta: String,
    pub query: String,
    pub total: usize,
    pub passages: Vec<PassageView>,
    /// Passages linked to tasks.
    pub linked: usize,
    pub glossary: Vec<duban_core::GlossaryEntry>,
    pub indicators: Vec<IndicatorRow>,
    pub projects: Vec<duban_core::Project>,
    /// Said after an upload.
    pub message: Option<String>,
}
