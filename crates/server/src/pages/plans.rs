//! Plan monitoring in the browser (规划监测): a plan's indicators with their paths, actuals and
//! judgements; the office records a year's value.

use axum::extract::State;
use duban_app::plans;
use duban_core::AccountRole;
use serde::Deserialize;

use super::{PageResult, render, see_other};
use crate::AppState;
use crate::access::{CsrfForm, Id, Query, Signed, rule};
use crate::views::{Layout, PlanPage, plan_rows};

#[derive(Debug, Deserialize, Default)]
pub struct PlanQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<PlanQuery>,
) -> PageResult {
    let monitoring = plans::monitoring(&state, &id.to_string(), None).await?;
    // The year being judged: the one asked, else last year (this year's figures come later).
    let last_year = chrono::Datelike::year(&duban_core::beijing::today()) - 1;
    let year = q
        .year
        .unwrap_or(last_year)
        .clamp(monitoring.base_year + 1, monitoring.target_year);
    let (rows, counts) = plan_rows(&monitoring, year);
    render(&PlanPage {
        layout: Layout::new(&user.viewer, "规划监测", "/documents"),
        plan_id: id,
        plan: monitoring.plan.clone(),
        base_year: monitoring.base_year,
        target_year: monitoring.target_year,
        rows,
        is_office: user.account.role == AccountRole::Office,
        counts,
        year,
        message: q.done.map(|_| "已录入".to_owned()),
    })
}

#[derive(Debug, Deserialize)]
pub struct ActualForm {
    indicator: String,
    year: i32,
    value: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    assigned: Option<String>,
}

pub async fn record(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfForm { form, .. }: CsrfForm<ActualForm>,
) -> PageResult {
    plans::record(
        &state,
        &user.account.actor(),
        &id.to_string(),
        &form.indicator,
        form.year,
        &form.value,
        &form.note,
        form.assigned.is_some(),
    )
    .await?;
    Ok(see_other(&format!(
        "/plans/{id}?year={}&done=recorded",
        form.year
    )))
}
