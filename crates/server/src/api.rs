//! The REST API: the same operations as the pages, as JSON in the ledger JSON shapes, under
//! `/api`. Documented in `openapi.json` (served at `/api/openapi.json`); a test checks that every
//! route here is in it. A session from `POST /api/login` is the same cookie the pages use; every
//! other POST must carry the session's CSRF token in `X-CSRF-Token`.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use duban_core::{AccountRole, ReportAction, Status};
use duban_store::{ReminderScope, TaskFilter};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::{self, OFFICE, OVERSIGHT, REPORT_ACTORS, TASK_READERS, UNIT};
use crate::pages::{self, ReportRequest, Selection};
use crate::{AppState, Error, Viewer, auth};

const OPENAPI: &str = include_str!("../openapi.json");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .route("/ledgers", get(ledgers))
        .route("/ledgers/{name}/sheet", get(sheet))
        .route("/tasks/{id}", get(task))
        .route("/tasks/{id}/reports", post(report_action))
        .route("/tasks/{id}/remind", post(remind))
        .route("/my/tasks", get(my_tasks))
        .route("/review", get(review))
        .route("/notices", get(notices).post(publish))
        .route("/notices/{id}", get(notice_file))
        .route("/periods/unlock", post(unlock))
        .route("/import", post(import))
        .route("/accounts", get(accounts).post(create_account))
        .route("/accounts/unblock", post(unblock_account))
        .route("/units", get(units))
        .route("/units/aliases", post(add_alias))
        .route("/audit", get(audit))
}

/// An API error: the status and `{"error": "…"}`.
struct ApiError(Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError(e)
    }
}

impl From<duban_store::StoreError> for ApiError {
    fn from(e: duban_store::StoreError) -> ApiError {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.0.status(),
            Json(json!({ "error": self.0.to_string() })),
        )
            .into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

fn ok(value: impl serde::Serialize) -> ApiResult {
    Ok(Json(value).into_response())
}

fn csrf(viewer: &Viewer, headers: &HeaderMap) -> Result<(), Error> {
    viewer.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

#[derive(Debug, Deserialize)]
struct LoginBody {
    login: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<LoginBody>,
) -> ApiResult {
    let (account, cookie, csrf) =
        pages::open_session(&state, &viewer.client, &body.login, &body.password).await?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(json!({ "account": account, "csrf": csrf })),
    )
        .into_response())
}

