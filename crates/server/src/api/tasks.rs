//! Tasks and their reports: a task with what the account may read of it, report actions,
//! reminders, a unit's own tasks, the office's review queue.

use axum::extract::State;
use duban_app::access::{self, visible_task};
use duban_app::parse_period;
use duban_app::reports::{self, CheckedReport, ReportRequest, head_keys};
use duban_app::selection::{Selection, unit_tasks};
use duban_core::{ReportAction, Status};
use duban_store::ReminderScope;
use serde::Deserialize;
use serde_json::json;

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Id, Query, Signed, rule};

pub async fn task(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    let detail = visible_task(&state.store, &user.account, id).await?;
    let reports =
        access::visible_reports(&user.account, &detail, state.store.task_reports(id).await?);
    let keys = head_keys(&state).await?;
    let reports: Vec<CheckedReport> = reports
        .into_iter()
        .map(|r| CheckedReport::new(&detail.ledger.name, r, &keys))
        .collect();
    let reminders = state.store.reminders(ReminderScope::Task(id)).await?;
    ok(json!({ "task": detail, "reports": reports, "reminders": reminders }))
}

#[derive(Debug, Deserialize)]
pub struct ReportBody {
    action: ReportAction,
    period: String,
    #[serde(default)]
    unit: Option<i64>,
    /// The version of the report the writer saw; absent for a new report.
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    status: Option<Status>,
    #[serde(default)]
    password: Option<String>,
}

pub async fn report_action(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<ReportBody>,
) -> ApiResult {
    let request = ReportRequest {
        action: body.action,
        period: parse_period(&body.period)?,
        unit: body.unit,
        version: body.version,
        body: body.body,
        comment: body.comment,
        status: body.status,
        password: body.password,
    };
    ok(reports::act(&state, &user.account, id, request).await?)
}

#[derive(Debug, Deserialize)]
pub struct RemindBody {
    period: String,
}

pub async fn remind(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<RemindBody>,
) -> ApiResult {
    let period = parse_period(&body.period)?;
    ok(reports::remind_lead_unit(&state, &user.account, id, period).await?)
}

#[derive(Debug, Deserialize, Default)]
pub struct LedgerPeriod {
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    period: Option<String>,
}

pub async fn my_tasks(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Query(q): Query<LedgerPeriod>,
) -> ApiResult {
    let selection =
        Selection::choose(&state, q.ledger.as_deref(), q.period.as_deref(), true).await?;
    ok(unit_tasks(&state, &user.account, &selection).await?)
}

pub async fn review(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    let keys = head_keys(&state).await?;
    let mut queue = Vec::new();
    for r in state.store.review_queue().await? {
        let ledger = state.store.task_detail(r.task_id).await?.ledger.name;
        queue.push(CheckedReport::new(&ledger, r, &keys));
    }
    ok(queue)
}
