//! Tasks and their reports: a task with what the account may read of it, report actions,
//! reminders, a unit's own tasks, the office's review queue.

use axum::extract::State;
use duban_app::access::{self, visible_task};
use duban_app::parse_period;
use duban_app::reports::{self, Acceptance, Accepted, CheckedReport, ReportRequest, head_keys};
use duban_app::selection::UnitTask;
use duban_app::selection::{Selection, unit_tasks};
use duban_core::{ReportAction, Status};
use duban_store::ReminderScope;
use duban_store::{Reminder, ReportRecord, TaskDetail};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::doc::{Action, BadInput, Missing, Refused, SignedErrors};

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Id, Query, Signed, rule};

/// A task with what the account may read of its reports, and its reminders.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct TaskReply {
    pub task: TaskDetail,
    pub reports: Vec<CheckedReport>,
    pub reminders: Vec<Reminder>,
}

/// A task, its reports (with `signature_valid`) and reminders.
#[utoipa::path(get, path = "/api/tasks/{id}", tag = "督办",
    params(("id" = i64, Path, description = "任务编号")),
    responses((status = 200, body = TaskReply), SignedErrors, Missing))]
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
    ok(TaskReply {
        task: detail,
        reports,
        reminders,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
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

/// One step of the reporting cycle: save (填报人), approve (负责人, with `password` to sign),
/// send_back, submit (负责人), accept (督查室, with `status`), return (督查室, with `comment`).
#[utoipa::path(post, path = "/api/tasks/{id}/reports", tag = "督办", request_body = ReportBody,
    params(("id" = i64, Path, description = "任务编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = ReportRecord), Action, Missing, Refused))]
pub async fn report_action(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<ReportBody>,
) -> ApiResult {
    let request = ReportRequest {
        kind: duban_core::ReportKind::Progress,
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

#[derive(Debug, Deserialize, ToSchema)]
pub struct RemindBody {
    period: String,
}

/// Reminds (催办) the task's lead unit for a period.
#[utoipa::path(post, path = "/api/tasks/{id}/remind", tag = "督办", request_body = RemindBody,
    params(("id" = i64, Path, description = "任务编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = Reminder), Action, Missing))]
pub async fn remind(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<RemindBody>,
) -> ApiResult {
    let period = parse_period(&body.period)?;
    ok(reports::remind_lead_unit(&state, &user.account, id, period).await?)
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerPeriod {
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    period: Option<String>,
}

/// The unit's tasks for the period being reported (or the one asked for).
#[utoipa::path(get, path = "/api/my/tasks", tag = "督办", params(LedgerPeriod),
    responses((status = 200, body = [UnitTask]), SignedErrors, BadInput, Missing))]
pub async fn my_tasks(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Query(q): Query<LedgerPeriod>,
) -> ApiResult {
    let selection =
        Selection::choose(&state, q.ledger.as_deref(), q.period.as_deref(), true).await?;
    ok(unit_tasks(&state, &user.account, &selection, None).await?)
}

/// Submitted reports waiting for the office's decision.
#[utoipa::path(get, path = "/api/review", tag = "督办",
    responses((status = 200, body = [CheckedReport]), SignedErrors))]
pub async fn review(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    let keys = head_keys(&state).await?;
    let mut queue = Vec::new();
    for r in state.store.review_queue().await? {
        let ledger = state.store.task_detail(r.task_id).await?.ledger.name;
        queue.push(CheckedReport::new(&ledger, r, &keys));
    }
    ok(queue)
}

/// Accepts several submitted reports at once, each with its judgement; each is decided on its
/// own (a report changed since, or already decided, is reported and the others go on).
#[utoipa::path(post, path = "/api/review/accept", tag = "督办", request_body = [Acceptance],
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = [Accepted]), Action))]
pub async fn accept(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<Vec<Acceptance>>,
) -> ApiResult {
    ok(reports::accept_all(&state, &user.account, &body).await)
}
