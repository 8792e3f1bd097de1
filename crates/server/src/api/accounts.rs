//! Accounts: the list, creating one, lifting a login block.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use duban_app::accounts::{self, AccountRequest, DisableForm, ResetForm};
use duban_store::Account;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::doc::{Action, Missing, Refused, SignedErrors};

use super::{ApiResult, ok};
use crate::AppState;
use crate::access::{CsrfJson, Signed, rule};

/// The accounts.
#[utoipa::path(get, path = "/api/accounts", tag = "督办",
    responses((status = 200, body = [Account]), SignedErrors))]
pub async fn list(State(state): State<AppState>, _: Signed<rule::Office>) -> ApiResult {
    ok(state.store.accounts().await?)
}

/// Creates an account (a head gets a signing key); the password has at least 10 characters.
#[utoipa::path(post, path = "/api/accounts", tag = "督办", request_body = AccountRequest, params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 201, body = Account), Action, Missing, Refused))]
pub async fn create(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body: request, .. }: CsrfJson<AccountRequest>,
) -> ApiResult {
    let created = accounts::create(&state, &user.account.actor(), request).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UnblockBody {
    login: String,
}

/// What was done, in words.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageReply {
    pub message: String,
}

/// Lifts an account's login block.
#[utoipa::path(post, path = "/api/accounts/unblock", tag = "督办", request_body = UnblockBody, params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = MessageReply), Action, Missing))]
pub async fn unblock(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<UnblockBody>,
) -> ApiResult {
    let message = accounts::lift_block(&state, &user.account, &body.login).await?;
    ok(MessageReply { message })
}

/// Disables an account (it cannot log in; its sessions end; its history stays) or enables it.
#[utoipa::path(post, path = "/api/accounts/disable", tag = "督办", request_body = DisableForm,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = Account), Action, Missing))]
pub async fn disable(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<DisableForm>,
) -> ApiResult {
    ok(accounts::set_disabled(&state, &user.account.actor(), &body.login, body.disabled).await?)
}

/// Sets a new password for an account; its sessions end; a head's signing key follows it.
#[utoipa::path(post, path = "/api/accounts/reset", tag = "督办", request_body = ResetForm,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 200, body = Account), Action, Missing))]
pub async fn reset(
    State(state): State<AppState>,
    user: Signed<rule::Office>,
    CsrfJson { body, .. }: CsrfJson<ResetForm>,
) -> ApiResult {
    ok(
        accounts::reset_password(&state, &user.account.actor(), &body.login, &body.password)
            .await?,
    )
}
