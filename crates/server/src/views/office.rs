//! The office's pages: notices, accounts, units, the audit log, imports and documents.

use askama::Template;
use duban_app::history::LogLine;
use duban_store::{Account, PeriodLock, PublishedNotice};

use super::*;

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
    /// The published assessments (考核结果), newest first.
    pub assessments: Vec<duban_store::PublishedAssessment>,
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
    pub with_evidence: bool,
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
    /// The table makes a new ledger: the office chooses its cadence and deadline.
    pub new_ledger: bool,
    /// The cadence the table suggests (its period or target columns), else quarterly.
    pub cadence: String,
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
    /// A work report (its commitments can become a ledger; offered to the office).
    pub is_report: bool,
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

#[derive(Template)]
#[template(path = "ledger_builder.html")]
pub struct LedgerBuilderPage {
    pub layout: Layout,
    pub id: i64,
    pub title: String,
    /// The proposed ledger name.
    pub ledger: String,
    /// Each commitment: where it stands (headings) and its text.
    pub proposals: Vec<(String, String)>,
    pub error: Option<String>,
    /// Units and their aliases, for the pickers (a datalist).
    pub unit_names: Vec<String>,
    pub leader_names: Vec<String>,
}

#[derive(Template)]
#[template(path = "notify.html")]
pub struct NotifyPage {
    pub layout: Layout,
    pub message: Option<String>,
    pub channels: Vec<duban_store::Channel>,
    pub deliveries: Vec<duban_store::Delivery>,
    /// Unit names and aliases for the picker.
    pub unit_names: Vec<String>,
    /// Whether e-mail can go out (DUBAN_SMTP_URL is set).
    pub mail_ready: bool,
}

/// A unit's in-app reminders (消息).
#[derive(Template)]
#[template(path = "messages.html")]
pub struct MessagesPage {
    pub layout: Layout,
    /// (day, subject, body), newest first.
    pub messages: Vec<(String, String, String)>,
}
