//! Extensions (延期申请): a unit asks, the office decides.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::access::visible_task;
use duban_app::extensions::{self, ExtensionDecision, ExtensionRequest};
use duban_store::Extension;

use super::doc::{Action, BadInput, Missing, Refused, SignedErrors};
use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Id, Signed, rule};

/// A unit asks for a later deadline for the task and a period, with a reason (the day must be
/// later than its deadline now). One request may wait at a time.
#[utoipa::path(post, path = "/api/tasks/{id}/extensions", tag = "提醒", request_body = ExtensionRequest,
    params(("id" = i64, Path, description = "任务编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = Extension), Action, BadInput, Missing, Refused))]
pub async fn request(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<ExtensionRequest>,
) -> ApiResult {
    let extension = extensions::request(&state, &user.account, id, &body).await?;
    Ok((StatusCode::CREATED, Json(extension)).into_response())
}

/// A task's requests the account may see (a unit its own; the office and leaders all).
#[utoipa::path(get, path = "/api/tasks/{id}/extensions", tag = "提醒",
    params(("id" = i64, Path, description = "任务编号")),
    responses((status = 200, body = [Extension]), SignedErrors, Missing))]
pub async fn of_task(
    State(state): State<AppState>,
    user: Signed<rule::TaskReaders>,
    Id(id): Id,
) -> ApiResult {
    visible_task(&state.store, &user.account, id).await?;
    let mine = user.account.unit.as_ref().map(|u| u.id.0);
    let list: Vec<Extension> = state
        .store
        .task_extensions(id)
        .await?
        .into_iter()
        .filter(|x| !user.account.role.needs_unit() || Some(x.unit_id) == mine)
        .collect();
    ok(list)
}

/// The requests waiting for the office.
#[utoipa::path(get, path = "/api/extensions", tag = "提醒",
    responses((status = 200, body = [Extension]), SignedErrors))]
pub async fn pending(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    ok(state.store.pending_extensions().await?)
}

/// The office grants (`due`, the day asked when absent) or refuses (with `comment`).
#[utoipa::path(post, path = "/api/extensions/{id}", tag = "提醒", request_body = ExtensionDecision,
    params(("id" = i64, Path, description = "申请编号"), ("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = Extension), Action, BadInput, Missing, Refused))]
pub async fn decide(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    Id(id): Id,
    CsrfJson { body, .. }: CsrfJson<ExtensionDecision>,
) -> ApiResult {
    ok(extensions::decide(&state, &user.account, id, &body).await?)
}
