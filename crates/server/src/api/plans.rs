//! Plan monitoring (规划监测): a plan's indicators with their paths, actuals and judgements, and
//! recording a year's value.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
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
