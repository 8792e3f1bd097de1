//! duban-app: the operations of the supervision cycle that more than one front end performs —
//! the CLI, the web pages, the JSON API and the demo all call these, so that a rule (who may act,
//! what is signed, what is written to the audit log) is written once.
//!
//! Owns: opening a session (`session`), acting on a report with the head's signature and
//! reminding (`reports`), building, publishing and rendering notices (`notices`), reading and
//! saving an imported table (`imports`), accounts and unit aliases (`accounts`), linking a ledger
//! to a document (`documents`), which ledger and period a view is about (`selection`), who may
//! see what (`access`), passwords and keys (`auth`) and the demo data (`demo`).
//! Must not: speak HTTP or print (the server and the CLI do), or hold SQL (the store does).

pub mod access;
pub mod accounts;
pub mod assessment;
pub mod auth;
pub mod changes;
pub mod demo;
pub mod documents;
mod error;
pub mod evidence;
pub mod export;
pub mod extensions;
pub mod history;
pub mod imports;
pub mod inspections;
pub mod listings;
pub mod notices;
pub mod plan_reports;
pub mod plans;
pub mod reminders;
pub mod reports;
pub mod selection;
pub mod session;
pub mod targets;

use std::sync::Arc;

use duban_core::{Calendar, Period, Status};
use duban_store::Store;

pub use error::Error;

/// What every operation works on: the database and the working-day calendar.
#[derive(Debug, Clone)]
pub struct App {
    pub store: Store,
    pub calendar: Arc<Calendar>,
}

impl App {
    pub fn new(store: Store, calendar: Calendar) -> App {
        App {
            store,
            calendar: Arc::new(calendar),
        }
    }
}

/// A period as people type it (2023-09, 2023Q3, 2023年9月 …).
pub fn parse_period(text: &str) -> Result<Period, Error> {
    Ok(text.trim().parse()?)
}

/// A status filter or judgement from a form or query: empty means none.
pub fn parse_status(text: Option<&str>) -> Result<Option<Status>, Error> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Ok(Some(s.parse::<Status>()?)),
        None => Ok(None),
    }
}

/// Names typed in one field: 区财政局、区商务局 → [区财政局, 区商务局].
pub fn names_typed(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', '；', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The units typed as a lead field and a support field, the lead first; a name in both counts
/// once, as lead.
pub fn units_typed(lead: &str, support: &str) -> Vec<duban_core::SheetUnit> {
    let mut units: Vec<duban_core::SheetUnit> = Vec::new();
    let typed = names_typed(lead)
        .into_iter()
        .map(|n| (n, duban_core::Role::Lead))
        .chain(
            names_typed(support)
                .into_iter()
                .map(|n| (n, duban_core::Role::Support)),
        );
    for (name, role) in typed {
        if !units.iter().any(|u| u.name == name) {
            units.push(duban_core::SheetUnit { name, role });
        }
    }
    units
}
