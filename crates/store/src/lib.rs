//! duban-store: the database behind duban.
//!
//! Owns the schema (one migrations folder per backend), the connection to SQLite (the embedded
//! default: one file in WAL mode) or PostgreSQL (when the URL says so), and the repository
//! functions. Both backends run the same SQL through sqlx's `Any` driver, so the same functions
//! and the same tests cover both. Writes that belong together run in one transaction: a failed
//! import leaves nothing behind.
//!
//! It must not parse documents or judge tasks: it stores and returns `duban-core` values.

mod accounts;
mod audit;
mod backup;
mod changes;
mod connect;
mod documents;
mod evidence;
mod extensions;
mod inspections;
mod ledgers;
mod monitor;
mod notify;
mod overview;
mod plan_reports;
mod previews;
mod receipts;
mod reports;
mod sheet_writer;
mod tallies;
mod targets;
mod units;

use std::fmt;

use sqlx::AnyPool;

pub use accounts::{
    Account, Credentials, LeaderRef, LoginAttempts, NewAccount, PasswordChange, UnitRef,
};
pub use audit::{Actor, AuditCheck, AuditEntry};
pub use backup::Backup;
pub use changes::TaskChange;
pub use connect::{DbTarget, InitOutcome};
pub use documents::{DocumentSummary, LinkedTask, SavedDocument, TaskLink, document_label};
pub use evidence::{Attachment, NewAttachment, content_hash};
pub use extensions::Extension;
pub use inspections::{
    Finding, FindingFile, FindingFilter, Inspection, NewFinding, NewInspection,
    PublishedAssessment, RectificationChange,
};
pub use ledgers::{LedgerSummary, SaveOptions, SaveReport, TaskFilter};
pub use monitor::{IndicatorEntry, NewIndicatorValue, PlanTaskLink};
pub use notify::{Channel, Delivery, NewChannel, Recipient};
pub use overview::{PeriodCounts, TaskPage, UnitCounts, UnsubmittedTask};
pub use plan_reports::{
    PlanAssignment, PlanReport, PlanReportChange, PlanReportFilter, PlanSubject, ProjectRecord,
};
pub use previews::Preview;
pub use receipts::{MissingReceipts, ReceiptKind};
pub use reports::{
    NoticeSettings, PeriodLock, PublishedNotice, Reminder, ReminderScope, ReportChange,
    ReportRecord, Signature, TaskDetail, Withdrawal,
};
pub use sheet_writer::{BATCH, SheetWriter};
pub use targets::{TargetRound, UnitTarget};
pub use units::{AliasOutcome, UnitSummary};

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// Errors of the store. Each message is one line a clerk or an engineer can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库文件 {path} 不存在：请先运行 duban init")]
    Missing { path: String },
    #[error("{target} 不是 duban 数据库{detail}")]
    NotDuban { target: String, detail: String },
    #[error("{target} 还没有初始化：请先运行 duban init")]
    NotInitialized { target: String },
    #[error("无法连接数据库 {target}：{message}")]
    Connect { target: String, message: String },
    #[error("不支持的数据库地址 \"{0}\"：应为 postgres://… 或 sqlite:路径")]
    UnsupportedUrl(String),
    #[error("{what} \"{name}\" 不存在{hint}")]
    NotFound {
        what: &'static str,
        name: String,
        hint: String,
    },
    #[error("{0}")]
    Conflict(String),
    /// The account may not do this (the server answers 403).
    #[error("无权操作：{0}")]
    Forbidden(String),
    #[error(transparent)]
    Workflow(#[from] duban_core::WorkflowError),
    #[error(transparent)]
    Invalid(#[from] duban_core::SheetError),
    #[error("数据库中的值无法读取（{what}）：{message}")]
    Corrupt { what: &'static str, message: String },
    #[error("迁移数据库结构失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// True when the fault lies in what the user asked for or pointed at (exit code 2), false
    /// when the database itself failed.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Database(_) | StoreError::Migrate(_) | StoreError::Corrupt { .. }
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open duban database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    target: String,
}

impl Store {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database as shown to people: the file path, or the URL without its password.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once (BEGIN
    /// IMMEDIATE), waiting for it up to the busy timeout: a transaction that read first and
    /// asked for the lock later would be refused outright ("database is locked") whenever
    /// another unit was writing. PostgreSQL locks rows as they are written.
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Waits for open connections to finish; SQLite then checkpoints its WAL into the file.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

fn corrupt(what: &'static str) -> impl FnOnce(duban_core::UnknownWord) -> StoreError {
    move |e| StoreError::Corrupt {
        what,
        message: e.to_string(),
    }
}

/// Now in UTC to the second ("2026-11-25T14:24:12Z"): one fixed width, so the text sorts as the
/// times do, and short enough to show to people.
fn now_rfc3339() -> String {
    duban_core::beijing::now_utc()
}
