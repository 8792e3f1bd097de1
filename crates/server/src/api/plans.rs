//! Plan monitoring (规划监测): a plan's indicators with their paths, actuals and judgements, and
//! recording a year's value.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::plan_reports::{self, LibraryProject, PlanItem, PlanReportRequest, PlanReportView};
use duban_app::plans::{self, Monitoring};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::doc::{Action, BadInput, Missing, SignedErrors};
use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Id, Query, Signed, rule};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Up to this year (every year of the plan when absent).
    #[serde(default)]
    year: Option<i32>,
}

/// Each main indicator of a plan: its path rule, baseline and target, and per year the value
/// expected on the path, the actual and the judgement (on_track, behind, missed, no_data).
#[utoipa::path(get, path = "/api/plans/{id}/indicators", tag = "规划监测",
    params(("id" = i64, Path, description = "规划（文件）编号"), YearQuery),
    responses((status = 200, body = Monitoring), SignedErrors, BadInput, Missing))]
pub async fn indicators(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<YearQuery>,
) -> ApiResult {
    ok(plans::monitoring(&state, &id.to_string(), q.year).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActualBody {
    /// The indicator's name (or a part that names one).
    pub indicator: String,
    pub year: i32,
    /// One number, or one per series ("78.6,86.3").
    pub value: String,
    #[serde(default)]
    pub note: String,
    /// The yearly value set for an indicator whose target is an assignment (完成市下达任务).
    #[serde(default)]
    pub assigned: bool,
}

/// Records an indicator's value for a year (replacing that year's earlier one).
#[utoipa::path(post, path = "/api/plans/{id}/actuals", tag = "规划监测", request_body = ActualBody,
    params(("id" = i64, Path, description = "规划（文件）编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 204), Action, Missing))]
pub async fn record(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<ActualBody>,
) -> ApiResult {
    plans::record(
        &state,
        &user.account.actor(),
        &id.to_string(),
        &body.indicator,
        body.year,
        &body.value,
        &body.note,
        body.assigned,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvaluationQuery {
    /// The year evaluated (e.g. 2023 for a mid-term evaluation).
    year: i32,
    /// xlsx (default) or docx.
    #[serde(default)]
    format: Option<String>,
}

/// The evaluation report of the plan for a year: the indicators (baseline, target, expected and
/// actual values and the judgement of each, binding ones first), the linked tasks by chapter,
/// the projects, and a chart of each indicator.
#[utoipa::path(get, path = "/api/plans/{id}/evaluation", tag = "规划监测",
    params(("id" = i64, Path, description = "规划（文件）编号"), EvaluationQuery),
    responses((status = 200, description = "xlsx 或 docx 文件"), SignedErrors, BadInput, Missing))]
pub async fn evaluation(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<EvaluationQuery>,
) -> ApiResult {
    Ok(crate::http::table_download(
        plans::evaluation_file(&state, &id.to_string(), q.year, q.format.as_deref()).await?,
        "evaluation",
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// indicator (指标) or project (项目).
    pub subject: String,
    /// The indicators' or projects' names (each exact, or a part naming one); empty: all.
    #[serde(default)]
    pub items: Vec<String>,
    /// The unit that reports them (数据来源单位 / 责任单位), by name or alias.
    pub unit: String,
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Assigned {
    /// How many indicators or projects the unit now reports.
    pub count: usize,
}

/// Names the unit that reports indicators or projects of the plan.
#[utoipa::path(post, path = "/api/plans/{id}/assignments", tag = "规划监测", request_body = AssignBody,
    params(("id" = i64, Path, description = "规划（文件）编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = Assigned), Action, Missing))]
pub async fn assign(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<AssignBody>,
) -> ApiResult {
    let subject = plan_reports::subject_of(&body.subject)?;
    let count = plan_reports::assign(
        &state,
        &user.account.actor(),
        &id.to_string(),
        subject,
        &body.items,
        &body.unit,
    )
    .await?;
    ok(Assigned { count })
}

/// The plan's project library: each 专栏 project with its responsible unit, stage, planned and
/// completed investment and the months accepted.
#[utoipa::path(get, path = "/api/plans/{id}/projects", tag = "规划监测",
    params(("id" = i64, Path, description = "规划（文件）编号")),
    responses((status = 200, body = Vec<LibraryProject>), SignedErrors, BadInput, Missing))]
pub async fn projects(
    State(state): State<AppState>,
    _: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    ok(plan_reports::library(&state, &id.to_string()).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProjectBody {
    /// The project's name (or a part naming one).
    pub project: String,
    /// 计划总投资, 万元.
    #[serde(default)]
    pub investment: Option<f64>,
    /// preparing (前期), building (在建), completed (竣工), operating (投运).
    #[serde(default)]
    pub stage: Option<String>,
}

/// The office's facts of a project: its planned investment and its stage.
#[utoipa::path(post, path = "/api/plans/{id}/projects", tag = "规划监测", request_body = ProjectBody,
    params(("id" = i64, Path, description = "规划（文件）编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 204), Action, Missing))]
pub async fn set_project(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<ProjectBody>,
) -> ApiResult {
    plan_reports::set_project(
        &state,
        &user.account.actor(),
        &id.to_string(),
        &body.project,
        body.investment,
        body.stage.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The plan's reported items (indicators and projects with their unit) and their reports: a
/// unit's own; everything for the office and leaders.
#[utoipa::path(get, path = "/api/plans/{id}/reports", tag = "规划监测",
    params(("id" = i64, Path, description = "规划（文件）编号")),
    responses((status = 200, body = Vec<PlanItem>), SignedErrors, BadInput, Missing))]
pub async fn reports(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    ok(plan_reports::items(&state, &user.account, Some(&id.to_string())).await?)
}

/// One step on a plan report: an indicator's value for a year or quarter by its data-source
/// unit, or a project's month (月调度) by its responsible unit — save, approve (the head's
/// password signs it), send_back, submit; the office accepts or returns.
#[utoipa::path(post, path = "/api/plans/{id}/reports", tag = "规划监测", request_body = PlanReportRequest,
    params(("id" = i64, Path, description = "规划（文件）编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = PlanReportView), Action, Missing))]
pub async fn act(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<PlanReportRequest>,
) -> ApiResult {
    ok(plan_reports::act(&state, &user.account, &id.to_string(), &body).await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuarterQuery {
    /// 2023-Q2.
    quarter: String,
    /// xlsx (default) or docx.
    #[serde(default)]
    format: Option<String>,
}

/// The quarterly project notice (项目季通报) as xlsx or docx.
#[utoipa::path(get, path = "/api/plans/{id}/project-notice", tag = "规划监测",
    params(("id" = i64, Path, description = "规划（文件）编号"), QuarterQuery),
    responses((status = 200, description = "xlsx 或 docx 文件"), SignedErrors, BadInput, Missing))]
pub async fn project_notice(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<QuarterQuery>,
) -> ApiResult {
    let table = plan_reports::project_notice(&state, &id.to_string(), &q.quarter).await?;
    Ok(crate::http::table_download(
        duban_app::export::table_file(&table, q.format.as_deref())?,
        "project-notice",
    ))
}
