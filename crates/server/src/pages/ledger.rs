//! The ledger table (台账): a period's tasks with filters, search and pages.

use std::collections::HashMap;

use axum::extract::State;
use duban_app::selection::Selection;
use duban_app::{access, parse_status};
use duban_core::{SheetTask, Status};
use duban_store::{ReportRecord, TaskFilter};

use super::{LedgerQuery, PageResult, lead_reports, render};
use crate::access::{Htmx, Query, Signed, rule};
use crate::views::*;
use crate::{AppState, http};

/// Rows per page of the ledger table: a district ledger has about a hundred tasks, a city's
/// thousands, and a phone cannot scroll through thousands.
const PAGE_SIZE: usize = 100;

pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Htmx(htmx): Htmx,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let (account, viewer) = (&user.account, &user.viewer);
    let selection = Selection::new(&state, q.ledger.as_deref(), q.period.as_deref()).await?;
    let given = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let status = parse_status(q.status.as_deref())?;
    let scope = access::portfolio(account)?;
    let filter = TaskFilter {
        unit: given(&q.unit),
        // A leader's own portfolio already confines the rows.
        leader: if scope.is_some() {
            None
        } else {
            given(&q.leader)
        },
        status,
    };
    let query = q.q.clone().unwrap_or_default().trim().to_owned();
    let mut page = LedgerPage {
        layout: Layout::new(viewer, "台账", "/ledger"),
        ledgers: Choice::ledgers(&selection),
        periods: Choice::periods(&selection),
        units: Vec::new(),
        leaders: Vec::new(),
        statuses: Choice::list(
            Status::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label_zh().to_owned())),
            q.status.as_deref().unwrap_or(""),
        ),
        ledger: selection.ledger_name(),
        query: query.clone(),
        rows: Vec::new(),
        total: 0,
        matching: 0,
        page: 1,
        pages: 1,
        page_query: String::new(),
        can_change: account.role == duban_core::AccountRole::Office,
    };
    let Some(summary) = &selection.ledger else {
        return render(&page);
    };
    let (units, leaders) = state.store.ledger_names(&summary.ledger).await?;
    page.units = Choice::list(
        units.into_iter().map(|u| (u.clone(), u)),
        q.unit.as_deref().unwrap_or(""),
    );
    if scope.is_none() {
        page.leaders = Choice::list(
            leaders.into_iter().map(|l| (l.clone(), l)),
            q.leader.as_deref().unwrap_or(""),
        );
    }
    // The page asked for, clamped once the number of matching tasks is known.
    let wanted = q.page.unwrap_or(1).max(1);
    let read = |number: usize| {
        let offset = i64::try_from((number - 1) * PAGE_SIZE).unwrap_or(i64::MAX);
        state.store.task_page(
            &summary.ledger,
            selection.period,
            &filter,
            scope.as_deref(),
            &query,
            (offset, PAGE_SIZE as i64),
        )
    };
    let mut found = read(wanted).await?;
    let pages = usize::try_from(found.matching)
        .unwrap_or(0)
        .div_ceil(PAGE_SIZE)
        .max(1);
    if wanted > pages {
        found = read(pages).await?;
    }
    page.total = usize::try_from(found.total).unwrap_or(0);
    page.matching = usize::try_from(found.matching).unwrap_or(0);
    page.pages = pages;
    page.page = wanted.min(pages);
    let reports = match selection.period {
        Some(p) => {
            let ids: Vec<i64> = found.tasks.iter().map(|(id, _)| *id).collect();
            lead_reports(state.store.tasks_reports(&ids, p).await?)
        }
        None => HashMap::new(),
    };
    // 三色督办: a report still missing past the period's deadline is marked.
    let level = selection
        .due(&state)
        .1
        .and_then(|due| duban_app::reminders::escalation_since(&state, due));
    page.rows = found
        .tasks
        .into_iter()
        .map(|(id, t)| {
            let report = reports.get(&id);
            let missing = t.status.is_none_or(|s| s == duban_core::Status::Unreported)
                && t.progress.is_none()
                && !report.is_some_and(|r| {
                    matches!(
                        r.state,
                        duban_core::ReportState::Submitted | duban_core::ReportState::Accepted
                    )
                });
            let mut row = ledger_row(id, t, report);
            row.escalation = level
                .filter(|_| missing)
                .map(|l| (l.code().to_owned(), l.label_zh().to_owned()));
            row
        })
        .collect();
    page.page_query = http::query_string(&[
        ("ledger", page.ledger.as_str()),
        (
            "period",
            &selection.period.map(|p| p.to_string()).unwrap_or_default(),
        ),
        ("unit", q.unit.as_deref().unwrap_or("")),
        ("leader", q.leader.as_deref().unwrap_or("")),
        ("status", q.status.as_deref().unwrap_or("")),
        ("q", &query),
    ]);
    if htmx {
        render(&LedgerResults { of: &page })
    } else {
        render(&page)
    }
}

fn ledger_row(task_id: i64, t: SheetTask, report: Option<&ReportRecord>) -> LedgerRow {
    LedgerRow {
        escalation: None,
        task_id,
        seq: t.seq,
        goal: t.goal,
        target: t.target.unwrap_or_default(),
        progress: t.progress.unwrap_or_default(),
        status: t.status.map_or("待评定", |s| s.label_zh()).to_owned(),
        status_code: t.status.map_or("pending", |s| s.code()).to_owned(),
        leaders: t.leaders.unwrap_or_default().join("、"),
        units: t
            .units
            .unwrap_or_default()
            .iter()
            .map(|u| format!("{}（{}）", u.name, u.role.label_zh()))
            .collect::<Vec<_>>()
            .join("、"),
        report: report.map_or("—".to_owned(), |r| r.state.label_zh().to_owned()),
    }
}
