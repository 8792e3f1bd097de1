//! Target rounds (目标分解): opening a round, a unit's targets to set, the actions on a target
//! (the same cycle and signatures as reports), the office's queue, and the tables to download —
//! the decomposition table and the whole ledger.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::access::{self, visible_task};
use duban_app::export;
use duban_app::parse_period;
use duban_app::reports::{self, CheckedReport, ReportRequest, head_keys};
use duban_app::targets;
use duban_core::{ReportAction, ReportKind};
use duban_store::{ReportRecord, TargetRound, UnitTarget};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::doc::{Action, BadInput, Missing, Refused, SignedErrors};
use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Id, Name, Query, Signed, rule};
use crate::http::table_download;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoundBody {
    /// The periods to set targets for, as the ledger's cadence names them (2020-Q3, 2023-09).
    periods: Vec<String>,
}

/// Opens a target round for some periods of a ledger: every unit of every task sets its target
/// for each, due in the ledger's number of working days. A period already opened is refused (409)
/// and nothing is opened.
#[utoipa::path(post, path = "/api/ledgers/{name}/rounds", tag = "目标分解", request_body = RoundBody,
    params(("name" = String, Path, description = "台账名称"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = [TargetRound]), Action, BadInput, Missing, Refused))]
pub async fn open_round(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Name(name): Name,
    CsrfJson { body, .. }: CsrfJson<RoundBody>,
) -> ApiResult {
    let rounds = targets::open_round(&state, &user.account, &name, &body.periods).await?;
    Ok((StatusCode::CREATED, Json(rounds)).into_response())
}

/// The rounds opened on a ledger.
#[utoipa::path(get, path = "/api/ledgers/{name}/rounds", tag = "目标分解",
    params(("name" = String, Path, description = "台账名称")),
    responses((status = 200, body = [TargetRound]), SignedErrors, Missing))]
pub async fn rounds(
    State(state): State<AppState>,
    _: Signed<rule::TaskReaders>,
    Name(name): Name,
) -> ApiResult {
    let ledger = state.store.ledger(&name).await?;
    ok(state.store.target_rounds(ledger.id).await?)
}

/// The tasks the account's unit has to set targets for in every open round, with its target as
/// it stands (null before the first save) and the milestone now recorded.
#[utoipa::path(get, path = "/api/my/targets", tag = "目标分解",
    responses((status = 200, body = [UnitTarget]), SignedErrors))]
pub async fn my_targets(State(state): State<AppState>, user: Signed<rule::Unit>) -> ApiResult {
    ok(targets::my_targets(&state, &user.account).await?)
}

/// The targets on a task the account may read (its unit's; the office all).
#[utoipa::path(get, path = "/api/tasks/{id}/targets", tag = "目标分解",
    params(("id" = i64, Path, description = "任务编号")),
    responses((status = 200, body = [CheckedReport]), SignedErrors, Missing))]
pub async fn task_targets(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    let detail = visible_task(&state.store, &user.account, id).await?;
    let targets =
        access::visible_reports(&user.account, &detail, state.store.task_targets(id).await?);
    let keys = head_keys(&state).await?;
    let checked: Vec<CheckedReport> = targets
        .into_iter()
        .map(|r| CheckedReport::new(&detail.ledger.name, r, &keys))
        .collect();
    ok(checked)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TargetBody {
    action: ReportAction,
    period: String,
    /// The unit whose target it is; the office names it, a unit's own account may leave it out.
    #[serde(default)]
    unit: Option<i64>,
    /// The version the writer saw; absent for a new target.
    #[serde(default)]
    version: Option<i64>,
    /// The target's text, for `save`.
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    /// The head's login password, for `approve` (it signs).
    #[serde(default)]
    password: Option<String>,
}

/// One step on a unit's target: save (填报人), approve (负责人, with `password` to sign),
/// send_back, submit (负责人), accept (督查室: the lead unit's target becomes the milestone),
/// return (督查室, with `comment`).
#[utoipa::path(post, path = "/api/tasks/{id}/targets", tag = "目标分解", request_body = TargetBody,
    params(("id" = i64, Path, description = "任务编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = ReportRecord), Action, Missing, Refused))]
pub async fn target_action(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<TargetBody>,
) -> ApiResult {
    let request = ReportRequest {
        kind: ReportKind::Target,
        action: body.action,
        period: parse_period(&body.period)?,
        unit: body.unit,
        version: body.version,
        body: body.text,
        comment: body.comment,
        status: None,
        password: body.password,
    };
    ok(reports::act(&state, &user.account, id, request).await?)
}

/// Submitted targets waiting for the office's decision, oldest first.
#[utoipa::path(get, path = "/api/targets/review", tag = "目标分解",
    responses((status = 200, body = [ReportRecord]), SignedErrors))]
pub async fn review(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    ok(state.store.target_queue().await?)
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// xlsx (default) or docx; where a route also answers in JSON, json.
    #[serde(default)]
    pub(crate) format: Option<String>,
}

/// The decomposition table (目标分解表): 序号 / 年度工作任务 / one target column per round period
/// / 责任单位; a target not yet accepted is marked with where it stands.
#[utoipa::path(get, path = "/api/ledgers/{name}/targets", tag = "目标分解",
    params(("name" = String, Path, description = "台账名称"), TableQuery),
    responses((status = 200, description = "xlsx 或 docx 文件"), SignedErrors, BadInput, Missing))]
pub async fn decomposition_file(
    State(state): State<AppState>,
    _: Signed<rule::Office>,
    Name(name): Name,
    Query(q): Query<TableQuery>,
) -> ApiResult {
    let d = targets::decomposition(&state, &name).await?;
    let file = export::table_file(&targets::decomposition_table(&d), q.format.as_deref())?;
    Ok(table_download(file, "targets"))
}

/// The whole ledger as one table (tasks, each period's milestone, the latest progress and
/// status, leaders, units with roles), which `POST /api/import` reads back.
#[utoipa::path(get, path = "/api/ledgers/{name}/export", tag = "目标分解",
    params(("name" = String, Path, description = "台账名称"), TableQuery),
    responses((status = 200, description = "xlsx 或 docx 文件"), SignedErrors, BadInput, Missing))]
pub async fn ledger_export(
    State(state): State<AppState>,
    _: Signed<rule::Office>,
    Name(name): Name,
    Query(q): Query<TableQuery>,
) -> ApiResult {
    let table = export::ledger_table(&state, &name).await?;
    Ok(table_download(
        export::table_file(&table, q.format.as_deref())?,
        "ledger",
    ))
}
