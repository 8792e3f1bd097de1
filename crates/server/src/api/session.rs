//! Logging in and out, and who is signed in.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::json;

use super::{ApiResult, ok};
use crate::access::{CsrfJson, JsonBody, Signed, rule};
use crate::{AppState, Viewer, http};

#[derive(Debug, Deserialize)]
pub struct LoginBody {
    login: String,
    password: String,
}

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
        Json(json!({ "account": opened.account, "csrf": opened.csrf })),
    )
        .into_response())
}

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

pub async fn me(user: Signed<rule::Anyone>) -> ApiResult {
    ok(user.account)
}
