//! Lists that the CLI's `--json` and the API both give: one type, one shape.

use duban_core::{Cadence, DocumentKind, Period, UnitKind};
use duban_store::{DocumentSummary, LedgerSummary, UnitSummary};
use serde::Serialize;

/// A ledger as listed (`duban ledger list --json`, `GET /api/ledgers`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LedgerListing {
    pub name: String,
    pub year: i32,
    pub cadence: Cadence,
    /// Reports are due this many working days after a period ends.
    pub deadline_working_days: u32,
    pub tasks: i64,
    pub periods: Vec<Period>,
}

impl From<&LedgerSummary> for LedgerListing {
    fn from(s: &LedgerSummary) -> Self {
        LedgerListing {
            name: s.ledger.name.clone(),
            year: s.ledger.year,
            cadence: s.ledger.cadence,
            deadline_working_days: s.ledger.deadline.working_days,
            tasks: s.tasks,
            periods: s.periods.clone(),
        }
    }
}

/// A responsible unit as listed (`duban units --json`, `GET /api/units`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitListing {
    pub id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub aliases: Vec<String>,
    /// Tasks the unit leads (牵头).
    pub tasks_led: i64,
    /// Tasks the unit has any part in.
    pub tasks: i64,
}

impl From<&UnitSummary> for UnitListing {
    fn from(u: &UnitSummary) -> Self {
        UnitListing {
            id: u.unit.id.0,
            name: u.unit.name.clone(),
            kind: u.unit.kind,
            aliases: u.unit.aliases.clone(),
            tasks_led: u.tasks_led,
            tasks: u.tasks_total,
        }
    }
}

/// A stored document as listed (`duban documents --json`, `GET /api/documents`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentListing {
    pub id: i64,
    pub kind: DocumentKind,
    pub title: String,
    /// YYYY-MM-DD, when the document states it.
    pub date: Option<String>,
    /// 文号.
    pub number: Option<String>,
    /// Where it was imported from (a file name).
    pub source: String,
    pub passages: i64,
    pub glossary: i64,
    pub indicators: i64,
    pub projects: i64,
}

impl From<&DocumentSummary> for DocumentListing {
    fn from(d: &DocumentSummary) -> Self {
        DocumentListing {
            id: d.document.id.0,
            kind: d.document.kind,
            title: d.document.title.clone(),
            date: d.document.date.map(|d| d.to_string()),
            number: d.number.clone(),
            source: d.document.source.clone(),
            passages: d.passages,
            glossary: d.glossary,
            indicators: d.indicators,
            projects: d.projects,
        }
    }
}
