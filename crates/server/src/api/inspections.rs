//! Inspections (督查), rectification (整改) and the units' assessment (考核): recording what an
//! inspection found, a unit's report on each finding through the signed cycle, the office closing
//! it; the scheme, leaders' ratings and the scores with every point explained.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::assessment::{self, Scores};
use duban_app::export;
use duban_app::inspections::{self, InspectionRequest, RectifyRequest};
use duban_core::assessment::{Rectified, Scheme};
use duban_store::{Finding, FindingFile, Inspection, PublishedAssessment};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::doc::{Action, BadInput, Internal, Missing, Refused, SignedErrors};
use super::targets::TableQuery;
use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Id, Name, Query, Signed, Upload, rule};
use crate::http::table_download;

/// What recording an inspection gave.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub inspection: Inspection,
    /// The findings' ids, in the order given.
    pub findings: Vec<i64>,
}

/// Records an inspection and its findings (each with its unit, severity, working days to
/// rectify and the period it lowers, if any); or adds findings to an inspection (`inspection`).
#[utoipa::path(post, path = "/api/inspections", tag = "督查考核", request_body = InspectionRequest,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = Recorded), Action, Missing, Refused))]
pub async fn record(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<InspectionRequest>,
) -> ApiResult {
    let (inspection, findings) = inspections::record(&state, &user.account.actor(), &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(Recorded {
            inspection,
            findings,
        }),
    )
        .into_response())
}

/// A ledger's inspections, newest first.
#[utoipa::path(get, path = "/api/ledgers/{name}/inspections", tag = "督查考核",
    params(("name" = String, Path, description = "台账名称")),
    responses((status = 200, body = [Inspection]), SignedErrors, BadInput, Missing))]
pub async fn list(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Name(name): Name,
) -> ApiResult {
    let ledger = state.store.ledger(&name).await?;
    ok(state.store.inspections(ledger.id.0).await?)
}

/// An inspection's notice (督查通报): its findings with units, severity, deadlines and where
/// each rectification stands.
#[utoipa::path(get, path = "/api/inspections/{id}/notice", tag = "督查考核",
    params(("id" = i64, Path, description = "督查记录编号"), TableQuery),
    responses((status = 200, description = "xlsx 或 docx 文件"), SignedErrors, BadInput, Missing))]
pub async fn notice(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Id(id): Id,
    Query(q): Query<TableQuery>,
) -> ApiResult {
    let table = inspections::notice_table(&state, id).await?;
    Ok(table_download(
        export::table_file(&table, q.format.as_deref())?,
        "inspection",
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// The ledger's name; all ledgers when absent.
    #[serde(default)]
    ledger: Option<String>,
}

/// A finding with where its rectification stands today.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rectification {
    #[serde(flatten)]
    pub finding: Finding,
    /// on_time, late (closed after the deadline), open, overdue.
    #[schema(value_type = String)]
    pub rectified: Rectified,
    pub rectified_zh: &'static str,
}

/// The rectification items the account may see: a unit its own, a leader those of the tasks
/// in their portfolio, the office all.
#[utoipa::path(get, path = "/api/rectifications", tag = "督查考核", params(LedgerQuery),
    responses((status = 200, body = [Rectification]), SignedErrors, BadInput, Missing))]
pub async fn rectifications(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Query(q): Query<LedgerQuery>,
) -> ApiResult {
    let list: Vec<Rectification> = inspections::list(&state, &user.account, q.ledger.as_deref())
        .await?
        .into_iter()
        .map(|(finding, rectified)| Rectification {
            finding,
            rectified,
            rectified_zh: rectified.label_zh(),
        })
        .collect();
    ok(list)
}

/// One step on a finding's rectification: the unit saves what it did, its head approves (with
/// the password, signed) or sends it back, submits; the office accepts (销号) or returns it.
#[utoipa::path(post, path = "/api/findings/{id}/rectification", tag = "督查考核", request_body = RectifyRequest,
    params(("id" = i64, Path, description = "问题编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = Finding), Action, Missing, Refused))]
pub async fn rectify(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<RectifyRequest>,
) -> ApiResult {
    ok(inspections::rectify(&state, &user.account, id, &body).await?)
}

/// The units' scores for the ledger's year as of today, every point with its reason (JSON), or
/// the year's assessment table (xlsx, docx).
#[utoipa::path(get, path = "/api/ledgers/{name}/scores", tag = "督查考核",
    params(("name" = String, Path, description = "台账名称"), TableQuery),
    responses((status = 200, body = Scores, description = "JSON，或 xlsx、docx 文件"), SignedErrors, BadInput, Missing))]
pub async fn scores(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Name(name): Name,
    Query(q): Query<TableQuery>,
) -> ApiResult {
    let scores = assessment::scores(&state, &name, None, duban_core::beijing::today()).await?;
    match q.format.as_deref().map(str::trim) {
        None | Some("" | "json") => ok(scores),
        Some(format) => Ok(table_download(
            export::table_file(&assessment::table(&scores), Some(format))?,
            "scores",
        )),
    }
}

/// The ledger's assessment scheme (the default until the office sets one).
#[utoipa::path(get, path = "/api/ledgers/{name}/scheme", tag = "督查考核",
    params(("name" = String, Path, description = "台账名称")),
    responses((status = 200, body = Object, description = "考核方案"), SignedErrors, BadInput, Missing))]
pub async fn scheme(
    State(state): State<AppState>,
    _: Signed<rule::Oversight>,
    Name(name): Name,
) -> ApiResult {
    let (scheme, _) = assessment::scheme(&state, &name).await?;
    ok(scheme)
}

