//! Ledgers: the list, and a ledger's table for a period with filters.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::documents::{self, NewLedger};
use duban_app::listings::LedgerListing;
use duban_app::{access, parse_period, parse_status};
use duban_core::LedgerSheet;
use duban_store::TaskFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use super::doc::{Action, BadInput, Missing, Refused, SignedErrors};

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Name, Query, Signed, rule};

/// The ledgers with their periods.
#[utoipa::path(get, path = "/api/ledgers", tag = "督办",
    responses((status = 200, body = [LedgerListing]), SignedErrors))]
pub async fn list(State(state): State<AppState>, _: Signed<rule::TaskReaders>) -> ApiResult {
    let list: Vec<LedgerListing> = state
        .store
        .ledgers()
        .await?
        .iter()
        .map(Into::into)
        .collect();
    ok(list)
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    leader: Option<String>,
    #[serde(default)]
    status: Option<String>,
}

/// A ledger's table for a period (the ledger JSON); a leader sees the portfolio.
#[utoipa::path(get, path = "/api/ledgers/{name}/sheet", tag = "督办",
    params(("name" = String, Path, description = "台账名称"), SheetQuery),
    responses((status = 200, body = LedgerSheet), SignedErrors, BadInput, Missing))]
pub async fn sheet(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Name(name): Name,
    Query(q): Query<SheetQuery>,
) -> ApiResult {
    let filter = TaskFilter {
        unit: q.unit,
        leader: access::portfolio(&user.account)?.or(q.leader),
        status: parse_status(q.status.as_deref())?,
    };
    let period = q.period.as_deref().map(parse_period).transpose()?;
    ok(state.store.sheet(&name, period, &filter).await?)
}

/// Creates a ledger from the ledger JSON (`GET /api/documents/{id}/proposals` edited, a division
/// plan or a table read by `POST /api/import?dry_run`) with `year`, `cadence` and
/// `deadline_days`; tasks with a `source` are linked to that passage. A ledger of that name
/// already existing is refused (409), never doubled.
#[utoipa::path(post, path = "/api/ledgers", tag = "督办", request_body = NewLedger,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = LedgerListing), Action, BadInput, Missing, Refused))]
pub async fn create(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<NewLedger>,
) -> ApiResult {
    let summary = documents::create_from_sheet(&state, &user.account.actor(), &body).await?;
    let listing: Option<LedgerListing> = state
        .store
        .ledgers()
        .await?
        .iter()
        .find(|l| l.ledger.name == summary.ledger)
        .map(Into::into);
    let listing = listing.ok_or_else(|| duban_app::Error::internal("新建的台账无法读取"))?;
    Ok((StatusCode::CREATED, Json(listing)).into_response())
}

/// Changes a ledger's tasks during the year (调整) with a reason: `add` (goal, lead, support,
/// leaders), `withdraw` (task), `merge` (task into the task numbered `into_seq`), `reassign`
/// (task, lead, support, leaders). Answers the task changed (the new one, the one kept). Later
/// notices and statistics leave withdrawn tasks out; published notices never change.
#[utoipa::path(post, path = "/api/ledgers/{name}/changes", tag = "督办",
    request_body = duban_app::changes::ChangeRequest,
    params(("name" = String, Path, description = "台账名称"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = duban_store::TaskDetail), Action, BadInput, Missing, Refused))]
pub async fn change(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Name(name): Name,
    CsrfJson { body, .. }: CsrfJson<duban_app::changes::ChangeRequest>,
) -> ApiResult {
    let task = duban_app::changes::change(&state, &user.account, &name, &body).await?;
    ok(state.store.task_detail(task).await?)
}

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskListQuery {
    /// The period (default: the ledger's latest).
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    leader: Option<String>,
    #[serde(default)]
    status: Option<String>,
    /// Text the goal, the target or the progress contains.
    #[serde(default)]
    q: Option<String>,
    /// Tasks per page, 1–500 (default 100).
    #[serde(default)]
    limit: Option<i64>,
    /// The `next` of the page before: the tasks after that 序号.
    #[serde(default)]
    after: Option<u32>,
}

/// A task in the paged list, with its id for `/api/tasks/{id}`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ListedTask {
    pub id: i64,
    #[serde(flatten)]
    pub task: duban_core::SheetTask,
}

/// A page of a ledger's tasks.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TaskListPage {
    pub ledger: String,
    /// The period the statuses and progress are of (none before any data).
    pub period: Option<String>,
    pub tasks: Vec<ListedTask>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<u32>,
}

/// A ledger's tasks a page at a time (keyset pagination by 序号: a page costs the same wherever
/// it is in the ledger), with the sheet's filters and a text search; a leader sees the portfolio.
#[utoipa::path(get, path = "/api/ledgers/{name}/tasks", tag = "督办",
    params(("name" = String, Path, description = "台账名称"), TaskListQuery),
    responses((status = 200, body = TaskListPage), SignedErrors, BadInput, Missing))]
pub async fn tasks(
    State(state): State<AppState>,
    user: Signed<rule::Oversight>,
    Name(name): Name,
    Query(q): Query<TaskListQuery>,
) -> ApiResult {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(duban_app::Error::BadRequest(format!(
            "每页任务数 limit 应在 1 到 500 之间，收到 {limit}"
        ))
        .into());
    }
    let ledger = state.store.ledger(&name).await?;
    let scope = access::portfolio(&user.account)?;
    let filter = TaskFilter {
        unit: q.unit,
        leader: q.leader,
        status: parse_status(q.status.as_deref())?,
    };
    let period = match q.period.as_deref() {
        Some(p) => Some(parse_period(p)?),
        None => state.store.latest_period(ledger.id).await?,
    };
    let tasks = state
        .store
        .task_list(
            &ledger,
            period,
            &filter,
            scope.as_deref(),
            q.q.as_deref().unwrap_or_default(),
            q.after,
            limit + 1,
        )
        .await?;
    let more = tasks.len() as i64 > limit;
    let tasks: Vec<ListedTask> = tasks
        .into_iter()
        .take(limit as usize)
        .map(|(id, task)| ListedTask { id, task })
        .collect();
    ok(TaskListPage {
        ledger: ledger.name.clone(),
        period: period.map(|p| p.to_string()),
        next: if more {
            tasks.last().map(|t| t.task.seq)
        } else {
            None
        },
        tasks,
    })
}