async fn logout(State(state): State<AppState>, viewer: Viewer, headers: HeaderMap) -> ApiResult {
    viewer.require(AccountRole::ALL)?;
    csrf(&viewer, &headers)?;
    if let Some(hash) = &viewer.token_hash {
        state.store.end_session(hash, auth::now_seconds()).await?;
    }
    Ok((
        [(header::SET_COOKIE, auth::clear_cookie())],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

async fn me(viewer: Viewer) -> ApiResult {
    ok(viewer.require(AccountRole::ALL)?)
}

async fn ledgers(State(state): State<AppState>, viewer: Viewer) -> ApiResult {
    viewer.require(TASK_READERS)?;
    let list: Vec<Value> = state
        .store
        .ledgers()
        .await?
        .into_iter()
        .map(|s| {
            json!({
                "name": s.ledger.name, "year": s.ledger.year, "cadence": s.ledger.cadence,
                "deadline_days": s.ledger.deadline.working_days, "tasks": s.tasks, "periods": s.periods,
            })
        })
        .collect();
    ok(list)
}

#[derive(Debug, Deserialize, Default)]
struct SheetQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    leader: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

async fn sheet(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(name): Path<String>,
    Query(q): Query<SheetQuery>,
) -> ApiResult {
    let account = viewer.require(OVERSIGHT)?;
    let status = pages::parse_status(q.status.as_deref())?;
    let filter = TaskFilter {
        unit: q.unit,
        leader: access::portfolio(account)?.or(q.leader),
        status,
    };
    let period = q.period.as_deref().map(pages::parse_period).transpose()?;
    ok(state.store.sheet(&name, period, &filter).await?)
}

async fn task(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::Id(id): crate::Id,
) -> ApiResult {
    let account = viewer.require(TASK_READERS)?;
    let detail = pages::visible_task(&state, account, id).await?;
    let reports = access::visible_reports(account, &detail, state.store.task_reports(id).await?);
    let keys = pages::head_keys(&state).await?;
    let reports = reports
        .iter()
        .map(|r| pages::report_json(&detail.ledger.name, r, &keys))
        .collect::<Result<Vec<_>, _>>()?;
    let reminders = state.store.reminders(ReminderScope::Task(id)).await?;
    ok(json!({ "task": detail, "reports": reports, "reminders": reminders }))
}

#[derive(Debug, Deserialize)]
struct ReportBody {
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

async fn report_action(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    crate::Id(id): crate::Id,
    Json(body): Json<ReportBody>,
) -> ApiResult {
    let account = viewer.require(REPORT_ACTORS)?;
    csrf(&viewer, &headers)?;
    let request = ReportRequest {
        action: body.action,
        period: pages::parse_period(&body.period)?,
        unit: body.unit,
        version: body.version,
        body: body.body,
        comment: body.comment,
        status: body.status,
        password: body.password,
    };
    ok(pages::perform_report_action(&state, account, id, request).await?)
}

#[derive(Debug, Deserialize)]
struct RemindBody {
    period: String,
}

async fn remind(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    crate::Id(id): crate::Id,
    Json(body): Json<RemindBody>,
) -> ApiResult {
    let account = viewer.require(OFFICE)?;
    csrf(&viewer, &headers)?;
    let period = pages::parse_period(&body.period)?;
    ok(pages::remind_lead_unit(&state, account, id, period).await?)
}

#[derive(Debug, Deserialize, Default)]
struct LedgerPeriod {
    #[serde(default)]
    ledger: Option<String>,
    #[serde(default)]
    period: Option<String>,
}

async fn my_tasks(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LedgerPeriod>,
) -> ApiResult {
    let account = viewer.require(UNIT)?;
    let selection =
        Selection::choose(&state, q.ledger.as_deref(), q.period.as_deref(), true).await?;
    let rows = pages::unit_rows(&state, account, &selection).await?;
    ok(rows
        .into_iter()
        .map(|r| {
            json!({
                "task_id": r.task_id, "seq": r.seq, "goal": r.goal, "target": r.milestone,
                "role": r.role, "state": r.state_code, "timeliness": r.timeliness,
            })
        })
        .collect::<Vec<_>>())
}

async fn review(State(state): State<AppState>, viewer: Viewer) -> ApiResult {
    viewer.require(OFFICE)?;
    let keys = pages::head_keys(&state).await?;
    let mut queue = Vec::new();
    for r in state.store.review_queue().await? {
        let ledger = state.store.task_detail(r.task_id).await?.ledger.name;
        queue.push(pages::report_json(&ledger, &r, &keys)?);
    }
    ok(queue)
}

async fn notices(State(state): State<AppState>) -> ApiResult {
    ok(state.store.published_notices().await?)
}

#[derive(Debug, Deserialize)]
struct PublishBody {
    ledger: String,
    period: String,
}

async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Json(body): Json<PublishBody>,
) -> ApiResult {
    let account = viewer.require(OFFICE)?;
    csrf(&viewer, &headers)?;
    let (sheet, notice) = pages::build_notice(&state, &body.ledger, &body.period).await?;
    let published = state
        .store
        .publish_notice(account, &sheet, &notice.title)
        .await?;
    Ok((StatusCode::CREATED, Json(published)).into_response())
}

#[derive(Debug, Deserialize, Default)]
struct FormatQuery {
    #[serde(default)]
    format: Option<String>,
}

async fn notice_file(
    State(state): State<AppState>,
    crate::Id(id): crate::Id,
    Query(q): Query<FormatQuery>,
) -> ApiResult {
    Ok(pages::notice_file(&state, id, q.format.as_deref()).await?)
}

#[derive(Debug, Deserialize)]
struct UnlockBody {
    ledger: String,
    period: String,
    reason: String,
}

async fn unlock(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Json(body): Json<UnlockBody>,
) -> ApiResult {
    let account = viewer.require(OFFICE)?;
    csrf(&viewer, &headers)?;
    let ledger = state.store.ledger(&body.ledger).await?;
    state
        .store
        .unlock_period(
            account,
            ledger.id.0,
            pages::parse_period(&body.period)?,
            &body.reason,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Deserialize, Default)]
struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
}

async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    mut multipart: Multipart,
) -> ApiResult {
    let account = viewer.require(OFFICE)?;
    csrf(&viewer, &headers)?;
    let (_, file) = pages::upload_fields(&mut multipart).await?;
    let (name, bytes) = file.ok_or_else(|| Error::BadRequest("缺少文件字段 file".to_owned()))?;
    let table = pages::read_upload(&name, bytes).await?;
    let warnings: Vec<String> = table.warnings.iter().map(|w| w.to_string()).collect();
    if q.dry_run {
        return ok(json!({ "sheet": table.sheet, "warnings": warnings }));
    }
    let (_, summary) = pages::save_import(&state, account, &table.sheet).await?;
    ok(json!({ "imported": summary, "warnings": warnings }))
}

async fn accounts(State(state): State<AppState>, viewer: Viewer) -> ApiResult {
    viewer.require(OFFICE)?;
    ok(state.store.accounts().await?)
}

#[derive(Debug, Deserialize)]
struct AccountBody {
    login: String,
    name: String,
    password: String,
    role: AccountRole,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    leader: Option<String>,
}

async fn create_account(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Json(body): Json<AccountBody>,
) -> ApiResult {
    let account = viewer.require(OFFICE)?;
    csrf(&viewer, &headers)?;
    let request = pages::AccountRequest {
        login: body.login,
        name: body.name,
        password: body.password,
        role: body.role,
        unit: body.unit,
        leader: body.leader,
    };
    let created = pages::create_account_with_password(&state, &account.actor(), request).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Debug, Deserialize)]