/// Sets the ledger's assessment scheme: weights of 平时 (completion, timeliness, findings,
/// rectification) and 年终 (annual, rating), credits and deductions; fields left out keep their
/// defaults, unknown fields are refused.
#[utoipa::path(post, path = "/api/ledgers/{name}/scheme", tag = "督查考核", request_body = Object,
    params(("name" = String, Path, description = "台账名称"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = Object, description = "考核方案"), Action, BadInput, Missing))]
pub async fn set_scheme(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Name(name): Name,
    CsrfJson { body, .. }: CsrfJson<serde_json::Value>,
) -> ApiResult {
    let scheme: Scheme =
        assessment::set_scheme(&state, &user.account.actor(), &name, &body.to_string()).await?;
    ok(scheme)
}

/// A leader's qualitative rating of a unit for a ledger's year.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingBody {
    pub ledger: String,
    pub unit: String,
    /// excellent (优秀), good (良好), fair (一般) or poor (较差).
    pub rating: String,
    #[serde(default)]
    pub note: String,
}

/// A leader (or the office for a leader, from paper) rates a unit (定性评价); again replaces it.
#[utoipa::path(post, path = "/api/ratings", tag = "督查考核", request_body = RatingBody,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 204), Action, Missing))]
pub async fn rate(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    CsrfJson { body, .. }: CsrfJson<RatingBody>,
) -> ApiResult {
    assessment::rate(
        &state,
        &user.account,
        &body.ledger,
        &body.unit,
        &body.rating,
        &body.note,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishBody {
    /// The ledger whose year's assessment is published.
    pub ledger: String,
}

/// Publishes the ledger's assessment as of today (the scores with every point's reason and the
/// year's verdicts), open to everyone like a notice.
#[utoipa::path(post, path = "/api/assessments", tag = "督查考核", request_body = PublishBody,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = PublishedAssessment), Action, Missing, Refused))]
pub async fn publish(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<PublishBody>,
) -> ApiResult {
    let published = assessment::publish(&state, &user.account, &body.ledger).await?;
    Ok((StatusCode::CREATED, Json(published)).into_response())
}

/// The published assessments (open to everyone).
#[utoipa::path(get, path = "/api/assessments", tag = "督查考核",
    responses((status = 200, body = [PublishedAssessment]), Internal))]
pub async fn published(State(state): State<AppState>) -> ApiResult {
    ok(state.store.published_assessments().await?)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublishedQuery {
    /// json (default), xlsx or docx.
    #[serde(default)]
    format: Option<String>,
    /// scores (default: the ranking with reasons) or year (each task's verdict for the year).
    #[serde(default)]
    table: Option<String>,
}

/// A published assessment as published: JSON, or the ranking or the year-end table as a file.
#[utoipa::path(get, path = "/api/assessments/{id}", tag = "督查考核",
    params(("id" = i64, Path, description = "考核结果编号"), PublishedQuery),
    responses((status = 200, body = Scores, description = "JSON，或 xlsx、docx 文件"), BadInput, Missing, Internal))]
pub async fn published_file(
    State(state): State<AppState>,
    Id(id): Id,
    Query(q): Query<PublishedQuery>,
) -> ApiResult {
    let scores = assessment::published(&state, id).await?;
    let format = q.format.as_deref().map(str::trim).unwrap_or("json");
    if format == "json" || format.is_empty() {
        return ok(scores);
    }
    let table = match q.table.as_deref().map(str::trim) {
        None | Some("" | "scores") => assessment::table(&scores),
        Some("year") => assessment::year_table(&scores),
        Some(other) => {
            return Err(duban_app::Error::BadRequest(format!(
                "未知的表“{other}”：可用 scores（考核结果）或 year（年终评定表）"
            ))
            .into());
        }
    };
    Ok(table_download(
        export::table_file(&table, Some(format))?,
        "assessment",
    ))
}

/// Adds a file to a finding: the office's photo of what was found, or the unit's evidence of its
/// rectification (while its report may still change; the head signs it with the report). Checked
/// from its content like any evidence; stored once.
#[utoipa::path(post, path = "/api/findings/{id}/files", tag = "督查考核",
    request_body(content = super::evidence::EvidenceForm, content_type = "multipart/form-data"),
    params(("id" = i64, Path, description = "问题编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = FindingFile), Action, BadInput, Missing, Refused))]
pub async fn attach(
    State(state): State<AppState>,
    user: Signed<rule::ReportActors>,
    Id(id): Id,
    upload: Upload,
) -> ApiResult {
    let file = inspections::attach(&state, &user.account, id, &upload.name, &upload.bytes).await?;
    Ok((StatusCode::CREATED, Json(file)).into_response())
}

/// The files on a finding, to those who may see it.
#[utoipa::path(get, path = "/api/findings/{id}/files", tag = "督查考核",
    params(("id" = i64, Path, description = "问题编号")),
    responses((status = 200, body = [FindingFile]), SignedErrors, Missing))]
pub async fn files(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    inspections::visible_finding(&state, &user.account, id).await?;
    ok(state.store.finding_files(id).await?)
}

/// One file on a finding.
#[utoipa::path(get, path = "/api/finding-files/{id}", tag = "督查考核",
    params(("id" = i64, Path, description = "材料编号")),
    responses((status = 200, description = "文件"), SignedErrors, Missing))]
pub async fn file(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    let (file, bytes) = inspections::file(&state, &user.account, id).await?;
    let ascii = format!(
        "finding-{id}.{}",
        file.name.rsplit('.').next().unwrap_or("bin")
    );
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, file.mime.clone()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                crate::http::attachment(&ascii, &file.name),
            ),
        ],
        bytes,
    )
        .into_response())
}
