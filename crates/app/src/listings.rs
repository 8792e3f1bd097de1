//! Lists that the CLI's `--json` and the API both give: one type, one shape.

use duban_core::{Cadence, Period, UnitKind};
use duban_store::{LedgerSummary, UnitSummary};
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
