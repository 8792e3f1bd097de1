//! 我的任务: a unit's tasks for the period being reported, with the state of its reports.

use axum::extract::State;
use duban_app::selection::{Selection, unit_tasks};

use super::{LedgerQuery, PageResult, render};
use crate::AppState;
use crate::access::{Query, Signed, rule};
use crate::views::{Choice, Layout, MyPage};

pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Query(q): Query<LedgerQuery>,
) -> PageResult {
    let selection =
        Selection::choose(&state, q.ledger.as_deref(), q.period.as_deref(), true).await?;
    let rows = unit_tasks(&state, &user.account, &selection).await?;
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
        unacknowledged: rows.iter().filter(|r| !r.acknowledged).count(),
        rows,
        targets_open,
    })
}