struct UnblockBody {
    login: String,
}

async fn unblock_account(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Json(body): Json<UnblockBody>,
) -> ApiResult {
    let account = viewer.require(OFFICE)?;
    csrf(&viewer, &headers)?;
    let message = pages::lift_block(&state, account, &body.login).await?;
    ok(json!({ "message": message }))
}

async fn units(State(state): State<AppState>, viewer: Viewer) -> ApiResult {
    viewer.require(OFFICE)?;
    let list: Vec<Value> = state
        .store
        .units()
        .await?
        .into_iter()
        .map(|u| json!({"unit": u.unit, "tasks_led": u.tasks_led, "tasks_total": u.tasks_total}))
        .collect();
    ok(list)
}

#[derive(Debug, Deserialize)]
struct AliasBody {
    name: String,
    alias: String,
}

async fn add_alias(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    Json(body): Json<AliasBody>,
) -> ApiResult {
    let account = viewer.require(OFFICE)?;
    csrf(&viewer, &headers)?;
    let outcome = state
        .store
        .add_alias_as(&body.name, &body.alias, &account.actor())
        .await?;
    let moved = match outcome {
        duban_store::AliasOutcome::Merged { tasks_moved } => tasks_moved,
        _ => 0,
    };
    ok(json!({
        "message": pages::alias_message(&body.name, body.alias.trim(), &outcome),
        "tasks_moved": moved,
    }))
}

#[derive(Debug, Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    task: Option<i64>,
    #[serde(default)]
    limit: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> ApiResult {
    viewer.require(OFFICE)?;
    ok(state
        .store
        .audit_log(q.task, q.limit.unwrap_or(200).clamp(1, 5000))
        .await?)
}
