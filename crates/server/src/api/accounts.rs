//! Accounts: the list, creating one, lifting a login block.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::accounts::{self, AccountRequest};
use serde::Deserialize;
use serde_json::json;

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Signed, rule};

pub async fn list(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    ok(state.store.accounts().await?)
}

pub async fn create(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body: request, .. }: CsrfJson<AccountRequest>,
) -> ApiResult {
    let created = accounts::create(&state, &user.account.actor(), request).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct UnblockBody {
    login: String,
}

pub async fn unblock(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<UnblockBody>,
) -> ApiResult {
    let message = accounts::lift_block(&state, &user.account, &body.login).await?;
    ok(json!({ "message": message }))
}
