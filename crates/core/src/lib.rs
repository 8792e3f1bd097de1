//! duban-core: the domain of a supervision ledger (督办台账) and the rules that judge it.
//!
//! Owns the vocabulary types (`Ledger`, `Task`, `Milestone`, `Progress`, `Status`, `Unit`, `Role`,
//! …), reporting periods, the working-day calendar and the ledger JSON shape. It must not do I/O:
//! no files, no database, no network. Everything here is tested without either.

pub mod assessment;
pub mod beijing;
pub mod calendar;
pub mod model;
pub mod monitor;
pub mod period;
pub mod plan;
pub mod sheet;
pub mod target;
pub mod words;
pub mod workflow;

pub use calendar::{Calendar, CalendarError, DayKind, DayRule};
pub use model::{
    Cadence, DeadlineRule, Document, DocumentId, DocumentKind, Leader, LeaderId, Ledger, LedgerId,
    Milestone, Passage, PassageId, Progress, Role, Status, Task, TaskId, Unit, UnitId, UnitKind,
    UnknownWord, normalize_name,
};
pub use period::{Period, PeriodParseError, find_year};
pub use plan::{
    Attribute, DocumentRead, GlossaryEntry, Indicator, IndicatorValue, PassageRead, Project,
    Section, compact_term, terms_in,
};
pub use sheet::{LedgerSheet, SheetError, SheetTask, SheetUnit, TaskSource, validate_task};
pub use target::{Bound, Target, TargetKind};
pub use workflow::{
    AccountRole, Escalation, EscalationRule, ReportAction, ReportKind, ReportState, Timeliness,
    WorkflowError, check_reporting_period, signed_text, timeliness, transition,
};
