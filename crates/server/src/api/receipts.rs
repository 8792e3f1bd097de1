//! Receipts (签收): a unit acknowledges tasks, target rounds and reminders; the office sees what
//! is not acknowledged.

use axum::extract::State;
use duban_store::{MissingReceipts, ReceiptKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::doc::{Action, Missing, SignedErrors};
use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Signed, rule};

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReceiptBody {
    kind: ReceiptKind,
    /// Task ids, round ids (`round_id` of `GET /api/my/targets`) or reminder ids.
    ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptReply {
    /// How many were acknowledged now (the others had been already).
    pub acknowledged: usize,
}

/// The unit acknowledges (签收) what was given to it; anything not given to it is refused (403).
#[utoipa::path(post, path = "/api/receipts", tag = "提醒", request_body = ReceiptBody,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = ReceiptReply), Action, Missing))]
pub async fn acknowledge(
    State(state): State<AppState>,
    user: Signed<rule::Unit>,
    CsrfJson { body, .. }: CsrfJson<ReceiptBody>,
) -> ApiResult {
    let acknowledged = state
        .store
        .acknowledge(&user.account, body.kind, &body.ids)
        .await?;
    ok(ReceiptReply { acknowledged })
}

/// Unit by unit, the tasks, rounds and reminders not acknowledged.
#[utoipa::path(get, path = "/api/receipts/missing", tag = "提醒",
    responses((status = 200, body = [MissingReceipts]), SignedErrors))]
pub async fn missing(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    ok(state.store.missing_receipts().await?)
}

/// A reminder in the unit's in-app list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    /// The day it is for (YYYY-MM-DD, Beijing).
    pub day: String,
    pub subject: String,
    pub body: String,
}

/// The account's in-app messages (消息), newest first: a unit's digest of what is due, a
/// leader's red items, the office's daily summary (督办日报).
#[utoipa::path(get, path = "/api/my/messages", tag = "提醒",
    responses((status = 200, body = [Message]), SignedErrors))]
pub async fn messages(State(state): State<AppState>, user: Signed<rule::TaskReaders>) -> ApiResult {
    let list: Vec<Message> = match duban_store::Recipient::of(&user.account) {
        Some(recipient) => state
            .store
            .messages(&recipient, 30)
            .await?
            .into_iter()
            .map(|(day, subject, body)| Message { day, subject, body })
            .collect(),
        None => Vec::new(),
    };
    ok(list)
}
