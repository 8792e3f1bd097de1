//! 我的任务: a unit's tasks for the period being reported, with the state of its reports.

use axum::extract::State;
use duban_app::selection::{Selection, unit_tasks};

use super::{LedgerQuery, PageResult, render};
use crate::AppState;
use crate::access::{Query, Signed, rule};
use crate::views::{Choice, Layout, MyPage};

/// Rows per page of the unit's list: a phone scrolls a hundred, not thousands.
const PAGE_SIZE: usize = 100;

pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let selection =
        Selection::choose(&state, q.ledger.as_deref(), q.period.as_deref(), true).await?;
    // A page of the unit's tasks; how many there are and how many wait for 签收 are kept
    // counted per ledger and unit. A ledger without a period lists nothing yet.
    let (assigned, received) = match (&selection.ledger, selection.period, &user.account.unit) {
        (Some(summary), Some(_), Some(unit)) => {
            state
                .store
                .unit_assignments(summary.ledger.id, unit.id)
                .await?
        }
        _ => (0, 0),
    };
    let pages = usize::try_from(assigned)
        .unwrap_or(0)
        .div_ceil(PAGE_SIZE)
        .max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let offset = i64::try_from((page - 1) * PAGE_SIZE).unwrap_or(i64::MAX);
    let rows = unit_tasks(
        &state,
        &user.account,
        &selection,
        Some((offset, PAGE_SIZE as i64)),
    )
    .await?;
    let targets_open = duban_app::targets::my_targets(&state, &user.account)
        .await?
        .iter()
        .filter(|t| {
            !matches!(
                t.target.as_ref().map(|r| r.state),
                Some(duban_core::ReportState::Submitted | duban_core::ReportState::Accepted)
            )
        })
        .count();
    render(&MyPage {
        layout: Layout::new(&user.viewer, "我的任务", "/my"),
        ledgers: Choice::ledgers(&selection),
        periods: Choice::periods(&selection),
        ledger: selection.ledger_name(),
        period: selection.period.map(|p| p.to_string()).unwrap_or_default(),
        period_label: selection.period.map(|p| p.label_zh()).unwrap_or_default(),
        due: selection.due(&state).0,
        unacknowledged: usize::try_from(assigned - received).unwrap_or(0),
        ledger_id: selection.ledger.as_ref().map_or(0, |s| s.ledger.id.0),
        rows,
        targets_open,
        page,
        pages,
        page_query: crate::http::query_string(&[
            ("ledger", selection.ledger_name().as_str()),
            (
                "period",
                &selection.period.map(|p| p.to_string()).unwrap_or_default(),
            ),
        ]),
    })
}
