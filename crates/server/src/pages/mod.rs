//! The web pages, one file per resource. Each handler takes what it needs as typed arguments
//! (the access rule, a CSRF-checked form), calls `duban-app` or the store, and renders one
//! template; errors are rendered by `error::render`.

pub mod accounts;
pub mod audit;
pub mod changes;
pub mod dashboard;
pub mod documents;
pub mod evidence;
pub mod extensions;
pub mod help;
pub mod import;
pub mod inspections;
pub mod ledger;
pub mod login;
pub mod me;
pub mod messages;
pub mod my;
pub mod notices;
pub mod notify;
pub mod plans;
pub mod receipts;
pub mod reports;
pub mod review;
pub mod targets;
pub mod tasks;
pub mod units;

use std::collections::HashMap;

use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};
use duban_core::Role;
use duban_store::ReportRecord;
use serde::Deserialize;

use crate::error::Failure;

pub type PageResult = Result<Response, Failure>;

pub fn render(template: &impl Template) -> PageResult {
    Ok(Html(template.render().map_err(crate::error::template)?).into_response())
}

pub fn see_other(target: &str) -> Response {
    Redirect::to(target).into_response()
}

pub use duban_core::beijing::beijing;

/// What a unit picker offers (a datalist): every unit's name and its aliases.
pub async fn unit_names(state: &crate::AppState) -> Result<Vec<String>, duban_app::Error> {
    let mut names = Vec::new();
    for u in state.store.units().await? {
        names.push(u.unit.name);
        names.extend(u.unit.aliases);
    }
    Ok(names)
}

/// Lead reports of a period by task id.
pub fn lead_reports(reports: Vec<ReportRecord>) -> HashMap<i64, ReportRecord> {
    reports
        .into_iter()
        .filter(|r| r.role == Role::Lead)
        .map(|r| (r.task_id, r))
        .collect()
}

/// The ledger, period and filters of the dashboard, the ledger table and the unit's list.
#[derive(Debug, Deserialize, Default)]
pub struct LedgerQuery {
    #[serde(default)]
    pub ledger: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub leader: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    /// 1-based page of the ledger table.
    #[serde(default)]
    pub page: Option<usize>,
}

/// What the viewer may do now with an item that goes through the reporting cycle (a
/// rectification, a plan report), as (action code, label): the actions the workflow allows the
/// viewer's role in its state, labelled as the page names them.
pub(crate) fn allowed_actions(
    account: &duban_store::Account,
    state: Option<duban_core::ReportState>,
    labels: &[(duban_core::ReportAction, &str)],
) -> Vec<(String, String)> {
    labels
        .iter()
        .filter(|(action, _)| {
            duban_core::transition(state, *action, account.role, Some("-")).is_ok()
        })
        .map(|(action, label)| (action.code().to_owned(), (*label).to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_shown_in_beijing_time() {
        assert_eq!(beijing("2026-11-25T14:47:30Z"), "2026-11-25 22:47");
        assert_eq!(beijing("2023-09-30T16:30:00Z"), "2023-10-01 00:30");
        assert_eq!(beijing("not a time"), "not a time");
    }
}
