//! Logging in and out, and who is signed in.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use duban_app::accounts::PasswordForm;
use duban_store::Account;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::doc::{Action, LoginErrors, SignedErrors};

use super::{ApiResult, ok};
use crate::access::{CsrfJson, JsonBody, Signed, rule};
use crate::{AppState, Viewer, http};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginBody {
    login: String,
    password: String,
}

/// A new session and its CSRF token.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginReply {
    pub account: Account,
    /// Send it in `X-CSRF-Token` with every POST.
    pub csrf: String,
}

/// Logs in: the session cookie is set (HttpOnly, SameSite=Strict).
#[utoipa::path(post, path = "/api/login", tag = "督办", request_body = LoginBody,
    responses((status = 200, body = LoginReply), LoginErrors))]
pub async fn login(
    State(state): State<AppState>,
    viewer: Viewer,
    JsonBody(body): JsonBody<LoginBody>,
) -> ApiResult {
    let opened =
        duban_app::session::open_session(&state, &viewer.client, &body.login, &body.password)
            .await?;
    Ok((
        [(
            header::SET_COOKIE,
            http::session(&opened.token, state.secure_cookies),
        )],
        Json(LoginReply {
            account: opened.account,
            csrf: opened.csrf,
        }),
    )
        .into_response())
}

/// Ends the session.
#[utoipa::path(post, path = "/api/logout", tag = "督办", params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 204, description = "已退出"), Action))]
pub async fn logout(
    State(state): State<AppState>,
    _: Signed<rule::Anyone>,
    CsrfJson { viewer, .. }: CsrfJson<serde_json::Value>,
) -> ApiResult {
    if let Some(hash) = &viewer.token_hash {
        duban_app::session::end_session(&state, hash).await?;
    }
    Ok((
        [(header::SET_COOKIE, http::cleared())],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/me", tag = "督办", responses((status = 200, body = Account), SignedErrors))]
pub async fn me(user: Signed<rule::Anyone>) -> ApiResult {
    ok(user.account)
}

/// Changes the signed-in person's password (`{old, new}`); their other sessions end; a unit
/// head's signing key follows the new password and earlier signatures still verify.
#[utoipa::path(post, path = "/api/me/password", tag = "督办", request_body = PasswordForm,
    params(("X-CSRF-Token" = String, Header, description = "登录时返回的 csrf")),
    responses((status = 204, description = "已修改"), Action))]
pub async fn change_password(
    State(state): State<AppState>,
    user: Signed<rule::Anyone>,
    CsrfJson { body, viewer }: CsrfJson<PasswordForm>,
) -> ApiResult {
    duban_app::accounts::change_password(
        &state,
        &user.account,
        &body.old,
        &body.new,
        viewer.token_hash.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
